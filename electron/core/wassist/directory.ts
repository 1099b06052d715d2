import { normalizeListedNumber } from '../../../shared/campaign/phone';
import type { WassistConversation } from '../../../shared/providers/wassist-api';
import { conversationSchema, parsePage, parseConversation, wassistPaths } from '../../../shared/providers/wassist-api';
import type { WassistClient } from './client';
import { WassistApiError } from './client';

/**
 * The directory of a Wassist agent: its conversations by phone number, listed page by page
 * (offset/limit) before a phone-number campaign sends, and the `active` flag of conversations
 * named by id, read one by one with GET. Both go through WassistClient's polite pace.
 */

/** DirectoryEntry is what a campaign needs of a conversation. */
export interface DirectoryEntry {
  id: string;
  active: boolean;
}

/** Directory is an agent's conversations, indexed by E.164 number. */
export interface Directory {
  byNumber: Map<string, DirectoryEntry>;
  /** Conversations listed for the agent (distinct ids). */
  conversations: number;
  /** Listed conversations with no usable number (cannot be matched). */
  withoutNumber: number;
  /** Items of the answers that were not conversations (skipped). */
  invalid: number;
  pages: number;
  /** The shape the API answered in (a bare array or a DRF page). */
  shape: 'array' | 'page' | undefined;
}

/** DirectoryOptions: the page size asked for (the API may cap it), and progress. */
export interface DirectoryOptions {
  pageSize?: number;
  onPage?: (listedSoFar: number, pages: number) => void;
}

/** defaultPageSize is the `limit` asked for: DRF's usual cap. */
export const defaultPageSize = 100;
const MAX_PAGES = 1_000_000;

/**
 * listDirectory lists every conversation of agent `botId`. It reads either page shape and stops at
 * the end however the API says it: a DRF page without `next` (or past `count`), an empty answer, or,
 * for a bare array, an answer that brings no new conversation (an API that ignores `offset`) or more
 * than was asked for (one that ignores `limit`). Conversations of other agents, should the API
 * ignore the filter, are left out.
 */
export async function listDirectory(client: WassistClient, botId: string, options: DirectoryOptions = {}): Promise<Directory> {
  const limit = options.pageSize ?? defaultPageSize;
  const seen = new Map<string, WassistConversation>();
  const dir: Directory = { byNumber: new Map(), conversations: 0, withoutNumber: 0, invalid: 0, pages: 0, shape: undefined };
  let offset = 0;
  while (dir.pages < MAX_PAGES) {
    const what = `listing the conversations of agent ${botId} (offset ${offset})`;
    const json = await client.getJson(wassistPaths.conversations({ botId, offset, limit }), what);
    let page;
    try {
      page = parsePage(json, conversationSchema);
    } catch (e) {
      throw new WassistApiError(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    }
    dir.pages++;
    dir.shape = page.shape;
    dir.invalid += page.invalid;
    let fresh = 0;
    for (const c of page.items) {
      if (seen.has(c.id)) continue;
      if (c.bot?.id !== undefined && c.bot.id.toLowerCase() !== botId.toLowerCase()) continue;
      seen.set(c.id, c);
      fresh++;
      index(dir, c);
    }
    options.onPage?.(seen.size, dir.pages);
    const got = page.items.length + page.invalid;
    if (got === 0) break;
    offset += got;
    if (page.shape === 'page') {
      if (page.hasNext === false) break;
      if (page.count !== undefined && offset >= page.count) break;
      if (page.hasNext === undefined && page.count === undefined && got < limit) break;
    } else if (got > limit || fresh === 0) {
      break;
    }
  }
  dir.conversations = seen.size;
  return dir;
}

/** index files a conversation under its number; of two with one number, the active (then the latest) wins. */
function index(dir: Directory, c: WassistConversation): void {
  const number = normalizeListedNumber(c.number);
  if (number === undefined) {
    dir.withoutNumber++;
    return;
  }
  const entry: DirectoryEntry & { updatedAt: string } = { id: c.id, active: c.active, updatedAt: c.updatedAt ?? '' };
  const had = dir.byNumber.get(number) as (DirectoryEntry & { updatedAt: string }) | undefined;
  if (had === undefined || (entry.active && !had.active) || (entry.active === had.active && entry.updatedAt > had.updatedAt)) {
    dir.byNumber.set(number, entry);
  }
}

/**
 * checkConversations reads the `active` flag of each conversation id with GET (null: the API has
 * no such conversation), for campaigns addressed by conversation id that must not send free-form
 * messages into inactive ones.
 */
export async function checkConversations(client: WassistClient, ids: Iterable<string>, onProgress?: (done: number) => void): Promise<Map<string, DirectoryEntry | null>> {
  const out = new Map<string, DirectoryEntry | null>();
  const all = [...new Set(ids)];
  const BATCH = 256;
  for (let i = 0; i < all.length; i += BATCH) {
    const batch = all.slice(i, i + BATCH);
    await Promise.all(
      batch.map(async (id) => {
        const what = `reading conversation ${id}`;
        try {
          const c = parseConversation(await client.getJson(wassistPaths.conversation(id), what));
          out.set(id, { id: c.id, active: c.active });
        } catch (e) {
          if (e instanceof WassistApiError && e.httpStatus === 404) out.set(id, null);
          else if (e instanceof WassistApiError) throw e;
          else throw new WassistApiError(`${what}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }),
    );
    onProgress?.(out.size);
  }
  return out;
}
