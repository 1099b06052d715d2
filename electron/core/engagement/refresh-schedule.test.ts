import { describe, expect, it } from 'vitest';
import { ManualTimer } from '../../desktop/batch-timer';
import type { Candidate } from './refresh-schedule';
import { RefreshScheduler } from './refresh-schedule';

const MIN = 60_000;
const cadence = { everyMs: 15 * MIN, forMs: 48 * 60 * MIN };

/** flush lets the schedule's awaited refreshes and candidate reads settle. */
async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

function setup(candidates: () => Candidate[], fail = new Set<string>()) {
  const timer = new ManualTimer(0);
  const refreshed: [string, number][] = [];
  const last = new Map<string, number>();
  const scheduler = new RefreshScheduler({
    timer,
    // A refresh that ran to its end finishes what was cut short, and is the last one.
    candidates: async () => candidates().map((c) => ({ ...c, lastRefreshAt: last.get(c.id) ?? c.lastRefreshAt, interrupted: c.interrupted && !last.has(c.id) })),
    refresh: async (id) => {
      refreshed.push([id, timer.now()]);
      // A refresh that fails before reading (no key) leaves no trace of having run.
      if (fail.has(id)) throw new Error('no key');
      last.set(id, timer.now());
    },
  });
  // In steps of 5 s, letting each woken tick finish before time moves on (every due time here is a multiple of 5 s).
  const advance = async (to: number) => {
    for (let t = timer.now(); t < to; t = Math.min(to, t + 5_000)) {
      timer.advanceTo(Math.min(to, t + 5_000));
      await flush();
    }
  };
  return { timer, scheduler, refreshed, advance };
}

describe('the automatic engagement refresh', () => {
  it('reads a campaign every 15 minutes for the 48 hours after its run, and then no more', async () => {
    const { scheduler, refreshed, advance } = setup(() => [{ id: 'a', endedAt: 0, cadence, lastRefreshAt: undefined, interrupted: false }]);
    scheduler.start();
    await advance(60 * MIN);
    expect(refreshed.map(([, at]) => at / 1000)).toEqual([5, 905, 1805, 2705]);
    expect(scheduler.scheduleOf('a')).toMatchObject({ everyMinutes: 15, until: new Date(48 * 60 * MIN).toISOString() });
    await advance(50 * 60 * MIN);
    expect(refreshed.length).toBe(192);
    expect(refreshed.every(([, at]) => at < 48 * 60 * MIN)).toBe(true);
    expect(scheduler.scheduleOf('a')).toBeUndefined();
    scheduler.stop();
  });

  it('leaves alone a provider with nothing to read, resumes a cut-short refresh at once, and waits after a failure', async () => {
    const { scheduler, refreshed, advance } = setup(
      () => [
        { id: 'pingback', endedAt: 0, cadence: undefined, lastRefreshAt: undefined, interrupted: false },
        { id: 'old', endedAt: -72 * 60 * MIN, cadence, lastRefreshAt: -70 * 60 * MIN, interrupted: true },
        { id: 'nokey', endedAt: 0, cadence: { everyMs: 20_000, forMs: 30 * MIN }, lastRefreshAt: undefined, interrupted: false },
      ],
      new Set(['nokey']),
    );
    scheduler.start();
    await advance(12 * MIN);
    expect(refreshed.filter(([id]) => id === 'pingback')).toEqual([]);
    expect(refreshed.filter(([id]) => id === 'old')).toHaveLength(1);
    // Every 20 s is its cadence, but having failed at 5 s it is tried again only every 5 minutes.
    expect(refreshed.filter(([id]) => id === 'nokey').map(([, at]) => Math.round(at / 1000))).toEqual([5, 305, 605]);
    scheduler.stop();
  });
});
