import type { WassistConversation } from '../../../shared/providers/wassist-api';
import { conversationSchema, parseConversation, parsePage, wassistPaths } from '../../../shared/providers/wassist-api';
import type { WassistClient } from './client';
import { WassistApiError, WassistStopError } from './client';
import type { DirectoryEntry } from './directory';
import { defaultPageSize, isLastPage } from './directory';

/**
 * Checking which of a campaign's conversations are active, in as few requests as it can: Wassist's
 * document asks to check before sending anything but a template, and the polite pace (10 requests a
 * second) makes one GET per conversation slow for a large campaign (10,000 conversations: some 17
 * minutes). The agent's conversations can be listed instead, a page of up to 100 per request,
 * filtered by `active`. Which is cheaper depends on how many of the agent's conversations the campaign
 * reaches, which nobody knows beforehand, so the check finds out as it goes:
 *
 * 1. The agent is learnt from the campaign's first conversation, read with GET (it had to be read
 *    anyway), unless the caller names it.
 * 2. The agent's active conversations are listed while listing may still pay: a page that answers k
 *    of the campaign's conversations saves k GETs for one request, and the pages that saved nothing
 *    (a list sorted so the campaign's own come late, say those a resumed run already settled) may cost
 *    at most a quarter of the GETs the list set out to save; when the API gives `count`, it stops as
 *    soon as the pages left outnumber the conversations still unknown. Then the inactive ones, likewise.
 * 3. Whatever is still unknown (another agent's conversation, one that does not exist, or a list that
 *    stopped paying) is read one GET each.
 * The answer is exact whatever the agent: a listing only answers the conversations it shows. At worst
 * (lists that find none of them) it costs half again as many requests as one GET per conversation,
 * plus two; with `count` far less.
 */

/** ActiveCheckOptions: the agent when the caller knows it, the page size asked for, and progress. */
export interface ActiveCheckOptions {
  botId?: string;
  pageSize?: number;
  onProgress?: (known: number, of: number) => void;
}

/** ActiveCheck is each conversation's state (null: the API has no such conversation) and how it was read. */
export interface ActiveCheck {
  byId: Map<string, DirectoryEntry | null>;
  /** Conversations read one by one. */
  gets: number;
  /** List pages read (active and inactive). */
  pages: number;
  /** The agent whose conversations were listed, if any were. */
  botId?: string;
}

/** MIN_TO_LIST is the fewest unknown conversations worth a first list page (it may answer none of them). */
const MIN_TO_LIST = 3;
/** AGENT_TRIES is how many conversations are read to learn the agent before giving up on listing. */
const AGENT_TRIES = 3;
const BATCH = 256;

/** checkActive reads the `active` flag of each of `ids` (see the file comment). Throws WassistStopError / WassistApiError. */
export async function checkActive(client: WassistClient, ids: Iterable<string>, options: ActiveCheckOptions = {}): Promise<ActiveCheck> {
  const unknown = new Set(ids);
  const of = unknown.size;
  const check: ActiveCheck = { byId: new Map(), gets: 0, pages: 0 };
  const progress = () => options.onProgress?.(check.byId.size, of);
  let botId = options.botId;
  for (let tries = 0; botId === undefined && tries < AGENT_TRIES && unknown.size >= MIN_TO_LIST; tries++) {
    const id = unknown.values().next().value as string;
    unknown.delete(id);
    botId = (await readOne(client, id, check))?.bot?.id ?? undefined;
    progress();
  }
  if (botId !== undefined) {
    check.botId = botId;
    for (const active of [true, false]) {
      if (unknown.size < MIN_TO_LIST) break;
      await listWhilePaying(client, botId, active, unknown, check, options.pageSize ?? defaultPageSize, progress);
    }
  }
  const rest = [...unknown];
  for (let i = 0; i < rest.length; i += BATCH) {
    await Promise.all(rest.slice(i, i + BATCH).map((id) => readOne(client, id, check)));
    progress();
  }
  return check;
}

/** readOne GETs one conversation and records its state (null for a 404); it answers the conversation read. */
async function readOne(client: WassistClient, id: string, check: ActiveCheck): Promise<WassistConversation | null> {
  const what = `reading conversation ${id}`;
  check.gets++;
  try {
    const c = parseConversation(await client.getJson(wassistPaths.conversation(id), what));
    check.byId.set(id, { id: c.id, active: c.active });
    return c;
  } catch (e) {
    if (e instanceof WassistApiError && e.httpStatus === 404) {
      check.byId.set(id, null);
      return null;
    }
    if (e instanceof WassistApiError) throw e;
    throw new WassistApiError(`${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * listWhilePaying lists agent `botId`'s conversations with `active`, answering those of `unknown` it
 * finds, while listing pays (see the file comment). A list the API refuses (other than the key) is
 * given up, not fatal: the conversations it would have answered are read one by one instead.
 */
async function listWhilePaying(client: WassistClient, botId: string, active: boolean, unknown: Set<string>, check: ActiveCheck, limit: number, progress: () => void): Promise<void> {
  const seen = new Set<string>();
  let offset = 0;
  let pages = 0;
  let found = 0;
  // The pages that answer nothing may cost at most a quarter of the GETs this list set out to save.
  const allowance = Math.max(1, Math.floor(unknown.size / 4));
  for (;;) {
    const what = `listing the ${active ? 'active' : 'inactive'} conversations of agent ${botId} (offset ${offset})`;
    let page;
    try {
      page = parsePage(await client.getJson(wassistPaths.conversations({ botId, active, offset, limit }), what), conversationSchema);
    } catch (e) {
      if (e instanceof WassistStopError) throw e;
      return;
    } finally {
      pages++;
      check.pages++;
    }
    let fresh = 0;
    for (const c of page.items) {
      if (seen.has(c.id)) continue;
      seen.add(c.id);
      fresh++;
      if (c.bot?.id !== undefined && c.bot.id.toLowerCase() !== botId.toLowerCase()) continue;
      if (!unknown.delete(c.id)) continue;
      check.byId.set(c.id, { id: c.id, active: c.active });
      found++;
    }
    progress();
    const got = page.items.length + page.invalid;
    offset += got;
    if (unknown.size === 0 || isLastPage(page, offset, limit, fresh)) return;
    if (pages - found >= allowance) return;
    if (page.count !== undefined && Math.ceil((page.count - offset) / Math.max(got, 1)) >= unknown.size) return;
  }
}
