import { describe, expect, it } from 'vitest';
import { RateMeter, TotalsTally } from './totals';

describe('TotalsTally', () => {
  it('moves rows between statuses, deriving pending from the total', () => {
    const t = new TotalsTally(5);
    t.move('pending', 'in-flight');
    t.move('pending', 'in-flight');
    t.move('in-flight', 'sent');
    t.move('in-flight', 'pending');
    t.move('pending', 'skipped');
    expect(t.totals()).toEqual({ total: 5, pending: 3, inFlight: 0, sent: 1, failed: 0, skipped: 1, uncertain: 0 });
  });
});

describe('RateMeter', () => {
  it('measures the rate over the time since the start when that is short', () => {
    const m = new RateMeter(0);
    for (let i = 0; i < 20; i++) m.mark(i * 100, i % 2 === 0);
    expect(m.rates(2000)).toEqual({ sentPerSecond: 5, donePerSecond: 10 });
  });

  it('forgets what happened more than ~10 s ago', () => {
    const m = new RateMeter(0);
    for (let i = 0; i < 100; i++) m.mark(i * 10, true); // 100 in the first second
    for (let s = 1; s < 30; s++) m.mark(s * 1000 + 500, true); // then one a second
    const { sentPerSecond } = m.rates(29_999);
    expect(sentPerSecond).toBeCloseTo(1, 0);
  });

  it('says zero when nothing finished', () => {
    expect(new RateMeter(0).rates(5000)).toEqual({ sentPerSecond: 0, donePerSecond: 0 });
  });
});
