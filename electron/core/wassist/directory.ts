import { normalizeListedNumber } from '../../../shared/campaign/phone';
import type { Page, WassistConversation } from '../../../shared/providers/wassist-api';
import { conversationSchema, parsePage, wassistPaths } from '../../../shared/providers/wassist-api';
import type { WassistClient } from './client';
import { WassistApiError } from './client';

/**
 * The directory of a Wassist agent: its conversations by phone number, listed page by page
 * (offset/limit) before a phone-number campaign sends, through WassistClient's polite pace.
 * (Conversations named by id are checked in active-check.ts.)
 */

/** DirectoryEntry is what a campaign needs of a conversation. */
export interface DirectoryEntry {
  id: string;
  active: boolean;
}

/** Directory is an agent's conversations, indexed by E.164 number. */
export interface Directory {
  byNumber: Map<string, DirectoryEntry>;
  /** Every listed conversation of the agent by id (a run that resumes finds the conversations it recorded here). */
  byId: Map<string, DirectoryEntry>;
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
  const dir: Directory = { byNumber: new Map(), byId: new Map(), conversations: 0, withoutNumber: 0, invalid: 0, pages: 0, shape: undefined };
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
    offset += got;
    if (isLastPage(page, offset, limit, fresh)) break;
  }
  dir.conversations = seen.size;
  return dir;
}

/**
 * isLastPage tells whether a list answer was the last, however the API says it: an empty answer, a
 * DRF page without `next` (or past `count`), or, for a bare array, an answer that brings no new
 * conversation (an API that ignores `offset`) or more than was asked for (one that ignores `limit`).
 * `offset` is the offset after this page; `fresh` the conversations it brought that were not seen before.
 */
export function isLastPage(page: Page<unknown>, offset: number, limit: number, fresh: number): boolean {
  const got = page.items.length + page.invalid;
  if (got === 0) return true;
  if (page.shape === 'page') {
    if (page.hasNext === false) return true;
    if (page.count !== undefined && offset >= page.count) return true;
    return page.hasNext === undefined && page.count === undefined && got < limit;
  }
  return got > limit || fresh === 0;
}

/** index files a conversation under its number; of two with one number, the active (then the latest) wins. */
function index(dir: Directory, c: WassistConversation): void {
  dir.byId.set(c.id, { id: c.id, active: c.active });
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
