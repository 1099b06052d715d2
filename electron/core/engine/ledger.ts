import type { FinishReason, RowOutcome, RowStatus, Totals } from '../../../shared/engine/events';
import type { Clock, Journal } from '../ports';
import type { RowWork } from './row-work';
import { RateMeter, TotalsTally } from './totals';
import type { EngineSnapshot, EngineState, RunSummary } from './types';
import type { Redact } from './verdict';
import { messageOf } from './verdict';

/**
 * RunLedger keeps a run's books: it writes row outcomes to the journal (the source of truth) and
 * moves the row in the totals only once the record is durable, so the totals never claim more than
 * a resume would find; it also keeps the rate meter, and from both gives the snapshot's figures.
 * A record that fails stops the campaign (through `stop`): going on would send rows it cannot track.
 */
export class RunLedger {
  readonly #journal: Journal;
  readonly #stop: (detail: string) => void;
  readonly #redact: Redact;
  #tally = new TotalsTally(0);
  #meter: RateMeter | undefined;

  constructor(journal: Journal, stop: (detail: string) => void, redact: Redact) {
    this.#journal = journal;
    this.#stop = stop;
    this.#redact = redact;
  }

  /** start opens the books for a run of `total` rows starting at `now` (ms). */
  start(total: number, now: number): void {
    this.#tally = new TotalsTally(total);
    this.#meter = new RateMeter(now);
  }

  /** count moves a row in the totals without writing a record (the journal already says so). */
  count(from: RowStatus, to: RowStatus): void {
    this.#tally.move(from, to);
  }

  /** mark counts a row that reached a final state at `now` in the rate meter. */
  mark(now: number, sent: boolean): void {
    this.#meter?.mark(now, sent);
  }

  /** totals is a fresh count of the rows by status. */
  totals(): Totals {
    return this.#tally.totals();
  }

  /** snapshot is the run's state with its totals, sending rate and ETA (see EngineSnapshot). */
  snapshot(state: EngineState, clock: Clock): EngineSnapshot {
    const totals = this.#tally.totals();
    if (this.#meter === undefined) return { state, totals, ratePerSecond: 0, etaSeconds: null };
    const { sentPerSecond, donePerSecond } = this.#meter.rates(clock.now());
    let etaSeconds: number | null = null;
    if (state === 'finished') etaSeconds = 0;
    else if (donePerSecond > 0) etaSeconds = (totals.pending + totals.inFlight) / donePerSecond;
    return { state, totals, ratePerSecond: sentPerSecond, etaSeconds };
  }

  /**
   * summary is how the run ended, for run() to return: `totals` as the `finished` event gave them,
   * `stop` why it stopped (when it did), `breakerReason` why the breaker paused it (when it did).
   */
  summary(reason: FinishReason, totals: Totals, stop: { detail?: string; httpStatus?: number } | undefined, breakerReason: string | undefined): RunSummary {
    const journal = this.#journal;
    const summary: RunSummary = { reason, totals, outcomes: async () => new Map((await journal.load()).map((o) => [o.row, o])) };
    if (stop?.detail !== undefined) summary.stopReason = stop.detail;
    if (stop?.httpStatus !== undefined) summary.stopHttpStatus = stop.httpStatus;
    if (breakerReason !== undefined) summary.breakerReason = breakerReason;
    return summary;
  }

  /** record writes an outcome to the journal and, once it is durable, moves the row in the tally. */
  async record(outcome: RowOutcome, from: RowStatus): Promise<boolean> {
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
  async recordResult(work: RowWork, outcome: RowOutcome): Promise<boolean> {
    const ok = await this.record(outcome, work.status);
    const status = ok ? outcome.status : 'uncertain';
    if (!ok) this.#tally.move(work.status, status);
    work.status = status;
    return ok;
  }
}
