import type { RetrySpec } from '../../../shared/campaign/schema';
import type { EngineEvent, RowOutcome } from '../../../shared/engine/events';
import type { JournalRecord } from '../state/journal-codec';
import { retryDelay } from './backoff';
import type { ReconcileResult } from './reconciler';
import type { JsonObject } from '../../../shared/json';
import type { Redact, UploadVerdict, Verdict } from './verdict';

/**
 * What follows an attempt, decided without doing anything (pure): from the verdict on a request's
 * answer (decide), or from what reconciliation found about a request in doubt (decideReconciled).
 * row-life.ts carries the decision out.
 */

/** AttemptContext is what the decision needs to know about the row and the run. */
export interface AttemptContext {
  row: number;
  recipient: string;
  /** Requests made for the row, earlier runs included, this one too. */
  attempts: number;
  /** Requests made for the row in this run, this one too. */
  tries: number;
  retry: RetrySpec;
  random: () => number;
  /** The run is stopping or cancelled: nothing is retried. */
  halted: boolean;
  now: number;
}

/**
 * Decision is what follows an attempt: the outcome to record, then (once it is recorded) the
 * event to emit. `retryInMs` schedules another attempt; `holdMs` holds every new start
 * (Retry-After is account-wide); `stop` stops the campaign before anything is recorded;
 * `finalState` says the row reached a final state (for the rate meter).
 */
export interface Decision {
  outcome: RowOutcome;
  event?: EngineEvent;
  retryInMs?: number;
  holdMs?: number;
  stop?: { reason: string; httpStatus: number };
  finalState?: 'sent' | 'other';
}

/**
 * decide turns an attempt's verdict into the row's next state. A 401/403-style stop leaves the row
 * pending (it was refused, not sent, and a fixed key should send it); a retryable answer leaves it
 * pending until the next attempt, or fails it with the last error once `retry.attempts` requests
 * were made in this run; a written-but-unanswered request is uncertain and never retried.
 */
export function decide(ctx: AttemptContext, v: Verdict): Decision {
  const { row, recipient, attempts: attempt, now: at } = ctx;
  switch (v.kind) {
    case 'sent': {
      const to = v.recipient ?? recipient;
      const sentAt = v.sentAt ?? new Date(at).toISOString();
      return {
        outcome: { row, status: 'sent', recipient: to, messageId: v.messageId, attempts: attempt, httpStatus: v.httpStatus, sentAt },
        event: { type: 'sent', row, attempt, messageId: v.messageId, recipient: to, httpStatus: v.httpStatus, at },
        finalState: 'sent',
      };
    }
    case 'fail':
      return failed(ctx, v.reason, v.httpStatus);
    case 'uncertain': {
      const outcome: RowOutcome = { row, status: 'uncertain', recipient, attempts: attempt, error: v.reason };
      if (v.httpStatus !== undefined) outcome.httpStatus = v.httpStatus;
      return { outcome, event: { type: 'uncertain', row, attempt, error: v.reason, at }, finalState: 'other' };
    }
    case 'stop':
      return {
        outcome: { row, status: 'pending', recipient, attempts: attempt, httpStatus: v.httpStatus, error: v.reason },
        stop: { reason: v.reason, httpStatus: v.httpStatus },
      };
    case 'retry': {
      const outcome: RowOutcome = { row, status: 'pending', recipient, attempts: attempt, error: v.reason };
      if (v.httpStatus !== undefined) outcome.httpStatus = v.httpStatus;
      const hold: Pick<Decision, 'holdMs'> = v.retryAfterMs === undefined ? {} : { holdMs: v.retryAfterMs };
      if (ctx.halted) return { outcome, ...hold };
      if (ctx.tries >= ctx.retry.attempts) return { ...failed(ctx, v.reason, v.httpStatus), ...hold };
      const delayMs = retryDelay(ctx.tries, ctx.retry, ctx.random, v.retryAfterMs);
      const event: EngineEvent = { type: 'retrying', row, attempt, delayMs, reason: v.reason, at };
      if (v.httpStatus !== undefined) event.httpStatus = v.httpStatus;
      return { outcome, event, retryInMs: delayMs, ...hold };
    }
  }
}

/** UploadDecision is what follows an upload: a decision as for a message, or (`attachment`) the next step of the row. */
export interface UploadDecision extends Decision {
  /** The upload went through: reference this, record the row pending with it, and go on (no event). */
  attachment?: JsonObject;
}

/**
 * decideUpload turns an upload's verdict into the row's next state. Uploaded: the row stays pending
 * (its record now holds the attachment) and goes on to its next file or its message. A refusal is
 * decided as a message's would be (decide), its reason naming the file: a 4xx fails the row (nothing
 * was sent: its message never goes), 429/5xx and failed connections are retried within
 * `retry.attempts` for this file, a 401/403 stops the campaign.
 */
export function decideUpload(ctx: AttemptContext, file: string, v: UploadVerdict): UploadDecision {
  if (v.kind === 'uploaded') {
    return { outcome: { row: ctx.row, status: 'pending', recipient: ctx.recipient, attempts: ctx.attempts }, attachment: v.attachment };
  }
  return decide(ctx, { ...v, reason: `uploading ${file}: ${v.reason}` });
}

function failed(ctx: AttemptContext, error: string, httpStatus: number | undefined): Decision {
  const { row, recipient, attempts: attempt, now: at } = ctx;
  const outcome: RowOutcome = { row, status: 'failed', recipient, attempts: attempt, error };
  const event: EngineEvent = { type: 'failed', row, attempt, error, at };
  if (httpStatus !== undefined) {
    outcome.httpStatus = httpStatus;
    event.httpStatus = httpStatus;
  }
  return { outcome, event, finalState: 'other' };
}

/**
 * ReconcileContext is what deciding a reconciled row needs: the attempt's context (for a row found
 * in doubt on resume, `tries` is 0) plus why the row is in doubt and when its attempt began.
 */
export interface ReconcileContext extends AttemptContext {
  /** Why the row is in doubt (the transport's error, or the interrupted run). */
  doubt: string;
  attemptStartedAt: number;
}

/**
 * decideReconciled turns what reconciliation found into the row's next state:
 * delivered → `sent` with the provider's id (the request did go through);
 * not delivered → safe to send again: pending and retried within the attempts budget of this run
 * (failed when it is used up, pending when the run is stopping);
 * unknown → `uncertain`, recorded with the attempt's start so a later run can try again.
 */
export function decideReconciled(ctx: ReconcileContext, r: ReconcileResult, redact: Redact): Decision {
  const { row, recipient, attempts: attempt, now: at } = ctx;
  switch (r.kind) {
    case 'delivered': {
      const sentAt = r.sentAt ?? new Date(at).toISOString();
      const messageId = redact(r.messageId);
      return {
        outcome: { row, status: 'sent', recipient, messageId, attempts: attempt, sentAt },
        // The listing answered 200; the send itself never answered.
        event: { type: 'sent', row, attempt, messageId, recipient, httpStatus: 200, at },
        finalState: 'sent',
      };
    }
    case 'not-delivered': {
      const error = `${ctx.doubt}; the conversation shows it was not delivered`;
      const outcome: RowOutcome = { row, status: 'pending', recipient, attempts: attempt, error };
      if (ctx.halted) return { outcome };
      if (ctx.tries >= ctx.retry.attempts) {
        const reason = `${error}, and no attempts are left`;
        return {
          outcome: { row, status: 'failed', recipient, attempts: attempt, error: reason },
          event: { type: 'failed', row, attempt, error: reason, at },
          finalState: 'other',
        };
      }
      const delayMs = ctx.tries === 0 ? 0 : retryDelay(ctx.tries, ctx.retry, ctx.random);
      return { outcome, event: { type: 'retrying', row, attempt, delayMs, reason: error, at }, retryInMs: delayMs };
    }
    case 'unknown': {
      const error = `${ctx.doubt} (could not check delivery: ${redact(r.reason)})`;
      const outcome: JournalRecord = { row, status: 'uncertain', recipient, attempts: attempt, error, attemptStartedAt: new Date(ctx.attemptStartedAt).toISOString() };
      return { outcome, event: { type: 'uncertain', row, attempt, error, at }, finalState: 'other' };
    }
  }
}
