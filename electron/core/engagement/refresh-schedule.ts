/**
 * The desktop app's automatic refresh: while it runs, each recent campaign's engagement is read
 * again on a cadence (every 15 minutes for the first 48 hours after its run ended, for a real
 * provider; the connection says, see connection.ts refreshCadenceOf), one campaign at a time, so a
 * person who leaves the Report step open sees the funnel fill in. A refresh cut short (the app quit)
 * is due at once when the app runs again: it resumes where it stopped.
 */

/** RefreshCadence: read every `everyMs`, until `forMs` after the campaign's run ended. */
export interface RefreshCadence {
  everyMs: number;
  forMs: number;
}

/** ScheduleTimer is the timer the schedule runs on (the desktop's BatchTimer fits). */
export interface ScheduleTimer {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Candidate is a campaign the schedule may refresh. */
export interface Candidate {
  id: string;
  /** When its last run ended (ms). */
  endedAt: number;
  /** undefined: never refreshed automatically (its provider publishes nothing to read). */
  cadence: RefreshCadence | undefined;
  /** When its last refresh began (ms); undefined when never. */
  lastRefreshAt: number | undefined;
  /** Its last refresh was cut short: resume it now. */
  interrupted: boolean;
}

/** ScheduleDeps: where candidates come from and how one is refreshed (errors are the schedule's to swallow). */
export interface ScheduleDeps {
  timer: ScheduleTimer;
  candidates(): Promise<Candidate[]>;
  refresh(id: string): Promise<void>;
  onError?(id: string, error: unknown): void;
}

/** FIRST_TICK_MS: the first look after the app starts, so start-up itself is not slowed. */
const FIRST_TICK_MS = 5_000;
/** A refresh that failed (no key, offline) is tried again no sooner than this. */
const AFTER_FAILURE_MS = 5 * 60_000;

/** ScheduleView is a campaign's automatic refresh as the Report step shows it. */
export interface ScheduleView {
  everyMinutes: number;
  until: string;
  nextAt?: string;
}

/** RefreshScheduler runs the schedule (see the file comment): start() once, stop() at quit. */
export class RefreshScheduler {
  readonly #d: ScheduleDeps;
  #handle: unknown;
  #stopped = true;
  #ticking: Promise<void> | undefined;
  readonly #failedAt = new Map<string, number>();
  #known = new Map<string, { cadence: RefreshCadence; endedAt: number; nextAt: number }>();

  constructor(deps: ScheduleDeps) {
    this.#d = deps;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#wake(FIRST_TICK_MS);
  }

  stop(): void {
    this.#stopped = true;
    if (this.#handle !== undefined) this.#d.timer.clearTimeout(this.#handle);
    this.#handle = undefined;
  }

  /** scheduleOf is campaign `id`'s automatic refresh while it lasts; undefined when it has none (any more). */
  scheduleOf(id: string): ScheduleView | undefined {
    const k = this.#known.get(id);
    if (k === undefined || this.#d.timer.now() >= k.endedAt + k.cadence.forMs) return undefined;
    return { everyMinutes: k.cadence.everyMs / 60_000, until: new Date(k.endedAt + k.cadence.forMs).toISOString(), nextAt: new Date(k.nextAt).toISOString() };
  }

  /** tick refreshes every campaign that is due, one at a time, then sets the timer for the next one due. */
  tick(): Promise<void> {
    this.#ticking ??= this.#tick().finally(() => {
      this.#ticking = undefined;
    });
    return this.#ticking;
  }

  async #tick(): Promise<void> {
    let list: Candidate[] = [];
    try {
      list = await this.#d.candidates();
    } catch (e) {
      this.#d.onError?.('', e);
    }
    const known = new Map<string, { cadence: RefreshCadence; endedAt: number; nextAt: number }>();
    for (const c of list) {
      if (this.#stopped) return;
      if (c.cadence === undefined) continue;
      const now = this.#d.timer.now();
      if (now >= c.endedAt + c.cadence.forMs && !c.interrupted) continue;
      const failed = this.#failedAt.get(c.id);
      let last = c.lastRefreshAt;
      if (failed !== undefined) last = Math.max(last ?? 0, failed + AFTER_FAILURE_MS - c.cadence.everyMs);
      const due = c.interrupted && failed === undefined ? now : last === undefined ? now : last + c.cadence.everyMs;
      if (due <= now) {
        try {
          await this.#d.refresh(c.id);
          this.#failedAt.delete(c.id);
        } catch (e) {
          this.#failedAt.set(c.id, this.#d.timer.now());
          this.#d.onError?.(c.id, e);
        }
        known.set(c.id, { cadence: c.cadence, endedAt: c.endedAt, nextAt: this.#d.timer.now() + c.cadence.everyMs });
      } else {
        known.set(c.id, { cadence: c.cadence, endedAt: c.endedAt, nextAt: due });
      }
    }
    this.#known = known;
    if (this.#stopped) return;
    const now = this.#d.timer.now();
    const next = Math.min(...[...known.values()].map((k) => k.nextAt), now + 15 * 60_000);
    this.#wake(Math.max(1_000, next - now));
  }

  #wake(ms: number): void {
    if (this.#handle !== undefined) this.#d.timer.clearTimeout(this.#handle);
    this.#handle = this.#d.timer.setTimeout(() => {
      this.#handle = undefined;
      if (!this.#stopped) void this.tick();
    }, ms);
  }
}
