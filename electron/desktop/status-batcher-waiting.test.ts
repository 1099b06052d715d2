import { describe, expect, it } from 'vitest';
import type { RowOutcome } from '../../shared/engine/events';
import type { StatusBatch } from '../../shared/ipc/contract';
import { statusBatchSchema } from '../../shared/ipc/contract';
import type { WaitingNow } from '../core/engine/eta';
import { ManualTimer } from './batch-timer';
import { StatusBatcher } from './status-batcher';

/**
 * The status stream of a run whose rows wait for their quiet hours: a waiting row sends no event,
 * so the batcher checks on the waiting rows itself (every five seconds by default) and the batches
 * say how many wait and until when, with an ETA that counts down while nothing is sent.
 */

const HOUR = 3_600_000;

/** setup is a batcher over a journal in a map, with rows waiting as `wait` says (changed by the test). */
function setup(total: number) {
  const journal = new Map<number, RowOutcome>();
  const timer = new ManualTimer(1_000);
  const batches: StatusBatch[] = [];
  /** When each batch went out. */
  const times: number[] = [];
  const wait: { now: WaitingNow | undefined } = { now: undefined };
  const batcher = new StatusBatcher({
    campaignId: 'c1',
    total,
    outcomeOf: (row) => journal.get(row) ?? { row, status: 'pending', recipient: '', attempts: 0 },
    send: (b) => {
      batches.push(statusBatchSchema.parse(b));
      times.push(timer.now());
    },
    timer,
    waiting: () => wait.now,
  });
  /** sent records rows as sent, one event each, `stepMs` apart. */
  const sent = (rows: number[], stepMs = 100) => {
    for (const row of rows) {
      timer.advanceTo(timer.now() + stepMs);
      journal.set(row, { row, status: 'sent', recipient: 'r', attempts: 1, messageId: `m${row}` });
      batcher.push({ type: 'sent', row, attempt: 1, messageId: `m${row}`, recipient: 'r', httpStatus: 201, at: timer.now() });
    }
  };
  /** after lets `ms` pass and gives the batches sent meanwhile. */
  const after = (ms: number): StatusBatch[] => {
    const from = batches.length;
    timer.advanceTo(timer.now() + ms);
    return batches.slice(from);
  };
  return { journal, timer, batches, times, batcher, wait, sent, after };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('StatusBatcher with rows waiting for their quiet hours', () => {
  it('puts waiting rows at their opening in the ETA, at the rate rows went, however long the wait', () => {
    const { timer, batches, times, wait, sent, after } = setup(30);
    const opens = 1_000 + 2 * HOUR;
    // Rows 11..30 wait for their window (pending, no event), as the engine says.
    wait.now = { rows: 20, until: opens, openings: [{ at: opens, rows: 20 }] };
    sent(range(1, 10));
    after(100);
    const last = batches.at(-1) as StatusBatch;
    expect(last.totals).toMatchObject({ sent: 10, pending: 20 });
    expect(last.ratePerSecond).toBeGreaterThan(8);
    // Not 20 rows at ~10/s ("2 s"): two hours, then the 20 rows at that rate.
    expect(last.etaSeconds).toBe(Math.ceil((opens - timer.now()) / 1000 + 20 / last.ratePerSecond));

    // A minute on, with nothing sent meanwhile: the rate reads lower, the ETA keeps the rows' rate.
    const rate = last.ratePerSecond;
    const later = after(60_000).at(-1) as StatusBatch;
    expect(later.ratePerSecond).toBeLessThan(rate);
    expect(later.etaSeconds).toBe(Math.ceil((opens - (times.at(-1) as number)) / 1000 + 20 / rate));
  });

  it('carries how many rows wait and until when, and sends a batch every five seconds while they wait so the ETA counts down', () => {
    const { batches, wait, sent, after } = setup(4);
    const opens = Date.UTC(2030, 0, 1, 8);
    wait.now = { rows: 2, until: opens, openings: [{ at: opens, rows: 2 }] };
    sent([1, 2]);
    after(100);
    expect(batches.at(-1)).toMatchObject({ state: 'running', totals: { sent: 2, pending: 2 }, waiting: { rows: 2, until: '2030-01-01T08:00:00.000Z' } });
    // Half a minute with no row changing: a batch every five seconds, no rows in them, each ETA five seconds shorter.
    const ticks = after(30_000);
    expect(ticks.length).toBeGreaterThanOrEqual(6);
    expect(ticks.length).toBeLessThanOrEqual(7);
    expect(ticks.every((b) => b.rows.length === 0 && b.waiting?.rows === 2)).toBe(true);
    const etas = ticks.map((b) => b.etaSeconds as number);
    for (let i = 1; i < etas.length; i++) expect((etas[i - 1] as number) - (etas[i] as number)).toBe(5);
  });

  it('sends batches when every row waits from the start, though no event came', () => {
    const { batches, wait, after } = setup(3);
    const opens = 1_000 + HOUR;
    wait.now = { rows: 3, until: opens, openings: [{ at: opens, rows: 3 }] };
    const ticks = after(10_000);
    expect(ticks).toHaveLength(2);
    expect(ticks[1]).toMatchObject({ state: 'running', rows: [], totals: { pending: 3 }, waiting: { rows: 3 }, etaSeconds: (opens - 11_000) / 1000 });
    expect(batches).toHaveLength(2);
  });

  it('sends no batch of its own when no row waits', () => {
    const { batches, sent, after } = setup(10);
    sent([1, 2, 3]);
    after(100);
    const sofar = batches.length;
    expect(batches.at(-1)?.waiting).toBeUndefined();
    expect(after(10 * 60_000)).toEqual([]);
    expect(batches).toHaveLength(sofar);
  });

  it('says at once when the waiting rows go, even before any of them changes, and clears them at the end', () => {
    const { timer, journal, batches, batcher, wait, sent, after } = setup(4);
    const opens = 1_000 + HOUR;
    wait.now = { rows: 2, until: opens, openings: [{ at: opens, rows: 2 }] };
    sent([1, 2]);
    timer.advanceTo(opens - 1);
    // The window opens: the engine queues the rows (pending still: no row to send), nothing waits.
    wait.now = undefined;
    batcher.push({ type: 'queued', row: 3, at: opens });
    batcher.push({ type: 'queued', row: 4, at: opens });
    const opened = after(5_000);
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({ rows: [], totals: { pending: 2 } });
    expect(opened[0]?.waiting).toBeUndefined();
    // Then they go, and the run ends: no more batches of its own.
    sent([3, 4]);
    const totals = { total: 4, pending: 0, inFlight: 0, sent: 4, failed: 0, skipped: 0, uncertain: 0 };
    batcher.push({ type: 'finished', reason: 'completed', totals, at: timer.now() });
    expect(batches.at(-1)).toMatchObject({ state: 'finished', totals });
    expect(batches.at(-1)?.waiting).toBeUndefined();
    expect(journal.size).toBe(4);
    timer.runAll(); // would never end if the batcher still checked
    expect(after(HOUR)).toEqual([]);
  });

  it('sends no periodic batch while paused, and starts again on resume', () => {
    const { batches, batcher, wait, sent, after, timer } = setup(4);
    const opens = 1_000 + HOUR;
    wait.now = { rows: 2, until: opens, openings: [{ at: opens, rows: 2 }] };
    sent([1, 2]);
    batcher.push({ type: 'paused', reason: 'Paused by you.', at: timer.now() });
    after(100);
    expect(batches.at(-1)).toMatchObject({ state: 'paused', etaSeconds: null, waiting: { rows: 2 } });
    expect(after(60_000)).toEqual([]);
    batcher.push({ type: 'resumed', at: timer.now() });
    const resumed = after(10_000);
    expect(resumed.length).toBeGreaterThanOrEqual(2);
    expect(resumed.every((b) => b.state === 'running' && b.etaSeconds !== null)).toBe(true);
  });

  it('stops checking once the run is over or the window gone', () => {
    for (const end of ['stopChecking', 'dispose'] as const) {
      const { batcher, wait, after, timer } = setup(2);
      wait.now = { rows: 2, until: 1_000 + HOUR, openings: [{ at: 1_000 + HOUR, rows: 2 }] };
      expect(after(5_000)).toHaveLength(1);
      batcher[end]();
      timer.runAll();
      expect(after(HOUR)).toEqual([]);
    }
  });
});
