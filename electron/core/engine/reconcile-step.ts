import type { RowOutcome } from '../../../shared/engine/events';
import type { JournalRecord } from '../state/journal-codec';
import type { ReconcileResult } from '../reconcile/reconciler';
import { retryDelay } from './backoff';
import type { AttemptContext, Decision } from './settle';
import type { Redact } from './verdict';

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
