import { describe, expect, it } from 'vitest';
import { ManualClock, settle } from '../../../test/fakes/manual-clock';
import { accepted, byRow, harness, journalTotals, rowOf, sendJobs } from '../../../test/fakes/engine-harness';
import type { SendJob } from './types';
import { TimeHeap } from './waiting-rows';

const HOUR = 3_600_000;

/** jobsWaiting makes rows 1..n, those in `waiting` not before `at`, with the note a quiet-hours wait carries. */
function jobsWaiting(n: number, waiting: readonly number[], at: number): SendJob[] {
  return sendJobs(n).map((job) => (waiting.includes(job.row) ? { ...job, notBefore: at, waitNote: 'waiting for 09:00 local (Europe/Berlin)' } : job));
}

describe('CampaignEngine quiet hours', () => {
  it('sends the rows that are due at once, holds the others pending without blocking, and sends them when their time comes', async () => {
    const clock = new ManualClock();
    const opens = clock.now() + 2 * HOUR;
    const replanned: number[][] = [];
    const plain = new Map(sendJobs(6).map((j) => [j.row, j]));
    const h = harness({
      clock,
      throttle: { concurrency: 1 },
      script: (req) => accepted(req),
      replan: (rows) => {
        replanned.push([...rows]);
        return rows.map((row) => plain.get(row) as SendJob);
      },
    });
    const run = h.engine.run(jobsWaiting(6, [1, 4, 5], opens), 6);
    await clock.untilSleeping();
    await settle();

    // Row 1 waits and the rows after it went out: one waiting row does not hold up the queue.
    expect(h.transport.calls.map((c) => rowOf(c.req))).toEqual([2, 3, 6]);
    const snap = h.engine.snapshot();
    expect(snap.waiting).toEqual({ rows: 3, until: opens });
    expect(snap.totals).toMatchObject({ sent: 3, pending: 3 });
    const rows = await byRow(h.journal);
    expect(rows.get(1)).toMatchObject({ status: 'pending', attempts: 0, error: 'waiting for 09:00 local (Europe/Berlin)' });
    expect(clock.sleeping).toEqual([2 * HOUR]);

    await clock.advance(2 * HOUR - 1);
    expect(h.transport.calls).toHaveLength(3);
    await clock.advance(1);
    const summary = await run;

    expect(h.transport.calls.map((c) => rowOf(c.req))).toEqual([2, 3, 6, 1, 4, 5]);
    expect(h.transport.calls.slice(3).every((c) => c.startedAt >= opens)).toBe(true);
    expect(replanned).toEqual([[1, 4, 5]]);
    expect(summary).toMatchObject({ reason: 'completed', totals: { sent: 6, pending: 0 } });
    expect(summary.totals).toEqual(await journalTotals(h.journal, 6));
    expect(h.engine.snapshot().waiting).toBeUndefined();
  });

  it('keeps the waiting jobs itself when there is no replan, and wakes for a row due earlier than the one it waits for', async () => {
    const clock = new ManualClock();
    const start = clock.now();
    const jobs = sendJobs(3).map((j) => ({ ...j, notBefore: start + (j.row === 3 ? HOUR : 3 * HOUR) }));
    const h = harness({ clock, script: (req) => accepted(req) });
    const run = h.engine.run(jobs, 3);
    await clock.untilSleeping();
    await settle();
    expect(h.engine.snapshot().waiting).toEqual({ rows: 3, until: start + HOUR });
    await clock.advance(HOUR);
    expect(h.transport.calls.map((c) => rowOf(c.req))).toEqual([3]);
    expect(h.engine.snapshot().waiting).toEqual({ rows: 2, until: start + 3 * HOUR });
    await clock.advance(2 * HOUR);
    expect(await run).toMatchObject({ reason: 'completed', totals: { sent: 3 } });
  });

  it('ends at once on cancel during a wait: the waiting rows stay pending and nothing more is sent', async () => {
    const clock = new ManualClock();
    const h = harness({ clock, script: (req) => accepted(req) });
    const run = h.engine.run(jobsWaiting(4, [1, 2, 3], clock.now() + 10 * HOUR), 4);
    await clock.untilSleeping();
    await settle();
    h.engine.cancel();
    const summary = await run; // no clock advance: the cancel wakes the wait
    expect(summary).toMatchObject({ reason: 'cancelled', totals: { sent: 1, pending: 3 } });
    expect(h.transport.calls.map((c) => rowOf(c.req))).toEqual([4]);
    expect(clock.sleeping).toEqual([]);
    expect((await byRow(h.journal)).get(2)).toMatchObject({ status: 'pending', error: 'waiting for 09:00 local (Europe/Berlin)' });
  });

  it('holds a pause over a row that falls due: it goes once resumed', async () => {
    const clock = new ManualClock();
    const h = harness({ clock, script: (req) => accepted(req) });
    const run = h.engine.run(jobsWaiting(2, [2], clock.now() + HOUR), 2);
    await clock.untilSleeping();
    await settle();
    h.engine.pause();
    await clock.advance(HOUR);
    expect(h.transport.calls.map((c) => rowOf(c.req))).toEqual([1]);
    h.engine.resume();
    expect(await run).toMatchObject({ reason: 'completed', totals: { sent: 2 } });
  });
});

describe('CampaignEngine ETA with rows waiting for their quiet hours', () => {
  const MINUTE = 60_000;

  it('puts the waiting rows at their openings, walking them in order, instead of as if they went now', async () => {
    const clock = new ManualClock();
    const start = clock.now();
    // 4 rows go now at 2/s; 2,400 wait 1 h (20 min of sending at 2/s), 2 more wait 1 h 05 min.
    const first = start + HOUR;
    const second = start + HOUR + 5 * MINUTE;
    const jobs = sendJobs(2_406).map((job) => (job.row <= 4 ? job : { ...job, notBefore: job.row <= 2_404 ? first : second }));
    const h = harness({ clock, throttle: { concurrency: 1, perSecond: 2 }, script: (req) => accepted(req) });
    const run = h.engine.run(jobs, 2_406);
    for (let i = 0; i < 8 && h.transport.calls.length < 4; i++) await clock.advance(500);
    expect(h.transport.calls.map((c) => rowOf(c.req))).toEqual([1, 2, 3, 4]);

    const snap = h.engine.snapshot();
    expect(snap.waiting).toEqual({ rows: 2_402, until: first });
    const eta = snap.etaSeconds as number;
    const toFirst = (first - clock.now()) / 1000;
    // The 2,402 rows go from the first opening (the 2 of the second opening after the 2,400, which
    // are not done by then) at the rate the 4 went: about 2/s, so about 20 min after the opening.
    // As if they went now it would read about 20 min; the last opening alone, about 65 min.
    const rate = 2_402 / (eta - toFirst);
    expect(rate).toBeGreaterThan(1.5);
    expect(rate).toBeLessThan(3);
    expect(eta).toBeGreaterThan((second - clock.now()) / 1000 + 2 / 3 + 5 * 60);

    // Fifty minutes later nothing was sent (the rate now reads 0): the estimate counted down with the clock.
    await clock.advance(50 * MINUTE);
    const later = h.engine.snapshot();
    expect(later.ratePerSecond).toBe(0);
    expect(later.etaSeconds).toBeCloseTo(eta - 50 * 60, 6);
    h.engine.cancel();
    await run;
  });

  it('with every row waiting and no rate yet, is at least until the last opening', async () => {
    const clock = new ManualClock();
    const start = clock.now();
    const jobs = sendJobs(5).map((job) => ({ ...job, notBefore: start + (job.row <= 3 ? 2 : 5) * HOUR }));
    const h = harness({ clock, script: (req) => accepted(req) });
    const run = h.engine.run(jobs, 5);
    await clock.untilSleeping();
    await settle();
    expect(h.engine.snapshot()).toMatchObject({ etaSeconds: 5 * 3_600, waiting: { rows: 5, until: start + 2 * HOUR } });
    await clock.advance(HOUR);
    expect(h.engine.snapshot().etaSeconds).toBe(4 * 3_600);
    h.engine.cancel();
    await run;
  });
});

describe('TimeHeap', () => {
  it('gives rows back earliest first, in row order within one time, growing as needed', () => {
    const heap = new TimeHeap();
    const items: [number, number][] = [];
    let seed = 7;
    const rand = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let row = 1; row <= 1000; row++) items.push([Math.floor(rand() * 20), row]);
    for (const [t, row] of items) heap.push(t, row);
    expect(heap.size).toBe(1000);
    const out: [number, number][] = [];
    while (heap.size > 0) {
      const t = heap.first;
      out.push([t, heap.pop()]);
    }
    expect(out).toEqual([...items].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
    expect(heap.first).toBe(Number.POSITIVE_INFINITY);
  });
});
