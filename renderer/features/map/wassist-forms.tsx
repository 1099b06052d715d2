import type { ReactElement } from 'react';
import { Icon } from '../../ui/icons';
import { matchHint } from './auto-match';
import type { MessageFormProps } from './form-parts';
import { Optional, SlotAt, SlotList } from './form-parts';
import { appendAt, getArray, getString, removeAt, setAt } from './json-path';
import { placeholder } from './slot';

/** The Wassist message forms: each mirrors its part of SendMessageInput, field for field. */

/** TemplateForm edits `template`: name, header, body variables, buttons and carousel cards. */
export function TemplateForm({ form }: { form: MessageFormProps }): ReactElement {
  const cardsPath = ['template', 'variables', 'cards'];
  const cards = getArray(form.message, cardsPath);
  return (
    <div className="form-stack">
      <SlotAt form={form} path={['template', 'name']} label="Template name" preferred="literal" required hint="The approved template's name, exactly as in WhatsApp Manager" />
      <Optional form={form} path={['template', 'variables', 'header']} label="Header variable" initial="">
        <SlotAt form={form} path={['template', 'variables', 'header']} label="Header" hint="Text for {{1}} in the header, or a media URL for an image header" />
      </Optional>
      <SlotList form={form} path={['template', 'variables', 'body']} title="Body variables" itemLabel={(i) => `Body {{${i + 1}}}`} addLabel="Add body variable" hint="One per placeholder of the template body, in order." empty="This template's body has no variables." />
      <SlotList form={form} path={['template', 'variables', 'buttons']} title="Button variables" itemLabel={(i) => `Button ${i + 1}`} addLabel="Add button variable" hint="The dynamic part of each URL button, in order." empty="No dynamic buttons." />
      <fieldset className="slot-group" data-testid="cards">
        <legend>Carousel cards</legend>
        {cards.length === 0 && <p className="muted small">Add cards only for carousel templates.</p>}
        {cards.map((_, k) => (
          <div className="card-editor" key={k} data-testid={`card-${k}`}>
            <div className="card-editor-head">
              <strong>Card {k + 1}</strong>
              <button type="button" className="btn btn-ghost btn-sm" data-testid={`remove-card-${k}`} onClick={() => form.onChange((m) => removeAt(m, cardsPath, k))}>
                <Icon name="trash" size={14} /> Remove card
              </button>
            </div>
            <Optional form={form} path={[...cardsPath, k, 'header']} label="Header (image or text)" initial="">
              <SlotAt form={form} path={[...cardsPath, k, 'header']} label="Card header" />
            </Optional>
            <SlotList form={form} path={[...cardsPath, k, 'body']} title="Card body variables" itemLabel={(i) => `Card ${k + 1} body {{${i + 1}}}`} addLabel="Add body variable" />
            <SlotList form={form} path={[...cardsPath, k, 'buttons']} title="Card button variables" itemLabel={(i) => `Card ${k + 1} button ${i + 1}`} addLabel="Add button variable" />
          </div>
        ))}
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          data-testid="add-card"
          onClick={() => {
            const image = matchHint(form.headers, 'image');
            form.onChange((m) => appendAt(m, cardsPath, { header: image === undefined ? '' : placeholder(image), body: [''] }));
          }}
        >
          <Icon name="plus" size={14} /> Add card
        </button>
      </fieldset>
    </div>
  );
}

/** TextForm edits `text.body`. */
export function TextForm({ form }: { form: MessageFormProps }): ReactElement {
  return (
    <div className="form-stack">
      <SlotAt form={form} path={['text', 'body']} label="Message" preferred="template" required multiline hint="Only conversations that are active (customer wrote in the last 24 h) accept text." />
    </div>
  );
}

/** CtaForm edits `cta`: body, button text, url and optional image. */
export function CtaForm({ form }: { form: MessageFormProps }): ReactElement {
  return (
    <div className="form-stack">
      <SlotAt form={form} path={['cta', 'body']} label="Message" preferred="template" required multiline maxLength={1024} />
      <div className="form-row">
        <SlotAt form={form} path={['cta', 'buttonText']} label="Button text" preferred="literal" required maxLength={20} />
        <SlotAt form={form} path={['cta', 'url']} label="Button link" required hint="An http(s) URL" />
      </div>
      <Optional form={form} path={['cta', 'image']} label="Image above the message" initial={{ url: '' }}>
        <SlotAt form={form} path={['cta', 'image', 'url']} label="Image URL" required />
      </Optional>
    </div>
  );
}

/** UnifiedForm edits `unified`: text, footer, media and buttons (url or quick reply). */
export function UnifiedForm({ form }: { form: MessageFormProps }): ReactElement {
  const buttonsPath = ['unified', 'buttons'];
  const buttons = getArray(form.message, buttonsPath);
  return (
    <div className="form-stack">
      <Optional form={form} path={['unified', 'media']} label="Media (image, video or document)" initial={{ url: '' }}>
        <SlotAt form={form} path={['unified', 'media', 'url']} label="Media URL" required />
      </Optional>
      <SlotAt form={form} path={['unified', 'text']} label="Message" preferred="template" multiline maxLength={1024} hint="Text, media or both" />
      <Optional form={form} path={['unified', 'footer']} label="Footer" initial="">
        <SlotAt form={form} path={['unified', 'footer']} label="Footer" preferred="literal" maxLength={60} />
      </Optional>
      <fieldset className="slot-group" data-testid="unified-buttons">
        <legend>Buttons</legend>
        {buttons.length === 0 && <p className="muted small">No buttons.</p>}
        {buttons.map((_, i) => {
          const type = getString(form.message, [...buttonsPath, i, 'type']);
          return (
            <div className="card-editor" key={i}>
              <div className="card-editor-head">
                <label className="field field-inline">
                  <span className="field-label">Button {i + 1}</span>
                  <select
                    className="input input-sm"
                    value={type}
                    data-testid={`unified-button-type-${i}`}
                    onChange={(e) =>
                      form.onChange((m) => {
                        const t = e.target.value;
                        let next = setAt(m, [...buttonsPath, i, 'type'], t);
                        next = setAt(next, [...buttonsPath, i, t === 'url' ? 'quickReplyId' : 'url'], undefined);
                        return setAt(next, [...buttonsPath, i, t === 'url' ? 'url' : 'quickReplyId'], '');
                      })
                    }
                  >
                    <option value="url">Link</option>
                    <option value="quick_reply">Quick reply</option>
                  </select>
                </label>
                <button type="button" className="btn btn-ghost btn-sm" onClick={() => form.onChange((m) => removeAt(m, buttonsPath, i))}>
                  <Icon name="trash" size={14} /> Remove
                </button>
              </div>
              <div className="form-row">
                <SlotAt form={form} path={[...buttonsPath, i, 'text']} label="Button text" preferred="literal" required maxLength={20} />
                {type === 'url' ? (
                  <SlotAt form={form} path={[...buttonsPath, i, 'url']} label="Link" required />
                ) : (
                  <SlotAt form={form} path={[...buttonsPath, i, 'quickReplyId']} label="Reply id" preferred="literal" maxLength={200} hint="Sent back to you when tapped" />
                )}
              </div>
            </div>
          );
        })}
        <div className="row-gap">
          <button type="button" className="btn btn-ghost btn-sm" data-testid="add-unified-url" onClick={() => form.onChange((m) => appendAt(m, buttonsPath, { type: 'url', text: '', url: '' }))}>
            <Icon name="plus" size={14} /> Link button
          </button>
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => form.onChange((m) => appendAt(m, buttonsPath, { type: 'quick_reply', text: '', quickReplyId: '' }))}>
            <Icon name="plus" size={14} /> Quick reply
          </button>
        </div>
      </fieldset>
    </div>
  );
}
