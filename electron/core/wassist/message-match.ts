import type { JsonObject, JsonValue } from '../../../shared/json';
import { isJsonObject } from '../../../shared/json';

/**
 * How a Wassist message listed by `GET …/messages/` is compared with the SendMessageInput body we
 * POSTed. The listing's shapes are documented only through the SDK's Message type (a `type`, a
 * `role`, and one content object per type: `text.body`, `template`, `ctaButton` or `cta`…), so the
 * comparison is three-valued and errs towards doubt:
 * - `same`: the message is an assistant message whose content object carries every field we sent
 *   with the same value (the server adds ids and other fields; those are ignored);
 * - `different`: it is provably another message (another role, a documented type our message
 *   cannot have, or a field we sent with another value);
 * - `incomparable`: it could be ours but does not show the fields we need (an undocumented
 *   rendering, e.g. of a unified message). One such message in the time window is enough to make
 *   the whole answer `unknown`: we only say "not delivered" when every candidate is provably different.
 */
export type Comparison = 'same' | 'different' | 'incomparable';

/** Expectation is what our body should look like in the listing. */
interface Expectation {
  /** Listed `type` values our message can have. */
  types: readonly string[];
  /** Whether a listed message of another documented type is provably not ours. */
  strictType: boolean;
  /** Keys of the content object, in the order to try. */
  keys: readonly string[];
  /** [field of the content object, value we sent]; undefined values are not compared. */
  fields: ReadonlyArray<readonly [string, JsonValue | undefined]>;
}

function obj(v: JsonValue | undefined): JsonObject {
  return isJsonObject(v) ? v : {};
}

/** expectationOf reads what to look for from the body we sent; undefined for a body we cannot match. */
export function expectationOf(body: JsonObject | undefined): Expectation | undefined {
  if (body === undefined) return undefined;
  switch (body.type) {
    case 'text':
      return { types: ['text'], strictType: true, keys: ['text'], fields: [['body', obj(body.text).body]] };
    case 'template': {
      const t = obj(body.template);
      return { types: ['template'], strictType: true, keys: ['template'], fields: [['name', t.name], ['variables', t.variables]] };
    }
    case 'cta': {
      const c = obj(body.cta);
      // The SDK calls it `ctaButton` with the body in `text`; the send endpoint's echo calls it `cta`.
      return {
        types: ['cta', 'cta_button'],
        strictType: true,
        keys: ['ctaButton', 'cta'],
        fields: [['text', c.body], ['buttonText', c.buttonText], ['url', c.url]],
      };
    }
    case 'unified': {
      const u = obj(body.unified);
      // How a unified message is listed is not documented: never provably different by type.
      return { types: ['unified'], strictType: false, keys: ['unified'], fields: [['text', u.text], ['footer', u.footer], ['media', u.media], ['buttons', u.buttons]] };
    }
    default:
      return undefined;
  }
}

/** compareMessage compares one listed message with what we sent. */
export function compareMessage(listed: JsonObject, expected: Expectation): Comparison {
  if (typeof listed.role === 'string' && listed.role !== 'assistant') return 'different';
  let content: JsonObject | undefined;
  for (const key of expected.keys) {
    const v = listed[key];
    if (isJsonObject(v)) {
      content = v;
      break;
    }
  }
  if (content === undefined) {
    const type = listed.type;
    if (expected.strictType && typeof type === 'string' && documentedTypes.has(type) && !expected.types.includes(type)) return 'different';
    return 'incomparable';
  }
  let missing = false;
  for (const [field, want] of expected.fields) {
    if (want === undefined) continue;
    const got = content[field];
    if (got === undefined) missing = true;
    else if (canonical(got) !== canonical(want)) return 'different';
  }
  return missing ? 'incomparable' : 'same';
}

/** The listed `type` values the SDK documents. */
const documentedTypes = new Set(['text', 'image', 'cta_button', 'list_selection', 'template', 'cta', 'unified']);

/** canonical is JSON with sorted keys, so key order does not make equal values differ. */
function canonical(v: JsonValue): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isJsonObject(v)) {
    return `{${Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k] as JsonValue)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** ListedMessage is a listed message with its id and creation time (ms; undefined when absent or unreadable). */
export interface ListedMessage {
  id: string;
  createdAt: number | undefined;
  createdAtText: string | undefined;
  raw: JsonObject;
}

/** Verdict of a whole listing for one row. */
export type ListingVerdict =
  | { kind: 'delivered'; message: ListedMessage }
  | { kind: 'not-delivered' }
  | { kind: 'unknown'; reason: string };

/**
 * judgeListing looks for our message among every message of the conversation. A message counts
 * only when it was created at or after `since` (the attempt's start minus the clock-skew
 * allowance: our clock and the provider's may disagree by that much, so an older message cannot be
 * this attempt's) and its id is not already held by another row (`claimed`). Among those:
 * one or more `same` → delivered, with the earliest (a second identical one would be an earlier
 * duplicate, not another row's); otherwise any `incomparable` one, or a `same` one whose time we
 * cannot read → unknown; otherwise → not delivered.
 */
export function judgeListing(messages: readonly ListedMessage[], expected: Expectation, since: number, claimed: ReadonlySet<string>): ListingVerdict {
  let best: ListedMessage | undefined;
  let doubtful = 0;
  for (const m of messages) {
    if (m.createdAt !== undefined && m.createdAt < since) continue;
    if (claimed.has(m.id)) continue;
    const c = compareMessage(m.raw, expected);
    if (c === 'different') continue;
    if (c === 'same' && m.createdAt !== undefined) {
      if (best === undefined || (best.createdAt as number) > m.createdAt) best = m;
    } else {
      doubtful++;
    }
  }
  if (best !== undefined) return { kind: 'delivered', message: best };
  if (doubtful > 0) return { kind: 'unknown', reason: `${doubtful} message(s) in the conversation since the attempt could be this one but cannot be compared` };
  return { kind: 'not-delivered' };
}

/** listedMessage reads one item of a listing; undefined when it has no id. */
export function listedMessage(item: unknown): ListedMessage | undefined {
  if (!isJsonObject(item) || typeof item.id !== 'string' || item.id === '') return undefined;
  const text = typeof item.createdAt === 'string' ? item.createdAt : undefined;
  const ms = text === undefined ? Number.NaN : Date.parse(text);
  return { id: item.id, createdAt: Number.isNaN(ms) ? undefined : ms, createdAtText: text, raw: item };
}
