import { describe, expect, it } from 'vitest';
import type { RowOutcome } from '../engine/events';
import { SummaryTally } from './report-summary';

const at = (s: number) => new Date(Date.UTC(2024, 4, 1, 10, 0, s)).toISOString();

describe('SummaryTally', () => {
  it('counts rows by report status, an in-flight row as uncertain and a row never attempted as pending', () => {
    const t = new SummaryTally();
    const rows: (RowOutcome | undefined)[] = [
      { row: 1, status: 'sent', recipient: 'a', attempts: 1, sentAt: at(0) },
      { row: 2, status: 'in-flight', recipient: 'b', attempts: 1 },
      { row: 3, status: 'skipped', recipient: '', attempts: 0, error: 'opted out' },
      undefined,
    ];
    rows.forEach((o) => t.add(o));
    expect(t.summary()).toMatchObject({ rows: 4, byStatus: { sent: 1, failed: 0, skipped: 1, uncertain: 1, pending: 1 } });
  });

  it('lists errors most frequent first and lumps the rest, also past the texts it keeps', () => {
    const t = new SummaryTally(3);
    const fail = (error: string) => t.add({ row: 0, status: 'failed', recipient: 'x', attempts: 1, error });
    ['HTTP 400', 'HTTP 400', 'HTTP 400', 'timeout', 'timeout', 'HTTP 500', 'new text', 'another new'].forEach(fail);
    const s = t.summary(2);
    expect(s.errors).toEqual([{ error: 'HTTP 400', rows: 3 }, { error: 'timeout', rows: 2 }]);
    expect([s.otherErrorRows, s.otherErrorKinds]).toEqual([3, 2]); // HTTP 500, plus two texts past the cap (counted as one kind)
  });

  it('measures the sending span from the first to the last accepted message, and the rate over it', () => {
    const t = new SummaryTally();
    [at(30), at(0), at(10)].forEach((sentAt, i) => t.add({ row: i, status: 'sent', recipient: 'x', attempts: 1, sentAt }));
    t.add({ row: 9, status: 'failed', recipient: 'x', attempts: 1, sentAt: at(99) }); // not accepted: not in the span
    expect(t.summary()).toMatchObject({ firstSentAt: at(0), lastSentAt: at(30), durationSeconds: 30, ratePerSecond: 0.1 });
  });

  it('gives no span or rate when nothing was sent, and no rate for a span of zero', () => {
    const none = new SummaryTally().summary();
    expect([none.firstSentAt, none.durationSeconds, none.ratePerSecond]).toEqual([undefined, undefined, undefined]);
    const one = new SummaryTally();
    one.add({ row: 1, status: 'sent', recipient: 'x', attempts: 1, sentAt: at(5) });
    expect(one.summary()).toMatchObject({ durationSeconds: 0 });
    expect(one.summary().ratePerSecond).toBeUndefined();
  });
});
