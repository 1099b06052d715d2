import type { RowOutcome } from '../../../shared/engine/events';
import type { ProviderDefinition } from '../../../shared/providers/types';
import type { Clock, HttpRequest, HttpResponse, Transport } from '../ports';
import { TransportError } from '../ports';
import type { ReconcileResult, Reconciler } from '../reconcile/reconciler';
import { WassistReconciler } from '../reconcile/wassist';
import { ClaimIndex } from './claims';
import { messageOf } from './verdict';
import type { SendJob } from './types';

/** claimWindowMs is how long sent message ids stay in the claim index: longer than any clock-skew allowance. */
const claimWindowMs = 15 * 60_000;

/** ReadQueue is the part of p-queue reconciliation reads go through. */
export interface ReadQueue {
  add<T>(task: () => Promise<T>, options: { priority: number }): Promise<T>;
}

/** ReconciliationHost is what the engine lends: its queue, transport, clock and how to build a request. */
export interface ReconciliationHost {
  queue: ReadQueue;
  transport: Transport;
  clock: Clock;
  /** Aborted when the run halts (or ends): reads waiting in the queue are refused, reads on the wire end. */
  signal: AbortSignal;
  halted(): boolean;
  /** A GET of `path` with the campaign's auth headers and timeout. */
  get(path: string): HttpRequest;
}

/**
 * Reconciliation is the engine's side of the Reconciler port: it runs a check for a row in doubt
 * with the message ids other rows hold (ClaimIndex) and a read function that goes through the
 * campaign's queue, so reads obey the same rate limit and concurrency as sends and come before new rows.
 */
export class Reconciliation {
  readonly #reconciler: Reconciler;
  readonly #host: ReconciliationHost;
  readonly #claims: ClaimIndex;

  constructor(reconciler: Reconciler, host: ReconciliationHost, timeoutMs: number) {
    this.#reconciler = reconciler;
    this.#host = host;
    this.#claims = new ClaimIndex(claimWindowMs + timeoutMs);
  }

  /**
   * claimEarlier fills the claim index from the journal: the ids of rows sent to a conversation
   * that has a row in doubt, and of rows sent within the claim window (a resume right after a
   * crash may reconcile new doubts against them).
   */
  claimEarlier(loaded: Iterable<RowOutcome>, timeoutMs: number): void {
    const rows = [...loaded];
    const since = this.#host.clock.now() - claimWindowMs - timeoutMs;
    for (const o of rows) if (o.status === 'in-flight' || o.status === 'uncertain') this.#claims.pin(o.recipient);
    for (const o of rows) {
      if (o.status !== 'sent' || o.messageId === undefined) continue;
      const at = o.sentAt === undefined ? Number.NaN : Date.parse(o.sentAt);
      if (this.#claims.isPinned(o.recipient) || !(at < since)) this.#claims.hold(o.recipient, o.messageId);
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
    this.#claims.note(job.recipient, r.messageId, this.#host.clock.now());
    return r;
  }

  /** read is the reconciler's way to the provider; it rejects when the run halts, since a cleared queue would never run it. */
  readonly #read = (req: { method: 'GET'; path: string }): Promise<HttpResponse> => {
    const { signal, queue, transport } = this.#host;
    const stopped = () => new TransportError('the campaign stopped before the read', 'ABORTED', false);
    if (signal.aborted || this.#host.halted()) return Promise.reject(stopped());
    const http = this.#host.get(req.path);
    return new Promise<HttpResponse>((resolve, reject) => {
      const onAbort = () => reject(stopped());
      signal.addEventListener('abort', onAbort, { once: true });
      queue
        .add(() => (signal.aborted ? Promise.reject(stopped()) : transport.request(http, signal)), { priority: 2 })
        .then(resolve, reject)
        .finally(() => signal.removeEventListener('abort', onAbort));
    });
  };
}

/**
 * reconciliationFor is the campaign's reconciliation, or undefined when it has none: `configured`
 * undefined picks the provider's own reconciler (defaultReconciler), `null` turns it off.
 */
export function reconciliationFor(
  configured: Reconciler | null | undefined,
  provider: ProviderDefinition,
  host: ReconciliationHost,
  timeoutMs: number,
): Reconciliation | undefined {
  const reconciler = configured === undefined ? defaultReconciler(provider) : (configured ?? undefined);
  return reconciler === undefined ? undefined : new Reconciliation(reconciler, host, timeoutMs);
}

/** defaultReconciler is the provider's own reconciler: only Wassist documents a way to read messages back. */
export function defaultReconciler(provider: ProviderDefinition): Reconciler | undefined {
  return provider.kind === 'wassist' ? new WassistReconciler() : undefined;
}
