import { describe, expect, it } from 'vitest';
import type { RowOutcome } from '../../../shared/engine/events';
import type { FakeReply } from '../../../test/fakes/fake-transport';
import { deferred, jsonReply } from '../../../test/fakes/fake-transport';
import { MemoryJournal } from '../ports';
import { ManualClock, settle } from '../../../test/fakes/manual-clock';
import { accepted, byRow, harness, journalTotals, rowOf, sendJobs, types } from '../../../test/fakes/engine-harness';

/** heldTransport answers each request only when the test releases it. */
function held() {
  const waiting: { row: number; release: (reply?: FakeReply) => void }[] = [];
  const script = (req: Parameters<typeof accepted>[0]) => {
    const d = deferred<FakeReply>();
    waiting.push({ row: rowOf(req), release: (reply) => d.resolve(reply ?? accepted(req)) });
    return d.promise;
  };
  return { waiting, script };
}

describe('CampaignEngine stop', () => {
  it('stops at once on 401: in-flight requests finish, nothing else starts, the rest stays pending', async () => {
    const clock = new ManualClock();
    const hold = deferred<void>();
    const h = harness({
      clock,
      throttle: { concurrency: 2 },
      random: () => 0.5,
      script: async (req, index) => {
        const row = rowOf(req);
        if (row === 1) await hold.promise; // still in flight when the stop comes
        if (index === 1) return jsonReply(503, { detail: 'busy' }); // row 2 waits to retry
        if (row === 3) return jsonReply(401, { detail: 'Invalid API key' });
        return accepted(req);
      },
      onEvent: (e) => {
        if (e.type === 'stopped') hold.resolve();
      },
    });
    const run = h.engine.run(sendJobs(10), 10);
    await clock.untilSleeping();
    await settle();
    await clock.advance(60_000); // row 2's retry time passes: it must not be retried after the stop
    const summary = await run;

    expect(h.transport.calls.map((c) => rowOf(c.req))).toEqual([1, 2, 3]);
    expect(summary).toMatchObject({ reason: 'stopped', stopReason: 'Invalid API key', stopHttpStatus: 401 });
    expect(summary.totals).toMatchObject({ sent: 1, pending: 9, failed: 0, inFlight: 0 });
    expect(summary.totals).toEqual(await journalTotals(h.journal, 10));
    const rows = await byRow(h.journal);
    expect(rows.get(1)).toMatchObject({ status: 'sent' });
    expect(rows.get(2)).toMatchObject({ status: 'pending', attempts: 1, httpStatus: 503 });
    expect(rows.get(3)).toMatchObject({ status: 'pending', httpStatus: 401, error: 'Invalid API key', attempts: 1 });
    expect(rows.has(4)).toBe(false);
    // `stopped` comes as soon as the 401 is read; the request in flight then finishes; `finished` is last.
    expect(types(h.events).slice(-3)).toEqual(['stopped', 'sent', 'finished']);
    expect(h.events.find((e) => e.type === 'stopped')).toMatchObject({ reason: 'Invalid API key', httpStatus: 401 });
    expect(h.events.filter((e) => e.type === 'finished')).toHaveLength(1);
    expect(h.events.at(-1)).toMatchObject({ type: 'finished', reason: 'stopped' });
  });

  it('stops the campaign when the journal cannot record, before that row is sent', async () => {
    class FailingJournal extends MemoryJournal {
      override async record(outcome: RowOutcome): Promise<void> {
        if (outcome.row === 2) throw new Error('ENOSPC: no space left on device');
        return super.record(outcome);
      }
    }
    const h = harness({ journal: new FailingJournal(), throttle: { concurrency: 1 }, script: accepted });
    const summary = await h.engine.run(sendJobs(3), 3);
    expect(h.transport.calls.map((c) => rowOf(c.req))).toEqual([1]);
    expect(summary.reason).toBe('stopped');
    expect(summary.stopReason).toMatch(/could not record progress.*ENOSPC/);
    expect(summary.totals).toMatchObject({ sent: 1, pending: 2 });
  });

  it('stops the campaign, not the process, when the event listener throws', async () => {
    const h = harness({
      throttle: { concurrency: 1 },
      script: accepted,
      onEvent: (e) => {
        if (e.type === 'sent' && e.row === 2) throw new Error('listener broke');
      },
    });
    const summary = await h.engine.run(sendJobs(5), 5);
    expect(summary.stopReason).toMatch(/event listener failed: listener broke/);
    expect(h.transport.calls).toHaveLength(2);
    expect(summary.totals).toEqual(await journalTotals(h.journal, 5));
  });

  it('stops when the job source fails, keeping what was sent', async () => {
    function* jobs() {
      yield* sendJobs(2);
      throw new Error('disk read error');
    }
    const h = harness({ throttle: { concurrency: 1 }, script: accepted });
    const summary = await h.engine.run(jobs(), 5);
    expect(summary).toMatchObject({ reason: 'stopped', stopReason: 'could not read the next row: disk read error' });
    expect(h.transport.calls).toHaveLength(1); // row 1 was in flight; row 2 was queued and is dropped
    expect(summary.totals).toMatchObject({ sent: 1, pending: 4 });
  });
});

describe('CampaignEngine pause, resume, cancel', () => {
  it('starts nothing while paused, lets in-flight requests finish, and carries on after resume', async () => {
    const { waiting, script } = held();
    const h = harness({ throttle: { concurrency: 2 }, script });
    const run = h.engine.run(sendJobs(6), 6);
    await settle();
    expect(waiting.map((w) => w.row)).toEqual([1, 2]);

    h.engine.pause('lunch');
    expect(h.engine.snapshot().state).toBe('paused');
    waiting.splice(0).forEach((w) => w.release());
    await settle();
    expect(h.transport.calls).toHaveLength(2);
    expect(h.engine.snapshot().totals).toMatchObject({ sent: 2, inFlight: 0, pending: 4 });

    h.engine.resume();
    expect(h.engine.snapshot().state).toBe('running');
    while (h.transport.calls.length < 6 || waiting.length > 0) {
      waiting.splice(0).forEach((w) => w.release());
      await settle();
    }
    const summary = await run;
    expect(summary.totals.sent).toBe(6);
    const paused = h.events.findIndex((e) => e.type === 'paused');
    expect(h.events[paused]).toMatchObject({ type: 'paused', reason: 'lunch' });
    const resumed = h.events.findIndex((e) => e.type === 'resumed');
    expect(h.events.slice(paused, resumed).filter((e) => e.type === 'sending')).toHaveLength(0);
  });

  it('cancel lets in-flight requests finish, starts nothing more and leaves the rest pending', async () => {
    const { waiting, script } = held();
    const h = harness({ throttle: { concurrency: 2 }, script });
    const run = h.engine.run(sendJobs(10), 10);
    await settle();
    h.engine.cancel();
    waiting.splice(0).forEach((w) => w.release());
    const summary = await run;
    expect(h.transport.calls).toHaveLength(2);
    expect(summary.reason).toBe('cancelled');
    expect(summary.totals).toMatchObject({ sent: 2, pending: 8 });
    expect(summary.totals).toEqual(await journalTotals(h.journal, 10));
    expect(types(h.events).slice(-1)).toEqual(['finished']);
    expect(types(h.events)).not.toContain('stopped');
  });

  it('cancel while paused finishes without starting anything', async () => {
    const { waiting, script } = held();
    const h = harness({ throttle: { concurrency: 1 }, script });
    const run = h.engine.run(sendJobs(3), 3);
    await settle();
    h.engine.pause();
    waiting.splice(0).forEach((w) => w.release());
    await settle();
    h.engine.cancel();
    const summary = await run;
    expect(h.transport.calls).toHaveLength(1);
    expect(summary).toMatchObject({ reason: 'cancelled', totals: { sent: 1, pending: 2 } });
    expect(h.engine.snapshot().state).toBe('finished');
  });

  it('ignores pause, resume and cancel when not running', async () => {
    const h = harness({ script: accepted });
    h.engine.pause();
    h.engine.cancel();
    expect(h.engine.snapshot()).toEqual({ state: 'idle', totals: expect.objectContaining({ total: 0 }), ratePerSecond: 0, etaSeconds: null });
    const summary = await h.engine.run(sendJobs(2), 2);
    h.engine.resume();
    expect(summary.reason).toBe('completed');
    expect(types(h.events)).not.toContain('paused');
    await expect(h.engine.run(sendJobs(1), 1)).rejects.toThrow(/only once/);
  });
});

describe('CampaignEngine snapshot', () => {
  it('reports the sending rate over the last seconds and an ETA', async () => {
    const clock = new ManualClock();
    const h = harness({ clock, throttle: { concurrency: 1 }, script: async (req) => (await clock.sleep(100), accepted(req)) });
    const run = h.engine.run(sendJobs(40), 40);
    for (let i = 0; i < 20; i++) {
      await clock.untilSleeping();
      await clock.advance(100);
    }
    const mid = h.engine.snapshot();
    expect(mid.state).toBe('running');
    expect(mid.totals).toMatchObject({ sent: 20, inFlight: 1, pending: 19 });
    expect(mid.ratePerSecond).toBeCloseTo(10, 5);
    expect(mid.etaSeconds).toBeCloseTo(2, 5);
    for (let i = 0; i < 20; i++) {
      await clock.untilSleeping();
      await clock.advance(100);
    }
    await run;
    expect(h.engine.snapshot()).toMatchObject({ state: 'finished', etaSeconds: 0 });
  });
});
