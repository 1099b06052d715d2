import type { HttpResponse, RowOutcomes } from '../ports';
import { TransportError } from '../ports';
import type { ReconcileResult, Reconciler } from './reconciler';
import { readPriority } from './row-life';
import type { RunState } from './run-state';
import type { SendJob } from './types';
import { ClaimIndex } from './claim-index';
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
  /** The rows whose claims are still to be gathered (see claimEarlier). */
  #earlier: RowOutcomes | undefined;

  constructor(reconciler: Reconciler, run: RunState) {
    this.#reconciler = reconciler;
    this.#run = run;
    this.#claims = new ClaimIndex(claimWindowMs + run.retry.timeoutMs, () => run.rows);
  }

  /**
   * claimEarlier has the claim index filled from the journal: the ids of rows sent to a conversation
   * that has a row in doubt, and of rows sent within the claim window (a resume right after a crash
   * may reconcile new doubts against them). That happens when the first check needs them, so a run
   * with nothing in doubt (re-running a finished campaign of a million rows) never reads them. By
   * then `earlier` may also hold rows this run recorded: claiming those too is what sending them
   * did already, and pinning a conversation only keeps more of other rows' ids.
   */
  claimEarlier(earlier: RowOutcomes): void {
    this.#earlier = earlier;
  }

  #gather(): void {
    const earlier = this.#earlier;
    if (earlier === undefined) return;
    this.#earlier = undefined;
    const now = this.#run.clock.now();
    const since = now - claimWindowMs - this.#run.retry.timeoutMs;
    for (const row of earlier.rows(['in-flight', 'uncertain'])) this.#claims.pin(earlier.recipientOf(row) ?? '');
    const pinned = this.#claims.pinnedCount > 0;
    for (const row of earlier.rows(['sent'])) {
      // Read field by field: of a million rows sent long ago, only those of a pinned conversation matter.
      const at = earlier.sentAtOf(row) ?? Number.NaN;
      const recent = !(at < since);
      const recipient = recent || pinned ? (earlier.recipientOf(row) ?? '') : '';
      if (pinned && this.#claims.isPinned(recipient)) {
        const id = earlier.get(row)?.messageId;
        if (id !== undefined) this.#claims.hold(recipient, id);
      } else if (recent) {
        this.#claims.note(recipient, earlier.get(row)?.messageId ?? '', Number.isNaN(at) ? now : at, row);
      }
    }
  }

  /** sent notes the message id of row `row`, recorded sent (so no other row is ever given it). */
  sent(row: number, recipient: string, messageId: string, at: number): void {
    this.#claims.note(recipient, messageId, at, row);
  }

  /** pin keeps every id of a conversation that has a row in doubt. */
  pin(recipient: string): void {
    this.#gather();
    this.#claims.pin(recipient);
  }

  /** check asks the reconciler about one row; a thrown error is `unknown`. A message found is claimed at once. */
  async check(job: SendJob, attemptStartedAt: number): Promise<ReconcileResult> {
    this.#gather();
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
