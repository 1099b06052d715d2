import type { WaitingOpenings } from './eta';
import { OpeningCounts } from './eta';
import { feedJobs } from './feeder';
import type { RunState } from './run-state';
import type { EngineJob, Replan, SendJob } from './types';
import { messageOf } from './verdict';

/**
 * Rows that wait for their quiet-hours window (SendJob.notBefore). A waiting row is pending in the
 * journal and the totals, holds no concurrency slot and no place in the queue, and does not hold up
 * the rows behind it: it is kept here as a row number and a time (a min-heap over typed arrays, 12
 * bytes a row), and once it is due its job is rebuilt (EngineDeps.replan) and queued like a new row,
 * so it goes out at the campaign's pace. One timer waits for the earliest; a stop or a cancel aborts
 * it at once (the run's signal), leaving the rows pending: a resume judges them again.
 */

/** TimeHeap is a min-heap of (time, row), earliest first, rows in order within one time. */
export class TimeHeap {
  #times = new Float64Array(64);
  #rows = new Uint32Array(64);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** first is the earliest time (Infinity when empty). */
  get first(): number {
    return this.#size === 0 ? Number.POSITIVE_INFINITY : (this.#times[0] as number);
  }

  push(time: number, row: number): void {
    if (this.#size === this.#times.length) {
      const times = new Float64Array(this.#size * 2);
      const rows = new Uint32Array(this.#size * 2);
      times.set(this.#times);
      rows.set(this.#rows);
      this.#times = times;
      this.#rows = rows;
    }
    let i = this.#size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#before(time, row, parent)) break;
      this.#times[i] = this.#times[parent] as number;
      this.#rows[i] = this.#rows[parent] as number;
      i = parent;
    }
    this.#times[i] = time;
    this.#rows[i] = row;
  }

  /** pop takes the earliest row (call only when size > 0). */
  pop(): number {
    const top = this.#rows[0] as number;
    const last = --this.#size;
    const time = this.#times[last] as number;
    const row = this.#rows[last] as number;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= last) break;
      const r = l + 1;
      const c = r < last && this.#less(r, l) ? r : l;
      if (!this.#before(this.#times[c] as number, this.#rows[c] as number, i, time, row)) break;
      this.#times[i] = this.#times[c] as number;
      this.#rows[i] = this.#rows[c] as number;
      i = c;
    }
    this.#times[i] = time;
    this.#rows[i] = row;
    return top;
  }

  #less(a: number, b: number): boolean {
    return this.#before(this.#times[a] as number, this.#rows[a] as number, b);
  }

  /** before: (time, row) comes before slot `at` (or before the given pair). */
  #before(time: number, row: number, at: number, t2 = this.#times[at] as number, r2 = this.#rows[at] as number): boolean {
    return time < t2 || (time === t2 && row < r2);
  }
}

/** Most rows rebuilt in one pass over the contacts (the rest follow in the next). */
const RELEASE_BATCH = 50_000;

/** WaitingRows holds the run's waiting rows and releases them when due (see the file comment). */
export class WaitingRows {
  readonly #run: RunState;
  readonly #heap = new TimeHeap();
  /** The same rows counted per opening, for the ETA (eta.ts): no per-row walk on a status tick. */
  readonly #openings = new OpeningCounts();
  /** The waiting jobs themselves, only when there is no replan. */
  readonly #jobs: Map<number, SendJob> | undefined;
  readonly #replan: Replan;
  readonly #release: (job: EngineJob, attempts: number) => Promise<void>;
  /** Requests earlier runs made for a waiting row, for the few resumed rows that have any. */
  readonly #attempts = new Map<number, number>();
  readonly #room: () => Promise<void> | undefined;
  #wake: { at: number; abort: AbortController } | undefined;
  #running = false;

  /** `release` queues a due row's job (as a new row); `room` is the feeder's wait for room in the queue. */
  constructor(run: RunState, replan: Replan | undefined, release: (job: EngineJob, attempts: number) => Promise<void>, room: () => Promise<void> | undefined) {
    this.#run = run;
    this.#release = release;
    this.#room = room;
    if (replan !== undefined) {
      this.#replan = replan;
    } else {
      const jobs = new Map<number, SendJob>();
      this.#jobs = jobs;
      this.#replan = (rows) => rows.flatMap((row) => jobs.get(row) ?? []);
    }
  }

  /** add keeps a row until `at` (the caller has recorded it pending with its note); `attempts`: made by earlier runs. */
  add(job: SendJob, at: number, attempts = 0): void {
    this.#heap.push(at, job.row);
    this.#openings.add(at);
    if (attempts > 0) this.#attempts.set(job.row, attempts);
    if (this.#jobs !== undefined) {
      const plain: SendJob = { row: job.row, recipient: job.recipient, request: job.request };
      this.#jobs.set(job.row, plain);
    }
    if (!this.#running) {
      this.#running = true;
      this.#run.enter();
      void this.#loop();
    } else if (this.#wake !== undefined && at < this.#wake.at) {
      this.#wake.abort.abort();
    }
  }

  /** snapshot is how many rows wait and when the first is due (undefined when none, or the run halted). */
  snapshot(): { rows: number; until: number } | undefined {
    const rows = this.#heap.size;
    return rows === 0 || this.#run.halted ? undefined : { rows, until: this.#heap.first };
  }

  /** openings are the waiting rows per opening, for the ETA (undefined when none, or the run halted; read at once, not kept). */
  openings(): WaitingOpenings | undefined {
    return this.#heap.size === 0 || this.#run.halted ? undefined : this.#openings.view();
  }

  async #loop(): Promise<void> {
    const run = this.#run;
    try {
      while (this.#heap.size > 0 && !run.halted) {
        const now = run.clock.now();
        const due = this.#heap.first;
        if (due > now) {
          const abort = new AbortController();
          this.#wake = { at: due, abort };
          try {
            await run.clock.sleep(Math.max(1, Math.ceil(due - now)), AbortSignal.any([run.signal, abort.signal]));
          } catch {
            // Woken for an earlier row, or the run halted: the loop looks again.
          }
          this.#wake = undefined;
          continue;
        }
        const rows: number[] = [];
        while (this.#heap.size > 0 && this.#heap.first <= now && rows.length < RELEASE_BATCH) {
          this.#openings.remove(this.#heap.first);
          rows.push(this.#heap.pop());
        }
        rows.sort((a, b) => a - b);
        const jobs = this.#replan(rows);
        if (this.#jobs !== undefined) for (const row of rows) this.#jobs.delete(row);
        const admit = (job: EngineJob): Promise<void> => {
          const attempts = this.#attempts.get(job.row) ?? 0;
          this.#attempts.delete(job.row);
          return this.#release(job, attempts);
        };
        const fed = await feedJobs(jobs, { halted: () => run.halted, room: this.#room, admit });
        if (fed.error !== undefined) run.stop(`could not read a row that waited for its quiet hours: ${run.redact(messageOf(fed.error))}`);
      }
    } finally {
      this.#running = false;
      run.leave();
      run.check();
    }
  }
}
