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

  it('takes the state of an answer while the run goes on, keeping the counts the batches brought', () => {
    const shown = applyBatch(running, batch({ seq: 3, totals: totals(4, 1) }));
    const paused = adoptAnswer(shown, { ...running, state: 'paused' });
    expect(paused).toMatchObject({ state: 'paused', totals: totals(4, 1) });
  });
});
