import type { RowOutcome, RowStatus } from '../../../shared/engine/events';
import type { HttpRequest } from '../ports';
import { crashPoint } from '../state/crash-points';
import type { JournalRecord } from '../state/journal-codec';
import type { Decision } from './decide';
import { decide, decideReconciled } from './decide';
import type { EarlierRows } from './resume-rows';
import type { RunState } from './run-state';
import type { WireTicket } from './send-queue';
import type { EngineJob, SendJob } from './types';
import type { Verdict } from './verdict';
import { judgeError, judgeResponse, messageOf } from './verdict';

/**
 * A row's life, in order: admit (count what an earlier run settled, record a skip, or queue it),
 * attempt (write ahead, request, judge: decide.ts), settle (record, count, emit), then maybe a
 * retry after its backoff or a reconciliation check for a request in doubt, which settles the row
 * in turn. Every step works on the run's one state (run-state.ts). A row that waits (a retry, a
 * check) waits outside the queue, so it holds no concurrency slot.
 */

/** RowWork is one row on its way: the request built once, reused by every retry. */
export interface RowWork {
  job: SendJob;
  http: HttpRequest;
  /** What the journal (and the tally) says about the row now. */
  status: RowStatus;
  /** Requests made for the row, earlier runs included (RowOutcome.attempts). */
  attempts: number;
  /** Requests made in this run: what `retry.attempts` caps. */
  tries: number;
}

/** Queue priorities: reconciliation reads, then retries, then new rows. */
export const readPriority = 2;
const retryPriority = 1;
const newRowPriority = 0;

/**
 * RowRequests builds the campaign's HTTP requests: each row's send (once, however often it is
 * retried) and the reconciliation reads. The header objects are built once and shared by every
 * request, so a million rows do not mean a million copies of the auth headers.
 */
export class RowRequests {
  readonly #baseUrl: string;
  readonly #headers: Record<string, string>;
  readonly #jsonHeaders: Record<string, string>;
  readonly #timeoutMs: number;

  /** `headers` are the provider's auth headers; `timeoutMs` is the campaign's request timeout. */
  constructor(baseUrl: string, headers: Record<string, string>, timeoutMs: number) {
    this.#baseUrl = baseUrl;
    this.#headers = headers;
    this.#jsonHeaders = { 'content-type': 'application/json', ...headers };
    this.#timeoutMs = timeoutMs;
  }

  /** work starts a row on its way: pending, its request built, `attempts` counting the requests earlier runs made. */
  work(job: SendJob, attempts: number): RowWork {
    const { request } = job;
    const http: HttpRequest = { method: request.method, url: this.#baseUrl + request.path, headers: this.#headers, timeoutMs: this.#timeoutMs };
    if (request.body !== undefined) {
      http.body = JSON.stringify(request.body);
      http.headers = this.#jsonHeaders;
    }
    return { job, http, status: 'pending', attempts, tries: 0 };
  }

  /** get is a GET of `path` with the campaign's auth headers and timeout (a reconciliation read). */
  get(path: string): HttpRequest {
    return { method: 'GET', url: this.#baseUrl + path, headers: this.#headers, timeoutMs: this.#timeoutMs };
  }
}

/** admit takes one row from the source: counts what earlier runs settled, records skips, queues the rest. */
export async function admit(run: RunState, earlier: EarlierRows, job: EngineJob): Promise<void> {
  const previous = earlier.take(job.row);
  if (previous === 'settled') return; // counted when the run began
  if (previous !== undefined) {
    const doubt = earlier.inDoubt(previous, job);
    if (doubt !== undefined && 'request' in job) {
      reconcileLater(run, run.requests.work(job, previous.attempts), doubt.startedAt, doubt.reason);
      return;
    }
    if (await earlier.count(previous)) return;
  }
  if (run.halted) return; // stopped while this row was read: it stays pending
  const priorAttempts = previous?.attempts ?? 0;
  if ('skip' in job) {
    const reason = run.redact(job.skip);
    const outcome: RowOutcome = { row: job.row, status: 'skipped', recipient: job.recipient, attempts: priorAttempts, error: reason };
    if (await run.record(outcome, 'pending')) run.emit({ type: 'skipped', row: job.row, reason, at: run.clock.now() });
    return;
  }
  run.emit({ type: 'queued', row: job.row, at: run.clock.now() });
  enqueue(run, run.requests.work(job, priorAttempts), newRowPriority);
}

/**
 * enqueue waits for a concurrency slot and a rate grant; retries jump ahead of new rows. After a
 * stop or cancel nothing is queued (the row stays pending), or it would wait forever.
 */
function enqueue(run: RunState, work: RowWork, priority: number): void {
  if (!run.halted) void run.queue.run((ticket) => attempt(run, work, ticket), priority);
}

/**
 * attempt holds a queue slot (concurrency) only while the request is on the wire: the result's
 * journal record is synced after the slot is freed, so the sync of one row's result overlaps the
 * next row's request and many rows' results share one group commit. The run cannot drain before
 * that record is durable (it is tracked as under way).
 */
async function attempt(run: RunState, work: RowWork, ticket: WireTicket): Promise<void> {
  run.enter();
  let rest: (() => Promise<void>) | undefined;
  const failed = (e: unknown) => run.stop(`internal error while sending row ${work.job.row}: ${run.redact(messageOf(e))}`);
  try {
    rest = await sendOnce(run, work, ticket);
  } catch (e) {
    failed(e);
  } finally {
    run.leave();
  }
  if (rest === undefined) run.check();
  else run.track(rest, failed);
}

/**
 * sendOnce is one attempt: write ahead, request, judge; it returns the rest (record, then emit
 * and maybe retry later), to run once the queue slot is free.
 */
async function sendOnce(run: RunState, work: RowWork, ticket: WireTicket): Promise<(() => Promise<void>) | undefined> {
  const { row, recipient } = work.job;
  const attempts = work.attempts + 1;
  const startedAt = run.clock.now();
  const attemptStartedAt = new Date(startedAt).toISOString();
  const inFlight: JournalRecord = { row, status: 'in-flight', recipient, attempts, attemptStartedAt };
  if (!(await run.record(inFlight, work.status))) return undefined;
  work.status = 'in-flight';
  if (run.halted) {
    // Stopped or cancelled while the write-ahead record was written: this request never starts.
    await run.recordResult(work, { row, status: 'pending', recipient, attempts: work.attempts });
    return undefined;
  }
  work.attempts = attempts;
  work.tries++;
  run.emit({ type: 'sending', row, attempt: attempts, at: run.clock.now() });
  const wire = await run.request(work.http, ticket);
  const verdict: Verdict = wire.res !== undefined ? judgeResponse(run.provider, wire.res, run.clock.now(), run.redact) : judgeError(wire.error, run.redact);
  crashPoint('request-answered', String(row));
  const now = run.clock.now();
  const d = decide({ row, recipient, attempts, tries: work.tries, retry: run.retry, random: run.random, halted: run.halted, now }, verdict);
  if (d.holdMs !== undefined) run.queue.holdFor(d.holdMs);
  if (d.stop !== undefined) run.stop(d.stop.reason, d.stop.httpStatus);
  if (d.outcome.status === 'uncertain') {
    // Keep the attempt's start with the doubt: reconciliation (now or after a crash) looks from there.
    const uncertain: JournalRecord = { ...d.outcome, attemptStartedAt };
    d.outcome = uncertain;
    if (run.reconciliation !== undefined && verdict.kind === 'uncertain') {
      const doubt = verdict.reason;
      return async () => {
        if (await run.recordResult(work, d.outcome)) reconcileLater(run, work, startedAt, doubt);
      };
    }
  }
  // Counted now, while this row still holds its slot: a pause then starts nothing more.
  if (d.finalState !== undefined) noteBreaker(run, d);
  return () => settle(run, work, d, now, false);
}

/** settle records a decision, then counts (the breaker too, unless `breaker` is false), emits and schedules what follows it. */
async function settle(run: RunState, work: RowWork, d: Decision, now: number, breaker = true): Promise<void> {
  if (!(await run.recordResult(work, d.outcome))) return;
  if (d.finalState !== undefined) run.mark(now, d.finalState === 'sent');
  if (d.event !== undefined) run.emit(d.event);
  if (d.outcome.status === 'sent' && d.outcome.messageId !== undefined) run.reconciliation?.sent(d.outcome.row, d.outcome.recipient, d.outcome.messageId, now);
  if (breaker && d.finalState !== undefined) noteBreaker(run, d);
  if (d.retryInMs !== undefined) retryLater(run, work, d.retryInMs);
}

/** noteBreaker counts a row that reached a final state; the breaker pauses the run after too many failures in a row. */
function noteBreaker(run: RunState, d: Decision): void {
  const o = d.outcome;
  const reason = run.breaker.note(d.finalState === 'sent', `row ${o.row}: ${o.error ?? o.status}`);
  if (reason !== undefined) run.tripped(reason);
}

/**
 * reconcileLater asks the reconciler, outside the queue (its reads take queue slots of their own,
 * so a row holding a slot never waits for another), whether a request in doubt was delivered,
 * then settles the row with what it found. Only called when the campaign has a reconciler.
 */
function reconcileLater(run: RunState, work: RowWork, startedAt: number, doubt: string): void {
  const reconciliation = run.reconciliation;
  if (reconciliation === undefined) return;
  const { row, recipient } = work.job;
  const settleIt = async (): Promise<void> => {
    reconciliation.pin(recipient);
    const r = await reconciliation.check(work.job, startedAt);
    const now = run.clock.now();
    const ctx = { row, recipient, attempts: work.attempts, tries: work.tries, retry: run.retry, random: run.random, halted: run.halted, now, doubt, attemptStartedAt: startedAt };
    await settle(run, work, decideReconciled(ctx, r, run.redact), now);
  };
  run.track(settleIt, (e) => run.stop(`internal error while checking row ${row}: ${run.redact(messageOf(e))}`));
}

/** retryLater waits outside the queue, so a waiting row holds no concurrency slot. */
function retryLater(run: RunState, work: RowWork, delayMs: number): void {
  run.enter();
  run.clock.sleep(delayMs, run.signal).then(
    () => {
      run.leave();
      enqueue(run, work, retryPriority);
      run.check();
    },
    () => {
      run.leave(); // stopped or cancelled: the row stays pending
      run.check();
    },
  );
}
