import { isJsonObject } from '../../../shared/json';
import type { HttpResponse } from '../ports';
import type { ReconcileFetch, ReconcileQuery, ReconcileResult, Reconciler } from '../engine/reconciler';
import type { ListedMessage } from './message-match';
import { expectationOf, judgeListing, listedMessage } from './message-match';

/** defaultSkewMs is how far our clock and Wassist's may disagree: messages this much older than the attempt still count. */
export const defaultSkewMs = 120_000;

/** maxPages bounds the listing read for one row; a longer conversation gives `unknown`. */
const maxPages = 50;

/** WassistReconcilerOptions: `skewMs` is the clock-skew allowance (default defaultSkewMs). */
export interface WassistReconcilerOptions {
  skewMs?: number;
}

/**
 * WassistReconciler reads a conversation's messages back (`GET /api/v1/conversations/{id}/messages/`,
 * the documented "get or send messages" endpoint, on the very path the message was POSTed to) and
 * looks for the message of the row in doubt; see message-match.ts for how a listed message is
 * compared and judgeListing for the time window. The listing is read whole, as a bare array (the
 * SDK's shape) or DRF pages followed through `limit`/`offset`.
 */
export class WassistReconciler implements Reconciler {
  readonly #skewMs: number;

  constructor(options: WassistReconcilerOptions = {}) {
    this.#skewMs = options.skewMs ?? defaultSkewMs;
  }

  async reconcile(query: ReconcileQuery, fetch: ReconcileFetch): Promise<ReconcileResult> {
    const { request } = query.job;
    const expected = expectationOf(request.body);
    if (request.method !== 'POST' || !request.path.endsWith('/messages/') || expected === undefined) {
      return { kind: 'unknown', reason: 'this request cannot be looked up in the conversation' };
    }
    const listing = await readAll(request.path, fetch);
    if ('reason' in listing) return { kind: 'unknown', reason: listing.reason };
    const v = judgeListing(listing.messages, expected, query.attemptStartedAt - this.#skewMs, query.claimed);
    if (v.kind === 'unknown') return v;
    if (v.kind === 'not-delivered') return v;
    const out: ReconcileResult = { kind: 'delivered', messageId: v.message.id };
    if (v.message.createdAtText !== undefined) out.sentAt = v.message.createdAtText;
    return out;
  }
}

type Listing = { messages: ListedMessage[] } | { reason: string };

async function readAll(path: string, fetch: ReconcileFetch): Promise<Listing> {
  const messages: ListedMessage[] = [];
  let next: string | undefined = path;
  for (let page = 0; next !== undefined; page++) {
    if (page >= maxPages) return { reason: `the conversation has more than ${maxPages} pages of messages` };
    let res: HttpResponse;
    try {
      res = await fetch({ method: 'GET', path: next });
    } catch (e) {
      return { reason: `could not read the conversation's messages: ${e instanceof Error ? e.message : String(e)}` };
    }
    if (res.status !== 200) return { reason: `reading the conversation's messages answered HTTP ${res.status}` };
    let json: unknown;
    try {
      json = JSON.parse(res.body);
    } catch {
      return { reason: "the conversation's messages were not JSON" };
    }
    let items: unknown[];
    next = undefined;
    if (Array.isArray(json)) items = json;
    else if (isJsonObject(json) && Array.isArray(json.results)) {
      items = json.results;
      if (typeof json.next === 'string') next = `${path}?limit=${items.length}&offset=${messages.length + items.length}`;
      if (items.length === 0) next = undefined;
    } else return { reason: "the conversation's messages came in an unknown shape" };
    for (const item of items) {
      const m = listedMessage(item);
      if (m === undefined) return { reason: "a listed message has no id; the listing cannot be trusted" };
      messages.push(m);
    }
  }
  return { messages };
}
