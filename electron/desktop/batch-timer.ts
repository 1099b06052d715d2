/**
 * BatchTimer is the clock and timer the status batcher runs on: the real one in the app,
 * a ManualTimer in tests and the bench, where time only moves when told to.
 */
export interface BatchTimer {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** realTimer is the system clock with Node's timers; its timers do not keep the process alive. */
export const realTimer: BatchTimer = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface Pending {
  id: number;
  at: number;
  fn: () => void;
}

/**
 * ManualTimer is simulated time: `advanceTo` moves the clock forward and runs, in order, every
 * timer that falls due on the way (each at its own due time), so tests can count what happens
 * per simulated second without waiting for real seconds.
 */
export class ManualTimer implements BatchTimer {
  private time: number;
  private nextId = 1;
  private pending: Pending[] = [];

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const p = { id: this.nextId++, at: this.time + Math.max(0, ms), fn };
    this.pending.push(p);
    return p.id;
  }

  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((p) => p.id !== handle);
  }

  /** advanceTo runs every timer due at or before `time`, then sets the clock to `time`. */
  advanceTo(time: number): void {
    for (;;) {
      let next: Pending | undefined;
      for (const p of this.pending) if (p.at <= time && (next === undefined || p.at < next.at || (p.at === next.at && p.id < next.id))) next = p;
      if (next === undefined) break;
      const due = next;
      this.pending = this.pending.filter((p) => p !== due);
      this.time = Math.max(this.time, due.at);
      due.fn();
    }
    this.time = Math.max(this.time, time);
  }

  /** runAll runs timers until none is left (time moves to each one's due time). */
  runAll(): void {
    while (this.pending.length > 0) this.advanceTo(Math.min(...this.pending.map((p) => p.at)));
  }
}
