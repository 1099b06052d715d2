import { describe, expect, it } from 'vitest';
import type { RowOutcome } from '../../../shared/engine/events';
import { accepted, byRow, harness, journalTotals, rowOf, sendJobs } from '../../../test/fakes/engine-harness';
import type { Journal } from '../ports';
import { MemoryJournal } from '../ports';
import { interruptedReason } from './resume';

/**
 * How the engine reads what earlier runs recorded: row by row from the journal's own index as it
 * reaches each row, rows settled for good counted from the start, and a source free to leave those
 * out (a resume that does not render them again).
 */

const earlier: RowOutcome[] = [
  { row: 1, status: 'sent', recipient: 'c1', messageId: 'old1', attempts: 1, httpStatus: 201 },
  { row: 2, status: 'failed', recipient: 'c2', attempts: 1, httpStatus: 400, error: 'bad' },
  { row: 3, status: 'skipped', recipient: '', attempts: 0, error: 'no conversation id' },
  { row: 4, status: 'in-flight', recipient: 'c4', attempts: 1 },
  { row: 5, status: 'uncertain', recipient: 'c5', attempts: 1, error: 'reset' },
  { row: 6, status: 'pending', recipient: 'c6', attempts: 1, error: 'busy' },
];

/** ListJournal has no index of its own: the engine loads it once, as a list. */
class ListJournal implements Journal {
  readonly inner = new MemoryJournal(earlier);
  loads = 0;
  load(): Promise<RowOutcome[]> {
    this.loads++;
    return this.inner.load();
  }
  record(o: RowOutcome): Promise<void> {
    return this.inner.record(o);
  }
  async close(): Promise<void> {}
}

describe('CampaignEngine and what earlier runs recorded', () => {
  it('counts rows settled for good as the run begins, before the feeder reaches them', async () => {
    const h = harness({ journal: new MemoryJournal(earlier), throttle: { concurrency: 1 }, script: accepted });
    let first: unknown;
    const run = h.engine.run(
      (async function* () {
        first = h.engine.snapshot().totals;
        yield* sendJobs(8);
      })(),
      8,
    );
    await run;
    expect(first).toMatchObject({ sent: 1, failed: 1, skipped: 1, pending: 5 });
  });

  it('lets the source leave settled rows out: they are counted all the same, and nothing else changes', async () => {
    const journal = new MemoryJournal(earlier);
    const h = harness({ journal, script: accepted });
    const summary = await h.engine.run(sendJobs(5, 4), 8);
    expect(h.transport.calls.map((c) => rowOf(c.req)).sort()).toEqual([6, 7, 8]);
    expect(summary.totals).toEqual({ total: 8, pending: 0, inFlight: 0, sent: 4, failed: 1, skipped: 1, uncertain: 2 });
    expect(summary.totals).toEqual(await journalTotals(journal, 8));
    expect((await byRow(journal)).get(4)).toMatchObject({ status: 'uncertain', error: interruptedReason });
  });

  it('settles the open rows a source never yields: left in flight becomes uncertain, pending stays pending', async () => {
    const journal = new MemoryJournal(earlier);
    const h = harness({ journal, script: accepted });
    const summary = await h.engine.run([], 6);
    expect(h.transport.calls).toHaveLength(0);
    expect(summary).toMatchObject({ reason: 'completed', totals: { sent: 1, failed: 1, skipped: 1, uncertain: 2, pending: 1 } });
    expect(summary.totals).toEqual(await journalTotals(journal, 6));
  });

  it('reads a journal without an index of its own once, as a list', async () => {
    const journal = new ListJournal();
    const h = harness({ journal, script: accepted });
    const summary = await h.engine.run(sendJobs(8), 8);
    expect(journal.loads).toBe(1);
    expect(h.transport.calls.map((c) => rowOf(c.req)).sort()).toEqual([6, 7, 8]);
    expect(summary.totals).toMatchObject({ sent: 4, uncertain: 2 });
    expect((await summary.outcomes()).get(7)).toMatchObject({ status: 'sent' });
  });
});
