import type { ReactElement } from 'react';
import { useId } from 'react';
import type { LookupErrorView } from '../../../shared/ipc/contract';
import type { JsonObject } from '../../../shared/json';
import { isJsonObject } from '../../../shared/json';
import { Banner, Card } from '../../ui/kit';
import { RadioCards } from '../../ui/radio-cards';
import { matchHint } from './auto-match';
import { CountryPicker } from './country-picker';
import type { Draft, DraftAction } from './draft';
import { switchAction } from './draft';
import { botIdProblem, countryProblem } from './form-check';
import type { MessageFormProps } from './form-parts';
import { SlotAt } from './form-parts';
import { placeholder } from './slot';
import { SlotEditor } from './slot-editor';
import { TemplateForm } from './wassist-forms';

/**
 * The Wassist parts of the map step: who a row goes to (a conversation id, or a phone number looked
 * up in an agent's conversations), what the campaign does per row (send the message, trigger the
 * agent with a prompt, set credits), and the fallback template for conversations outside the
 * 24-hour window. Each edits the draft, which becomes the campaign file's `recipient`, `action`,
 * `message`, `fallback` and `onInactive`.
 */

type SetDraft = (update: (d: Draft) => Draft) => void;

/**
 * RecipientCard picks the recipient: a conversation id column, or a phone column with the agent and
 * default country. `lookupError` is why main could not look the conversations up (a refused agent id
 * shows under that field; anything else under the card).
 */
export function RecipientCard({ draft, setDraft, headers, lookupError }: { draft: Draft; setDraft: SetDraft; headers: readonly string[]; lookupError?: LookupErrorView | undefined }): ReactElement {
  const wassist = draft.wire === 'wassist';
  const byPhone = wassist && draft.phone !== undefined;
  const choosePhone = (on: boolean) =>
    setDraft((d) => {
      if (!on) {
        const { phone: _phone, ...rest } = d;
        return rest;
      }
      const column = matchHint(headers, 'phone');
      return { ...d, phone: { phone: column === undefined ? '' : placeholder(column), botId: '', defaultCountry: '' } };
    });
  return (
    <Card
      title="Recipient"
      actions={
        wassist ? (
          <div className="segmented segmented-sm" role="group" aria-label="Address contacts by">
            <button type="button" className="segment" aria-pressed={!byPhone} data-testid="recipient-by-conversation" onClick={() => choosePhone(false)}>
              Conversation id
            </button>
            <button type="button" className="segment" aria-pressed={byPhone} data-testid="recipient-by-phone" onClick={() => choosePhone(true)}>
              Phone number
            </button>
          </div>
        ) : undefined
      }
    >
      {byPhone && draft.phone !== undefined ? (
        <div className="form-stack" data-testid="phone-recipient">
          <SlotEditor
            key="phone"
            label="Phone number"
            value={draft.phone.phone}
            onChange={(v) => setDraft((d) => ({ ...d, phone: { ...(d.phone ?? { botId: '', defaultCountry: '' }), phone: v } }))}
            headers={headers}
            required
            testId="slot-phone"
            hint="The column with each contact’s number, in any format: 07911 123456, +44 7911 123456 and 0044 7911 123456 are one number. Each number gets the message once."
          />
          <div className="form-row">
            <BotIdField value={draft.phone.botId} lookupError={lookupError?.field === 'recipient.botId' ? lookupError.message : undefined} onChange={(botId) => setDraft((d) => ({ ...d, phone: { ...(d.phone ?? { phone: '', defaultCountry: '' }), botId } }))} />
            <CountryPicker
              label="Default country"
              testId="default-country"
              value={draft.phone.defaultCountry}
              problem={countryProblem(draft.phone.defaultCountry)}
              hint="For numbers written without a country code, such as 030 9876543."
              onChange={(defaultCountry) => setDraft((d) => ({ ...d, phone: { ...(d.phone ?? { phone: '', botId: '' }), defaultCountry } }))}
            />
          </div>
          {lookupError !== undefined && lookupError.field !== 'recipient.botId' && (
            <Banner tone="error" title="The conversations could not be looked up" testId="lookup-error">
              {lookupError.message}
            </Banner>
          )}
        </div>
      ) : (
        <SlotEditor
          key="conversation"
          label="Conversation id"
          value={draft.recipient}
          onChange={(v) => setDraft((d) => ({ ...d, recipient: v }))}
          headers={headers}
          required={draft.wire !== 'generic'}
          testId="slot-recipient"
          hint={draft.wire === 'generic' ? 'Leave empty to start a new conversation for each contact.' : 'The column holding each contact’s conversation id.'}
        />
      )}
    </Card>
  );
}

const actions: { value: DraftAction | 'send'; label: string; hint: string }[] = [
  { value: 'send', label: 'Send a message', hint: 'The same message to every contact, filled from the columns' },
  { value: 'trigger', label: 'Trigger the agent', hint: 'The AI agent writes to each contact from a prompt; active conversations only' },
  { value: 'setCredits', label: 'Set credits', hint: 'Set each conversation’s credits from a column; sends nothing' },
];

/** ActionPicker chooses what a Wassist campaign does per row; the body of the one left is kept for coming back. */
export function ActionPicker({ draft, setDraft, headers, onSwitched }: { draft: Draft; setDraft: SetDraft; headers: readonly string[]; onSwitched: () => void }): ReactElement {
  const current = draft.action ?? 'send';
  const pick = (next: DraftAction | 'send') => {
    if (next === current) return;
    setDraft((d) => switchAction(d, next, headers, matchHint(headers, 'credits')));
    onSwitched();
  };
  return <RadioCards label="For each contact" options={actions} value={current} onChange={pick} testIdPrefix="action" />;
}

/** BotIdField takes the agent's id, saying plainly when it is not one (a UUID) or the provider refused it. */
function BotIdField({ value, onChange, lookupError }: { value: string; onChange(v: string): void; lookupError: string | undefined }): ReactElement {
  const id = useId();
  const problem = value.trim() === '' ? undefined : (botIdProblem(value) ?? lookupError);
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        Agent (bot) id
      </label>
      <input
        id={id}
        className={`input${problem !== undefined ? ' input-invalid' : ''}`}
        data-testid="bot-id"
        value={value}
        placeholder="e.g. 6f1c9a2e-1b3d-4c5e-8f70-0a1b2c3d4e5f"
        spellCheck={false}
        aria-invalid={problem !== undefined}
        aria-describedby={`${id}-note`}
        onChange={(e) => onChange(e.target.value)}
      />
      <span id={`${id}-note`} className={problem !== undefined ? 'field-error' : 'muted small'} data-testid="bot-id-note">
        {problem ?? 'The numbers are looked up in this agent’s conversations before sending.'}
      </span>
    </div>
  );
}

/** ActionForm edits an action's body: the trigger's prompt, or the credits to set. */
export function ActionForm({ action, form }: { action: DraftAction; form: MessageFormProps }): ReactElement {
  if (action === 'trigger') {
    return (
      <div className="form-stack">
        <SlotAt form={form} path={['prompt']} label="Prompt for the agent" preferred="template" multiline required hint="What the agent should write to this contact, e.g. “Thank {{name}} for the order and ask how it went.”" />
      </div>
    );
  }
  return (
    <div className="form-stack">
      <SlotAt form={form} path={['credits']} label="Credits" required hint="A whole number per contact, usually a column. Each conversation’s credits are set to it." />
    </div>
  );
}

/** sendsFreeForm tells whether the campaign's message needs an active conversation (so a fallback matters). */
export function sendsFreeForm(draft: Draft): boolean {
  if (draft.wire !== 'wassist' || draft.action === 'setCredits') return false;
  if (draft.action === 'trigger') return true;
  return draft.message.type !== 'template';
}

/** FallbackCard edits the template sent to inactive conversations (with the template form), or says they are skipped. */
export function FallbackCard({ draft, setDraft, headers }: { draft: Draft; setDraft: SetDraft; headers: readonly string[] }): ReactElement {
  const fallback = draft.fallback;
  const on = fallback !== undefined && draft.onInactive !== 'skip';
  const form: MessageFormProps = {
    message: { type: 'template', template: fallback ?? { name: '' } },
    headers,
    onChange: (update) =>
      setDraft((d) => {
        const next = update({ type: 'template', template: d.fallback ?? { name: '' } });
        return { ...d, fallback: isJsonObject(next.template as JsonObject) ? (next.template as JsonObject) : { name: '' } };
      }),
  };
  const toggle = (checked: boolean) =>
    setDraft((d) => {
      const { onInactive: _o, fallback: _f, ...rest } = d;
      return checked ? { ...rest, fallback: d.fallback ?? { name: '', variables: { body: [] } } } : rest;
    });
  return (
    <Card title="Inactive conversations" testId="fallback-card">
      <p className="muted small">
        WhatsApp accepts this message only in conversations active in the last 24 hours. Each conversation is checked before sending; the preview and the report show which rows take the fallback.
      </p>
      <label className="check">
        <input type="checkbox" checked={on} data-testid="toggle-fallback" onChange={(e) => toggle(e.target.checked)} />
        <span>Send a template to inactive conversations instead of skipping them</span>
      </label>
      {on ? (
        <div className="optional-body" data-testid="fallback-form">
          <TemplateForm form={form} />
        </div>
      ) : (
        <p className="muted small" data-testid="fallback-off">Inactive conversations are skipped, with the reason in the report.</p>
      )}
    </Card>
  );
}
