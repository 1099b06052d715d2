import type { RowOutcome } from '../../../shared/engine/events';
import type { JsonObject } from '../../../shared/json';
import { crashPoint } from '../state/crash-points';
import type { JournalRecord } from '../state/journal-codec';
import { uploadsOf } from '../state/journal-codec';
import type { Decision } from './decide';
import { decide, decideReconciled, decideUpload } from './decide';
import type { EarlierRows } from './resume-rows';
import type { RowWork } from './row-requests';
import { filesLeft, journalled } from './row-requests';
import type { RunState } from './run-state';
import type { WireTicket } from './send-queue';
import type { EngineJob } from './types';
import type { Verdict } from './verdict';
import type { WaitingRows } from './waiting-rows';
import { judgeError, judgeResponse, judgeUpload, judgeUploadError, messageOf } from './verdict';

export type { RowWork } from './row-requests';

/**
 * A row's life, in order: admit (count what an earlier run settled, record a skip, or queue it),
 * upload its files one by one when it has any (request, judge, record what each answered, queue the
 * next step), attempt its message (write ahead, request, judge: decide.ts), settle (record, count,
 * emit), then maybe a retry after its backoff or a reconciliation check for a request in doubt,
 * which settles the row in turn. Every step works on the run's one state (run-state.ts), and every
 * request of every step goes through the run's one queue (the throttle). A row that waits (a retry,
 * a check) waits outside the queue, so it holds no concurrency slot.
 *
 * An upload is not written ahead: until the message's own write-ahead record, nothing can have
 * reached the customer, so a crash mid-upload leaves the row pending and a resume uploads that file
 * again (the provider then holds one file nobody references). Once an upload has answered, its
 * attachment is recorded before anything else happens, so a crash after that point never uploads
 * that file twice: the resume references it.
 */

/** Queue priorities: reconciliation reads, then retries and rows under way (their next file, their message), then new rows. */
export const readPriority = 2;
const retryPriority = 1;
const newRowPriority = 0;

/**
 * admit takes one row from the source: counts what earlier runs settled, records skips, sets aside
 * rows not due yet (quiet hours: recorded pending with their note, `waiting`), queues the rest.
 */
export async function admit(run: RunState, earlier: EarlierRows, job: EngineJob, waiting?: WaitingRows): Promise<void> {
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
  if (waiting !== undefined && job.notBefore !== undefined && job.notBefore > run.clock.now()) {
    const note: RowOutcome = { row: job.row, status: 'pending', recipient: job.recipient, attempts: priorAttempts };
    if (job.waitNote !== undefined) note.error = job.waitNote;
    if (await run.record(note, 'pending')) waiting.add(job, job.notBefore, priorAttempts);
    return;
  }
  await admitDue(run, job, priorAttempts, previous === undefined ? [] : uploadsOf(previous));
}

/**
 * admitDue queues a row that is due now (a new row, or one that waited): a skip is recorded.
 * `uploaded`: what earlier runs uploaded for the row (recorded while it was not settled), referenced
 * instead of uploaded again. (A row that waited for its quiet hours uploads afresh.)
 */
export async function admitDue(run: RunState, job: EngineJob, priorAttempts = 0, uploaded: JsonObject[] = []): Promise<void> {
  if (run.halted) return;
  if ('skip' in job) {
    const reason = run.redact(job.skip);
    const outcome: RowOutcome = { row: job.row, status: 'skipped', recipient: job.recipient, attempts: priorAttempts, error: reason };
    if (await run.record(outcome, 'pending')) run.emit({ type: 'skipped', row: job.row, reason, at: run.clock.now() });
    return;
  }
  run.emit({ type: 'queued', row: job.row, at: run.clock.now() });
  enqueue(run, run.requests.work(job, priorAttempts, uploaded), newRowPriority);
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
    rest = filesLeft(work) ? await uploadOnce(run, work, ticket) : await sendOnce(run, work, ticket);
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
  const inFlight: JournalRecord = journalled(work, { row, status: 'in-flight', recipient, attempts, attemptStartedAt });
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
  work.http ??= run.requests.message(work);
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

/**
 * uploadOnce is one attempt at the row's next file: request, judge; it returns the rest (record
 * what the upload answered and queue the row's next step, or settle a refusal), to run once the
 * queue slot is free. Nothing is written ahead (see the file comment).
 */
async function uploadOnce(run: RunState, work: RowWork, ticket: WireTicket): Promise<(() => Promise<void>) | undefined> {
  const { row, recipient } = work.job;
  const file = (work.job.files ?? [])[work.uploaded.length];
  const uploads = run.provider.uploads;
  if (file === undefined || uploads === undefined) throw new Error(`row ${row} has a file to upload but its provider takes none`);
  if (run.halted) return undefined; // stopped while it waited for its slot: it stays pending, with what it uploaded so far
  work.attempts++;
  work.tries++;
  const wire = await run.request(run.requests.upload(work, file), ticket);
  const now = run.clock.now();
  const verdict = wire.res !== undefined ? judgeUpload(uploads, wire.res, now, run.redact) : judgeUploadError(wire.error, run.redact);
  crashPoint('upload-answered', String(row));
  const ctx = { row, recipient, attempts: work.attempts, tries: work.tries, retry: run.retry, random: run.random, halted: run.halted, now };
  const d = decideUpload(ctx, file.name, verdict);
  if (d.holdMs !== undefined) run.queue.holdFor(d.holdMs);
  if (d.stop !== undefined) run.stop(d.stop.reason, d.stop.httpStatus);
  const attachment = d.attachment;
  if (attachment !== undefined) {
    return async () => {
      work.uploaded = [...work.uploaded, attachment];
      if (!(await run.recordResult(work, d.outcome))) return;
      crashPoint('upload-recorded', String(row));
      work.tries = 0; // the next file, or the message, has its own attempts
      enqueue(run, work, retryPriority);
    };
  }
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
