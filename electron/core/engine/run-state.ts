import { setMaxListeners } from 'node:events';
import type { RetrySpec } from '../../../shared/campaign/schema';
import type { EngineEvent, FinishReason, RowOutcome, RowStatus, Totals } from '../../../shared/engine/events';
import type { ProviderDefinition } from '../../../shared/providers/types';
import type { Clock, HttpRequest, Journal, RowOutcomes, Transport } from '../ports';
import { RowStore } from '../state/row-store';
import { CircuitBreaker, defaultBreakerThreshold } from './breaker';
import type { WaitingOpenings } from './eta';
import { estimateEta } from './eta';
import { defaultReconciler } from './reconciler';
import { Reconciliation } from './reconciliation';
import type { RowWork } from './row-requests';
import { journalled, RowRequests } from './row-requests';
import type { SendQueue, SendQueueSpec, WireResult, WireTicket } from './send-queue';
import { createSendQueue, sendOnWire } from './send-queue';
import { RateMeter, TotalsTally } from './totals';
import type { EngineConfig, EngineDeps, EngineSnapshot, EngineState, Halt, RunSummary } from './types';
import type { Redact } from './verdict';
import { keyRedactor, messageOf } from './verdict';

/**
 * RunState is one run of a campaign: the ports and settings every row needs, where the run is
 * (running, paused, halted and why), its books, and what is still under way. Every part of a row's
 * life (row-life.ts, resume-rows.ts, reconciliation.ts) works on this one object instead of being
 * handed callbacks.
 *
 * The books: a row's outcome is written to the journal (the source of truth) and the row moves in
 * the totals only once the record is durable, so the totals never claim more than a resume would
 * find. A record that fails stops the campaign: going on would send rows it cannot track.
 *
 * What is under way: the run is drained when the feeder is done, the queue is empty and nothing
 * runs outside it (a request on the wire, a result being recorded, a retry's backoff, a
 * reconciliation check). `leave()` does not check by itself, so a caller can queue what follows
 * (a retry) before the run may be found drained.
 */
export class RunState {
  readonly provider: ProviderDefinition;
  readonly retry: RetrySpec;
  readonly transport: Transport;
  readonly clock: Clock;
  readonly journal: Journal;
  readonly random: () => number;
  readonly redact: Redact;
  readonly queue: SendQueue;
  readonly requests: RowRequests;
  readonly breaker: CircuitBreaker;
  /** Undefined when the campaign has no reconciler. */
  readonly reconciliation: Reconciliation | undefined;
  readonly resendUncertain: boolean;
  /** Aborted when the run halts or ends: retry waits and reconciliation reads end there. */
  readonly signal: AbortSignal;
  readonly #abort = new AbortController();
  readonly #onEvent: (e: EngineEvent) => void;

  /**
   * Every row's latest recorded state, earlier runs' and this one's: the journal's own index, or
   * (a journal without one) one loaded from it and kept up to date here. Set by loadRows().
   */
  rows: RowOutcomes = new RowStore(0);
  #shadow: RowStore | undefined;

  state: EngineState = 'idle';
  halt: Halt | undefined;
  /** Why the circuit breaker paused the run, while that pause lasts. */
  breakerReason: string | undefined;

  #tally = new TotalsTally(0);
  #meter: RateMeter | undefined;
  #feeding = false;
  #busy = 0;
  #drained: (() => void) | undefined;

  constructor(config: EngineConfig, deps: EngineDeps) {
    this.provider = config.provider;
    this.retry = config.retry;
    this.redact = keyRedactor(config.apiKey);
    this.transport = deps.transport;
    this.clock = deps.clock;
    this.journal = deps.journal;
    this.random = deps.random ?? Math.random;
    this.#onEvent = deps.onEvent;
    this.resendUncertain = config.resendUncertain ?? false;
    this.signal = this.#abort.signal;
    // Every waiting retry and reconciliation listens on this one run-wide signal (each removes its
    // listener when it ends), so thousands at once are expected, not a leak.
    setMaxListeners(0, this.signal);
    const { concurrency, perSecond } = config.throttle;
    const spec: SendQueueSpec = { concurrency, perSecond, adaptive: config.adaptivePace ?? true, clock: deps.clock };
    if (config.arrivalMarginMs !== undefined) spec.marginMs = config.arrivalMarginMs;
    this.queue = deps.queue?.(spec) ?? createSendQueue(spec);
    this.requests = new RowRequests(config.baseUrl, config.provider.authHeaders(config.apiKey), config.retry.timeoutMs, config.provider.uploads);
    this.breaker = new CircuitBreaker(config.breakerThreshold ?? defaultBreakerThreshold);
    const reconciler = config.reconciler === undefined ? defaultReconciler(config.provider) : (config.reconciler ?? undefined);
    this.reconciliation = reconciler === undefined ? undefined : new Reconciliation(reconciler, this);
  }

  get halted(): boolean {
    return this.halt !== undefined;
  }

  /** emit hands an event to the sink; a sink that throws stops the campaign instead of breaking a row half way. */
  emit(e: EngineEvent): void {
    try {
      this.#onEvent(e);
    } catch (err) {
      if (this.state === 'finished') return; // nothing is left to stop
      this.stop(`the event listener failed: ${this.redact(messageOf(err))}`);
    }
  }

  /** pause stops new requests from starting until resume(); requests in flight finish. */
  pause(reason?: string): void {
    if (this.state !== 'running' || this.halted) return;
    this.state = 'paused';
    this.queue.setPaused(true);
    const at = this.clock.now();
    this.emit(reason === undefined ? { type: 'paused', at } : { type: 'paused', reason, at });
  }

  /** resume lets requests start again after pause() (still after any Retry-After hold). */
  resume(): void {
    if (this.state !== 'paused' || this.halted) return;
    this.state = 'running';
    this.breaker.reset();
    this.breakerReason = undefined;
    this.queue.setPaused(false);
    this.emit({ type: 'resumed', at: this.clock.now() });
  }

  /** tripped pauses the run when the circuit breaker trips, unless it is already paused or halting. */
  tripped(reason: string): void {
    if (this.state !== 'running' || this.halted) return;
    this.breakerReason = reason;
    this.pause(reason);
  }

  /** stop halts the run for a reason (a refused key, a journal that cannot record...) and says so. */
  stop(detail: string, httpStatus?: number): void {
    const halt: Halt = { reason: 'stopped', detail };
    if (httpStatus !== undefined) halt.httpStatus = httpStatus;
    if (!this.haltWith(halt)) return;
    const event: EngineEvent = { type: 'stopped', reason: detail, at: this.clock.now() };
    if (httpStatus !== undefined) event.httpStatus = httpStatus;
    this.emit(event);
  }

  /** haltWith stops all new starts at once: queued rows are dropped (they stay pending), retry waits end. */
  haltWith(halt: Halt): boolean {
    if (this.halted) return false;
    this.halt = halt;
    this.queue.halt();
    this.#abort.abort();
    this.check();
    return true;
  }

  /** end ends what outlives the last row (a Retry-After hold) once the run is drained. */
  end(): void {
    this.queue.halt();
    this.#abort.abort();
    this.state = 'finished';
  }

  /** request makes one request with its queue ticket, and announces a change of pace that its answer caused. */
  async request(http: HttpRequest, ticket: WireTicket, signal?: AbortSignal): Promise<WireResult> {
    const wire = await sendOnWire(this.transport, http, ticket, signal);
    if (wire.pace !== undefined) this.emit({ type: 'pace', ...wire.pace, at: this.clock.now() });
    return wire;
  }

  // ---- the books ----

  /** open opens the books for `total` rows. */
  open(total: number): void {
    this.#tally = new TotalsTally(total);
    this.#meter = new RateMeter(this.clock.now());
  }

  /** count moves a row in the totals without writing a record (the journal already says so). */
  count(from: RowStatus, to: RowStatus): void {
    this.#tally.move(from, to);
  }

  /** mark counts a row that reached a final state at `now` in the rate meter. */
  mark(now: number, sent: boolean): void {
    this.#meter?.mark(now, sent);
  }

  totals(): Totals {
    return this.#tally.totals();
  }

  /** loadRows reads what earlier runs recorded (see `rows`); it throws when the journal cannot be read. */
  async loadRows(): Promise<void> {
    const own = this.journal.outcomes?.();
    if (own !== undefined) {
      this.rows = own;
      return;
    }
    this.#shadow = RowStore.of(await this.journal.load());
    this.rows = this.#shadow;
  }

  /** record writes an outcome to the journal and, once it is durable, moves the row in the tally. */
  async record(outcome: RowOutcome, from: RowStatus): Promise<boolean> {
    try {
      await this.journal.record(outcome);
      this.#shadow?.set(outcome);
    } catch (e) {
      this.stop(`could not record progress in the campaign journal: ${this.redact(messageOf(e))}`);
      return false;
    }
    this.#tally.move(from, outcome.status);
    return true;
  }

  /**
   * recordResult records the end of an attempt (with what the row's uploads answered while it is not
   * settled: journalled). If that fails, the journal still says what it said before (in flight,
   * which a resume reads as uncertain), so the tally says uncertain too.
   */
  async recordResult(work: RowWork, outcome: RowOutcome): Promise<boolean> {
    const ok = await this.record(journalled(work, outcome), work.status);
    const status = ok ? outcome.status : 'uncertain';
    if (!ok) this.#tally.move(work.status, status);
    work.status = status;
    return ok;
  }

  /** snapshot: state, totals, rate, ETA (`waiting` rows no earlier than their openings, eta.ts), pace when lowered. */
  snapshot(waiting?: WaitingOpenings): EngineSnapshot {
    const { state } = this;
    const totals = this.#tally.totals();
    const pace = this.queue.pace();
    const lowered = pace.reason !== undefined ? { pace } : {};
    if (this.#meter === undefined) return { state, totals, ratePerSecond: 0, etaSeconds: null, ...lowered };
    const now = this.clock.now();
    const { sentPerSecond, donePerSecond } = this.#meter.rates(now);
    const left = totals.pending + totals.inFlight;
    // A run that ended with rows left (cancelled, stopped) will not send them: no time, not "0s".
    const etaSeconds = state === 'finished' ? (left === 0 ? 0 : null) : estimateEta({ now, left, perSecond: donePerSecond, lastPerSecond: this.#meter.ratesAtLastMark().donePerSecond, waiting });
    return { state, totals, ratePerSecond: sentPerSecond, etaSeconds, ...lowered };
  }

  /** summary is how the run ended, for run() to return: `totals` as the `finished` event gave them. */
  summary(reason: FinishReason, totals: Totals): RunSummary {
    const journal = this.journal;
    const outcomes = async () => new Map(journal.outcomes?.() ?? (await journal.load()).map((o) => [o.row, o]));
    const summary: RunSummary = { reason, totals, outcomes };
    if (this.halt?.detail !== undefined) summary.stopReason = this.halt.detail;
    if (this.halt?.httpStatus !== undefined) summary.stopHttpStatus = this.halt.httpStatus;
    if (this.breakerReason !== undefined) summary.breakerReason = this.breakerReason;
    return summary;
  }

  // ---- what is under way ----

  /** drained resolves once a check() finds nothing left; call it once, when the run starts. */
  drained(): Promise<void> {
    return new Promise<void>((resolve) => (this.#drained = resolve));
  }

  /** setFeeding says whether the feeder may still admit rows: the run cannot drain while it may. */
  setFeeding(feeding: boolean): void {
    this.#feeding = feeding;
  }

  /** enter counts one more thing under way outside the queue. */
  enter(): void {
    this.#busy++;
  }

  /** leave counts one less; call check() once what follows it is queued. */
  leave(): void {
    this.#busy--;
  }

  /** track runs `task` outside the queue, counted as under way until it ends; an error it ends with goes to `failed`. */
  track(task: () => Promise<void>, failed: (e: unknown) => void): void {
    this.enter();
    task()
      .catch(failed)
      .finally(() => {
        this.leave();
        this.check();
      });
  }

  /** check resolves drained() (once) when the feeder is done, the queue is empty and nothing is under way. */
  check(): void {
    if (this.#feeding || this.queue.size > 0 || this.#busy > 0) return;
    const resolve = this.#drained;
    this.#drained = undefined;
    resolve?.();
  }
}
