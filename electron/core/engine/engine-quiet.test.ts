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
