import { describe, expect, it } from 'vitest';
import { benchStatusBatcher } from '../../bench/status-batcher';
import type { StatusBatch } from '../../shared/ipc/contract';
import { statusBatchSchema } from '../../shared/ipc/contract';
import type { RowOutcome } from '../../shared/engine/events';
import { ManualTimer, realTimer } from './batch-timer';
import { StatusBatcher } from './status-batcher';

function setup(total = 5, initial: RowOutcome[] = []) {
  const journal = new Map<number, RowOutcome>(initial.map((o) => [o.row, o]));
  const timer = new ManualTimer(1_000);
  const batches: StatusBatch[] = [];
  const batcher = new StatusBatcher({
    campaignId: 'c1',
    total,
    initial,
    outcomeOf: (row) => journal.get(row) ?? { row, status: 'pending', recipient: '', attempts: 0 },
    send: (b) => batches.push(statusBatchSchema.parse(b)),
    timer,
  });
  const record = (o: RowOutcome) => journal.set(o.row, o);
  return { journal, timer, batches, batcher, record };
}

describe('StatusBatcher', () => {
  it('100,000 events: at most 10 messages per simulated second (one more for the final flush), nothing lost, totals exact', () => {
    const f = benchStatusBatcher(100_000, 1_000, 100);
    expect(f.events).toBe(100_000);
    expect(f.maxMessagesPerSecond).toBeLessThanOrEqual(10);
    expect(f.maxMessagesInAnyWindow).toBeLessThanOrEqual(11);
    expect(f.messages).toBeLessThanOrEqual(Math.ceil(f.simulatedSeconds * 10) + 2);
    expect(f.rowsLost).toBe(0);
    expect(f.totalsExact).toBe(true);
    expect(f.finalTotals.pending + f.finalTotals.inFlight).toBe(0);
  });

  it('sends the first change at once, then coalesces until the interval has passed, latest state per row', () => {
    const { timer, batches, batcher, record } = setup();
    record({ row: 1, status: 'in-flight', recipient: 'a', attempts: 1 });
    batcher.push({ type: 'sending', row: 1, attempt: 1, at: 1_000 });
    timer.advanceTo(1_000);
    expect(batches).toHaveLength(1);
    expect(batches[0]?.rows).toEqual([{ row: 1, status: 'in-flight', recipient: 'a', attempts: 1 }]);

    record({ row: 1, status: 'sent', recipient: 'a', attempts: 1, messageId: 'm1' });
    batcher.push({ type: 'sent', row: 1, attempt: 1, messageId: 'm1', recipient: 'a', httpStatus: 201, at: 1_010 });
    record({ row: 2, status: 'in-flight', recipient: 'b', attempts: 1 });
    batcher.push({ type: 'sending', row: 2, attempt: 1, at: 1_020 });
    record({ row: 2, status: 'failed', recipient: 'b', attempts: 1, error: 'HTTP 422', httpStatus: 422 });
    batcher.push({ type: 'failed', row: 2, attempt: 1, error: 'HTTP 422', httpStatus: 422, at: 1_030 });
    timer.advanceTo(1_099);
    expect(batches).toHaveLength(1);
    timer.advanceTo(1_100);
    expect(batches).toHaveLength(2);
    expect(batches[1]?.seq).toBe(2);
    expect(batches[1]?.rows.map((r) => [r.row, r.status])).toEqual([[1, 'sent'], [2, 'failed']]);
    expect(batches[1]?.totals).toEqual({ total: 5, pending: 3, inFlight: 0, sent: 1, failed: 1, skipped: 0, uncertain: 0 });
  });

  it('flushes the final batch on finished without waiting for the timer', () => {
    const { timer, batches, batcher, record } = setup(1);
    record({ row: 1, status: 'in-flight', recipient: 'a', attempts: 1 });
    batcher.push({ type: 'sending', row: 1, attempt: 1, at: 1_000 });
    timer.advanceTo(1_000);
    record({ row: 1, status: 'sent', recipient: 'a', attempts: 1, messageId: 'm' });
    batcher.push({ type: 'sent', row: 1, attempt: 1, messageId: 'm', recipient: 'a', httpStatus: 201, at: 1_001 });
    batcher.push({ type: 'finished', reason: 'completed', totals: { total: 1, pending: 0, inFlight: 0, sent: 1, failed: 0, skipped: 0, uncertain: 0 }, at: 1_001 });
    expect(batches).toHaveLength(2);
    const last = batches[1] as StatusBatch;
    expect(last.state).toBe('finished');
    expect(last.finishReason).toBe('completed');
    expect(batches[0]?.finishReason).toBeUndefined();
    expect(last.rows).toEqual([{ row: 1, status: 'sent', recipient: 'a', attempts: 1, messageId: 'm' }]);
    expect(last.notices.map((n) => n.type)).toEqual(['finished']);
    expect(last.totals.sent).toBe(1);
    batcher.push({ type: 'sending', row: 1, attempt: 2, at: 1_002 });
    timer.runAll();
    expect(batches).toHaveLength(2);
  });

  it('shows rows that went back to pending without an event (a stop) as pending in the final batch, as the journal has them', () => {
    const { timer, batches, batcher, record, journal } = setup(3);
    for (const row of [1, 2]) {
      record({ row, status: 'in-flight', recipient: `c${row}`, attempts: 1 });
      batcher.push({ type: 'sending', row, attempt: 1, at: 1_000 });
    }
    timer.runAll();
    expect(batches.at(-1)?.totals).toMatchObject({ pending: 1, inFlight: 2 });
    // Row 1's answer is the 401 that stops the campaign; row 2's request is aborted by the stop.
    // The engine records both as pending again and emits no event for either.
    record({ row: 1, status: 'pending', recipient: 'c1', attempts: 0 });
    record({ row: 2, status: 'pending', recipient: 'c2', attempts: 0 });
    batcher.push({ type: 'stopped', reason: 'The provider refused the API key (HTTP 401).', httpStatus: 401, at: 1_050 });
    batcher.push({ type: 'finished', reason: 'stopped', totals: { total: 3, pending: 3, inFlight: 0, sent: 0, failed: 0, skipped: 0, uncertain: 0 }, at: 1_060 });
    const last = batches.at(-1) as StatusBatch;
    expect(last.state).toBe('finished');
    expect(last.rows.map((r) => [r.row, r.status])).toEqual([[1, 'pending'], [2, 'pending']]);
    expect(last.totals).toEqual({ total: 3, pending: 3, inFlight: 0, sent: 0, failed: 0, skipped: 0, uncertain: 0 });
    // Replaying every batch gives the journal's state of every row.
    const seen = new Map<number, string>();
    for (const b of batches) for (const r of b.rows) seen.set(r.row, r.status);
    for (const [row, o] of journal) expect(seen.get(row)).toBe(o.status);
  });

  it('reports pause, resume and stop as notices and state; no ETA while paused', () => {
    const { timer, batches, batcher } = setup();
    batcher.push({ type: 'paused', reason: 'Paused by you.', at: 1_000 });
    timer.runAll();
    expect(batches.at(-1)).toMatchObject({ state: 'paused', etaSeconds: null, notices: [{ type: 'paused', message: 'Paused by you.' }] });
    batcher.push({ type: 'resumed', at: 1_200 });
    batcher.push({ type: 'stopped', reason: 'The provider refused the API key (HTTP 401).', httpStatus: 401, at: 1_201 });
    timer.runAll();
    expect(batches.at(-1)?.state).toBe('running');
    expect(batches.at(-1)?.notices.map((n) => n.type)).toEqual(['resumed', 'stopped']);
  });

  it('tells when the pace drops below the one asked, and when it is back, not every small rise', () => {
    const { timer, batches, batcher } = setup();
    const reason = 'the provider refused requests with HTTP 429 and no Retry-After after accepting 60 in one second';
    batcher.push({ type: 'pace', perSecond: 57, ceiling: 100, lowered: true, reason, at: 1_000 });
    batcher.push({ type: 'pace', perSecond: 58, ceiling: 100, lowered: false, reason, at: 2_000 });
    batcher.push({ type: 'pace', perSecond: 100, ceiling: 100, lowered: false, reason: '', at: 30_000 });
    timer.runAll();
    expect(batches.flatMap((b) => b.notices)).toEqual([
      { type: 'pace', at: 1_000, lowered: true, message: `Pace lowered to 57/s (100/s asked): ${reason}.` },
      { type: 'pace', at: 30_000, lowered: false, message: 'Pace back to the 100/s asked: no refusal for a while.' },
    ]);
  });

  it('sums retries into one notice per message', () => {
    const { timer, batches, batcher } = setup();
    for (let row = 1; row <= 3; row++) batcher.push({ type: 'retrying', row, attempt: 1, delayMs: 500, reason: 'HTTP 429: slow down', httpStatus: 429, at: 1_000 });
    timer.runAll();
    expect(batches).toHaveLength(1);
    expect(batches[0]?.notices).toEqual([{ type: 'retrying', at: 1_000, message: '3 requests will be retried (HTTP 429: slow down)' }]);
  });

  it('starts from the rows a resumed campaign already has, and sends nothing for rows merely queued', () => {
    const done: RowOutcome[] = [
      { row: 1, status: 'sent', recipient: 'a', attempts: 1, messageId: 'm1' },
      { row: 2, status: 'uncertain', recipient: 'b', attempts: 1 },
    ];
    const { timer, batches, batcher, record } = setup(4, done);
    expect(batcher.totals).toEqual({ total: 4, pending: 2, inFlight: 0, sent: 1, failed: 0, skipped: 0, uncertain: 1 });
    batcher.push({ type: 'queued', row: 3, at: 1_000 });
    batcher.push({ type: 'queued', row: 4, at: 1_000 });
    record({ row: 2, status: 'pending', recipient: 'b', attempts: 1 });
    batcher.push({ type: 'queued', row: 2, at: 1_000 });
    timer.runAll();
    expect(batches).toHaveLength(1);
    expect(batches[0]?.rows.map((r) => r.row)).toEqual([2]);
    expect(batches[0]?.totals).toEqual({ total: 4, pending: 3, inFlight: 0, sent: 1, failed: 0, skipped: 0, uncertain: 0 });
  });

  it('computes the rate over recent completions and an ETA from it', () => {
    const { timer, batches, batcher, record } = setup(100);
    for (let row = 1; row <= 20; row++) {
      timer.advanceTo(1_000 + row * 100);
      record({ row, status: 'sent', recipient: 'r', attempts: 1, messageId: `m${row}` });
      batcher.push({ type: 'sent', row, attempt: 1, messageId: `m${row}`, recipient: 'r', httpStatus: 201, at: timer.now() });
    }
    timer.runAll();
    const last = batches.at(-1) as StatusBatch;
    expect(last.ratePerSecond).toBeGreaterThan(9);
    expect(last.ratePerSecond).toBeLessThan(11);
    expect(last.etaSeconds).toBe(Math.ceil(80 / last.ratePerSecond));
  });

  it('does not read the first answers of a slow campaign as a fast rate: 0.5/s reads 0.5/s, never more', () => {
    const { timer, batches, batcher, record } = setup(4);
    // A rate limit of 0.5/s lets the first request go at once; the others follow every 2 s.
    for (let row = 1; row <= 4; row++) {
      const at = 1_060 + (row - 1) * 2_000;
      timer.advanceTo(at);
      record({ row, status: 'sent', recipient: 'r', attempts: 1, messageId: `m${row}` });
      batcher.push({ type: 'sent', row, attempt: 1, messageId: `m${row}`, recipient: 'r', httpStatus: 201, at });
      timer.advanceTo(at + 150);
    }
    const rates = batches.map((b) => b.ratePerSecond);
    expect(rates[0]).toBe(0);
    expect(batches[0]?.etaSeconds).toBeNull();
    expect(Math.max(...rates)).toBeLessThanOrEqual(0.5);
    expect(rates.at(-1)).toBe(0.5);
  });

  it('sends nothing after dispose', () => {
    const { timer, batches, batcher } = setup();
    batcher.push({ type: 'sending', row: 1, attempt: 1, at: 1_000 });
    batcher.dispose();
    timer.runAll();
    expect(batches).toEqual([]);
  });

  it('runs on the real timer', async () => {
    const got = new Promise<StatusBatch>((resolve) => {
      const b = new StatusBatcher({
        campaignId: 'c', total: 1, timer: realTimer, send: resolve,
        outcomeOf: (row) => ({ row, status: 'in-flight', recipient: '', attempts: 1 }),
      });
      b.push({ type: 'sending', row: 1, attempt: 1, at: Date.now() });
    });
    expect((await got).rows).toHaveLength(1);
  });
});
