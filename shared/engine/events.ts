/**
 * The states a row moves through, the record kept of each row, and the events the engine
 * emits. The CLI progress, the journal, the report and the desktop app's IPC stream all
 * speak these types.
 */

/**
 * RowStatus: `pending` not attempted yet (or left when the campaign stopped); `in-flight` a request
 * may be on the wire; `sent` the provider accepted it; `failed` the provider refused it (or retries
 * ran out); `skipped` not sent on purpose (invalid row the user chose to skip, no conversation…);
 * `uncertain` the request was written but no answer came, so it may or may not have been delivered.
 */
export const rowStatuses = ['pending', 'in-flight', 'sent', 'failed', 'skipped', 'uncertain'] as const;
export type RowStatus = (typeof rowStatuses)[number];

/** ReportStatus is what the delivery report shows: `in-flight` becomes `uncertain` there. */
export type ReportStatus = Exclude<RowStatus, 'in-flight'>;

/** RowOutcome is everything known about one row; the journal stores it and the report prints it. */
export interface RowOutcome {
  /** 1-based data row of the CSV. */
  row: number;
  status: RowStatus;
  /** Conversation id used, or the one the provider created (generic API). */
  recipient: string;
  messageId?: string;
  /** Requests made for this row so far. */
  attempts: number;
  httpStatus?: number;
  error?: string;
  /** ISO 8601 time the provider accepted the message. */
  sentAt?: string;
}

export interface Totals {
  total: number;
  pending: number;
  inFlight: number;
  sent: number;
  failed: number;
  skipped: number;
  uncertain: number;
}

export function emptyTotals(total = 0): Totals {
  return { total, pending: total, inFlight: 0, sent: 0, failed: 0, skipped: 0, uncertain: 0 };
}

/** How a run ended: all rows done, cancelled by the user, or stopped by the provider or a circuit breaker. */
export type FinishReason = 'completed' | 'cancelled' | 'stopped';

export type EngineEvent =
  | { type: 'queued'; row: number; at: number }
  | { type: 'sending'; row: number; attempt: number; at: number }
  | { type: 'sent'; row: number; attempt: number; messageId: string; recipient: string; httpStatus: number; at: number }
  | { type: 'retrying'; row: number; attempt: number; delayMs: number; reason: string; httpStatus?: number; at: number }
  | { type: 'failed'; row: number; attempt: number; error: string; httpStatus?: number; at: number }
  | { type: 'uncertain'; row: number; attempt: number; error: string; at: number }
  | { type: 'skipped'; row: number; reason: string; at: number }
  | { type: 'paused'; reason?: string; at: number }
  | { type: 'resumed'; at: number }
  | { type: 'stopped'; reason: string; httpStatus?: number; at: number }
  /**
   * The pace changed: `lowered` when the provider refused requests with 429 and no Retry-After and
   * the campaign slowed to `perSecond` to live under its limit (`reason` says so); raised again
   * while no refusals come, never above `ceiling` (the campaign's throttle.perSecond).
   */
  | { type: 'pace'; perSecond: number; ceiling: number; lowered: boolean; reason: string; at: number }
  | { type: 'finished'; reason: FinishReason; totals: Totals; at: number };

export type EngineEventType = EngineEvent['type'];

/** PaceEvent is the `pace` event. */
export type PaceEvent = Extract<EngineEvent, { type: 'pace' }>;

/** paceMessage says a change of pace in words, the same in the CLI and the desktop app. */
export function paceMessage(e: PaceEvent): string {
  if (e.lowered) return `Pace lowered to ${e.perSecond}/s (${e.ceiling}/s asked): ${e.reason}.`;
  if (e.perSecond >= e.ceiling) return `Pace back to the ${e.ceiling}/s asked: no refusal for a while.`;
  return `Pace raised to ${e.perSecond}/s (${e.ceiling}/s asked).`;
}
