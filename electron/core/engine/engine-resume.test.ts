import { describe, expect, it } from 'vitest';
import type { RowOutcome } from '../../../shared/engine/events';
import type { FakeReply } from '../../../test/fakes/fake-transport';
import { deferred, jsonReply, transportFailure } from '../../../test/fakes/fake-transport';
import { MemoryJournal } from '../ports';
import { accepted, byRow, harness, journalTotals, rowOf, sendJobs, types } from '../../../test/fakes/engine-harness';
import { interruptedReason } from './resume';
import type { EngineJob } from './types';

/** An earlier run that crashed: rows 1-3 settled, 4 in flight, 5 uncertain, 6 waiting for a retry. */
function crashedJournal(): MemoryJournal {
  const earlier: RowOutcome[] = [
    { row: 1, status: 'sent', recipient: 'c1', messageId: 'old1', attempts: 1, httpStatus: 201, sentAt: '2030-01-01T00:00:00.000Z' },
    { row: 2, status: 'failed', recipient: 'c2', attempts: 1, httpStatus: 400, error: 'bad' },
    { row: 3, status: 'skipped', recipient: '', attempts: 0, error: 'no conversation id' },
    { row: 4, status: 'in-flight', recipient: 'c4', attempts: 1 },
    { row: 5, status: 'uncertain', recipient: 'c5', attempts: 2, error: 'reset' },
    { row: 6, status: 'pending', recipient: 'c6', attempts: 1, httpStatus: 503, error: 'busy' },
  ];
  return new MemoryJournal(earlier);
}

describe('CampaignEngine resume', () => {
  it('sends only rows not settled before; rows left in flight become uncertain', async () => {
    const journal = crashedJournal();
    const h = harness({ journal, script: accepted });
    const summary = await h.engine.run(sendJobs(8), 8);

    expect(h.transport.calls.map((c) => rowOf(c.req)).sort()).toEqual([6, 7, 8]);
    expect(summary.totals).toEqual({ total: 8, pending: 0, inFlight: 0, sent: 4, failed: 1, skipped: 1, uncertain: 2 });
    expect(summary.totals).toEqual(await journalTotals(journal, 8));
    const rows = await byRow(journal);
    expect(rows.get(1)).toMatchObject({ status: 'sent', messageId: 'old1' });
    expect(rows.get(4)).toMatchObject({ status: 'uncertain', attempts: 1, error: interruptedReason });
    expect(rows.get(5)).toMatchObject({ status: 'uncertain', error: 'reset' });
    expect(rows.get(6)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(h.events.find((e) => e.type === 'uncertain')).toMatchObject({ row: 4, error: interruptedReason });
    expect(types(h.events, 1)).toEqual([]);
  });

  it('sends uncertain and in-flight rows again when asked to', async () => {
    const journal = crashedJournal();
    const h = harness({ journal, resendUncertain: true, script: accepted });
    const summary = await h.engine.run(sendJobs(8), 8);
    expect(h.transport.calls.map((c) => rowOf(c.req)).sort()).toEqual([4, 5, 6, 7, 8]);
    expect(summary.totals).toMatchObject({ sent: 6, uncertain: 0 });
    expect((await byRow(journal)).get(5)).toMatchObject({ status: 'sent', attempts: 3 });
  });

  it('gives a resumed row a fresh attempt budget for this run', async () => {
    const journal = new MemoryJournal([{ row: 1, status: 'pending', recipient: 'c1', attempts: 3, error: 'busy' }]);
    const h = harness({ journal, retry: { attempts: 2 }, script: () => jsonReply(503, { detail: 'busy' }) });
    await h.engine.run(sendJobs(1), 1);
    expect(h.transport.calls).toHaveLength(2);
    expect((await byRow(journal)).get(1)).toMatchObject({ status: 'failed', attempts: 5 });
  });

  it('records skipped rows with their reason and sends nothing for them', async () => {
    const journal = new MemoryJournal();
    const jobs: EngineJob[] = [{ row: 1, recipient: '', skip: 'recipient.conversationId: empty' }, ...sendJobs(1, 2)];
    const h = harness({ journal, script: accepted });
    const summary = await h.engine.run(jobs, 2);
    expect(h.transport.calls.map((c) => rowOf(c.req))).toEqual([2]);
    expect(summary.totals).toMatchObject({ skipped: 1, sent: 1 });
    expect((await byRow(journal)).get(1)).toMatchObject({ status: 'skipped', error: 'recipient.conversationId: empty', attempts: 0 });
    expect(h.events.find((e) => e.type === 'skipped')).toMatchObject({ row: 1, reason: 'recipient.conversationId: empty' });
  });

  it('counts rows settled by earlier runs even when a stop comes before the feeder reaches them', async () => {
    const journal = new MemoryJournal([
      { row: 9, status: 'sent', recipient: 'c9', messageId: 'old9', attempts: 1, httpStatus: 201 },
      { row: 10, status: 'in-flight', recipient: 'c10', attempts: 1 },
    ]);
    const stopped = deferred<void>();
    async function* jobs() {
      yield* sendJobs(8);
      await stopped.promise;
      yield* sendJobs(2, 9);
    }
    const h = harness({
      journal,
      throttle: { concurrency: 1 },
      script: (req) => (rowOf(req) === 1 ? jsonReply(401, { detail: 'bad key' }) : accepted(req)),
      onEvent: (e) => {
        if (e.type === 'stopped') stopped.resolve();
      },
    });
    const summary = await h.engine.run(jobs(), 10);
    expect(h.transport.calls).toHaveLength(1);
    expect(summary.totals).toMatchObject({ sent: 1, uncertain: 1, pending: 8 });
    expect(summary.totals).toEqual(await journalTotals(journal, 10));
    expect((await byRow(journal)).get(10)).toMatchObject({ status: 'uncertain', error: interruptedReason });
  });

  it('a second run of a finished campaign sends nothing', async () => {
    const journal = new MemoryJournal();
    await harness({ journal, script: accepted }).engine.run(sendJobs(5), 5);
    const again = harness({ journal, script: accepted });
    const summary = await again.engine.run(sendJobs(5), 5);
    expect(again.transport.calls).toHaveLength(0);
    expect(summary).toMatchObject({ reason: 'completed', totals: { sent: 5, pending: 0 } });
  });
});

describe('CampaignEngine and the API key', () => {
  it('never lets the key into an event, the journal or the summary, even when the provider echoes it', async () => {
    const canary = 'CANARY-KEY-7f3a9c51';
    const echo = `key ${canary} was rejected`;
    const replies = new Map<number, () => FakeReply>([
      [1, () => jsonReply(400, { detail: echo })],
      [2, () => jsonReply(201, { id: `msg-${canary}`, conversation_id: `con-${canary}` })],
      [3, () => transportFailure(true, `E_${canary}`)],
      [4, () => jsonReply(503, { detail: echo })],
      [5, () => jsonReply(401, { detail: echo })],
    ]);
    const journal = new MemoryJournal();
    const jobs: EngineJob[] = [...sendJobs(5), { row: 6, recipient: '', skip: `skipped ${canary}` }];
    const h = harness({
      journal,
      apiKey: canary,
      retry: { attempts: 2 },
      throttle: { concurrency: 1 },
      script: (req) => (replies.get(rowOf(req)) ?? (() => accepted(req)))(),
    });
    const summary = await h.engine.run(jobs, 6);

    expect(h.transport.calls[0]?.req.headers['x-test-key']).toBe(canary); // the key did go where it belongs
    expect(summary.reason).toBe('stopped');
    const everything = JSON.stringify([h.events, await journal.load(), summary, await summary.outcomes()]);
    expect(everything).toContain('[redacted]');
    expect(everything).not.toContain(canary);
  });

  it('never lets the key out through a failing transport or journal message', async () => {
    const canary = 'CANARY-KEY-0b9e';
    class LeakyJournal extends MemoryJournal {
      override async record(outcome: RowOutcome): Promise<void> {
        if (outcome.status !== 'in-flight') throw new Error(`cannot write ${canary}`);
        return super.record(outcome);
      }
    }
    const h = harness({ journal: new LeakyJournal(), apiKey: canary, script: () => Promise.reject(new Error(`boom ${canary}`)) });
    const summary = await h.engine.run(sendJobs(1), 1);
    expect(JSON.stringify([h.events, summary])).not.toContain(canary);
    expect(summary.stopReason).toMatch(/\[redacted\]/);
  });
});
