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
