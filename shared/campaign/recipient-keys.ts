import { normalizePhone } from './phone';

/**
 * Recipient keys: how the workspace's opt-out list and message history name a recipient, whatever
 * campaign reached it. A phone number is its E.164 form (the same rules as phone recipients, so
 * `07911 123456` in an opt-out file and `+44 7911 123456` in a contacts file are one person), a
 * conversation is its id as the provider wrote it, and any other key (an e-mail, a CRM id) is its
 * trimmed, lower-cased text. Each key carries its kind as a prefix, so a conversation id that
 * happens to look like a number never matches a phone entry.
 */

export const optOutKinds = ['phone', 'conversation', 'key'] as const;
/** OptOutKind says what an opt-out entry names: a phone number, a conversation, or another recipient key. */
export type OptOutKind = (typeof optOutKinds)[number];

export const optOutSources = ['imported', 'manual', 'reply'] as const;
/** OptOutSource says where an entry came from: an imported file, a person adding it, or a reply that asked to stop. */
export type OptOutSource = (typeof optOutSources)[number];

/** sourceLabel is a source as the skip reason and the lists word it. */
export function sourceLabel(source: OptOutSource): string {
  switch (source) {
    case 'imported':
      return 'imported';
    case 'manual':
      return 'added by hand';
    case 'reply':
      return 'detected from a reply';
  }
}

/** KEY_PREFIX is each kind's prefix: a key is its prefix and its normalised value. */
export const KEY_PREFIX: Readonly<Record<OptOutKind, string>> = { phone: 'p:', conversation: 'c:', key: 'k:' };
const PREFIX = KEY_PREFIX;

/** phoneKey is the key of an E.164 number. */
export function phoneKey(e164: string): string {
  return PREFIX.phone + e164;
}

/** conversationKey is the key of a conversation id. */
export function conversationKey(id: string): string {
  return PREFIX.conversation + id.trim();
}

/** otherKey is the key of any other recipient value (an e-mail, a customer id): trimmed and lower-cased. */
export function otherKey(value: string): string {
  return PREFIX.key + value.trim().toLowerCase();
}

/** NormalizedValue is a value turned into its key, or why it cannot be one. */
export type NormalizedValue = { ok: true; key: string; value: string } | { ok: false; reason: string };

/**
 * normalizeOptOutValue reads what a person typed or a file holds as an entry of `kind`: a phone
 * number is normalised to E.164 (a number without a country code takes `defaultCountry`). Without
 * one, `00…` and digits not starting with 0 are read as international, as opt-out exports write
 * them (`447911123456`, WhatsApp's form).
 */
export function normalizeOptOutValue(kind: OptOutKind, text: string, defaultCountry?: string): NormalizedValue {
  const t = text.trim();
  if (t === '') return { ok: false, reason: 'is empty' };
  if (kind === 'phone') {
    let number = t;
    if (defaultCountry === undefined) {
      const compact = t.replace(/[\s().-]/g, '');
      if (compact.startsWith('00')) number = `+${compact.slice(2)}`;
      else if (/^[1-9]\d{6,14}$/.test(compact)) number = `+${compact}`;
    }
    const r = normalizePhone(number, defaultCountry);
    if (r.ok) return { ok: true, key: phoneKey(r.e164), value: r.e164 };
    return { ok: false, reason: r.reason.replace('or set recipient.defaultCountry', 'or give the country of numbers written without one') };
  }
  if (t.length > 500) return { ok: false, reason: 'is longer than 500 characters' };
  if (kind === 'conversation') return { ok: true, key: conversationKey(t), value: t };
  return { ok: true, key: otherKey(t), value: t.toLowerCase() };
}

/** dayOf writes a time as its UTC date, `2026-03-14`. */
export function dayOf(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** minuteOf writes a time to the minute in UTC, `2026-03-14 09:12 UTC`. */
export function minuteOf(at: number): string {
  return `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** optedOutReason is the `error` of a row skipped because its recipient opted out: `opted out on <date> (<source>)`. */
export function optedOutReason(at: number, source: OptOutSource): string {
  return `opted out on ${dayOf(at)} (${sourceLabel(source)})`;
}

/** FrequencyCap is the workspace's limit: at most `messages` campaign messages per recipient in any `hours`. */
export interface FrequencyCap {
  messages: number;
  hours: number;
}

/** describePeriod words a cap's period: `24 h`, `7 days`. */
export function describePeriod(hours: number): string {
  return hours % 24 === 0 && hours > 24 ? `${hours / 24} days` : `${hours} h`;
}

/** describeCap words a cap: `1 message per 24 h`. */
export function describeCap(cap: FrequencyCap): string {
  return `${cap.messages} ${cap.messages === 1 ? 'message' : 'messages'} per ${describePeriod(cap.hours)}`;
}

/** cappedReason is the `error` of a row over the frequency cap, with the date of the earlier message. */
export function cappedReason(cap: FrequencyCap, lastAt: number): string {
  return `over the frequency cap (${describeCap(cap)}): last messaged on ${minuteOf(lastAt)}`;
}

/** cappedInRunReason is the `error` of a row whose recipient an earlier row of the same run already messages up to the cap. */
export function cappedInRunReason(cap: FrequencyCap, earlierRow: number): string {
  return `over the frequency cap (${describeCap(cap)}): row ${earlierRow} of this campaign messages the same recipient`;
}

/**
 * parseFrequencyCap reads `N/PERIOD` (`1/24h`, `3/7d`) or `off`; null for off, a string saying
 * what is wrong otherwise.
 */
export function parseFrequencyCap(text: string): FrequencyCap | null | string {
  const t = text.trim().toLowerCase();
  if (t === 'off' || t === 'none' || t === '0') return null;
  const m = /^(\d{1,4})\s*\/\s*(\d{1,4})\s*(h|d)$/.exec(t);
  if (m === null) return `must be N/PERIOD such as 1/24h or 2/7d, or off; got "${text}"`;
  const messages = Number(m[1]);
  const hours = Number(m[2]) * (m[3] === 'd' ? 24 : 1);
  if (messages < 1 || messages > 1000) return 'the number of messages must be 1 to 1000';
  if (hours < 1 || hours > 24 * 366) return 'the period must be 1 hour to 366 days';
  return { messages, hours };
}
