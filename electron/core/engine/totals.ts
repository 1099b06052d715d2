import type { RowStatus, Totals } from '../../../shared/engine/events';

/**
 * TotalsTally counts rows by status as they move, in O(1) per move. `pending` is derived
 * (total minus every other count), so rows the engine has not reached yet need no entry.
 */
export class TotalsTally {
  readonly total: number;
  private inFlight = 0;
  private sent = 0;
  private failed = 0;
  private skipped = 0;
  private uncertain = 0;

  constructor(total: number) {
    this.total = total;
  }

  /** move takes one row from status `from` to status `to`. */
  move(from: RowStatus, to: RowStatus): void {
    if (from === to) return;
    this.add(from, -1);
    this.add(to, 1);
  }

  /** totals is a fresh snapshot. */
  totals(): Totals {
    const counted = this.inFlight + this.sent + this.failed + this.skipped + this.uncertain;
    return {
      total: this.total,
      pending: this.total - counted,
      inFlight: this.inFlight,
      sent: this.sent,
      failed: this.failed,
      skipped: this.skipped,
      uncertain: this.uncertain,
    };
  }

  private add(status: RowStatus, n: number): void {
    switch (status) {
      case 'pending':
        return;
      case 'in-flight':
        this.inFlight += n;
        return;
      case 'sent':
        this.sent += n;
        return;
      case 'failed':
        this.failed += n;
        return;
      case 'skipped':
        this.skipped += n;
        return;
      case 'uncertain':
        this.uncertain += n;
        return;
    }
  }
}

const windowSeconds = 10;

/**
 * RateMeter measures rows per second over the last ~10 s in one-second buckets (a ring, so a
 * mark is O(1) and memory is constant): `sent` for the rate the user sees, `done` (any final
 * state) for the ETA, since failed rows also use up the remaining work.
 */
export class RateMeter {
  private readonly seconds = new Float64Array(windowSeconds).fill(-1);
  private readonly sent = new Float64Array(windowSeconds);
  private readonly done = new Float64Array(windowSeconds);
  private readonly startedAt: number;
  private lastMarkAt: number | undefined;

  constructor(startedAt: number) {
    this.startedAt = startedAt;
  }

  /**
   * ratesAtLastMark are the rates as they were when the last row was counted (zeros before any):
   * what rows went at the last time some did, which the rates now forget within the window once
   * nothing is sent (rows waiting for their quiet hours). No mark came since, so its buckets hold.
   */
  ratesAtLastMark(): { sentPerSecond: number; donePerSecond: number } {
    return this.lastMarkAt === undefined ? { sentPerSecond: 0, donePerSecond: 0 } : this.rates(this.lastMarkAt);
  }

  /** mark counts one row that reached a final state at `now` (ms). */
  mark(now: number, sent: boolean): void {
    this.lastMarkAt = Math.max(now, this.lastMarkAt ?? now);
    const second = Math.floor(now / 1000);
    const i = second % windowSeconds;
    if (this.seconds[i] !== second) {
      this.seconds[i] = second;
      this.sent[i] = 0;
      this.done[i] = 0;
    }
    this.done[i] = (this.done[i] as number) + 1;
    if (sent) this.sent[i] = (this.sent[i] as number) + 1;
  }

  /** rates per second at `now`: over the last ~10 s, or since the start when that is shorter. */
  rates(now: number): { sentPerSecond: number; donePerSecond: number } {
    const second = Math.floor(now / 1000);
    let sent = 0;
    let done = 0;
    for (let i = 0; i < windowSeconds; i++) {
      const s = this.seconds[i] as number;
      if (s > second - windowSeconds && s <= second) {
        sent += this.sent[i] as number;
        done += this.done[i] as number;
      }
    }
    const windowStart = Math.max(this.startedAt, (second - windowSeconds + 1) * 1000);
    const span = Math.max(1, (now - windowStart) / 1000);
    return { sentPerSecond: sent / span, donePerSecond: done / span };
  }
}
