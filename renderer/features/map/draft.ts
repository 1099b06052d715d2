import type { JsonObject } from '../../../shared/json';
import { isJsonObject } from '../../../shared/json';
import type { WireKind } from '../../../shared/providers/types';
import type { Profile } from '../../../shared/ipc/contract';
import { matchHint } from './auto-match';
import type { MessageKind } from './message-kinds';
import { defaultMessage, messageKindOf, messageKindsFor } from './message-kinds';
import { placeholder } from './slot';

/**
 * Draft is the campaign being edited: the parts of a campaign file the map step shows. It turns
 * into the campaign JSON (the same format the CLI reads) with the chosen profile's provider; a
 * file opened in the app becomes a draft again without losing the settings the form does not show.
 */
export interface Draft {
  name: string;
  /** The wire API the message is shaped for. */
  wire: WireKind;
  /** The conversation id template, usually `{{conversation_id}}`. */
  recipient: string;
  /** The provider request body with placeholders. */
  message: JsonObject;
  throttle: { concurrency: number; perSecond: number };
  /** The retry settings as the file holds them (the form edits `attempts`). */
  retry: JsonObject;
  /** Wassist: address rows by phone number (looked up in an agent's conversations) instead of a conversation id. */
  phone?: PhoneRecipient;
  /** Wassist: instead of sending `message`, trigger the agent with a prompt or set credits (`message` is then that action's body). */
  action?: DraftAction;
  /** Wassist: the template sent to rows whose conversation is inactive (outside the 24-hour window). */
  fallback?: JsonObject;
  /** Wassist: what to do with inactive conversations, as the file says it. */
  onInactive?: 'skip' | 'fallback';
  /** Pingback: the files each message attaches (names of picked files, `{{column}}` for a file per row), as the file's `files`. */
  files?: string[];
  /** Wassist: `false` when the file opts out of checking conversations before sending (kept as the file says it). */
  checkConversations?: boolean;
  /**
   * Bodies typed for the other message types and actions, kept while another is chosen so that
   * switching Text -> CTA -> Text gives the text back. Not part of the campaign file.
   */
  bodies?: Partial<Record<BodyKey, JsonObject>>;
}

/** BodyKey names a body the draft keeps: a message type's, the message while an action is chosen (`send`), an action's. */
export type BodyKey = MessageKind | DraftAction | 'send';

/**
 * switchKind chooses another message type: the body typed so far is kept for its type, and the
 * one kept for the chosen type comes back (else a new one pre-filled from the headers).
 */
export function switchKind(draft: Draft, kind: MessageKind, headers: readonly string[]): Draft {
  const from = messageKindOf(draft.wire, draft.message);
  if (from === kind) return draft;
  const { [kind]: kept, ...others } = draft.bodies ?? {};
  return { ...draft, message: kept ?? defaultMessage(kind, headers), bodies: { ...others, [from]: draft.message } };
}

/**
 * switchAction chooses what a Wassist campaign does per row, keeping the body of the action (or the
 * message) left and bringing back the one kept for the action chosen.
 */
export function switchAction(draft: Draft, action: DraftAction | 'send', headers: readonly string[], credits?: string): Draft {
  const from: BodyKey = draft.action ?? 'send';
  if (from === action) return draft;
  const { [action]: kept, ...others } = draft.bodies ?? {};
  const bodies = { ...others, [from]: draft.message };
  const { action: _action, ...rest } = draft;
  if (action === 'send') return { ...rest, message: kept ?? defaultMessage(messageKindsFor(draft.wire)[0]?.kind ?? 'template', headers), bodies };
  const fresh: JsonObject = action === 'trigger' ? { prompt: '' } : { credits: credits === undefined ? '' : placeholder(credits) };
  return { ...rest, action, message: kept ?? fresh, bodies };
}

/** PhoneRecipient is the phone-number recipient: the number template, the agent, the country of numbers written without a code. */
export interface PhoneRecipient {
  phone: string;
  botId: string;
  defaultCountry: string;
}

/** DraftAction is what a Wassist campaign does per row besides sending a message. */
export type DraftAction = 'trigger' | 'setCredits';

/** wireOf names the wire API of a provider config (the simulated one for the sandbox). */
export function wireOf(provider: Profile['provider']): WireKind {
  return provider.kind === 'sandbox' ? provider.simulate : provider.kind;
}

/** newDraft starts a campaign for a wire API, pre-filled from the CSV headers. */
export function newDraft(wire: WireKind, headers: readonly string[], name = ''): Draft {
  const first = messageKindsFor(wire)[0];
  const recipientColumn = matchHint(headers, 'recipient');
  return {
    name,
    wire,
    recipient: recipientColumn === undefined ? '' : placeholder(recipientColumn),
    message: defaultMessage(first?.kind ?? 'template', headers),
    throttle: { concurrency: 4, perSecond: 20 },
    retry: { attempts: 5 },
  };
}

/** draftToSpec writes the campaign JSON for a draft sent through `provider`. */
export function draftToSpec(draft: Draft, provider: Profile['provider']): JsonObject {
  const spec: JsonObject = {};
  if (draft.name.trim() !== '') spec.name = draft.name.trim();
  spec.provider = provider as unknown as JsonObject;
  if (draft.wire === 'wassist' && draft.phone !== undefined) {
    const r: JsonObject = { phone: draft.phone.phone, botId: draft.phone.botId };
    if (draft.phone.defaultCountry.trim() !== '') r.defaultCountry = draft.phone.defaultCountry.trim();
    spec.recipient = r;
  } else {
    spec.recipient = draft.recipient === '' ? {} : { conversationId: draft.recipient };
  }
  if (draft.wire === 'wassist' && draft.action !== undefined) spec.action = draft.action;
  spec.message = draft.message;
  if (draft.wire === 'wassist' && draft.fallback !== undefined && draft.action !== 'setCredits') spec.fallback = { template: draft.fallback };
  if (draft.wire === 'wassist' && draft.onInactive !== undefined && draft.action !== 'setCredits') spec.onInactive = draft.onInactive;
  if (draft.wire === 'pingback' && draft.files !== undefined && draft.files.length > 0) spec.files = [...draft.files];
  if (draft.wire === 'wassist' && draft.checkConversations !== undefined) spec.checkConversations = draft.checkConversations;
  spec.throttle = { ...draft.throttle };
  spec.retry = draft.retry;
  return spec;
}

function num(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

/**
 * specToDraft reads a campaign file's JSON into a draft. The file is checked for real by main
 * (`campaign:validate`); here only its shape matters, and anything unreadable falls back to defaults.
 */
export function specToDraft(raw: Record<string, unknown>, fallbackWire: WireKind): Draft {
  const provider = isJsonObject(raw.provider as JsonObject) ? (raw.provider as JsonObject) : {};
  const kind = provider.kind;
  let wire: WireKind = fallbackWire;
  if (kind === 'wassist' || kind === 'pingback' || kind === 'generic') wire = kind;
  else if (kind === 'sandbox') {
    const sim = provider.simulate;
    wire = sim === 'pingback' || sim === 'generic' ? sim : 'wassist';
  }
  const recipient = isJsonObject(raw.recipient as JsonObject) ? (raw.recipient as JsonObject) : {};
  const throttle = isJsonObject(raw.throttle as JsonObject) ? (raw.throttle as JsonObject) : {};
  const retry = isJsonObject(raw.retry as JsonObject) ? (raw.retry as JsonObject) : { attempts: 5 };
  const draft: Draft = {
    name: typeof raw.name === 'string' ? raw.name : '',
    wire,
    recipient: typeof recipient.conversationId === 'string' ? recipient.conversationId : '',
    message: isJsonObject(raw.message as JsonObject) ? (raw.message as JsonObject) : {},
    throttle: { concurrency: num(throttle.concurrency, 4), perSecond: num(throttle.perSecond, 20) },
    retry,
  };
  if (wire === 'pingback' && Array.isArray(raw.files)) draft.files = raw.files.filter((f): f is string => typeof f === 'string');
  if (wire !== 'wassist') return draft;
  if (typeof recipient.phone === 'string') {
    draft.phone = { phone: recipient.phone, botId: str(recipient.botId), defaultCountry: str(recipient.defaultCountry) };
  }
  if (raw.action === 'trigger' || raw.action === 'setCredits') draft.action = raw.action;
  const fallback = isJsonObject(raw.fallback as JsonObject) ? (raw.fallback as JsonObject) : undefined;
  if (fallback !== undefined && isJsonObject(fallback.template as JsonObject)) draft.fallback = fallback.template as JsonObject;
  if (raw.onInactive === 'skip' || raw.onInactive === 'fallback') draft.onInactive = raw.onInactive;
  if (typeof raw.checkConversations === 'boolean') draft.checkConversations = raw.checkConversations;
  return draft;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** providerOfSpec returns the provider block of a campaign JSON, when it has one. */
export function providerOfSpec(raw: Record<string, unknown>): JsonObject | undefined {
  return isJsonObject(raw.provider as JsonObject) ? (raw.provider as JsonObject) : undefined;
}
