import type { Pace } from './send-queue';
import type { WaitingNow } from './eta';
import { feedJobs } from './feeder';
import { EarlierRows } from './resume-rows';
import { admit, admitDue } from './row-life';
import { RunState } from './run-state';
import type { EngineConfig, EngineDeps, EngineJob, EngineSnapshot, RunSummary } from './types';
import { messageOf } from './verdict';
import { WaitingRows } from './waiting-rows';

export type { EngineConfig, EngineDeps, EngineJob, EngineSnapshot, EngineState, Replan, RunSummary, SendJob, SkipJob } from './types';
export type { Pace };

/**
 * CampaignEngine sends one campaign's rows through the provider: one queue gives the concurrency
 * and the rate limit as the provider counts it (send-queue.ts, rate-limit.ts; retries and
 * reconciliation reads included), every attempt is written ahead to the journal, and each row ends
 * sent, failed, skipped, uncertain or (when the run is stopped or cancelled) pending. It knows
 * nothing of Electron, files or HTTP libraries: the CLI and the desktop main process drive it with
 * their own transport, journal and clock.
 *
 * Where things are: the run's one state (run-state.ts), a row's life (row-life.ts) and its pure
 * decisions (decide.ts, verdict.ts, backoff.ts, breaker.ts), resuming an earlier run (resume.ts,
 * resume-rows.ts), reconciling requests in doubt (reconciler.ts, reconciliation.ts), the pace
 * (send-queue.ts, rate-limit.ts, adaptive-pace.ts), the totals and rate (totals.ts).
 */
export class CampaignEngine {
  readonly #run: RunState;
  readonly #earlier: EarlierRows;
  /** The feeder tops the queue up to `#high` waiting jobs, then waits for it to fall below `#low`. */
  readonly #high: number;
  readonly #low: number;
  /** Rows waiting for their quiet hours (waiting-rows.ts). */
  readonly #waiting: WaitingRows;

  constructor(config: EngineConfig, deps: EngineDeps) {
    const run = new RunState(config, deps);
    this.#run = run;
    this.#earlier = new EarlierRows(run);
    this.#high = Math.max(64, config.throttle.concurrency * 4);
    this.#low = this.#high / 2;
    // A row routed again when due may be told to wait once more (its window moved): it goes back.
    const release = async (job: EngineJob, attempts: number): Promise<void> => {
      if ('request' in job && job.notBefore !== undefined && job.notBefore > run.clock.now()) this.#waiting.add(job, job.notBefore, attempts);
      else await admitDue(run, job, attempts);
    };
    this.#waiting = new WaitingRows(run, deps.replan, release, () => this.#room());
  }

  /** room is a promise to wait on while the queue is full, else undefined. */
  #room(): Promise<void> | undefined {
    const queue = this.#run.queue;
    return queue.size >= this.#high ? queue.onSizeLessThan(this.#low) : undefined;
  }

  /**
   * run sends the jobs (consumed lazily: only a bounded number wait in the queue) and resolves
   * once every row is settled, or left pending by a stop or cancel, after the `finished` event.
   * `total` is the number of rows, for the totals and the ETA. Call it once per engine.
   */
  async run(jobs: Iterable<EngineJob> | AsyncIterable<EngineJob>, total: number): Promise<RunSummary> {
    const run = this.#run;
    if (run.state !== 'idle') throw new Error('CampaignEngine.run can be called only once');
    run.state = 'running';
    run.open(total);
    const drained = run.drained();
    run.setFeeding(true);
    try {
      // The journal's own index when it has one: earlier rows are read one by one as they are reached.
      await run.loadRows();
      this.#earlier.load(run.rows);
      run.reconciliation?.claimEarlier(run.rows);
    } catch (e) {
      run.stop(`could not read the campaign journal: ${run.redact(messageOf(e))}`);
    }
    const fed = await feedJobs(jobs, {
      halted: () => run.halted,
      room: () => this.#room(),
      admit: (job) => admit(run, this.#earlier, job, this.#waiting),
    });
    if (fed.error !== undefined) run.stop(`could not read the next row: ${run.redact(messageOf(fed.error))}`);
    await this.#earlier.countUnreached();
    run.setFeeding(false);
    this.#earlier.forget();
    run.check();
    await drained;
    run.end(); // ends a Retry-After hold that outlived the last row
    const totals = run.totals();
    const reason = run.halt?.reason ?? 'completed';
    run.emit({ type: 'finished', reason, totals, at: run.clock.now() });
    return run.summary(reason, totals);
  }

  /** pause stops new requests from starting until resume(); requests in flight finish. */
  pause(reason?: string): void {
    this.#run.pause(reason);
  }

  /** resume lets requests start again after pause() (still after any Retry-After hold). */
  resume(): void {
    this.#run.resume();
  }

  /** cancel starts nothing more; requests in flight finish and the rest stay pending. */
  cancel(): void {
    const run = this.#run;
    if (run.state === 'running' || run.state === 'paused') run.haltWith({ reason: 'cancelled' });
  }

  /** snapshot is the current state, totals, sending rate, ETA (waiting rows at their openings) and, when lowered, the pace. */
  snapshot(): EngineSnapshot {
    const snap = this.#run.snapshot(this.#waiting.openings());
    const waiting = this.#waiting.snapshot();
    return waiting === undefined ? snap : { ...snap, waiting };
  }

  /**
   * waiting is the rows waiting for their quiet hours: how many and when the first is due (the
   * snapshot's `waiting`, from the same place), and per opening (a copy) for a front end's own ETA (eta.ts).
   */
  waiting(): WaitingNow | undefined {
    const first = this.#waiting.snapshot();
    const w = this.#waiting.openings();
    if (first === undefined || w === undefined) return undefined;
    return { rows: first.rows, until: first.until, openings: w.openings.map((o) => ({ ...o })) };
  }
}
