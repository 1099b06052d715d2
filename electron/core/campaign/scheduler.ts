import type { Clock } from '../ports';
import type { Schedule, ScheduleStore } from '../workspace/schedules';

/**
 * The scheduler starts scheduled campaigns when they fall due, in the process that runs it (the
 * desktop app; the CLI's `--at` waits in its own process instead). Schedules live in the workspace
 * database, so one made yesterday starts today: when the app runs at its time, it starts then; when
 * the app was closed at its time, it starts as soon as the app runs again, and its note says so.
 * One campaign sends at a time, so a schedule that falls due while another is sending waits for it.
 * Times come from the injected clock, so tests move time instead of waiting for it.
 */

/** SchedulerDeps are the scheduler's ports. */
export interface SchedulerDeps {
  schedules: ScheduleStore;
  clock: Clock;
  /** Starts a due schedule's campaign and answers its id; throws (a UserError saying why) when it cannot. */
  start(schedule: Schedule): Promise<string>;
  /** Whether a campaign is sending now. */
  busy(): boolean;
  /** Tells people a schedule started or failed (a notification, the log). */
  announce(schedule: Schedule): void;
  /** A start this long after its time is called late. Default one minute. */
  lateAfterMs?: number;
  /** How often to look again while another campaign is sending. Default five seconds. */
  busyPollMs?: number;
}

/** The longest single wait: timers are not trusted across days (and cannot wait past 24.8 days). */
const MAX_WAIT_MS = 60 * 60 * 1000;

/** Scheduler runs the schedules of one workspace (see the file comment). */
export class Scheduler {
  readonly #deps: SchedulerDeps;
  #wake = new AbortController();
  #stopped = false;
  #loop: Promise<void> | undefined;

  constructor(deps: SchedulerDeps) {
    this.#deps = deps;
  }

  /** begin starts watching the schedules (those a previous process left half-started first go back to waiting). */
  begin(): void {
    if (this.#loop !== undefined) return;
    this.#deps.schedules.recover();
    this.#loop = this.#run();
  }

  /** wake looks at the schedules again now (one was made, changed or cancelled). */
  wake(): void {
    this.#wake.abort();
  }

  /** stop stops watching; a start under way finishes first. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.wake();
    await this.#loop;
  }

  async #run(): Promise<void> {
    const d = this.#deps;
    let waitedForBusy = false;
    while (!this.#stopped) {
      const next = d.schedules.nextWaiting();
      const now = d.clock.now();
      if (next === undefined) {
        await this.#sleep(MAX_WAIT_MS);
        continue;
      }
      if (next.dueAt > now) {
        waitedForBusy = false;
        await this.#sleep(Math.min(next.dueAt - now, MAX_WAIT_MS));
        continue;
      }
      if (d.busy()) {
        waitedForBusy = true;
        await this.#sleep(d.busyPollMs ?? 5_000);
        continue;
      }
      if (!d.schedules.claim(next.id)) continue;
      try {
        const campaignId = await d.start(next);
        d.schedules.started(next.id, campaignId, startNote(next.dueAt, d.clock.now(), d.lateAfterMs ?? 60_000, waitedForBusy));
      } catch (e) {
        d.schedules.failed(next.id, `Could not start: ${e instanceof Error ? e.message : String(e)}`);
      }
      waitedForBusy = false;
      const done = d.schedules.get(next.id);
      if (done !== undefined) d.announce(done);
    }
  }

  async #sleep(ms: number): Promise<void> {
    if (this.#stopped) return;
    if (this.#wake.signal.aborted) this.#wake = new AbortController();
    try {
      await this.#deps.clock.sleep(ms, this.#wake.signal);
    } catch {
      // Woken on purpose: look again.
    }
  }
}

/** startNote says, plainly, when a schedule started compared with its time, and why it was late. */
export function startNote(dueAt: number, startedAt: number, lateAfterMs: number, waitedForBusy: boolean): string {
  const late = startedAt - dueAt;
  if (late < lateAfterMs) return 'Started at its time.';
  const minutes = Math.round(late / 60_000);
  const by = minutes < 120 ? `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}` : `${Math.round(minutes / 60)} hours`;
  const why = waitedForBusy ? 'another campaign was still sending' : 'the app was not running (or the computer was asleep) at that time';
  return `Started ${by} after its time: ${why}.`;
}
