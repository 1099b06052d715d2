import { describe, expect, it } from 'vitest';
import { ManualClock } from './manual-clock';

describe('ManualClock', () => {
  it('wakes sleeps only when time is advanced past them, each at its own time', async () => {
    const clock = new ManualClock(1000);
    const woke: [string, number][] = [];
    void clock.sleep(300).then(() => woke.push(['b', clock.now()]));
    void clock.sleep(100).then(() => woke.push(['a', clock.now()]));
    await clock.untilSleeping(2);
    expect(clock.sleeping).toEqual([100, 300]);
    await clock.advance(99);
    expect(woke).toEqual([]);
    await clock.advance(500);
    expect(woke).toEqual([
      ['a', 1100],
      ['b', 1300],
    ]);
    expect(clock.now()).toBe(1599);
  });

  it('resolves a zero sleep at once and rejects an aborted one', async () => {
    const clock = new ManualClock();
    await clock.sleep(0);
    const ac = new AbortController();
    const sleeping = clock.sleep(1000, ac.signal);
    ac.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
    expect(clock.sleeping).toEqual([]);
    await expect(clock.sleep(5, ac.signal)).rejects.toThrow('stop');
  });
});
