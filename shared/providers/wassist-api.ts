import { z } from 'zod';
import { pathSegment, segmentProblem } from './rules';

/**
 * Every Wassist conversation REST path and the parsers of what those endpoints answer, in one place.
 *
 * The documents give one REST path (`POST /api/v1/conversations/{id}/messages/`, which the OpenAPI
 * page also describes as "Get or send messages", so `GET` on it lists them) and only SDK calls for
 * the rest. The other paths below are ASSUMPTIONS derived from that endpoint's conventions (Django
 * REST framework routes under `/api/v1/conversations/`, a trailing slash on every route, `X-API-Key`):
 * - list      `GET  /api/v1/conversations/?botId=&active=&offset=&limit=` (the SDK's filter names as query
 *             parameters; DRF limit/offset paging)
 * - get       `GET  /api/v1/conversations/{id}/`
 * - messages  `GET  /api/v1/conversations/{id}/messages/`
 * - trigger   `POST /api/v1/conversations/{id}/trigger/`  body `{prompt}`
 * - credits   `POST /api/v1/conversations/{id}/credits/`  body `{credits}` (an integer)
 * List answers are read in both shapes seen in the wild: a bare JSON array, or a DRF page
 * `{count, next, previous, results: [...]}`.
 *
 * Reading a conversation's messages for engagement (delivered, read, clicked, replied), the
 * documents leave these open; the readings below are ours, and the strict test server follows them
 * (electron/core/sandbox/wassist-conversations-sim.ts):
 * - paging    `GET …/messages/` with no query answers every message as a bare array (the SDK's
 *             getMessages: "Retrieve all messages", no paging parameters). With `?limit=&offset=` it
 *             answers a DRF LimitOffsetPagination page (as the conversation list does; DRF pages only
 *             when `limit` is given if no PAGE_SIZE is set, which reconciles the two). A server that
 *             ignores them answers the bare array, read whole under a larger response cap.
 * - page size MESSAGE_PAGE_LIMIT (100, DRF's usual max_limit, as the list); a smaller page is followed
 *             through its `next` offsets.
 * - order     oldest first (createdAt ascending: the order a chat reads and the SDK example prints),
 *             append-only, so a message keeps its position (offset) once listed.
 * - replies   a user's message has role `user`; its text is `text.body` (SDK) or `text` as a string
 *             (the OpenAPI page declares it a string), else an image caption or a button reply's title.
 *             `replyTo` (a read-only string in OpenAPI, absent from the SDK) is not relied upon: a
 *             reply is the first user message listed after ours.
 * - clicks    a `clicks` array of `{id, createdAt}` on the message's button content: `ctaButton` (SDK)
 *             or `cta` (the current OpenAPI name); assumed alike on `template` and `unified` messages
 *             with link buttons. A listing without `clicks` means the message counts no clicks.
 */

function seg(id: string): string {
  return pathSegment(id);
}

/** ConversationQuery is the list endpoint's filters (the SDK's names) and its paging. */
export interface ConversationQuery {
  botId?: string;
  active?: boolean;
  offset: number;
  limit: number;
}

/** wassistPaths builds every Wassist conversation path (relative to the base URL, starting with `/`). */
export const wassistPaths = {
  /** List a bot's conversations, one page. */
  conversations(q: ConversationQuery): string {
    const params: string[] = [];
    if (q.botId !== undefined) params.push(`botId=${encodeURIComponent(q.botId)}`);
    if (q.active !== undefined) params.push(`active=${String(q.active)}`);
    params.push(`offset=${q.offset}`, `limit=${q.limit}`);
    return `/api/v1/conversations/?${params.join('&')}`;
  },
  /** One conversation (its `active` flag tells whether free-form messages are accepted). */
  conversation: (id: string): string => `/api/v1/conversations/${seg(id)}/`,
  /** A conversation's messages: POST sends one, GET lists them (documented). */
  messages: (id: string): string => `/api/v1/conversations/${seg(id)}/messages/`,
  /** One page of a conversation's messages, oldest first (assumed: DRF limit/offset paging, see above). */
  messagesPage: (id: string, offset: number, limit: number): string => `/api/v1/conversations/${seg(id)}/messages/?limit=${limit}&offset=${offset}`,
  /** Trigger the agent with a prompt. */
  trigger: (id: string): string => `/api/v1/conversations/${seg(id)}/trigger/`,
  /** Set the conversation's credit balance. */
  credits: (id: string): string => `/api/v1/conversations/${seg(id)}/credits/`,
} as const;

/** conversationSchema is the SDK's Conversation, reading only what we use; unknown fields are allowed. */
export const conversationSchema = z.object({
  // Ids go into URL paths: one the API answered that is not a plain segment (`..`) is not used.
  id: z.string().min(1).refine((id) => segmentProblem(id) === undefined, 'is not a plain conversation id'),
  active: z.boolean(),
  number: z.string().nullable().optional(),
  credits: z.number().optional(),
  chatWindowRemainingTime: z.number().nullable().optional(),
  bot: z.object({ id: z.string(), name: z.string().optional() }).nullable().optional(),
  updatedAt: z.string().optional(),
});
export type WassistConversation = z.infer<typeof conversationSchema>;

/** messageStatuses are the documented values of Message.status (null = not known yet). */
export const messageStatuses = ['sent', 'delivered', 'read', 'failed'] as const;
export type MessageStatus = (typeof messageStatuses)[number];

/** messageSchema is the SDK's Message, reading only what we use. */
export const messageSchema = z.object({
  id: z.string().min(1),
  role: z.string().optional(),
  type: z.string().optional(),
  status: z.string().nullable().optional(),
  createdAt: z.string().optional(),
});
export type WassistListedMessage = z.infer<typeof messageSchema>;

/** MESSAGE_PAGE_LIMIT is the page size asked for when reading messages (assumed DRF max_limit). */
export const MESSAGE_PAGE_LIMIT = 100;

/**
 * MESSAGE_LIST_MAX_BYTES caps one answer of a message read: a page of long messages (an agent's
 * thinking included), or a whole unpaged history, read as one answer. The transport's default
 * (1 MiB) would refuse a long conversation outright.
 */
export const MESSAGE_LIST_MAX_BYTES = 64 * 1024 * 1024;

const lenient = <T extends z.ZodType>(t: T) => t.nullish().catch(undefined);
const buttonContent = z.object({ clicks: z.array(z.unknown()) });
const textContent = z.union([z.string(), z.object({ body: z.string().nullish() })]);
const titled = z.union([z.string(), z.object({ title: z.string().nullish(), text: z.string().nullish(), body: z.string().nullish() })]);

/**
 * listedMessageSchema is a listed Message as engagement reads it: what tells its status, its
 * clicks and a user's text. Every content field is lenient (a shape we do not expect is ignored,
 * not fatal), since only the fields above are documented.
 */
export const listedMessageSchema = z.object({
  id: z.string().min(1),
  role: lenient(z.string()),
  type: lenient(z.string()),
  status: lenient(z.string()),
  createdAt: lenient(z.string()),
  text: lenient(textContent),
  image: lenient(z.object({ caption: z.string().nullish() })),
  quickReply: lenient(titled),
  listSelection: lenient(titled),
  ctaButton: lenient(buttonContent),
  cta: lenient(buttonContent),
  template: lenient(buttonContent),
  unified: lenient(buttonContent),
});
export type ListedMessage = z.infer<typeof listedMessageSchema>;

/** timeOf is a listed time in ms since the epoch (undefined when absent or not a date). */
export function timeOf(iso: string | null | undefined): number | undefined {
  if (iso === null || iso === undefined) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

/** isUserMessage tells a recipient's message from ours and the agent's. */
export function isUserMessage(m: ListedMessage): boolean {
  return m.role === 'user';
}

/** userTextOf is what a user's message says ('' for media without a caption). */
export function userTextOf(m: ListedMessage): string {
  const t = m.text;
  if (typeof t === 'string') return t;
  if (t?.body) return t.body;
  if (m.image?.caption) return m.image.caption;
  for (const b of [m.quickReply, m.listSelection]) {
    if (typeof b === 'string') return b;
    const words = b?.title ?? b?.text ?? b?.body;
    if (words) return words;
  }
  return '';
}

/** Clicks is what a message's button counted: how many clicks, and the first one's time (ms). */
export interface Clicks {
  count: number;
  firstAt?: number;
}

/**
 * clicksOf reads a message's clicks made before `before` (ms; a click without a time counts);
 * undefined when its listing carries no click data at all.
 */
export function clicksOf(m: ListedMessage, before = Number.POSITIVE_INFINITY): Clicks | undefined {
  const content = m.ctaButton ?? m.cta ?? m.template ?? m.unified;
  if (content === null || content === undefined) return undefined;
  let count = 0;
  let firstAt: number | undefined;
  for (const c of content.clicks) {
    const raw = typeof c === 'object' && c !== null ? (c as { createdAt?: unknown }).createdAt : undefined;
    const at = typeof raw === 'string' ? timeOf(raw) : undefined;
    if (at !== undefined && at >= before) continue;
    count++;
    if (at !== undefined && (firstAt === undefined || at < firstAt)) firstAt = at;
  }
  return firstAt === undefined ? { count } : { count, firstAt };
}

/** Page is one answer of a list endpoint, whatever its shape. */
export interface Page<T> {
  items: T[];
  /** Items of the answer that did not parse (counted, not fatal). */
  invalid: number;
  /** `array` for a bare array, `page` for a DRF page. */
  shape: 'array' | 'page';
  /** DRF's total count, when given. */
  count?: number;
  /** Whether DRF says another page follows (undefined for a bare array). */
  hasNext?: boolean;
}

const pageEnvelope = z.object({
  results: z.array(z.unknown()),
  count: z.number().int().min(0).optional(),
  next: z.string().nullable().optional(),
});

/**
 * parsePage reads a list answer: a bare array or a `{results}` page. Items that do not match
 * `item` are counted in `invalid` rather than failing the page; an answer of any other shape
 * throws an Error that says what came back.
 */
export function parsePage<T>(json: unknown, item: z.ZodType<T>): Page<T> {
  let raw: unknown[];
  const out: Page<T> = { items: [], invalid: 0, shape: 'array' };
  if (Array.isArray(json)) {
    raw = json;
  } else {
    const env = pageEnvelope.safeParse(json);
    if (!env.success) throw new Error(`expected a list or a page with "results", got ${describeJson(json)}`);
    raw = env.data.results;
    out.shape = 'page';
    if (env.data.count !== undefined) out.count = env.data.count;
    if (env.data.next !== undefined) out.hasNext = env.data.next !== null;
  }
  for (const r of raw) {
    const p = item.safeParse(r);
    if (p.success) out.items.push(p.data);
    else out.invalid++;
  }
  return out;
}

/** parseConversation reads the answer of `get` (throws an Error saying what is wrong). */
export function parseConversation(json: unknown): WassistConversation {
  const p = conversationSchema.safeParse(json);
  if (!p.success) throw new Error(`expected a conversation, got ${describeJson(json)}`);
  return p.data;
}

/** deliveryStatusOf maps a listed Message.status to ours; anything else (null, unknown words) is undefined. */
export function deliveryStatusOf(status: string | null | undefined): MessageStatus | undefined {
  return (messageStatuses as readonly (string | null | undefined)[]).includes(status) ? (status as MessageStatus) : undefined;
}

function describeJson(v: unknown): string {
  if (v === undefined) return 'no JSON';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') {
    const keys = Object.keys(v).slice(0, 5);
    return keys.length === 0 ? 'an empty object' : `an object with ${keys.map((k) => `"${k}"`).join(', ')}`;
  }
  return typeof v;
}
