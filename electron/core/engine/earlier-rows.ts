import type { EngineEvent, RowOutcome } from '../../../shared/engine/events';
import { attemptStartOf } from '../state/journal-codec';
import type { RunLedger } from './ledger';
import { interruptedReason, resumePlan } from './resume';
import type { EngineJob, SendJob } from './types';

/** EarlierHost is what handling the rows of earlier runs needs from the engine. */
export interface EarlierHost {
  ledger: RunLedger;
  /** The user asked to send again rows the journal has as uncertain or in flight. */
  resendUncertain: boolean;
  halted(): boolean;
  now(): number;
  emit(e: EngineEvent): void;
  /**
   * Starts reconciling a row in doubt (`attempts` made so far, the one in doubt begun at
   * `startedAt`); undefined when the campaign has no reconciler.
   */
  reconcile: ((job: SendJob, attempts: number, startedAt: number, doubt: string) => void) | undefined;
}

/** doubtOf is why a row found uncertain on resume is in doubt, without an earlier failed check's note. */
function doubtOf(previous: RowOutcome): string {
  if (previous.status === 'in-flight') return interruptedReason;
  return (previous.error ?? 'no answer came').replace(/ \(could not check delivery: [\s\S]*\)$/, '');
}

/**
 * EarlierRows holds what earlier runs of the same campaign recorded, row by row, until the feeder
 * reaches each row (then forgets it, so memory shrinks as the run goes), and carries out the
 * resume plan (resume.ts) for it: count it as it was, settle a row left in flight as uncertain,
 * or start reconciling a row in doubt.
 */
export class EarlierRows {
  readonly #host: EarlierHost;
  #loaded = new Map<number, RowOutcome>();

  constructor(host: EarlierHost) {
    this.#host = host;
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
   * reconcile starts the reconciliation of a row an earlier run left in flight or uncertain (true),
   * when there is a reconciler, the user did not ask to resend such rows, and the journal says when
   * the attempt began. Otherwise the row takes the plain resume path (false).
   */
  reconcile(previous: RowOutcome, job: EngineJob): boolean {
    const { reconcile } = this.#host;
    if (reconcile === undefined || this.#host.resendUncertain || this.#host.halted() || 'skip' in job) return false;
    if (previous.status !== 'in-flight' && previous.status !== 'uncertain') return false;
    const startedAt = attemptStartOf(previous);
    if (startedAt === undefined) return false;
    reconcile(job, previous.attempts, startedAt, doubtOf(previous));
    return true;
  }

  /**
   * count counts a row an earlier run recorded, when it is not to be sent now (true). A row left in
   * flight is recorded as uncertain: it may have been delivered.
   */
  count(previous: RowOutcome): Promise<boolean> {
    return this.#count(previous, this.#host.resendUncertain);
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
    const { ledger } = this.#host;
    const plan = resumePlan(previous, resendUncertain);
    if (plan.kind === 'send') return false;
    if (plan.kind === 'done') ledger.count('pending', plan.status);
    else if (!plan.settle) ledger.count('pending', 'uncertain');
    else {
      const outcome: RowOutcome = { ...previous, status: 'uncertain', error: interruptedReason };
      if (await ledger.record(outcome, 'pending')) {
        this.#host.emit({ type: 'uncertain', row: previous.row, attempt: outcome.attempts, error: interruptedReason, at: this.#host.now() });
      }
    }
    return true;
  }
}
