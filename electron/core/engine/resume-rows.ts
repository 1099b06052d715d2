import type { RowOutcome } from '../../../shared/engine/events';
import { attemptStartOf } from '../state/journal-codec';
import { interruptedReason, resumePlan } from './resume';
import type { RunState } from './run-state';
import type { EngineJob } from './types';

/** doubtOf is why a row found uncertain on resume is in doubt, without an earlier failed check's note. */
function doubtOf(previous: RowOutcome): string {
  if (previous.status === 'in-flight') return interruptedReason;
  return (previous.error ?? 'no answer came').replace(/ \(could not check delivery: [\s\S]*\)$/, '');
}

/**
 * EarlierRows holds what earlier runs of the same campaign recorded, row by row, until the feeder
 * reaches each row (then forgets it, so memory shrinks as the run goes), and carries out the
 * resume plan (resume.ts) for it: count it as it was, settle a row left in flight as uncertain,
 * or say that a row in doubt is to be reconciled (row-life.ts does it).
 */
export class EarlierRows {
  readonly #run: RunState;
  #loaded = new Map<number, RowOutcome>();

  constructor(run: RunState) {
    this.#run = run;
  }

  /** load keeps the journal's outcomes (latest per row) until their rows are reached. */
  load(outcomes: Iterable<RowOutcome>): void {
    for (const outcome of outcomes) this.#loaded.set(outcome.row, outcome);
  }

  /** outcomes are the recorded outcomes of the rows not reached yet. */
  outcomes(): Iterable<RowOutcome> {
    return this.#loaded.values();
  }

  /** take is the recorded outcome of `row`, if any, which is forgotten: each row is reached once. */
  take(row: number): RowOutcome | undefined {
    const previous = this.#loaded.get(row);
    if (previous !== undefined) this.#loaded.delete(row);
    return previous;
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
   * count counts a row an earlier run recorded, when it is not to be sent now (true). A row left in
   * flight is recorded as uncertain: it may have been delivered.
   */
  count(previous: RowOutcome): Promise<boolean> {
    return this.#count(previous, this.#run.resendUncertain);
  }

  /**
   * countUnreached counts the rows the feeder never reached (the run stopped before reading every
   * row), so the totals match the journal; none of them is sent.
   */
  async countUnreached(): Promise<void> {
    for (const previous of this.#loaded.values()) await this.#count(previous, false);
  }

  /** forget drops every outcome still held (the feed is over). */
  forget(): void {
    this.#loaded = new Map();
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
