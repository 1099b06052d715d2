import type { ReactElement } from 'react';
import type { JsonObject } from '../../../shared/json';
import { isJsonObject } from '../../../shared/json';
import { Card } from '../../ui/kit';
import { matchHeader } from './auto-match';
import type { Draft, DraftAction } from './draft';
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

const phoneHeaders = ['phone', 'phone_number', 'mobile', 'msisdn', 'whatsapp', 'whatsapp_number', 'number', 'tel', 'telephone'];

/** RecipientCard picks the recipient: a conversation id column, or a phone column with the agent and default country. */
export function RecipientCard({ draft, setDraft, headers }: { draft: Draft; setDraft: SetDraft; headers: readonly string[] }): ReactElement {
  const wassist = draft.wire === 'wassist';
  const byPhone = wassist && draft.phone !== undefined;
  const choosePhone = (on: boolean) =>
    setDraft((d) => {
      if (!on) {
        const { phone: _phone, ...rest } = d;
        return rest;
      }
      const column = matchHeader(headers, phoneHeaders);
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
            <label className="field">
              <span className="field-label">Agent (bot) id</span>
              <input
                className="input"
                data-testid="bot-id"
                value={draft.phone.botId}
                placeholder="e.g. 6f1c9a2e-1b3d-…"
                onChange={(e) => setDraft((d) => ({ ...d, phone: { ...(d.phone ?? { phone: '', defaultCountry: '' }), botId: e.target.value } }))}
              />
              <span className="muted small">The numbers are looked up in this agent’s conversations before sending.</span>
            </label>
            <label className="field">
              <span className="field-label">Default country</span>
              <input
                className="input"
                data-testid="default-country"
                value={draft.phone.defaultCountry}
                maxLength={2}
                placeholder="e.g. GB"
                onChange={(e) => setDraft((d) => ({ ...d, phone: { ...(d.phone ?? { phone: '', botId: '' }), defaultCountry: e.target.value.toUpperCase() } }))}
              />
              <span className="muted small">For numbers written without a country code (two letters).</span>
            </label>
          </div>
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

const actions: { action: DraftAction | 'send'; label: string; hint: string }[] = [
  { action: 'send', label: 'Send a message', hint: 'The same message to every contact, filled from the columns' },
  { action: 'trigger', label: 'Trigger the agent', hint: 'The AI agent writes to each contact from a prompt; active conversations only' },
  { action: 'setCredits', label: 'Set credits', hint: 'Set each conversation’s credits from a column; sends nothing' },
];

/** ActionPicker chooses what a Wassist campaign does per row; switching resets the message to the action's body. */
export function ActionPicker({ draft, setDraft, headers, onMessageReset }: { draft: Draft; setDraft: SetDraft; headers: readonly string[]; onMessageReset: (message: JsonObject) => void }): ReactElement {
  const current = draft.action ?? 'send';
  const pick = (next: DraftAction | 'send') => {
    if (next === current) return;
    if (next === 'send') {
      setDraft((d) => {
        const { action: _action, ...rest } = d;
        return rest;
      });
      onMessageReset({});
      return;
    }
    const credits = matchHeader(headers, ['credits', 'credit', 'balance', 'points']);
    const message: JsonObject = next === 'trigger' ? { prompt: '' } : { credits: credits === undefined ? '' : placeholder(credits) };
    setDraft((d) => ({ ...d, action: next, message }));
    onMessageReset(message);
  };
  return (
    <div className="field">
      <span className="field-label" id="action-label">For each contact</span>
      <div className="kind-grid" role="radiogroup" aria-labelledby="action-label">
        {actions.map((a) => (
          <button key={a.action} type="button" role="radio" aria-checked={current === a.action} className={`kind-option${current === a.action ? ' kind-option-on' : ''}`} data-testid={`action-${a.action}`} onClick={() => pick(a.action)}>
            <strong>{a.label}</strong>
            <span>{a.hint}</span>
          </button>
        ))}
      </div>
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
