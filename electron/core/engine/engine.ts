import { setMaxListeners } from 'node:events';
import PQueue from 'p-queue';
import type { RetrySpec } from '../../../shared/campaign/schema';
import type { EngineEvent, RowOutcome, RowStatus } from '../../../shared/engine/events';
import type { ProviderDefinition } from '../../../shared/providers/types';
import type { Clock, HttpRequest, Journal, Transport } from '../ports';
import { crashPoint } from '../state/crash-points';
import type { JournalRecord } from '../state/journal-codec';
import { attemptStartOf } from '../state/journal-codec';
import { CircuitBreaker, defaultBreakerThreshold } from './breaker';
import { feedJobs } from './feeder';
import { ratePacing } from './rate-limit';
import { interruptedReason, resumePlan } from './resume';
import { decideReconciled } from './reconcile-step';
import { defaultReconciler, Reconciliation } from './reconciliation';
import type { Decision } from './settle';
import { decide } from './settle';
import { StartGate } from './start-gate';
import { RateMeter, TotalsTally } from './totals';
import type { EngineConfig, EngineDeps, EngineJob, EngineSnapshot, EngineState, RunSummary, SendJob } from './types';
import type { Redact, Verdict } from './verdict';
import { judgeError, judgeResponse, keyRedactor, messageOf } from './verdict';

export type { EngineConfig, EngineDeps, EngineJob, EngineSnapshot, EngineState, RunSummary, SendJob, SkipJob } from './types';

/** One row on its way: the request built once, reused by every retry. */
interface RowWork {
  job: SendJob;
  http: HttpRequest;
  /** What the journal (and the tally) says about the row now. */
  status: RowStatus;
  /** Requests made for the row, earlier runs included (RowOutcome.attempts). */
  attempts: number;
  /** Requests made in this run: what `retry.attempts` caps. */
  tries: number;
}

/** doubtOf is why a row found uncertain on resume is in doubt, without an earlier failed check's note. */
function doubtOf(previous: RowOutcome): string {
  if (previous.status === 'in-flight') return interruptedReason;
  return (previous.error ?? 'no answer came').replace(/ \(could not check delivery: [\s\S]*\)$/, '');
}

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
  readonly #baseUrl: string;
  readonly #headers: Record<string, string>;
  readonly #jsonHeaders: Record<string, string>;
  readonly #retry: RetrySpec;
  readonly #resendUncertain: boolean;
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
  readonly #reconciler: Reconciliation | undefined;
  readonly #breaker: CircuitBreaker;
  #breakerReason: string | undefined;
  #state: EngineState = 'idle';
  #tally = new TotalsTally(0);
  #meter: RateMeter | undefined;
  #halt: Halt | undefined;
  #feeding = false;
  #active = 0;
  #waiting = 0;
  #loaded = new Map<number, RowOutcome>();
  #drained: (() => void) | undefined;

  constructor(config: EngineConfig, deps: EngineDeps) {
    this.#provider = config.provider;
    this.#baseUrl = config.baseUrl;
    this.#headers = config.provider.authHeaders(config.apiKey);
    this.#jsonHeaders = { 'content-type': 'application/json', ...this.#headers };
    this.#retry = config.retry;
    this.#resendUncertain = config.resendUncertain ?? false;
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
    const reconciler = config.reconciler === undefined ? defaultReconciler(config.provider) : (config.reconciler ?? undefined);
    if (reconciler !== undefined) {
      const host = {
        queue: this.#queue,
        transport: this.#transport,
        clock: this.#clock,
        signal: this.#abort.signal,
        halted: () => this.#halt !== undefined,
        get: (path: string): HttpRequest => ({ method: 'GET', url: this.#baseUrl + path, headers: this.#headers, timeoutMs: this.#retry.timeoutMs }),
      };
      this.#reconciler = new Reconciliation(reconciler, host, this.#retry.timeoutMs);
    }
    this.#breaker = new CircuitBreaker(config.breakerThreshold ?? defaultBreakerThreshold);
  }

  /**
   * run sends the jobs (consumed lazily: only a bounded number wait in the queue) and resolves
   * once every row is settled, or left pending by a stop or cancel, after the `finished` event.
   * `total` is the number of rows, for the totals and the ETA. Call it once per engine.
   */
  async run(jobs: Iterable<EngineJob> | AsyncIterable<EngineJob>, total: number): Promise<RunSummary> {
    if (this.#state !== 'idle') throw new Error('CampaignEngine.run can be called only once');
    this.#state = 'running';
    this.#tally = new TotalsTally(total);
    this.#meter = new RateMeter(this.#clock.now());
    const drained = new Promise<void>((resolve) => (this.#drained = resolve));
    this.#feeding = true;
    try {
      for (const outcome of await this.#journal.load()) this.#loaded.set(outcome.row, outcome);
    } catch (e) {
      this.#stop(`could not read the campaign journal: ${this.#redact(messageOf(e))}`);
    }
    this.#reconciler?.claimEarlier(this.#loaded.values(), this.#retry.timeoutMs);
    const fed = await feedJobs(jobs, {
      halted: () => this.#halt !== undefined,
      room: () => (this.#queue.size >= this.#high ? this.#queue.onSizeLessThan(this.#low) : undefined),
      admit: (job) => this.#admit(job),
    });
    if (fed.error !== undefined) this.#stop(`could not read the next row: ${this.#redact(messageOf(fed.error))}`);
    if (this.#halt !== undefined) {
      // Stopped before reading every row: still count the rows earlier runs settled that the
      // feeder never reached, so the totals match the journal.
      for (const previous of this.#loaded.values()) await this.#countEarlier(previous, false);
    }
    this.#feeding = false;
    this.#loaded = new Map();
    this.#checkDrained();
    await drained;
    this.#abort.abort(); // ends a Retry-After hold that outlived the last row
    this.#state = 'finished';
    const totals = this.#tally.totals();
    const reason = this.#halt?.reason ?? 'completed';
    this.#emit({ type: 'finished', reason, totals, at: this.#clock.now() });
    const journal = this.#journal;
    const summary: RunSummary = { reason, totals, outcomes: async () => new Map((await journal.load()).map((o) => [o.row, o])) };
    if (this.#halt?.detail !== undefined) summary.stopReason = this.#halt.detail;
    if (this.#halt?.httpStatus !== undefined) summary.stopHttpStatus = this.#halt.httpStatus;
    if (this.#breakerReason !== undefined) summary.breakerReason = this.#breakerReason;
    return summary;
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
    const totals = this.#tally.totals();
    if (this.#meter === undefined) return { state: this.#state, totals, ratePerSecond: 0, etaSeconds: null };
    const { sentPerSecond, donePerSecond } = this.#meter.rates(this.#clock.now());
    let etaSeconds: number | null = null;
    if (this.#state === 'finished') etaSeconds = 0;
    else if (donePerSecond > 0) etaSeconds = (totals.pending + totals.inFlight) / donePerSecond;
    return { state: this.#state, totals, ratePerSecond: sentPerSecond, etaSeconds };
  }

  /** admit takes one row from the source: counts what earlier runs settled, records skips, queues the rest. */
  async #admit(job: EngineJob): Promise<void> {
    const previous = this.#loaded.get(job.row);
    if (previous !== undefined) {
      this.#loaded.delete(job.row);
      if (this.#reconcileEarlier(previous, job)) return;
      if (await this.#countEarlier(previous, this.#resendUncertain)) return;
    }
    if (this.#halt !== undefined) return; // stopped while this row was read: it stays pending
    const priorAttempts = previous?.attempts ?? 0;
    if ('skip' in job) {
      const reason = this.#redact(job.skip);
      const outcome: RowOutcome = { row: job.row, status: 'skipped', recipient: job.recipient, attempts: priorAttempts, error: reason };
      if (await this.#record(outcome, 'pending')) this.#emit({ type: 'skipped', row: job.row, reason, at: this.#clock.now() });
      return;
    }
    const http = this.#httpFor(job);
    this.#emit({ type: 'queued', row: job.row, at: this.#clock.now() });
    this.#enqueue({ job, http, status: 'pending', attempts: priorAttempts, tries: 0 }, 0);
  }

  #httpFor(job: SendJob): HttpRequest {
    const { request } = job;
    const http: HttpRequest = { method: request.method, url: this.#baseUrl + request.path, headers: this.#headers, timeoutMs: this.#retry.timeoutMs };
    if (request.body !== undefined) {
      http.body = JSON.stringify(request.body);
      http.headers = this.#jsonHeaders;
    }
    return http;
  }

  /**
   * reconcileEarlier starts the reconciliation of a row an earlier run left in flight or
   * uncertain (true), when there is a reconciler, the user did not ask to resend such rows, and the
   * journal says when the attempt began. Otherwise the row takes the plain resume path (false).
   */
  #reconcileEarlier(previous: RowOutcome, job: EngineJob): boolean {
    if (this.#reconciler === undefined || this.#resendUncertain || this.#halt !== undefined || 'skip' in job) return false;
    if (previous.status !== 'in-flight' && previous.status !== 'uncertain') return false;
    const startedAt = attemptStartOf(previous);
    if (startedAt === undefined) return false;
    const work: RowWork = { job, http: this.#httpFor(job), status: 'pending', attempts: previous.attempts, tries: 0 };
    this.#reconcileLater(work, startedAt, doubtOf(previous));
    return true;
  }

  /**
   * countEarlier counts a row an earlier run recorded, when it is not to be sent now (true).
   * A row left in flight is recorded as uncertain: it may have been delivered.
   */
  async #countEarlier(previous: RowOutcome, resendUncertain: boolean): Promise<boolean> {
    const plan = resumePlan(previous, resendUncertain);
    if (plan.kind === 'send') return false;
    if (plan.kind === 'done') this.#tally.move('pending', plan.status);
    else if (!plan.settle) this.#tally.move('pending', 'uncertain');
    else {
      const outcome: RowOutcome = { ...previous, status: 'uncertain', error: interruptedReason };
      if (await this.#record(outcome, 'pending')) {
        this.#emit({ type: 'uncertain', row: previous.row, attempt: outcome.attempts, error: interruptedReason, at: this.#clock.now() });
      }
    }
    return true;
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
   * that record is durable (`#waiting`).
   */
  async #attempt(work: RowWork): Promise<void> {
    this.#active++;
    let rest: (() => Promise<void>) | undefined;
    const failed = (e: unknown) => this.#stop(`internal error while sending row ${work.job.row}: ${this.#redact(messageOf(e))}`);
    try {
      rest = await this.#sendOnce(work);
    } catch (e) {
      failed(e);
    } finally {
      this.#active--;
    }
    if (rest === undefined) {
      this.#checkDrained();
      return;
    }
    this.#waiting++;
    rest()
      .catch(failed)
      .finally(() => {
        this.#waiting--;
        this.#checkDrained();
      });
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
    if (!(await this.#record(inFlight, work.status))) return undefined;
    work.status = 'in-flight';
    if (this.#halt !== undefined) {
      // Stopped or cancelled while the write-ahead record was written: this request never starts.
      await this.#recordResult(work, { row, status: 'pending', recipient, attempts: work.attempts });
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
          if (await this.#recordResult(work, d.outcome)) this.#reconcileLater(work, startedAt, doubt);
        };
      }
    }
    // Counted now, while this row still holds its slot: a pause then starts nothing more.
    if (d.finalState !== undefined) this.#noteBreaker(d);
    return () => this.#apply(work, d, now, false);
  }

  /** apply records a decision, then counts (the breaker too, unless `breaker` is false), emits and schedules what follows it. */
  async #apply(work: RowWork, d: Decision, now: number, breaker = true): Promise<void> {
    if (!(await this.#recordResult(work, d.outcome))) return;
    if (d.finalState !== undefined) this.#meter?.mark(now, d.finalState === 'sent');
    if (d.event !== undefined) this.#emit(d.event);
    if (d.outcome.status === 'sent' && d.outcome.messageId !== undefined) this.#reconciler?.sent(d.outcome.recipient, d.outcome.messageId, now);
    if (breaker && d.finalState !== undefined) this.#noteBreaker(d);
    if (d.retryInMs !== undefined) this.#retryLater(work, d.retryInMs);
  }

  /** noteBreaker counts a row that reached a final state; the breaker pauses the run after too many failures in a row. */
  #noteBreaker(d: Decision): void {
    const o = d.outcome;
    const reason = this.#breaker.note(d.finalState === 'sent', `row ${o.row}: ${o.error ?? o.status}`);
    if (reason === undefined || this.#state !== 'running' || this.#halt !== undefined) return;
    this.#breakerReason = reason;
    this.pause(reason);
  }

  /**
   * reconcileLater asks the reconciler, outside the queue (its reads take queue slots of their
   * own, so a row holding a slot never waits for another), whether a request in doubt was
   * delivered, then settles the row with what it found.
   */
  #reconcileLater(work: RowWork, startedAt: number, doubt: string): void {
    const reconciliation = this.#reconciler as Reconciliation;
    const { row, recipient } = work.job;
    this.#waiting++;
    reconciliation.pin(recipient);
    const settleIt = async (): Promise<void> => {
      const r = await reconciliation.check(work.job, startedAt);
      const now = this.#clock.now();
      const ctx = { row, recipient, attempts: work.attempts, tries: work.tries, retry: this.#retry, random: this.#random, halted: this.#halt !== undefined, now, doubt, attemptStartedAt: startedAt };
      await this.#apply(work, decideReconciled(ctx, r, this.#redact), now);
    };
    settleIt().then(
      () => undefined,
      (e: unknown) => this.#stop(`internal error while checking row ${row}: ${this.#redact(messageOf(e))}`),
    ).finally(() => {
      this.#waiting--;
      this.#checkDrained();
    });
  }

  /** retryLater waits outside the queue, so a waiting row holds no concurrency slot. */
  #retryLater(work: RowWork, delayMs: number): void {
    this.#waiting++;
    this.#clock.sleep(delayMs, this.#abort.signal).then(
      () => {
        this.#waiting--;
        this.#enqueue(work, 1);
        this.#checkDrained();
      },
      () => {
        this.#waiting--; // stopped or cancelled: the row stays pending
        this.#checkDrained();
      },
    );
  }

  /** record writes an outcome to the journal and, once it is durable, moves the row in the tally. */
  async #record(outcome: RowOutcome, from: RowStatus): Promise<boolean> {
    try {
      await this.#journal.record(outcome);
    } catch (e) {
      this.#stop(`could not record progress in the campaign journal: ${this.#redact(messageOf(e))}`);
      return false;
    }
    this.#tally.move(from, outcome.status);
    return true;
  }

  /**
   * recordResult records the end of an attempt. If that fails, the journal still says in flight,
   * which a resume reads as uncertain, so the tally says uncertain too.
   */
  async #recordResult(work: RowWork, outcome: RowOutcome): Promise<boolean> {
    const ok = await this.#record(outcome, work.status);
    const status = ok ? outcome.status : 'uncertain';
    if (!ok) this.#tally.move(work.status, status);
    work.status = status;
    return ok;
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
    this.#checkDrained();
    return true;
  }

  #checkDrained(): void {
    if (this.#feeding || this.#queue.size > 0 || this.#active > 0 || this.#waiting > 0) return;
    const drained = this.#drained;
    this.#drained = undefined;
    drained?.();
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
