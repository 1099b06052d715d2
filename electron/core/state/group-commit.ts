import { crashPoint } from './crash-points';

/**
 * Group commit: many writers, few syncs. A sync (fdatasync) costs the same for one record as for
 * a thousand, so records that arrive while a sync is running wait and go to disk together in the
 * next batch: one write and one sync per batch. Each caller's promise resolves when the batch that
 * holds its record is synced, never earlier, so "resolved" still means "on disk".
 */

/** BatchSink is where batches go: append bytes, then make everything appended durable. */
export interface BatchSink {
  write(data: string): Promise<void>;
  sync(): Promise<void>;
}

/**
 * CommitHooks are called at the two points where a crash matters, so tests can kill a process
 * exactly there (call process.exit, or throw to fail the batch). `batch` is the records in it.
 */
export interface CommitHooks {
  /** After the batch is written to the file, before it is synced. */
  afterAppend?(batch: number): void | Promise<void>;
  /** Right before the sync call. */
  beforeSync?(batch: number): void | Promise<void>;
}

/** CommitStats counts the work done, to check that batching happens. */
export interface CommitStats {
  /** Records synced. */
  records: number;
  /** Syncs made: one per batch. */
  syncs: number;
}

export interface GroupCommitOptions {
  /** Records in one batch at most; 1 syncs every record on its own (the slow baseline). */
  maxBatch?: number;
  hooks?: CommitHooks;
}

interface Waiter {
  line: string;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * GroupCommit batches appended lines into writes and syncs. After a failed write or sync it
 * refuses everything that follows with the same error: once a sync has failed, what the file
 * holds is unknown, and carrying on would acknowledge records that may be lost.
 */
export class GroupCommit {
  private readonly sink: BatchSink;
  private readonly maxBatch: number;
  private readonly hooks: CommitHooks;
  private queue: Waiter[] = [];
  private draining = false;
  private idle: (() => void)[] = [];
  private failure: unknown;
  private readonly counts: CommitStats = { records: 0, syncs: 0 };

  constructor(sink: BatchSink, options: GroupCommitOptions = {}) {
    this.sink = sink;
    this.maxBatch = Math.max(1, options.maxBatch ?? Number.POSITIVE_INFINITY);
    this.hooks = options.hooks ?? {};
  }

  /** append queues one line (newline included); resolves once it is synced. */
  append(line: string): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ line, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        // A microtask, not a timer: callers that append in the same turn share the first batch,
        // and fake timers in tests cannot stall the journal.
        queueMicrotask(() => void this.drain());
      }
    });
  }

  /** flushed resolves when everything appended so far is synced (or has failed). */
  flushed(): Promise<void> {
    if (!this.draining) return Promise.resolve();
    return new Promise<void>((resolve) => this.idle.push(resolve));
  }

  /** failed tells whether a write or sync has failed (everything appended since is refused). */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** stats returns a copy of the counters. */
  stats(): CommitStats {
    return { ...this.counts };
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      let batch: Waiter[];
      if (this.queue.length <= this.maxBatch) {
        batch = this.queue;
        this.queue = [];
      } else {
        batch = this.queue.splice(0, this.maxBatch);
      }
      try {
        await this.sink.write(batch.map((w) => w.line).join(''));
        crashPoint('journal-appended', String(batch.length));
        await this.hooks.afterAppend?.(batch.length);
        await this.hooks.beforeSync?.(batch.length);
        await this.sink.sync();
      } catch (e) {
        this.failure = e;
        for (const w of batch) w.reject(e);
        for (const w of this.queue) w.reject(e);
        this.queue = [];
        break;
      }
      this.counts.records += batch.length;
      this.counts.syncs += 1;
      for (const w of batch) w.resolve();
    }
    this.draining = false;
    const idle = this.idle;
    this.idle = [];
    for (const resolve of idle) resolve();
  }
}
