import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arrivalMarginMs, busiestWindow, catchUpMs, rateWindow, WirePacer } from './rate-limit';

/**
 * simulate drives a pacer as the queue does: whenever a grant is allowed, one request (of `n`) is
 * granted; it reaches the wire `delay(i)` ms later (journal, connection set-up), or never when the
 * delay is negative. Returns the wire times.
 */
function simulate(pacer: WirePacer, n: number, delay: (i: number) => number, start = 0): number[] {
  const wires: number[] = [];
  const due: { at: number; written: boolean }[] = [];
  let now = start;
  let granted = 0;
  while (granted < n || due.length > 0) {
    due.sort((a, b) => a.at - b.at);
    while (due.length > 0 && (due[0] as { at: number }).at <= now) {
      const d = due.shift() as { at: number; written: boolean };
      if (d.written) {
        pacer.written(d.at);
        wires.push(d.at);
      } else pacer.unused();
    }
    const at = granted < n ? pacer.nextAt(now) : Number.POSITIVE_INFINITY;
    if (at <= now) {
      pacer.take(now, granted < n - 1);
      const d = delay(granted++);
      due.push({ at: now + Math.abs(d), written: d >= 0 });
      continue;
    }
    now = Math.min(at, ...due.map((d) => d.at));
  }
  return wires;
}

describe('WirePacer', () => {
  it('never lets more than the limit reach the wire in any window (plus margin), whatever the delays before the wire', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.array(fc.integer({ min: -30, max: 400 }), { minLength: 1, maxLength: 50 }),
        (perSecond, delays) => {
          const pacer = new WirePacer(perSecond);
          const n = Math.min(3 * perSecond + 5, 700);
          const wires = simulate(pacer, n, (i) => delays[i % delays.length] as number);
          expect(busiestWindow(wires, 1001 + arrivalMarginMs)).toBeLessThanOrEqual(perSecond);
        },
      ),
      // The examples once let one more in through floating-point rounding of fractional periods.
      { numRuns: 150, examples: [[11, [0]], [33, [0]]] },
    );
  });

  it('spaces requests evenly and keeps at least 98% of the rate', () => {
    const pacer = new WirePacer(50);
    const wires = simulate(pacer, 500, () => 0);
    const gaps = wires.slice(1).map((t, i) => t - (wires[i] as number));
    const period = (1001 + arrivalMarginMs) / 50;
    for (const gap of gaps) expect(gap).toBeCloseTo(period, 4);
    const rate = ((wires.length - 1) / ((wires.at(-1) as number) - (wires[0] as number))) * 1000;
    expect(rate).toBeGreaterThanOrEqual(49);
    expect(busiestWindow(wires)).toBeLessThanOrEqual(50);
  });

  it('counts a request granted but not yet written as on the wire now', () => {
    const pacer = new WirePacer(2);
    pacer.take(0);
    pacer.take(pacer.nextAt(0));
    expect(pacer.nextAt(10_000)).toBe(Number.POSITIVE_INFINITY); // both still on their way
    pacer.written(10_000);
    expect(pacer.nextAt(10_000)).toBeCloseTo(11_001 + arrivalMarginMs, 4); // one on the wire, one still on its way
    pacer.unused(); // the other never left: its place is free again
    expect(pacer.nextAt(10_000)).toBe(10_000);
  });

  it('catches up a late timer while requests wait, but saves up nothing while idle', () => {
    const pacer = new WirePacer(100); // a period of 10.11 ms
    const on = simulate(pacer, 10, () => 0);
    const last = on.at(-1) as number;
    const next = pacer.nextAt(last);
    expect(next - last).toBeCloseTo(10.11, 4);
    pacer.take(next + 25, true); // 25 ms late, more waiting
    pacer.written(next + 25);
    // The schedule, not a period after the late one: the next two are due already.
    expect(pacer.nextAt(next + 25)).toBe(next + 25);
    pacer.take(next + 25, true);
    expect(pacer.nextAt(next + 25)).toBe(next + 25);
    pacer.take(next + 25, true);
    expect(pacer.nextAt(next + 25)).toBeCloseTo(next + 30.33, 4);

    const idle = new WirePacer(100);
    idle.take(0, false);
    idle.written(0);
    expect(idle.nextAt(60_000)).toBe(60_000);
    idle.take(60_000, false); // nothing was waiting: no catching up
    idle.written(60_000);
    expect(idle.nextAt(60_000)).toBeCloseTo(60_010.11, 4);

    const stalled = new WirePacer(1000); // a period of 1.011 ms
    stalled.take(0, true);
    stalled.written(0);
    let atOnce = 0;
    while (stalled.nextAt(60_000) <= 60_000) {
      stalled.take(60_000, true);
      stalled.written(60_000);
      atOnce++;
    }
    expect(atOnce).toBeLessThanOrEqual(2 + Math.ceil(catchUpMs / 1.011)); // at most catchUpMs of it at once
  });

  it('takes a lower rate at once, counting the requests already on the wire', () => {
    const pacer = new WirePacer(100);
    const wires = simulate(pacer, 60, () => 0);
    const last = wires.at(-1) as number;
    pacer.setRate(30);
    expect(pacer.window).toEqual({ cap: 30, windowMs: 1000 });
    const at = pacer.nextAt(last);
    // 60 requests in the last 600 ms: the 31st-newest must leave the window first.
    expect(at).toBeCloseTo((wires[30] as number) + 1001 + arrivalMarginMs, 4);
  });

  it('does not hold back a huge rate', () => {
    const pacer = new WirePacer(1_000_000);
    let n = 0;
    while (pacer.nextAt(0) <= 0 && n < 10_000) {
      pacer.take(0, true);
      pacer.written(0);
      n++;
    }
    expect(n).toBeGreaterThan(900); // a millisecond of it at a frozen instant
  });
});

describe('rateWindow', () => {
  it('rounds a fractional rate down, and spaces a rate below one a second', () => {
    expect(rateWindow(50)).toEqual({ cap: 50, windowMs: 1000 });
    expect(rateWindow(2.5)).toEqual({ cap: 2, windowMs: 1000 });
    expect(rateWindow(0.5)).toEqual({ cap: 1, windowMs: 2000 });
  });

  it('rejects a rate that is not a positive number', () => {
    expect(() => rateWindow(0)).toThrow(/positive/);
    expect(() => rateWindow(Number.NaN)).toThrow(/positive/);
    expect(() => rateWindow(Number.POSITIVE_INFINITY)).toThrow(/positive/);
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
