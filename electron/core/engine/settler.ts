import type { RetrySpec } from '../../../shared/campaign/schema';
import type { EngineEvent } from '../../../shared/engine/events';
import type { Clock } from '../ports';
import type { CircuitBreaker } from './breaker';
import type { DrainWatch } from './drain';
import type { RunLedger } from './ledger';
import { decideReconciled } from './reconcile-step';
import type { Reconciliation } from './reconciliation';
import type { RowWork } from './row-work';
import type { Decision } from './settle';
import type { Redact } from './verdict';
import { messageOf } from './verdict';

/** SettlerHost is what the engine lends the settler: its books, ports, run-wide state and callbacks. */
export interface SettlerHost {
  ledger: RunLedger;
  clock: Clock;
  /** Aborted when the run halts: a retry still waiting ends there and its row stays pending. */
  signal: AbortSignal;
  drain: DrainWatch;
  /** Undefined when there is no reconciler; reconcileLater is then never called. */
  reconciliation: Reconciliation | undefined;
  breaker: CircuitBreaker;
  retry: RetrySpec;
  random: () => number;
  redact: Redact;
  halted(): boolean;
  emit(e: EngineEvent): void;
  /** Queues another attempt of the row (a retry comes before new rows). */
  enqueue(work: RowWork, priority: number): void;
  /** Stops the campaign with this reason. */
  stop(detail: string): void;
  /** The breaker tripped: pause the run with this reason (if it is still running). */
  tripped(reason: string): void;
}

/**
 * Settler carries out what was decided about a row: it records the decision, counts the row
 * (rate meter, breaker), emits its event and schedules what follows outside the queue, so a row
 * that waits holds no concurrency slot: a retry after its backoff, or a reconciliation check for
 * a request in doubt (which settles the row in turn).
 */
export class Settler {
  readonly #host: SettlerHost;

  constructor(host: SettlerHost) {
    this.#host = host;
  }

  /** apply records a decision, then counts (the breaker too, unless `breaker` is false), emits and schedules what follows it. */
  async apply(work: RowWork, d: Decision, now: number, breaker = true): Promise<void> {
    const h = this.#host;
    if (!(await h.ledger.recordResult(work, d.outcome))) return;
    if (d.finalState !== undefined) h.ledger.mark(now, d.finalState === 'sent');
    if (d.event !== undefined) h.emit(d.event);
    if (d.outcome.status === 'sent' && d.outcome.messageId !== undefined) h.reconciliation?.sent(d.outcome.recipient, d.outcome.messageId, now);
    if (breaker && d.finalState !== undefined) this.noteBreaker(d);
    if (d.retryInMs !== undefined) this.#retryLater(work, d.retryInMs);
  }

  /** noteBreaker counts a row that reached a final state; the breaker pauses the run after too many failures in a row. */
  noteBreaker(d: Decision): void {
    const o = d.outcome;
    const reason = this.#host.breaker.note(d.finalState === 'sent', `row ${o.row}: ${o.error ?? o.status}`);
    if (reason !== undefined) this.#host.tripped(reason);
  }

  /**
   * reconcileLater asks the reconciler, outside the queue (its reads take queue slots of their
   * own, so a row holding a slot never waits for another), whether a request in doubt was
   * delivered, then settles the row with what it found.
   */
  reconcileLater(work: RowWork, startedAt: number, doubt: string): void {
    const h = this.#host;
    const reconciliation = h.reconciliation as Reconciliation;
    const { row, recipient } = work.job;
    const settleIt = async (): Promise<void> => {
      reconciliation.pin(recipient);
      const r = await reconciliation.check(work.job, startedAt);
      const now = h.clock.now();
      const ctx = { row, recipient, attempts: work.attempts, tries: work.tries, retry: h.retry, random: h.random, halted: h.halted(), now, doubt, attemptStartedAt: startedAt };
      await this.apply(work, decideReconciled(ctx, r, h.redact), now);
    };
    h.drain.track(settleIt, (e) => h.stop(`internal error while checking row ${row}: ${h.redact(messageOf(e))}`));
  }

  /** retryLater waits outside the queue, so a waiting row holds no concurrency slot. */
  #retryLater(work: RowWork, delayMs: number): void {
    const { drain } = this.#host;
    drain.enter();
    this.#host.clock.sleep(delayMs, this.#host.signal).then(
      () => {
        drain.leave();
        this.#host.enqueue(work, 1);
        drain.check();
      },
      () => {
        drain.leave(); // stopped or cancelled: the row stays pending
        drain.check();
      },
    );
  }
}
