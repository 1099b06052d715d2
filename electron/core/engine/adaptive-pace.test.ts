import { describe, expect, it } from 'vitest';
import { AdaptivePace } from './adaptive-pace';

describe('AdaptivePace', () => {
  it('drops to what the provider accepted less 5%, once for the requests that left before the drop', () => {
    const pace = new AdaptivePace(100);
    expect(pace.refused(1000, 60, 1020)).toEqual({ perSecond: 57, ceiling: 100, lowered: true, reason: expect.stringMatching(/HTTP 429 and no Retry-After after accepting 60/) });
    expect(pace.refused(1010, 55, 1030)).toBeUndefined(); // written before the drop
    expect(pace.perSecond).toBe(57);
    expect(pace.refused(1500, 58, 1520)?.perSecond).toBe(54); // a new refusal at the new pace: 57 less 5%
    expect(pace.refused(2000, 0, 2020)?.perSecond).toBe(1); // never below 1/s
    expect(pace.reason).toMatch(/accepting 0 in one second/);
  });

  it('rises by 2% (at least 1/s) each second without a refusal while the campaign sends at its pace, up to the ceiling', () => {
    const pace = new AdaptivePace(60);
    pace.refused(0, 50, 0); // 47/s
    expect(pace.answered(500, true)).toBeUndefined(); // not a second yet
    expect(pace.answered(1000, false)).toBeUndefined(); // not sending at the pace: proves nothing
    const rises: number[] = [];
    for (let t = 1000; t < 30_000; t += 250) {
      const change = pace.answered(t, true);
      if (change !== undefined) rises.push(change.perSecond);
    }
    expect(rises.slice(0, 3)).toEqual([48, 49, 50]);
    expect(rises.at(-1)).toBe(60);
    expect(pace.perSecond).toBe(60);
    expect(pace.reason).toBe('');
    expect(new AdaptivePace(60).answered(5000, true)).toBeUndefined(); // at the ceiling already
  });

  it('says when it is back at the pace asked', () => {
    const pace = new AdaptivePace(10);
    pace.refused(0, 10, 0); // 9/s
    expect(pace.answered(1000, true)).toEqual({ perSecond: 10, ceiling: 10, lowered: false, reason: 'no refusal for a while: back to the pace asked' });
  });
});
