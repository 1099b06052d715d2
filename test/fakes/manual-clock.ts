import type { Clock } from '../../electron/core/ports';

interface Sleeper {
  due: number;
  resolve: () => void;
}

/** settle lets every pending promise chain run (microtasks first, then one macrotask turn). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * ManualClock is a Clock for tests whose time moves only when the test says so: `advance(ms)`
 * wakes the sleeps that fall due, in order, letting the code under test run between them.
 * `sleep(0)` resolves at once. Tests await `untilSleeping(n)` instead of guessing with real sleeps.
 */
export class ManualClock implements Clock {
  #now: number;
  #sleepers = new Set<Sleeper>();
  #watchers: { count: number; resolve: () => void }[] = [];

  /** The default start is a whole second, so HTTP dates (second precision) round-trip exactly. */
  constructor(start = Date.UTC(2030, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (!(ms > 0)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.#sleepers.delete(sleeper);
        reject(signal?.reason);
      };
      const sleeper: Sleeper = {
        due: this.#now + ms,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#sleepers.add(sleeper);
      this.#watchers = this.#watchers.filter((w) => {
        if (this.#sleepers.size < w.count) return true;
        w.resolve();
        return false;
      });
    });
  }

  /** sleeping lists the time left (ms) of every sleep not yet due, shortest first. */
  get sleeping(): number[] {
    return [...this.#sleepers].map((s) => s.due - this.#now).sort((a, b) => a - b);
  }

  /** untilSleeping resolves once at least `count` sleeps are waiting. */
  untilSleeping(count = 1): Promise<void> {
    if (this.#sleepers.size >= count) return Promise.resolve();
    return new Promise((resolve) => this.#watchers.push({ count, resolve }));
  }

  /** advance moves time forward by `ms`, waking due sleeps one by one (each at its own due time). */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (;;) {
      let next: Sleeper | undefined;
      for (const s of this.#sleepers) if (s.due <= target && (next === undefined || s.due < next.due)) next = s;
      if (next === undefined) break;
      this.#sleepers.delete(next);
      this.#now = Math.max(this.#now, next.due);
      next.resolve();
      await settle();
    }
    this.#now = target;
    await settle();
  }
}
