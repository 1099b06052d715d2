import { describe, expect, it } from 'vitest';
import { estimateEta, etaSeconds, OpeningCounts } from './eta';

const MIN = 60_000;
const HOUR = 3_600_000;
const now = Date.UTC(2030, 0, 1);

describe('etaSeconds', () => {
  it('is the rows left over the rate when nothing waits, and unknown without a rate', () => {
    expect(etaSeconds(now, 120, 2, [])).toBe(60);
    expect(etaSeconds(now, 120, 0, [])).toBeNull();
  });

  it('puts waiting rows no earlier than their opening: tomorrow 09:00 is not "2 min"', () => {
    // 100 ready rows at 1/s (100 s), then 20 rows that wait 10 hours.
    expect(etaSeconds(now, 100, 1, [{ at: now + 10 * HOUR, rows: 20 }])).toBe(10 * 3600 + 20);
  });

  it('walks the openings in order: a crowded earlier opening pushes a later one back', () => {
    // 1,200 rows open in 1 h (10 min at 2/s), 2 more 5 min later: those start once the 1,200 are done.
    const openings = [
      { at: now + HOUR, rows: 1_200 },
      { at: now + HOUR + 5 * MIN, rows: 2 },
    ];
    expect(etaSeconds(now, 0, 2, openings)).toBe(3600 + 600 + 1);
    // Openings far apart: each group goes when it opens, the last one decides.
    expect(etaSeconds(now, 10, 2, [{ at: now + HOUR, rows: 4 }, { at: now + 3 * HOUR, rows: 6 }])).toBe(3 * 3600 + 3);
    // Ready rows that outlast an opening delay its rows too.
    expect(etaSeconds(now, 7_200, 1, [{ at: now + HOUR, rows: 60 }])).toBe(7_260);
  });

  it('without a rate yet but with rows waiting, is at least until the last opening', () => {
    expect(etaSeconds(now, 50, 0, [{ at: now + HOUR, rows: 3 }, { at: now + 2 * HOUR, rows: 1 }])).toBe(2 * 3600);
    expect(etaSeconds(now, 0, 0, [{ at: now - MIN, rows: 3 }])).toBe(0);
  });
});

describe('OpeningCounts', () => {
  it('counts rows per opening, earliest first, to the minute, and forgets an opening once its rows are gone', () => {
    const counts = new OpeningCounts();
    for (const at of [now + 2 * HOUR, now + HOUR, now + 2 * HOUR, now + HOUR + 1_000, now + 3 * HOUR]) counts.add(at);
    expect(counts.view()).toEqual({
      rows: 5,
      openings: [
        { at: now + HOUR, rows: 1 },
        { at: now + HOUR + MIN, rows: 1 }, // rounded up: never earlier than the row may go
        { at: now + 2 * HOUR, rows: 2 },
        { at: now + 3 * HOUR, rows: 1 },
      ],
    });
    counts.remove(now + HOUR);
    counts.remove(now + HOUR + 1_000);
    counts.remove(now + 2 * HOUR);
    expect(counts.view()).toEqual({ rows: 2, openings: [{ at: now + 2 * HOUR, rows: 1 }, { at: now + 3 * HOUR, rows: 1 }] });
  });

  it('stays as short as the distinct openings for many rows', () => {
    const counts = new OpeningCounts();
    for (let row = 0; row < 100_000; row++) counts.add(now + (row % 3) * HOUR);
    expect(counts.view().openings).toEqual([0, 1, 2].map((h) => ({ at: now + h * HOUR, rows: h === 0 ? 33_334 : 33_333 })));
  });
});

describe('estimateEta', () => {
  const waiting = { rows: 20, openings: [{ at: now + 10 * HOUR, rows: 20 }] };

  it('sends the ready rows at the rate now, then the waiting ones from their opening', () => {
    // 40 rows left, 20 of them waiting: the 20 ready go at 4/s (5 s), the 20 waiting from the opening (5 s).
    expect(estimateEta({ now, left: 40, perSecond: 4, lastPerSecond: 4, waiting })).toBe(10 * 3600 + 5);
  });

  it('once only waiting rows are left, counts them at the rate rows last went, not at the 0 measured since', () => {
    expect(estimateEta({ now: now + MIN, left: 20, perSecond: 0, lastPerSecond: 4, waiting })).toBe(10 * 3600 - 60 + 5);
    // With rows ready, the rate now is what counts.
    expect(estimateEta({ now, left: 30, perSecond: 2, lastPerSecond: 4, waiting })).toBe(10 * 3600 + 10);
  });

  it('with no rate ever measured and rows waiting, is at least until the last opening; with nothing waiting, unknown', () => {
    const two = { rows: 3, openings: [{ at: now + HOUR, rows: 1 }, { at: now + 5 * HOUR, rows: 2 }] };
    expect(estimateEta({ now, left: 3, perSecond: 0, lastPerSecond: 0, waiting: two })).toBe(5 * 3600);
    expect(estimateEta({ now, left: 10, perSecond: 0, lastPerSecond: 0 })).toBeNull();
    expect(estimateEta({ now, left: 10, perSecond: 5, lastPerSecond: 5 })).toBe(2);
  });
});
