import type { HttpResponse, RowOutcomes } from '../ports';
import { TransportError } from '../ports';
import type { ReconcileResult, Reconciler } from './reconciler';
import { readPriority } from './row-life';
import type { RunState } from './run-state';
import type { SendJob } from './types';
import { messageOf } from './verdict';

/**
 * The engine's side of the Reconciler port (reconciler.ts): checking a row in doubt with the
 * provider's own reconciler, through the campaign's queue, without ever giving one row's message
 * to another.
 */

/** claimWindowMs is how long sent message ids stay in the claim index: longer than any clock-skew allowance. */
const claimWindowMs = 15 * 60_000;

/**
 * Reconciliation runs a check for a row in doubt with the message ids other rows hold (ClaimIndex)
 * and a read function that goes through the campaign's queue, so reads obey the same rate limit
 * and concurrency as sends and come before new rows.
 */
export class Reconciliation {
  readonly #reconciler: Reconciler;
  readonly #run: RunState;
  readonly #claims: ClaimIndex;

  constructor(reconciler: Reconciler, run: RunState) {
    this.#reconciler = reconciler;
    this.#run = run;
    this.#claims = new ClaimIndex(claimWindowMs + run.retry.timeoutMs);
  }

  /**
   * claimEarlier fills the claim index from the journal: the ids of rows sent to a conversation
   * that has a row in doubt, and of rows sent within the claim window (a resume right after a
   * crash may reconcile new doubts against them).
   */
  claimEarlier(earlier: RowOutcomes): void {
    const since = this.#run.clock.now() - claimWindowMs - this.#run.retry.timeoutMs;
    for (const row of earlier.rows(['in-flight', 'uncertain'])) this.#claims.pin(earlier.recipientOf(row) ?? '');
    const pinned = this.#claims.pinnedCount > 0;
    for (const row of earlier.rows(['sent'])) {
      // Read field by field: of a million rows sent long ago, only those of a pinned conversation matter.
      const recent = !((earlier.sentAtOf(row) ?? Number.NaN) < since);
      if (!recent && !(pinned && this.#claims.isPinned(earlier.recipientOf(row) ?? ''))) continue;
      const o = earlier.get(row);
      if (o?.messageId !== undefined) this.#claims.hold(o.recipient, o.messageId);
    }
  }

  /** sent notes a row's message id (so no other row is ever given it). */
  sent(recipient: string, messageId: string, at: number): void {
    this.#claims.note(recipient, messageId, at);
  }

  /** pin keeps every id of a conversation that has a row in doubt. */
  pin(recipient: string): void {
    this.#claims.pin(recipient);
  }

  /** check asks the reconciler about one row; a thrown error is `unknown`. A message found is claimed at once. */
  async check(job: SendJob, attemptStartedAt: number): Promise<ReconcileResult> {
    let r: ReconcileResult;
    try {
      r = await this.#reconciler.reconcile({ job, attemptStartedAt, claimed: this.#claims.claimed(job.recipient) }, this.#read);
    } catch (e) {
      return { kind: 'unknown', reason: messageOf(e) };
    }
    if (r.kind !== 'delivered') return r;
    // Another row's check may have taken this message while ours was reading.
    if (this.#claims.claimed(job.recipient).has(r.messageId)) return { kind: 'unknown', reason: 'the message found was taken by another row' };
    this.#claims.note(job.recipient, r.messageId, this.#run.clock.now());
    return r;
  }

  /** read is the reconciler's way to the provider; it rejects when the run halts, since a cleared queue would never run it. */
  readonly #read = (req: { method: 'GET'; path: string }): Promise<HttpResponse> => {
    const run = this.#run;
    const { signal } = run;
    const stopped = () => new TransportError('the campaign stopped before the read', 'ABORTED', false);
    if (signal.aborted || run.halted) return Promise.reject(stopped());
    const http = run.requests.get(req.path);
    return new Promise<HttpResponse>((resolve, reject) => {
      const onAbort = () => reject(stopped());
      signal.addEventListener('abort', onAbort, { once: true });
      run.queue
        .run(async (ticket) => {
          if (signal.aborted) throw stopped();
          const wire = await run.request(http, ticket, signal);
          if (wire.res === undefined) throw wire.error;
          return wire.res;
        }, readPriority)
        .then(resolve, reject)
        .finally(() => signal.removeEventListener('abort', onAbort));
    });
  };
}

/**
 * ClaimIndex remembers which provider message ids belong to which conversation, so that
 * reconciliation never gives one row's message to another row (two rows may send the same text to
 * the same conversation). It holds only what a reconciliation could confuse: ids of messages sent
 * within the last `windowMs` (older ones fall outside every attempt's time window), plus every id
 * noted for a conversation that has a row in doubt. Memory stays bounded by the sending rate
 * times the window, not by the campaign's size.
 */
export class ClaimIndex {
  readonly #windowMs: number;
  /** Conversation -> ids, for conversations with a row in doubt: kept for the whole run. */
  readonly #pinned = new Map<string, Set<string>>();
  /** Recent ids in the order they were noted, with the time, pruned as they age. */
  #recent: { recipient: string; id: string; at: number }[] = [];
  #recentStart = 0;
  readonly #recentBy = new Map<string, Map<string, number>>();

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  /** pin keeps every id of `recipient` from now on (it has a row in doubt). */
  pin(recipient: string): void {
    if (!this.#pinned.has(recipient)) this.#pinned.set(recipient, new Set(this.#recentBy.get(recipient)?.keys() ?? []));
  }

  /** hold pins `recipient` and keeps `id` for it (an id read from the journal of an earlier run). */
  hold(recipient: string, id: string): void {
    this.pin(recipient);
    this.#pinned.get(recipient)?.add(id);
  }

  /** pinnedCount is how many conversations are pinned. */
  get pinnedCount(): number {
    return this.#pinned.size;
  }

  /** isPinned tells whether a conversation is pinned. */
  isPinned(recipient: string): boolean {
    return this.#pinned.has(recipient);
  }

  /** note records that `id` belongs to a row sent to `recipient` at `at` (ms). */
  note(recipient: string, id: string, at: number): void {
    if (id === '') return;
    this.#pinned.get(recipient)?.add(id);
    this.#prune(at);
    this.#recent.push({ recipient, id, at });
    let ids = this.#recentBy.get(recipient);
    if (ids === undefined) this.#recentBy.set(recipient, (ids = new Map()));
    ids.set(id, (ids.get(id) ?? 0) + 1);
  }

  /** claimed is every id held for `recipient`. */
  claimed(recipient: string): Set<string> {
    const out = new Set(this.#pinned.get(recipient) ?? []);
    for (const id of this.#recentBy.get(recipient)?.keys() ?? []) out.add(id);
    return out;
  }

  #prune(now: number): void {
    let i = this.#recentStart;
    while (i < this.#recent.length && (this.#recent[i] as { at: number }).at < now - this.#windowMs) {
      const { recipient, id } = this.#recent[i] as { recipient: string; id: string };
      const ids = this.#recentBy.get(recipient);
      const n = (ids?.get(id) ?? 1) - 1;
      if (n <= 0) ids?.delete(id);
      else ids?.set(id, n);
      if (ids?.size === 0) this.#recentBy.delete(recipient);
      i++;
    }
    this.#recentStart = i;
    if (i > 1024 && i > this.#recent.length / 2) {
      this.#recent = this.#recent.slice(i);
      this.#recentStart = 0;
    }
  }
}
