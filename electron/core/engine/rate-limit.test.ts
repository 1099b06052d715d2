import fc from 'fast-check';
import PQueue from 'p-queue';
import { describe, expect, it } from 'vitest';
import { busiestWindow, defaultSlackMs, ratePacing } from './rate-limit';

/** The most starts the pacing can let into any 1-second window: k windows of intervalCap. */
function worstSecond(p: { intervalCap: number; interval: number }): number {
  return p.intervalCap * Math.ceil(1000 / p.interval);
}

describe('ratePacing', () => {
  it('splits a second into ~200 ms windows with no loss when perSecond divides evenly', () => {
    expect(ratePacing(50)).toEqual({ intervalCap: 10, interval: (1000 + defaultSlackMs) / 5 });
    expect(ratePacing(20)).toEqual({ intervalCap: 4, interval: (1000 + defaultSlackMs) / 5 });
    expect(ratePacing(7)).toEqual({ intervalCap: 1, interval: (1000 + defaultSlackMs) / 7 });
    expect(ratePacing(1)).toEqual({ intervalCap: 1, interval: 1000 + defaultSlackMs });
  });

  it('never allows more than perSecond starts in a second, and loses little of the rate', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 1_000_000, noNaN: true }), (perSecond) => {
        const p = ratePacing(perSecond);
        const allowed = worstSecond(p);
        expect(allowed).toBeLessThanOrEqual(perSecond);
        expect(allowed).toBeGreaterThanOrEqual(Math.floor(perSecond) * 0.9);
        expect(p.interval).toBeGreaterThanOrEqual(50);
      }),
    );
  });

  it('spaces starts below one a second', () => {
    expect(ratePacing(0.5)).toEqual({ intervalCap: 1, interval: 2000 + defaultSlackMs });
  });

  it('rejects a rate that is not a positive number', () => {
    expect(() => ratePacing(0)).toThrow(/positive/);
    expect(() => ratePacing(Number.NaN)).toThrow(/positive/);
    expect(() => ratePacing(Number.POSITIVE_INFINITY)).toThrow(/positive/);
  });

  it('gives p-queue a setting it accepts in strict mode, even for 1e6/s', () => {
    for (const perSecond of [0.2, 1, 3, 49, 50, 9973, 10_000, 1_000_000]) {
      expect(() => new PQueue({ concurrency: 4, ...ratePacing(perSecond), strict: true })).not.toThrow();
    }
    expect(ratePacing(1_000_000).intervalCap).toBe(200_000);
  });
});

describe('busiestWindow', () => {
  it('counts the most times inside any half-open window', () => {
    expect(busiestWindow([])).toBe(0);
    expect(busiestWindow([0, 999, 1000, 1001])).toBe(3);
    expect(busiestWindow([5, 0, 1000, 2000])).toBe(2);
    expect(busiestWindow([0, 10, 20], 15)).toBe(2);
  });
});
