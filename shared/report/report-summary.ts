import type { ReportStatus, RowOutcome } from '../engine/events';
import { reportStatus } from './delivery-report';

/**
 * The numbers of a campaign's summary sheet, tallied row by row while the report streams past, so
 * summarising a million rows costs a few counters, not a second pass or a copy of the rows.
 */

/** SUMMARY_STATUSES is the order the summary lists statuses in. */
export const SUMMARY_STATUSES: readonly ReportStatus[] = ['sent', 'failed', 'skipped', 'uncertain', 'pending'];

/** ErrorCount is how many rows ended with one error text. */
export interface ErrorCount {
  error: string;
  rows: number;
}

/** ReportSummary is what the summary sheet shows about the rows. */
export interface ReportSummary {
  rows: number;
  byStatus: Record<ReportStatus, number>;
  /** The most frequent error texts, most rows first. */
  errors: ErrorCount[];
  /** Rows whose error is not among `errors` (rarer texts, or past the distinct texts kept). */
  otherErrorRows: number;
  /** How many distinct error texts those other rows had (at least; the tally stops counting new texts at its cap). */
  otherErrorKinds: number;
  /** First and last time the provider accepted a message (ISO 8601), when any was sent. */
  firstSentAt?: string;
  lastSentAt?: string;
  /** Seconds from the first to the last accepted message. */
  durationSeconds?: number;
  /** Messages accepted per second over that span (only when it is longer than zero). */
  ratePerSecond?: number;
}

/**
 * SummaryTally counts rows as they pass. Distinct error texts are kept up to `maxKinds` (errors
 * that name a row's own data could otherwise grow without bound); later new texts count as other.
 */
export class SummaryTally {
  private rows = 0;
  private readonly byStatus: Record<ReportStatus, number> = { sent: 0, failed: 0, skipped: 0, uncertain: 0, pending: 0 };
  private readonly errors = new Map<string, number>();
  private untracked = 0;
  private first = Infinity;
  private last = -Infinity;

  constructor(private readonly maxKinds = 1_000) {}

  /** add counts one row (undefined: never attempted, so pending). */
  add(outcome: RowOutcome | undefined): void {
    this.rows++;
    this.byStatus[reportStatus(outcome)]++;
    const error = outcome?.error;
    if (error !== undefined && error !== '') {
      const n = this.errors.get(error);
      if (n !== undefined) this.errors.set(error, n + 1);
      else if (this.errors.size < this.maxKinds) this.errors.set(error, 1);
      else this.untracked++;
    }
    if (outcome?.status === 'sent' && outcome.sentAt !== undefined) {
      const t = Date.parse(outcome.sentAt);
      if (!Number.isNaN(t)) {
        if (t < this.first) this.first = t;
        if (t > this.last) this.last = t;
      }
    }
  }

  /** summary is the tally so far, with the `top` most frequent error texts listed by name. */
  summary(top = 50): ReportSummary {
    const sorted = [...this.errors].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const listed = sorted.slice(0, top).map(([error, rows]) => ({ error, rows }));
    const rest = sorted.slice(top);
    const out: ReportSummary = {
      rows: this.rows,
      byStatus: { ...this.byStatus },
      errors: listed,
      otherErrorRows: rest.reduce((n, [, rows]) => n + rows, 0) + this.untracked,
      otherErrorKinds: rest.length + (this.untracked > 0 ? 1 : 0),
    };
    if (Number.isFinite(this.first)) {
      const seconds = (this.last - this.first) / 1000;
      out.firstSentAt = new Date(this.first).toISOString();
      out.lastSentAt = new Date(this.last).toISOString();
      out.durationSeconds = seconds;
      if (seconds > 0) out.ratePerSecond = this.byStatus.sent / seconds;
    }
    return out;
  }
}
