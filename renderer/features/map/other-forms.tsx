import type { ReactElement } from 'react';
import type { MessageFormProps } from './form-parts';
import { Optional, SlotAt } from './form-parts';
import { getArray, getAt, getString, setAt } from './json-path';

/** PingbackForm edits Pingback's `content` (attachment objects written in an opened file are kept as they are; files to upload are the Attachments card's). */
export function PingbackForm({ form }: { form: MessageFormProps }): ReactElement {
  const attachments = getArray(form.message, ['attachments']);
  return (
    <div className="form-stack">
      <SlotAt form={form} path={['content']} label="Message" preferred="template" required multiline />
      {attachments.length > 0 && <p className="muted small">{attachments.length} attachment(s) written in the campaign file are sent with every message.</p>}
    </div>
  );
}

/** GenericForm edits the generic API's body: sender, text, reply-to and auto-reply. */
export function GenericForm({ form }: { form: MessageFormProps }): ReactElement {
  const senderType = getString(form.message, ['sender_type']);
  return (
    <div className="form-stack">
      <div className="form-row">
        <SlotAt form={form} path={['sender_id']} label="Sender id" preferred="literal" required />
        <label className="field">
          <span className="field-label">Sender type</span>
          <select className="input" value={senderType} data-testid="sender-type" onChange={(e) => form.onChange((m) => setAt(m, ['sender_type'], e.target.value))}>
            {!['user', 'agent', 'system'].includes(senderType) && <option value={senderType}>{senderType === '' ? 'Choose…' : senderType}</option>}
            <option value="agent">Agent</option>
            <option value="user">User</option>
            <option value="system">System</option>
          </select>
        </label>
      </div>
      <SlotAt form={form} path={['text']} label="Message" preferred="template" required multiline />
      <Optional form={form} path={['reply_to_message_id']} label="Reply to a message" initial="">
        <SlotAt form={form} path={['reply_to_message_id']} label="Message id to reply to" />
      </Optional>
      <label className="check">
        <input type="checkbox" checked={getAt(form.message, ['auto_reply']) === true} onChange={(e) => form.onChange((m) => setAt(m, ['auto_reply'], e.target.checked ? true : undefined))} />
        <span>Let the AI agent reply automatically</span>
      </label>
    </div>
  );
}
