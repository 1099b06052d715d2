import { describe, expect, it } from 'vitest';
import type { Snapshot, StatusBatch } from '../../../shared/ipc/contract';
import { adoptAnswer, applyBatch } from './use-campaign-stream';

const totals = (sent: number, pending: number) => ({ total: sent + pending, pending, inFlight: 0, sent, failed: 0, skipped: 0, uncertain: 0 });
const running: Snapshot = { campaignId: 'c', name: 'n', state: 'running', totals: totals(2, 3), ratePerSecond: 0.5, etaSeconds: 6, profileName: 'p' };
const batch = (over: Partial<StatusBatch>): StatusBatch => ({ campaignId: 'c', seq: 1, state: 'running', rows: [], totals: totals(2, 3), ratePerSecond: 0.5, etaSeconds: 6, notices: [], ...over });

describe('the campaign shown on the send screen', () => {
  it('stays cancelled when the answer to Cancel arrives after the last batch', () => {
    const finished = applyBatch(running, batch({ seq: 9, state: 'finished', finishReason: 'cancelled', etaSeconds: 0, notices: [{ type: 'finished', at: 1, message: 'Cancelled: rows not yet sent stay pending.' }] }));
    expect(finished).toMatchObject({ state: 'finished', finishReason: 'cancelled' });
    // Main answered Cancel while the engine was still draining: "running", ETA 6 s.
    const late = adoptAnswer(finished, running);
    expect(late).toBe(finished);
    // Nor does a batch of the run that ended.
    expect(applyBatch(finished, batch({ seq: 8 }))).toBe(finished);
  });

  it('reads how the run ended from the notice when the batch does not say it', () => {
    const ended = applyBatch(running, batch({ state: 'finished', notices: [{ type: 'finished', at: 1, message: 'Cancelled: rows not yet sent stay pending.' }] }));
    expect(ended?.finishReason).toBe('cancelled');
  });

  it('takes the waiting rows from each batch: a batch without them means none wait, and a finished run has none', () => {
    const waiting = { rows: 3, until: '2030-01-01T08:00:00.000Z' };
    const opened: Snapshot = { ...running, waiting };
    // The snapshot said three wait; a batch says two still do, with a shorter ETA.
    const fewer = applyBatch(opened, batch({ seq: 2, etaSeconds: 100, waiting: { rows: 2, until: waiting.until } }));
    expect(fewer).toMatchObject({ waiting: { rows: 2, until: waiting.until }, etaSeconds: 100 });
    // The window opened: the next batch carries none.
    const gone = applyBatch(fewer, batch({ seq: 3 }));
    expect(gone?.waiting).toBeUndefined();
    expect(gone && 'waiting' in gone).toBe(false);
    // A run that ends clears them, whatever the batch says.
    const ended = applyBatch(opened, batch({ seq: 4, state: 'finished', finishReason: 'cancelled', waiting }));
    expect(ended?.waiting).toBeUndefined();
  });

  it('takes the state of an answer while the run goes on, keeping the counts the batches brought', () => {
    const shown = applyBatch(running, batch({ seq: 3, totals: totals(4, 1) }));
    const paused = adoptAnswer(shown, { ...running, state: 'paused' });
    expect(paused).toMatchObject({ state: 'paused', totals: totals(4, 1) });
  });
});
