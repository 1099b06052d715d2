import type { OptOutMatcher } from '../../../shared/engagement/opt-out-words';
import { arrayElements } from '../../../shared/json-array';
import type { Clicks, ListedMessage, MessageStatus } from '../../../shared/providers/wassist-api';
import {
  clicksOf,
  deliveryStatusOf,
  isUserMessage,
  listedMessageSchema,
  MESSAGE_LIST_MAX_BYTES,
  MESSAGE_PAGE_LIMIT,
  timeOf,
  userTextOf,
  wassistPaths,
} from '../../../shared/providers/wassist-api';
import type { WassistClient } from './client';
import { WassistApiError } from './client';

/**
 * Reading one conversation for engagement: where our messages are, their status and clicks, and
 * the first user message (and the first opt-out) listed after each. Memory stays bounded whatever
 * the conversation's length: a page (at most MESSAGE_PAGE_LIMIT messages) is held at a time, and a
 * server that answers the whole history at once is parsed one message at a time.
 *
 * Requests (messages listed oldest first, see wassist-api.ts):
 * - again (ours was found before, at `cursor`): from ours to the end, one page for a short
 *   conversation; when more than a page was scanned since, ours alone then only what is new
 *   (from `scannedTo`). Ours not at its cursor any more: read it all again.
 * - first time: the first page (it gives the count); for a longer conversation, from the last page
 *   backwards until ours is found: an agent's long history before our message is never read.
 *   Messages after ours are all read once (a reply or an opt-out may be anywhere in them).
 */

/** ReadTarget is one of our messages in the conversation. */
export interface ReadTarget {
  row: number;
  messageId: string;
  /** Where it was listed last time; undefined when it was never found. */
  cursor?: number;
  /** How many of the conversation's messages were scanned last time. */
  scannedTo?: number;
  /** Clicks, replies and opt-outs at or after this time (ms) do not count. */
  windowEnd: number;
}

/** UserMessage is a recipient's message seen after ours. */
export interface UserMessage {
  id: string;
  at: number | undefined;
  text: string;
  position: number;
}

/** Finding is what the read found of one of our messages. */
export interface Finding {
  position: number;
  status: MessageStatus | undefined;
  createdAt: number | undefined;
  clicks: Clicks | undefined;
  /** The first user message listed after ours (in the part of the list read this time). */
  reply?: UserMessage;
  /** The first user message after ours that is an opt-out, with the word it used. */
  optOut?: UserMessage & { word: string };
}

/** ConversationRead is a read's result: targets found (by row), how far the list goes, and requests made. */
export interface ConversationRead {
  found: Map<number, Finding>;
  scannedTo: number;
  requests: number;
}

type Fetched = { kind: 'page'; items: (ListedMessage | undefined)[]; count: number | undefined; hasNext: boolean } | { kind: 'all'; text: string };

/** readConversation reads what the targets need of conversation `conversationId` (see the file comment). */
export async function readConversation(client: WassistClient, conversationId: string, targets: readonly ReadTarget[], matcher: OptOutMatcher): Promise<ConversationRead> {
  const reader = new Reader(client, conversationId, targets, matcher);
  if (targets.every((t) => t.cursor !== undefined)) {
    const again = await reader.again();
    if (again !== undefined) return again;
  }
  return reader.first();
}

class Reader {
  requests = 0;
  readonly #byId: Map<string, ReadTarget>;
  readonly #what: string;

  constructor(
    private readonly client: WassistClient,
    private readonly conversationId: string,
    private readonly targets: readonly ReadTarget[],
    private readonly matcher: OptOutMatcher,
  ) {
    this.#byId = new Map(targets.map((t) => [t.messageId, t]));
    this.#what = `reading the messages of conversation ${conversationId}`;
  }

  /** again reads from our messages' cursors; undefined when one is not where it was (read it all instead). */
  async again(): Promise<ConversationRead | undefined> {
    const scan = new Scan(this.#byId, this.matcher);
    const cursors = this.targets.map((t) => t.cursor as number);
    const start = Math.min(...cursors);
    const from = Math.min(...this.targets.map((t) => Math.max(t.scannedTo ?? 0, (t.cursor as number) + 1)));
    let offset = start;
    if (from - start > MESSAGE_PAGE_LIMIT) {
      for (const c of [...new Set(cursors)].sort((a, b) => a - b)) {
        const one = await this.fetch(c, 1);
        if (one.kind === 'all') return this.whole(one.text);
        scan.visit(one.items[0], c);
      }
      offset = from;
    }
    let end: number;
    for (;;) {
      const page = await this.fetch(offset, MESSAGE_PAGE_LIMIT);
      if (page.kind === 'all') return this.whole(page.text);
      page.items.forEach((m, i) => scan.visit(m, offset + i));
      offset += page.items.length;
      end = Math.max(offset, page.count ?? 0);
      if (!page.hasNext || page.items.length === 0) break;
    }
    for (const t of this.targets) if (scan.found.get(t.row)?.position !== t.cursor) return undefined;
    return { found: scan.found, scannedTo: end, requests: this.requests };
  }

  /** first reads a conversation not read before: its first page, then backwards from its end until ours. */
  async first(): Promise<ConversationRead> {
    const scan = new Scan(this.#byId, this.matcher);
    const head = await this.fetch(0, MESSAGE_PAGE_LIMIT);
    if (head.kind === 'all') return this.whole(head.text);
    head.items.forEach((m, i) => scan.visit(m, i));
    const headSize = head.items.length;
    if (!head.hasNext || headSize === 0) return { found: scan.found, scannedTo: headSize, requests: this.requests };
    if (head.count === undefined) return this.forward(scan, headSize);
    // Backwards in pages of the size the server gave; `later` is the first reply and opt-out in the pages walked so far.
    const later: Later = {};
    const missing = new Set(this.targets.filter((t) => !scan.found.has(t.row)).map((t) => t.row));
    // Ours in the first page need everything after it read once (an opt-out may come late); ours found walking back, not.
    const inHead = [...scan.found.values()];
    const needRest = () => inHead.some((f) => f.optOut === undefined);
    let end = head.count;
    while (end > headSize && (missing.size > 0 || needRest())) {
      const start = Math.max(headSize, end - headSize);
      const page = await this.fetch(start, end - start);
      if (page.kind === 'all') return this.whole(page.text);
      this.#walked(page.items, start, later, scan.found, missing);
      end = start;
    }
    // Messages of the first page: what follows them is what was walked (all of it, when it was needed).
    for (const [row, f] of scan.found) {
      const t = this.targetOf(row);
      if (f.position >= headSize) continue;
      if (f.reply === undefined && later.reply !== undefined && before(later.reply, t.windowEnd)) f.reply = later.reply;
      if (f.optOut === undefined && later.optOut !== undefined && before(later.optOut, t.windowEnd)) f.optOut = later.optOut;
    }
    return { found: scan.found, scannedTo: head.count, requests: this.requests };
  }

  /** walked takes in a page read backwards: ours found in it, then the page's first reply and opt-out for earlier pages. */
  #walked(items: (ListedMessage | undefined)[], start: number, later: Later, found: Map<number, Finding>, missing: Set<number>): void {
    items.forEach((m, i) => {
      const t = m === undefined ? undefined : this.#byId.get(m.id);
      if (m === undefined || t === undefined) return;
      const f = findingOf(m, start + i, t);
      for (let j = i + 1; j < items.length && (f.reply === undefined || f.optOut === undefined); j++) {
        const u = userMessageOf(items[j], start + j, t.windowEnd);
        if (u === undefined) continue;
        f.reply ??= u;
        if (f.optOut === undefined) {
          const word = this.matcher.match(u.text);
          if (word !== undefined) f.optOut = { ...u, word };
        }
      }
      if (f.reply === undefined && later.reply !== undefined && before(later.reply, t.windowEnd)) f.reply = later.reply;
      if (f.optOut === undefined && later.optOut !== undefined && before(later.optOut, t.windowEnd)) f.optOut = later.optOut;
      found.set(t.row, f);
      missing.delete(t.row);
    });
    for (let i = items.length - 1; i >= 0; i--) {
      const u = userMessageOf(items[i], start + i, Number.POSITIVE_INFINITY);
      if (u === undefined) continue;
      later.reply = u;
      const word = this.matcher.match(u.text);
      if (word !== undefined) later.optOut = { ...u, word };
    }
  }

  /** forward reads the rest page by page (a paged answer without a count to walk back from). */
  async forward(scan: Scan, from: number): Promise<ConversationRead> {
    let offset = from;
    for (;;) {
      const page = await this.fetch(offset, MESSAGE_PAGE_LIMIT);
      if (page.kind === 'all') return this.whole(page.text);
      page.items.forEach((m, i) => scan.visit(m, offset + i));
      offset += page.items.length;
      if (!page.hasNext || page.items.length === 0) break;
    }
    return { found: scan.found, scannedTo: offset, requests: this.requests };
  }

  /** whole reads an unpaged answer (every message at once), one message at a time. */
  whole(text: string): ConversationRead {
    const scan = new Scan(this.#byId, this.matcher);
    let position = 0;
    try {
      for (const element of arrayElements(text)) scan.visit(parseMessage(JSON.parse(element)), position++);
    } catch (e) {
      throw new WassistApiError(`${this.#what}: the list is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
    }
    return { found: scan.found, scannedTo: position, requests: this.requests };
  }

  targetOf(row: number): ReadTarget {
    return this.targets.find((t) => t.row === row) as ReadTarget;
  }

  async fetch(offset: number, limit: number): Promise<Fetched> {
    this.requests++;
    const path = wassistPaths.messagesPage(this.conversationId, offset, limit);
    const { text } = await this.client.getText(path, this.#what, { maxResponseBytes: MESSAGE_LIST_MAX_BYTES });
    if (/^\s*\[/.test(text.slice(0, 64))) return { kind: 'all', text };
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new WassistApiError(`${this.#what}: the answer is not JSON`);
    }
    const env = json as { results?: unknown; count?: unknown; next?: unknown };
    if (typeof json !== 'object' || json === null || !Array.isArray(env.results)) {
      throw new WassistApiError(`${this.#what}: expected a list or a page with "results"`);
    }
    return {
      kind: 'page',
      items: env.results.map(parseMessage),
      count: typeof env.count === 'number' && Number.isInteger(env.count) ? env.count : undefined,
      hasNext: typeof env.next === 'string',
    };
  }
}

interface Later {
  reply?: UserMessage;
  optOut?: UserMessage & { word: string };
}

/** Scan visits messages in list order (ascending positions) and records ours and what follows them. */
class Scan {
  readonly found = new Map<number, Finding>();
  readonly #windows = new Map<number, number>();

  constructor(
    private readonly byId: ReadonlyMap<string, ReadTarget>,
    private readonly matcher: OptOutMatcher,
  ) {}

  visit(m: ListedMessage | undefined, position: number): void {
    if (m === undefined) return;
    const t = this.byId.get(m.id);
    if (t !== undefined) {
      this.found.set(t.row, findingOf(m, position, t));
      this.#windows.set(t.row, t.windowEnd);
      return;
    }
    if (!isUserMessage(m)) return;
    let word: string | undefined | null = null;
    for (const [row, f] of this.found) {
      if (position <= f.position || (f.reply !== undefined && f.optOut !== undefined)) continue;
      const u = userMessageOf(m, position, this.#windows.get(row) ?? Number.POSITIVE_INFINITY);
      if (u === undefined) continue;
      f.reply ??= u;
      if (f.optOut === undefined) {
        if (word === null) word = this.matcher.match(u.text);
        if (word !== undefined) f.optOut = { ...u, word };
      }
    }
  }
}

function parseMessage(raw: unknown): ListedMessage | undefined {
  const p = listedMessageSchema.safeParse(raw);
  return p.success ? p.data : undefined;
}

function findingOf(m: ListedMessage, position: number, t: ReadTarget): Finding {
  return { position, status: deliveryStatusOf(m.status), createdAt: timeOf(m.createdAt), clicks: clicksOf(m, t.windowEnd) };
}

/** userMessageOf is a user's message at `position` sent before `windowEnd`, else undefined. */
function userMessageOf(m: ListedMessage | undefined, position: number, windowEnd: number): UserMessage | undefined {
  if (m === undefined || !isUserMessage(m)) return undefined;
  const at = timeOf(m.createdAt);
  if (at !== undefined && at >= windowEnd) return undefined;
  return { id: m.id, at, text: userTextOf(m), position };
}

function before(u: UserMessage, windowEnd: number): boolean {
  return u.at === undefined || u.at < windowEnd;
}
