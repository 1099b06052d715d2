import type { RowOutcome } from '../../../shared/engine/events';
import type { RowOutcomes } from '../ports';
import { attemptStartOf } from '../state/journal-codec';
import { interruptedReason, resumePlan } from './resume';
import type { RunState } from './run-state';
import type { EngineJob } from './types';

/** doubtOf is why a row found uncertain on resume is in doubt, without an earlier failed check's note. */
function doubtOf(previous: RowOutcome): string {
  if (previous.status === 'in-flight') return interruptedReason;
  return (previous.error ?? 'no answer came').replace(/ \(could not check delivery: [\s\S]*\)$/, '');
}

/** Statuses an earlier run settled for good: a resume never changes such a row. */
const settled = ['sent', 'failed', 'skipped'] as const;
/** Statuses of rows an earlier run left open: settled, reconciled or sent when reached. */
const open = ['in-flight', 'uncertain', 'pending'] as const;

/**
 * EarlierRows reads what earlier runs of the same campaign recorded from the journal's own index
 * (Journal.outcomes), row by row as the feeder reaches each row, and carries out the resume plan
 * (resume.ts) for it: count it as it was, settle a row left in flight as uncertain, or say that a
 * row in doubt is to be reconciled (row-life.ts does it). Rows settled for good (sent, failed,
 * skipped) are counted when the run begins, so the totals show them at once and a source may leave
 * them out (a resume need not read and render them again). Nothing is copied: a million earlier
 * rows cost one byte each here (which rows were reached).
 */
export class EarlierRows {
  readonly #run: RunState;
  #earlier: RowOutcomes | undefined;
  #reached = new Uint8Array(0);

  constructor(run: RunState) {
    this.#run = run;
  }

  /** load takes the journal's rows (latest state per row) and counts those settled for good. */
  load(earlier: RowOutcomes): void {
    this.#earlier = earlier;
    for (const status of settled) {
      for (let n = earlier.count(status); n > 0; n--) this.#run.count('pending', status);
    }
  }

  /**
   * take is what an earlier run recorded for `row`, once per row: `settled` when it was settled for
   * good (already counted), undefined when nothing was recorded (or the row was reached before).
   */
  take(row: number): RowOutcome | 'settled' | undefined {
    if (row >= this.#reached.length) {
      const grown = new Uint8Array(Math.max(row + 1, this.#reached.length * 2, 1024));
      grown.set(this.#reached);
      this.#reached = grown;
    }
    if (this.#reached[row] === 1) return undefined;
    this.#reached[row] = 1;
    const status = this.#earlier?.statusOf(row);
    if (status === undefined) return undefined;
    if (status === 'sent' || status === 'failed' || status === 'skipped') return 'settled';
    return this.#earlier?.get(row);
  }

  /**
   * inDoubt is when and why the attempt of a row an earlier run left in flight or uncertain began,
   * when that row is to be reconciled now: there is a reconciler, the user did not ask to resend
   * such rows, and the journal says when the attempt began. Otherwise the row takes the plain
   * resume path (undefined).
   */
  inDoubt(previous: RowOutcome, job: EngineJob): { startedAt: number; reason: string } | undefined {
    const run = this.#run;
    if (run.reconciliation === undefined || run.resendUncertain || run.halted || 'skip' in job) return undefined;
    if (previous.status !== 'in-flight' && previous.status !== 'uncertain') return undefined;
    const startedAt = attemptStartOf(previous);
    return startedAt === undefined ? undefined : { startedAt, reason: doubtOf(previous) };
  }

  /**
   * count counts a row an earlier run left open, when it is not to be sent now (true). A row left in
   * flight is recorded as uncertain: it may have been delivered.
   */
  count(previous: RowOutcome): Promise<boolean> {
    return this.#count(previous, this.#run.resendUncertain);
  }

  /**
   * countUnreached counts the open rows the feeder never reached (the run stopped before reading
   * every row, or the source left them out), so the totals match the journal; none of them is sent.
   */
  async countUnreached(): Promise<void> {
    const earlier = this.#earlier;
    if (earlier === undefined) return;
    const unreached: number[] = [];
    for (const row of earlier.rows(open)) if (this.#reached[row] !== 1) unreached.push(row);
    for (const row of unreached) {
      const previous = earlier.get(row);
      if (previous !== undefined) await this.#count(previous, false);
    }
  }

  /** forget drops what it holds (the feed is over). */
  forget(): void {
    this.#earlier = undefined;
    this.#reached = new Uint8Array(0);
  }

  async #count(previous: RowOutcome, resendUncertain: boolean): Promise<boolean> {
    const run = this.#run;
    const plan = resumePlan(previous, resendUncertain);
    if (plan.kind === 'send') return false;
    if (plan.kind === 'done') run.count('pending', plan.status);
    else if (!plan.settle) run.count('pending', 'uncertain');
    else {
      const outcome: RowOutcome = { ...previous, status: 'uncertain', error: interruptedReason };
      if (await run.record(outcome, 'pending')) {
        run.emit({ type: 'uncertain', row: previous.row, attempt: outcome.attempts, error: interruptedReason, at: run.clock.now() });
      }
    }
    return true;
  }
}
