import type { ProviderDefinition } from '../../../shared/providers/types';
import { WassistReconciler } from '../wassist/reconciler';
import type { HttpResponse } from '../ports';
import type { SendJob } from './types';

/**
 * Reconciliation: finding out whether a request that got no answer was delivered after all.
 * The engine asks a Reconciler whenever a request was written but not answered (reset after
 * writing, timeout, a crash while it was in flight) before it calls the row uncertain.
 */

/**
 * ReconcileResult: `delivered` the provider has the message (its id and creation time);
 * `not-delivered` the provider shows for certain that it does not, so sending again cannot
 * duplicate it; `unknown` we cannot tell (no read API, the read failed, an ambiguous listing).
 */
export type ReconcileResult =
  | { kind: 'delivered'; messageId: string; sentAt?: string }
  | { kind: 'not-delivered' }
  | { kind: 'unknown'; reason: string };

/**
 * ReconcileFetch makes one read request (`path` is relative to the campaign's base URL, with the
 * provider's auth headers added). The engine's version goes through
 * the campaign's rate limit and concurrency (reads count against the same account limits as
 * sends) and rejects when the run stops.
 */
export type ReconcileFetch = (req: { method: 'GET'; path: string }) => Promise<HttpResponse>;

/** ReconcileQuery is the row in doubt: the job as sent, and when its attempt began (ms, engine clock). */
export interface ReconcileQuery {
  job: SendJob;
  attemptStartedAt: number;
  /**
   * Message ids this campaign already holds for other rows: never one of these (two rows may send
   * the same text to the same conversation, and one's message must not settle the other).
   */
  claimed: ReadonlySet<string>;
}

/** Reconciler is the port: one per provider that has a documented way to read sent messages back. */
export interface Reconciler {
  reconcile(query: ReconcileQuery, fetch: ReconcileFetch): Promise<ReconcileResult>;
}

/** defaultReconciler is the provider's own reconciler: only Wassist documents a way to read messages back. */
export function defaultReconciler(provider: ProviderDefinition): Reconciler | undefined {
  return provider.kind === 'wassist' ? new WassistReconciler() : undefined;
}
