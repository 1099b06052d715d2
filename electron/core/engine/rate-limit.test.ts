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
      pacer.take(now);
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
          expect(busiestWindow(wires, 1000 + arrivalMarginMs)).toBeLessThanOrEqual(perSecond);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('spaces requests evenly and keeps at least 98% of the rate', () => {
    const pacer = new WirePacer(50);
    const wires = simulate(pacer, 500, () => 0);
    const gaps = wires.slice(1).map((t, i) => t - (wires[i] as number));
    const period = (1000 + arrivalMarginMs) / 50;
    // An idle start may save up catchUpMs, which the window then takes back once; otherwise one period.
    for (const gap of gaps) expect(Math.abs(gap - period)).toBeLessThanOrEqual(catchUpMs + 1e-6);
    expect(gaps.filter((gap) => Math.abs(gap - period) < 1e-6).length).toBeGreaterThan(gaps.length - 3);
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
    expect(pacer.nextAt(10_000)).toBe(11_000 + arrivalMarginMs); // one on the wire, one still on its way
    pacer.unused(); // the other never left: its place is free again
    expect(pacer.nextAt(10_000)).toBe(10_000);
  });

  it('lets a late timer catch up its schedule, but saves up no burst while idle', () => {
    const pacer = new WirePacer(100); // a period of 10.1 ms
    const on = simulate(pacer, 10, () => 0);
    const next = pacer.nextAt(on.at(-1) as number);
    expect(next - (on.at(-1) as number)).toBeCloseTo(10.1, 6);
    pacer.take(next + 4); // 4 ms late
    pacer.written(next + 4);
    expect(pacer.nextAt(next + 4)).toBeCloseTo(next + 10.1, 6); // the schedule, not 10.1 ms after the late one

    const idle = new WirePacer(1000); // a period of 1.01 ms
    idle.take(0);
    idle.written(0);
    let atOnce = 0;
    while (idle.nextAt(60_000) <= 60_000) {
      idle.take(60_000);
      idle.written(60_000);
      atOnce++;
    }
    expect(atOnce).toBeLessThanOrEqual(1 + Math.ceil(catchUpMs / 1.01));
  });

  it('takes a lower rate at once, counting the requests already on the wire', () => {
    const pacer = new WirePacer(100);
    const wires = simulate(pacer, 60, () => 0);
    const last = wires.at(-1) as number;
    pacer.setRate(30);
    expect(pacer.window).toEqual({ cap: 30, windowMs: 1000 });
    const at = pacer.nextAt(last);
    // 60 requests in the last 600 ms: the 31st-newest must leave the window first.
    expect(at).toBeCloseTo((wires[30] as number) + 1000 + arrivalMarginMs, 6);
  });

  it('does not hold back a huge rate', () => {
    const pacer = new WirePacer(1_000_000);
    let n = 0;
    while (pacer.nextAt(0) <= 0 && n < 10_000) {
      pacer.take(0);
      pacer.written(0);
      n++;
    }
    expect(n).toBeGreaterThan(4000);
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
