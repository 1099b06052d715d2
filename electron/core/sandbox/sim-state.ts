import type { JsonObject } from '../../../shared/json';
import type { IdSource } from './ids';
import { cryptoIds } from './ids';

/**
 * The world a simulated provider API keeps: its conversations (which exist, which are active),
 * the messages delivered into each, and counters. The simulator reads and changes it; tests and
 * the mock server inspect it.
 */

/** SimMessage is one message the simulated API accepted. */
export interface SimMessage {
  id: string;
  /** Milliseconds since the epoch, from the state's clock. */
  at: number;
  /** The request body as the API received it. */
  request: JsonObject;
  /** The message object the API answered with (and lists later). */
  message: JsonObject;
  /** Wassist: set when the timeline makes this message fail instead of being delivered. */
  fails?: boolean;
}

/** SimUpload is one file the simulated API took (Pingback's upload): where, what, and the URL it answered. */
export interface SimUpload {
  url: string;
  conversationId: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  at: number;
}

/** SimConversation is one conversation of the simulated API. */
export interface SimConversation {
  id: string;
  /** Wassist accepts non-template messages only in active conversations. */
  active: boolean;
  number: string | null;
  messages: SimMessage[];
  /** Wassist: the agent the conversation belongs to. */
  botId: string;
  /** Wassist: the user's credit balance. */
  credits: number;
  createdAt: number;
  updatedAt: number;
}

/** ConversationSeed describes a conversation that exists before the first request. */
export interface ConversationSeed {
  id: string;
  active?: boolean;
  number?: string | null;
  /** Wassist: the agent; default the state's defaultBotId. */
  botId?: string;
  credits?: number;
}

/**
 * WassistSimOptions shapes the simulated Wassist conversation endpoints where the documents leave
 * it open, so tests can cover each possibility.
 */
export interface WassistSimOptions {
  /** List answers: a DRF page `{count, next, previous, results}` (default) or a bare array. */
  listShape?: 'page' | 'array';
  /**
   * Message list answers. `drf` (default, the reading of shared/providers/wassist-api.ts): every
   * message as a bare array when the request gives no `limit`, a DRF page when it does. `array`:
   * always the bare array, paging parameters ignored (a server without paging). `page`: always a
   * page, `defaultPageSize` when no `limit` is given.
   */
  messagesShape?: 'drf' | 'page' | 'array';
  /** Page size when the request gives no `limit`. Default 100. */
  defaultPageSize?: number;
  /** Larger `limit`s are capped to this, as DRF's max_limit does. Default 100. */
  maxPageSize?: number;
  /**
   * How sent messages' status moves on: `delivered` once `deliveredAfterMs` have passed, `read`
   * after `readAfterMs`; every `failEvery`-th message fails instead. Absent: a message stays
   * `sent` until a test sets its status (setMessageStatus).
   */
  statusTimeline?: { deliveredAfterMs?: number; readAfterMs?: number; failEvery?: number };
  /**
   * Simulated recipients (audience.ts): each message we send is delivered, read, clicked and
   * replied to (some replies opt out) over time, a function of its id. The sandbox turns it on.
   */
  audience?: boolean;
}

/** SimLog hears every change to a world that must outlive the process (the sandbox's world-log.ts). */
export interface SimLog {
  conversation(c: SimConversation): void;
  message(conversationId: string, m: SimMessage): void;
  credits(conversationId: string, credits: number): void;
}

/** SimOptions configures a simulated API. */
export interface SimOptions {
  /** The only key the API accepts; null accepts any key or none (the sandbox). Default null. */
  apiKey?: string | null;
  conversations?: readonly ConversationSeed[];
  /** Create any conversation on first use, active (the sandbox). Default false: unknown ids get 404. */
  autoCreateConversations?: boolean;
  /** Pingback: messages the plan allows this month. Default unlimited. */
  planLimit?: number;
  wassist?: WassistSimOptions;
  now?: () => number;
  ids?: IdSource;
}

/** SimCounters counts what the simulated API did. */
export interface SimCounters {
  requests: number;
  /** Messages accepted (every kind). */
  delivered: number;
  /** Pingback: messages counted against the plan this month. */
  planUsed: number;
}

/** SimState is the mutable world of one simulated API. */
export interface SimState {
  readonly apiKey: string | null;
  readonly conversations: Map<string, SimConversation>;
  readonly autoCreate: boolean;
  planLimit: number;
  readonly counters: SimCounters;
  readonly now: () => number;
  readonly ids: IdSource;
  /** Pingback: the authenticated agent every message is sent as. */
  readonly agentId: string;
  /** Generic: message ids handed out, so the short random ids never repeat. */
  readonly usedTokens: Set<string>;
  readonly wassist: WassistSimOptions;
  /** Wassist: the agent of conversations seeded without one (and auto-created ones). */
  readonly defaultBotId: string;
  /** Wassist: statuses set by tests, by message id; they win over the timeline. */
  readonly statusOverrides: Map<string, string>;
  /** Wassist: messages sent so far, for the timeline's failEvery. */
  sentCount: number;
  /** Hears changes that must be kept (the sandbox's persisted world); absent in tests. */
  log?: SimLog;
  /** Pingback: files uploaded, by the URL the upload answered, in order. */
  readonly uploads: Map<string, SimUpload>;
}

/** createSimState builds a world from options; see SimOptions for the defaults. */
export function createSimState(options: SimOptions = {}): SimState {
  const ids = options.ids ?? cryptoIds();
  const state: SimState = {
    apiKey: options.apiKey ?? null,
    conversations: new Map(),
    autoCreate: options.autoCreateConversations ?? false,
    planLimit: options.planLimit ?? Number.POSITIVE_INFINITY,
    counters: { requests: 0, delivered: 0, planUsed: 0 },
    now: options.now ?? Date.now,
    ids,
    agentId: ids.uuid(),
    usedTokens: new Set(),
    wassist: options.wassist ?? {},
    defaultBotId: '00000000-0000-4000-8000-000000000b07',
    statusOverrides: new Map(),
    sentCount: 0,
    uploads: new Map(),
  };
  for (const c of options.conversations ?? []) addConversation(state, c);
  return state;
}

/** addConversation adds (or replaces) a conversation; active unless said otherwise. */
export function addConversation(state: SimState, seed: ConversationSeed): SimConversation {
  const at = state.now();
  const conv: SimConversation = {
    id: seed.id,
    active: seed.active ?? true,
    number: seed.number ?? null,
    messages: [],
    botId: seed.botId ?? state.defaultBotId,
    credits: seed.credits ?? 0,
    createdAt: at,
    updatedAt: at,
  };
  state.conversations.set(seed.id, conv);
  state.log?.conversation(conv);
  return conv;
}

/** findConversation returns a conversation, creating it first when the state auto-creates. */
export function findConversation(state: SimState, id: string): SimConversation | undefined {
  const found = state.conversations.get(id);
  if (found !== undefined || !state.autoCreate) return found;
  return addConversation(state, { id });
}

/** uniqueToken draws a `prefix` token not handed out before by this state. */
export function uniqueToken(state: SimState, prefix: string, length: number): string {
  for (;;) {
    const t = state.ids.token(prefix, length);
    if (!state.usedTokens.has(t) && !state.conversations.has(t)) {
      state.usedTokens.add(t);
      return t;
    }
  }
}

/** deliver records an accepted message in its conversation. */
export function deliver(state: SimState, conv: SimConversation, msg: SimMessage): void {
  conv.messages.push(msg);
  conv.updatedAt = msg.at;
  state.counters.delivered++;
  state.log?.message(conv.id, msg);
}

/**
 * addUserMessage puts a recipient's text message in a Wassist conversation at `at` (default now),
 * as a test's recipient writing back. Returns its id.
 */
export function addUserMessage(state: SimState, conversationId: string, body: string, at = state.now()): string {
  const conv = state.conversations.get(conversationId);
  if (conv === undefined) throw new Error(`no conversation ${conversationId}`);
  const id = state.ids.uuid();
  const message: JsonObject = { id, role: 'user', type: 'text', status: null, createdAt: isoTime(at), replyTo: null, text: { id: state.ids.uuid(), body }, image: null, cta: null, listSelection: null, template: null, unified: null, quickReply: null };
  const msg: SimMessage = { id, at, request: {}, message };
  // Kept in time order, as the API lists them, whenever the test says it was written.
  let i = conv.messages.length;
  while (i > 0 && (conv.messages[i - 1] as SimMessage).at > at) i--;
  conv.messages.splice(i, 0, msg);
  conv.updatedAt = Math.max(conv.updatedAt, at);
  return id;
}

/** addClick records a click at `at` (default now) on the link button of Wassist message `messageId` (its `clicks` list). */
export function addClick(state: SimState, messageId: string, at = state.now()): void {
  for (const conv of state.conversations.values()) {
    const m = conv.messages.find((x) => x.id === messageId);
    if (m === undefined) continue;
    const content = m.message[String(m.message.type)] as JsonObject | null | undefined;
    const clicks = content?.clicks;
    if (!Array.isArray(clicks)) throw new Error(`message ${messageId} has no link button that counts clicks`);
    clicks.push({ id: state.ids.uuid(), createdAt: isoTime(at) });
    return;
  }
  throw new Error(`no message ${messageId}`);
}

/** setMessageStatus sets a Wassist message's status as a test wants it (over the timeline). */
export function setMessageStatus(state: SimState, messageId: string, status: 'sent' | 'delivered' | 'read' | 'failed'): void {
  state.statusOverrides.set(messageId, status);
}

/** isoTime renders the state's clock as the ISO 8601 time the APIs answer with. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
