import { setMaxListeners } from 'node:events';
import PQueue from 'p-queue';
import type { RetrySpec } from '../../../shared/campaign/schema';
import type { EngineEvent, RowOutcome } from '../../../shared/engine/events';
import type { ProviderDefinition } from '../../../shared/providers/types';
import type { Clock, Journal, Transport } from '../ports';
import { crashPoint } from '../state/crash-points';
import type { JournalRecord } from '../state/journal-codec';
import { CircuitBreaker, defaultBreakerThreshold } from './breaker';
import { DrainWatch } from './drain';
import { EarlierRows } from './earlier-rows';
import { feedJobs } from './feeder';
import { RunLedger } from './ledger';
import { ratePacing } from './rate-limit';
import type { Reconciliation } from './reconciliation';
import { reconciliationFor } from './reconciliation';
import type { RowWork } from './row-work';
import { RowRequests } from './row-work';
import { decide } from './settle';
import { Settler } from './settler';
import { StartGate } from './start-gate';
import type { EngineConfig, EngineDeps, EngineJob, EngineSnapshot, EngineState, RunSummary } from './types';
import type { Redact, Verdict } from './verdict';
import { judgeError, judgeResponse, keyRedactor, messageOf } from './verdict';

export type { EngineConfig, EngineDeps, EngineJob, EngineSnapshot, EngineState, RunSummary, SendJob, SkipJob } from './types';

/** Halt is why the run stopped starting rows: a stop (with its reason) or the user's cancel. */
interface Halt {
  reason: 'stopped' | 'cancelled';
  detail?: string;
  httpStatus?: number;
}

/**
 * CampaignEngine sends one campaign's rows through the provider: one global p-queue gives the
 * concurrency and the rate limit (strict sliding windows, retries included), every attempt is
 * written ahead to the journal, and each row ends sent, failed, skipped, uncertain or (when the
 * run is stopped or cancelled) pending. It knows nothing of Electron, files or HTTP libraries:
 * the CLI and the desktop main process drive it with their own transport, journal and clock.
 */
export class CampaignEngine {
  readonly #provider: ProviderDefinition;
  readonly #retry: RetrySpec;
  readonly #transport: Transport;
  readonly #clock: Clock;
  readonly #journal: Journal;
  readonly #onEvent: (e: EngineEvent) => void;
  readonly #random: () => number;
  readonly #redact: Redact;
  readonly #queue: PQueue;
  readonly #abort = new AbortController();
  readonly #gate: StartGate;
  /** The feeder tops the queue up to `#high` waiting jobs, then waits for it to fall below `#low`. */
  readonly #high: number;
  readonly #low: number;
  readonly #requests: RowRequests;
  readonly #drain: DrainWatch;
  readonly #ledger: RunLedger;
  readonly #reconciler: Reconciliation | undefined;
  readonly #breaker: CircuitBreaker;
  readonly #settler: Settler;
  readonly #earlier: EarlierRows;
  #breakerReason: string | undefined;
  #state: EngineState = 'idle';
  #halt: Halt | undefined;

  constructor(config: EngineConfig, deps: EngineDeps) {
    this.#provider = config.provider;
    this.#retry = config.retry;
    this.#redact = keyRedactor(config.apiKey);
    this.#transport = deps.transport;
    this.#clock = deps.clock;
    this.#journal = deps.journal;
    this.#onEvent = deps.onEvent;
    this.#random = deps.random ?? Math.random;
    const { concurrency } = config.throttle;
    this.#queue = new PQueue({ concurrency, ...ratePacing(config.throttle.perSecond), strict: true });
    // Every waiting retry and reconciliation listens on this one run-wide signal (each removes its
    // listener when it ends), so thousands at once are expected, not a leak.
    setMaxListeners(0, this.#abort.signal);
    this.#gate = new StartGate(this.#queue, this.#clock, this.#abort.signal);
    this.#high = Math.max(64, concurrency * 4);
    this.#low = this.#high / 2;
    this.#requests = new RowRequests(config.baseUrl, config.provider.authHeaders(config.apiKey), this.#retry.timeoutMs);
    this.#drain = new DrainWatch(this.#queue);
    this.#ledger = new RunLedger(this.#journal, (detail) => this.#stop(detail), this.#redact);
    const halted = () => this.#halt !== undefined;
    const host = { queue: this.#queue, transport: this.#transport, clock: this.#clock, signal: this.#abort.signal, halted, get: (path: string) => this.#requests.get(path) };
    this.#reconciler = reconciliationFor(config.reconciler, config.provider, host, this.#retry.timeoutMs);
    this.#breaker = new CircuitBreaker(config.breakerThreshold ?? defaultBreakerThreshold);
    const ledger = this.#ledger;
    const emit = (e: EngineEvent) => this.#emit(e);
    this.#settler = new Settler({
      ledger, clock: this.#clock, signal: this.#abort.signal, drain: this.#drain, reconciliation: this.#reconciler, breaker: this.#breaker,
      retry: this.#retry, random: this.#random, redact: this.#redact, halted, emit,
      enqueue: (work, priority) => this.#enqueue(work, priority),
      stop: (detail) => this.#stop(detail),
      tripped: (reason) => this.#tripped(reason),
    });
    this.#earlier = new EarlierRows({
      ledger,
      resendUncertain: config.resendUncertain ?? false,
      halted,
      now: () => this.#clock.now(),
      emit,
      reconcile:
        this.#reconciler === undefined
          ? undefined
          : (job, attempts, startedAt, doubt) => this.#settler.reconcileLater(this.#requests.work(job, attempts), startedAt, doubt),
    });
  }

  /**
   * run sends the jobs (consumed lazily: only a bounded number wait in the queue) and resolves
   * once every row is settled, or left pending by a stop or cancel, after the `finished` event.
   * `total` is the number of rows, for the totals and the ETA. Call it once per engine.
   */
  async run(jobs: Iterable<EngineJob> | AsyncIterable<EngineJob>, total: number): Promise<RunSummary> {
    if (this.#state !== 'idle') throw new Error('CampaignEngine.run can be called only once');
    this.#state = 'running';
    this.#ledger.start(total, this.#clock.now());
    const drained = this.#drain.drained();
    this.#drain.setFeeding(true);
    try {
      this.#earlier.load(await this.#journal.load());
    } catch (e) {
      this.#stop(`could not read the campaign journal: ${this.#redact(messageOf(e))}`);
    }
    this.#reconciler?.claimEarlier(this.#earlier.outcomes(), this.#retry.timeoutMs);
    const fed = await feedJobs(jobs, {
      halted: () => this.#halt !== undefined,
      room: () => (this.#queue.size >= this.#high ? this.#queue.onSizeLessThan(this.#low) : undefined),
      admit: (job) => this.#admit(job),
    });
    if (fed.error !== undefined) this.#stop(`could not read the next row: ${this.#redact(messageOf(fed.error))}`);
    if (this.#halt !== undefined) await this.#earlier.countUnreached();
    this.#drain.setFeeding(false);
    this.#earlier.forget();
    this.#drain.check();
    await drained;
    this.#abort.abort(); // ends a Retry-After hold that outlived the last row
    this.#state = 'finished';
    const totals = this.#ledger.totals();
    const reason = this.#halt?.reason ?? 'completed';
    this.#emit({ type: 'finished', reason, totals, at: this.#clock.now() });
    return this.#ledger.summary(reason, totals, this.#halt, this.#breakerReason);
  }

  /** pause stops new requests from starting until resume(); requests in flight finish. */
  pause(reason?: string): void {
    if (this.#state !== 'running' || this.#halt !== undefined) return;
    this.#state = 'paused';
    this.#gate.setUserPaused(true);
    const at = this.#clock.now();
    this.#emit(reason === undefined ? { type: 'paused', at } : { type: 'paused', reason, at });
  }

  /** resume lets requests start again after pause() (still after any Retry-After hold). */
  resume(): void {
    if (this.#state !== 'paused' || this.#halt !== undefined) return;
    this.#state = 'running';
    this.#breaker.reset();
    this.#breakerReason = undefined;
    this.#gate.setUserPaused(false);
    this.#emit({ type: 'resumed', at: this.#clock.now() });
  }

  /** cancel starts nothing more; requests in flight finish and the rest stay pending. */
  cancel(): void {
    if (this.#state === 'running' || this.#state === 'paused') this.#haltWith({ reason: 'cancelled' });
  }

  /** snapshot is the current state, totals, sending rate and ETA. */
  snapshot(): EngineSnapshot {
    return this.#ledger.snapshot(this.#state, this.#clock);
  }

  /** admit takes one row from the source: counts what earlier runs settled, records skips, queues the rest. */
  async #admit(job: EngineJob): Promise<void> {
    const previous = this.#earlier.take(job.row);
    if (previous !== undefined) {
      if (this.#earlier.reconcile(previous, job)) return;
      if (await this.#earlier.count(previous)) return;
    }
    if (this.#halt !== undefined) return; // stopped while this row was read: it stays pending
    const priorAttempts = previous?.attempts ?? 0;
    if ('skip' in job) {
      const reason = this.#redact(job.skip);
      const outcome: RowOutcome = { row: job.row, status: 'skipped', recipient: job.recipient, attempts: priorAttempts, error: reason };
      if (await this.#ledger.record(outcome, 'pending')) this.#emit({ type: 'skipped', row: job.row, reason, at: this.#clock.now() });
      return;
    }
    const work = this.#requests.work(job, priorAttempts);
    this.#emit({ type: 'queued', row: job.row, at: this.#clock.now() });
    this.#enqueue(work, 0);
  }

  /**
   * enqueue waits for a concurrency slot and a rate-limit slot; retries jump ahead of new rows.
   * After a stop or cancel nothing is queued (the row stays pending), or it would wait forever.
   */
  #enqueue(work: RowWork, priority: number): void {
    if (this.#halt === undefined) void this.#queue.add(() => this.#attempt(work), { priority });
  }

  /**
   * attempt holds a queue slot (concurrency) only while the request is on the wire: the result's
   * journal record is synced after the slot is freed, so the sync of one row's result overlaps the
   * next row's request and many rows' results share one group commit. The run cannot drain before
   * that record is durable (the drain watch tracks it).
   */
  async #attempt(work: RowWork): Promise<void> {
    this.#drain.enter();
    let rest: (() => Promise<void>) | undefined;
    const failed = (e: unknown) => this.#stop(`internal error while sending row ${work.job.row}: ${this.#redact(messageOf(e))}`);
    try {
      rest = await this.#sendOnce(work);
    } catch (e) {
      failed(e);
    } finally {
      this.#drain.leave();
    }
    if (rest === undefined) this.#drain.check();
    else this.#drain.track(rest, failed);
  }

  /**
   * sendOnce is one attempt: write ahead, request, judge; it returns the rest (record, then emit
   * and maybe retry later), to run once the queue slot is free.
   */
  async #sendOnce(work: RowWork): Promise<(() => Promise<void>) | undefined> {
    const { row, recipient } = work.job;
    const attempts = work.attempts + 1;
    const startedAt = this.#clock.now();
    const attemptStartedAt = new Date(startedAt).toISOString();
    const inFlight: JournalRecord = { row, status: 'in-flight', recipient, attempts, attemptStartedAt };
    if (!(await this.#ledger.record(inFlight, work.status))) return undefined;
    work.status = 'in-flight';
    if (this.#halt !== undefined) {
      // Stopped or cancelled while the write-ahead record was written: this request never starts.
      await this.#ledger.recordResult(work, { row, status: 'pending', recipient, attempts: work.attempts });
      return undefined;
    }
    work.attempts = attempts;
    work.tries++;
    this.#emit({ type: 'sending', row, attempt: attempts, at: this.#clock.now() });
    let verdict: Verdict;
    try {
      const res = await this.#transport.request(work.http);
      verdict = judgeResponse(this.#provider, res, this.#clock.now(), this.#redact);
    } catch (e) {
      verdict = judgeError(e, this.#redact);
    }
    crashPoint('request-answered', String(row));
    const now = this.#clock.now();
    const halted = this.#halt !== undefined;
    const d = decide({ row, recipient, attempts, tries: work.tries, retry: this.#retry, random: this.#random, halted, now }, verdict);
    if (d.holdMs !== undefined) this.#gate.holdFor(d.holdMs);
    if (d.stop !== undefined) this.#stop(d.stop.reason, d.stop.httpStatus);
    if (d.outcome.status === 'uncertain') {
      // Keep the attempt's start with the doubt: reconciliation (now or after a crash) looks from there.
      const uncertain: JournalRecord = { ...d.outcome, attemptStartedAt };
      d.outcome = uncertain;
      if (this.#reconciler !== undefined && verdict.kind === 'uncertain') {
        const doubt = verdict.reason;
        return async () => {
          if (await this.#ledger.recordResult(work, d.outcome)) this.#settler.reconcileLater(work, startedAt, doubt);
        };
      }
    }
    // Counted now, while this row still holds its slot: a pause then starts nothing more.
    if (d.finalState !== undefined) this.#settler.noteBreaker(d);
    return () => this.#settler.apply(work, d, now, false);
  }

  /** tripped pauses the run when the circuit breaker trips, unless it is already paused or halting. */
  #tripped(reason: string): void {
    if (this.#state !== 'running' || this.#halt !== undefined) return;
    this.#breakerReason = reason;
    this.pause(reason);
  }

  #stop(detail: string, httpStatus?: number): void {
    const halt: Halt = { reason: 'stopped', detail };
    if (httpStatus !== undefined) halt.httpStatus = httpStatus;
    if (!this.#haltWith(halt)) return;
    const event: EngineEvent = { type: 'stopped', reason: detail, at: this.#clock.now() };
    if (httpStatus !== undefined) event.httpStatus = httpStatus;
    this.#emit(event);
  }

  /** haltWith stops all new starts at once: queued rows are dropped (they stay pending), retry waits end. */
  #haltWith(halt: Halt): boolean {
    if (this.#halt !== undefined) return false;
    this.#halt = halt;
    this.#gate.halt();
    this.#queue.clear();
    this.#abort.abort();
    this.#drain.check();
    return true;
  }

  /** emit hands an event to the sink; a sink that throws stops the campaign instead of breaking a row half way. */
  #emit(e: EngineEvent): void {
    try {
      this.#onEvent(e);
    } catch (err) {
      if (this.#state === 'finished') return; // nothing is left to stop
      this.#stop(`the event listener failed: ${this.#redact(messageOf(err))}`);
    }
  }
}
