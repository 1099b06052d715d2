import { describe, expect, it } from 'vitest';
import type { RowOutcome } from '../../../shared/engine/events';
import { deferred, jsonReply, transportFailure } from '../../../test/fakes/fake-transport';
import type { HttpRequest } from '../ports';
import { MemoryJournal } from '../ports';
import type { ReconcileQuery, ReconcileResult, Reconciler } from './reconciler';
import { accepted, byRow, harness, journalTotals, rowOf, sendJobs, types } from '../../../test/fakes/engine-harness';
import { interruptedReason } from './resume';

const isGet = (req: HttpRequest) => req.method === 'GET';

/** scripted is a Reconciler that answers per row and records what it was asked; it reads once through `fetch`. */
function scripted(answer: (q: ReconcileQuery) => ReconcileResult): Reconciler & { queries: ReconcileQuery[] } {
  const queries: ReconcileQuery[] = [];
  return {
    queries,
    async reconcile(q, fetch) {
      queries.push(q);
      await fetch({ method: 'GET', path: `/conversations/${q.job.recipient}/messages/list` });
      return answer(q);
    },
  };
}

/** POSTs to the fake provider: the sends, not the reconciliation reads. */
function posts(calls: { req: HttpRequest }[]): number[] {
  return calls.filter((c) => !isGet(c.req)).map((c) => rowOf(c.req));
}

describe('CampaignEngine reconciliation of unanswered requests', () => {
  it('settles a reset-after-write row as sent when the provider has the message, without sending it again', async () => {
    const rec = scripted(() => ({ kind: 'delivered', messageId: 'found-2', sentAt: '2030-01-01T00:00:01.000Z' }));
    const h = harness({
      reconciler: rec,
      script: (req) => (isGet(req) ? jsonReply(200, []) : rowOf(req) === 2 ? transportFailure(true) : accepted(req)),
    });
    const summary = await h.engine.run(sendJobs(3), 3);
    expect(posts(h.transport.calls).sort()).toEqual([1, 2, 3]);
    expect(summary.totals).toMatchObject({ sent: 3, uncertain: 0 });
    expect((await byRow(h.journal)).get(2)).toMatchObject({ status: 'sent', messageId: 'found-2', sentAt: '2030-01-01T00:00:01.000Z', attempts: 1 });
    expect(types(h.events, 2)).toEqual(['queued', 'sending', 'sent']);
    // The reconciler was told when the attempt began, and the read carried the campaign's auth.
    const q = rec.queries[0] as ReconcileQuery;
    expect(q.job.row).toBe(2);
    expect(q.attemptStartedAt).toBeLessThanOrEqual(h.transport.calls.find((c) => !isGet(c.req) && rowOf(c.req) === 2)?.startedAt ?? 0);
    expect(h.transport.calls.find((c) => isGet(c.req))?.req.headers['x-test-key']).toBe('test-key');
  });

  it('sends again a row the provider shows was not delivered', async () => {
    let first = true;
    const h = harness({
      reconciler: scripted(() => ({ kind: 'not-delivered' })),
      script: (req) => {
        if (isGet(req)) return jsonReply(200, []);
        if (first) {
          first = false;
          return transportFailure(true, 'UND_ERR_HEADERS_TIMEOUT');
        }
        return accepted(req);
      },
    });
    const summary = await h.engine.run(sendJobs(1), 1);
    expect(posts(h.transport.calls)).toEqual([1, 1]);
    expect(summary.totals).toMatchObject({ sent: 1, uncertain: 0 });
    expect((await byRow(h.journal)).get(1)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(types(h.events, 1)).toEqual(['queued', 'sending', 'retrying', 'sending', 'sent']);
  });

  it('fails a not-delivered row once the attempts of this run are used up', async () => {
    const h = harness({
      retry: { attempts: 2 },
      reconciler: scripted(() => ({ kind: 'not-delivered' })),
      script: (req) => (isGet(req) ? jsonReply(200, []) : transportFailure(true)),
    });
    const summary = await h.engine.run(sendJobs(1), 1);
    expect(posts(h.transport.calls)).toEqual([1, 1]);
    expect(summary.totals).toMatchObject({ failed: 1 });
    expect((await byRow(h.journal)).get(1)).toMatchObject({ status: 'failed', attempts: 2, error: expect.stringMatching(/not delivered, and no attempts are left/) });
  });

  it('keeps the row uncertain, with the attempt start in the journal, when the check cannot tell', async () => {
    const h = harness({
      reconciler: scripted(() => ({ kind: 'unknown', reason: 'HTTP 500' })),
      script: (req) => (isGet(req) ? jsonReply(200, []) : transportFailure(true)),
    });
    const summary = await h.engine.run(sendJobs(1), 1);
    expect(posts(h.transport.calls)).toEqual([1]);
    expect(summary.totals).toMatchObject({ uncertain: 1 });
    const row = (await byRow(h.journal)).get(1) as RowOutcome & { attemptStartedAt?: string };
    expect(row).toMatchObject({ status: 'uncertain', error: expect.stringMatching(/could not check delivery: HTTP 500/) });
    expect(Date.parse(row.attemptStartedAt ?? '')).not.toBeNaN();
  });

  it('without a reconciler (no read API) an unanswered request stays uncertain and is never resent', async () => {
    const h = harness({ reconciler: null, script: () => transportFailure(true) });
    const summary = await h.engine.run(sendJobs(2), 2);
    expect(h.transport.calls).toHaveLength(2);
    expect(summary.totals).toMatchObject({ uncertain: 2 });
  });

  it('on resume, reconciles rows left in flight or uncertain and settles each by what it finds', async () => {
    const at = '2030-01-01T00:00:00.000Z';
    const journal = new MemoryJournal([
      { row: 1, status: 'in-flight', recipient: 'c1', attempts: 1, attemptStartedAt: at } as RowOutcome,
      { row: 2, status: 'in-flight', recipient: 'c2', attempts: 1, attemptStartedAt: at } as RowOutcome,
      { row: 3, status: 'uncertain', recipient: 'c3', attempts: 2, error: 'reset', attemptStartedAt: at } as RowOutcome,
      { row: 4, status: 'in-flight', recipient: 'c4', attempts: 1 }, // no attempt start: cannot be looked up
      { row: 5, status: 'sent', recipient: 'c1', attempts: 1, messageId: 'older-5', sentAt: at },
    ]);
    const rec = scripted((q) => {
      if (q.job.row === 1) return { kind: 'delivered', messageId: 'found-1' };
      if (q.job.row === 2) return { kind: 'not-delivered' };
      return { kind: 'unknown', reason: 'listing failed' };
    });
    const h = harness({ journal, reconciler: rec, script: (req) => (isGet(req) ? jsonReply(200, []) : accepted(req)) });
    const summary = await h.engine.run(sendJobs(6), 6);

    expect(posts(h.transport.calls).sort()).toEqual([2, 6]);
    expect(rec.queries.map((q) => q.job.row).sort()).toEqual([1, 2, 3]);
    expect(rec.queries.find((q) => q.job.row === 1)?.attemptStartedAt).toBe(Date.parse(at));
    // Row 5's message belongs to row 5: row 1 (same conversation) must never be given it.
    expect([...(rec.queries.find((q) => q.job.row === 1)?.claimed ?? [])]).toContain('older-5');
    const rows = await byRow(journal);
    expect(rows.get(1)).toMatchObject({ status: 'sent', messageId: 'found-1', attempts: 1 });
    expect(rows.get(2)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(rows.get(3)).toMatchObject({ status: 'uncertain', error: 'reset (could not check delivery: listing failed)' });
    expect(rows.get(4)).toMatchObject({ status: 'uncertain', error: interruptedReason });
    expect(summary.totals).toEqual({ total: 6, pending: 0, inFlight: 0, sent: 4, failed: 0, skipped: 0, uncertain: 2 });
    expect(summary.totals).toEqual(await journalTotals(journal, 6));
  });

  it('does not reconcile on resume when the user asked to resend uncertain rows', async () => {
    const journal = new MemoryJournal([{ row: 1, status: 'in-flight', recipient: 'c1', attempts: 1, attemptStartedAt: '2030-01-01T00:00:00.000Z' } as RowOutcome]);
    const rec = scripted(() => ({ kind: 'delivered', messageId: 'x' }));
    const h = harness({ journal, resendUncertain: true, reconciler: rec, script: accepted });
    await h.engine.run(sendJobs(1), 1);
    expect(rec.queries).toHaveLength(0);
    expect(posts(h.transport.calls)).toEqual([1]);
  });

  it('passes the message ids of other rows of the same conversation as claimed', async () => {
    const rec = scripted(() => ({ kind: 'unknown', reason: 'x' }));
    const jobs = sendJobs(2).map((j) => ({ ...j, recipient: 'same', request: { ...j.request } }));
    const h = harness({
      reconciler: rec,
      throttle: { concurrency: 1 },
      script: (req) => (isGet(req) ? jsonReply(200, []) : rowOf(req) === 1 ? accepted(req) : transportFailure(true)),
    });
    await h.engine.run(jobs, 2);
    expect([...(rec.queries[0]?.claimed ?? [])]).toEqual(['m1']);
  });

  it('reads through the queue: a reconciliation never exceeds the concurrency, even at 1', async () => {
    const h = harness({
      throttle: { concurrency: 1 },
      reconciler: scripted(() => ({ kind: 'delivered', messageId: 'found' })),
      script: (req) => (isGet(req) ? jsonReply(200, []) : rowOf(req) % 2 === 0 ? transportFailure(true) : accepted(req)),
    });
    const summary = await h.engine.run(sendJobs(6), 6);
    expect(summary.totals).toMatchObject({ sent: 6 });
    expect(h.transport.maxInFlight).toBe(1);
    expect(h.transport.calls.filter((c) => isGet(c.req))).toHaveLength(3);
  });

  it('a cancel while a check waits ends the run; the row stays uncertain for the next run', async () => {
    const gate = deferred<void>();
    const h = harness({
      reconciler: {
        async reconcile(_q, fetch) {
          await gate.promise;
          await fetch({ method: 'GET', path: '/x' });
          return { kind: 'delivered', messageId: 'never' };
        },
      },
      script: () => transportFailure(true),
      onEvent: (e, engine) => {
        if (e.type === 'sending') queueMicrotask(() => setImmediate(() => {
          engine.cancel();
          gate.resolve();
        }));
      },
    });
    const summary = await h.engine.run(sendJobs(1), 1);
    expect(summary.reason).toBe('cancelled');
    expect(h.transport.calls.filter((c) => isGet(c.req))).toHaveLength(0);
    expect((await byRow(h.journal)).get(1)).toMatchObject({ status: 'uncertain' });
  });
});

describe('CampaignEngine circuit breaker', () => {
  const refused = () => jsonReply(400, { detail: 'template not approved' });

  it('pauses with the reason after 20 rows in a row failed, instead of burning through the list', async () => {
    const h = harness({
      throttle: { concurrency: 1 },
      script: refused,
      onEvent: (e, engine) => {
        if (e.type === 'paused') setImmediate(() => engine.cancel());
      },
    });
    const summary = await h.engine.run(sendJobs(100), 100);
    expect(h.transport.calls).toHaveLength(20);
    const paused = h.events.find((e) => e.type === 'paused');
    expect(paused).toMatchObject({ reason: expect.stringMatching(/^20 rows in a row failed.*row 20: template not approved/) });
    expect(summary).toMatchObject({ reason: 'cancelled', breakerReason: paused?.type === 'paused' ? paused.reason : '' });
    expect(summary.totals).toMatchObject({ failed: 20, pending: 80 });
  });

  it('takes its threshold from the config, counts uncertain rows, and is reset by a sent row', async () => {
    const h = harness({
      breakerThreshold: 3,
      reconciler: null,
      throttle: { concurrency: 1 },
      // fail, fail, sent, fail, uncertain, fail -> trips at row 6 (three in a row after the sent one)
      script: (req) => ([3].includes(rowOf(req)) ? accepted(req) : rowOf(req) === 5 ? transportFailure(true) : refused()),
      onEvent: (e, engine) => {
        if (e.type === 'paused') setImmediate(() => engine.cancel());
      },
    });
    await h.engine.run(sendJobs(10), 10);
    expect(h.transport.calls).toHaveLength(6);
    expect(h.events.find((e) => e.type === 'paused')).toMatchObject({ reason: expect.stringMatching(/^3 rows in a row/) });
  });

  it('resumes after a breaker pause and counts afresh', async () => {
    let pauses = 0;
    const h = harness({
      breakerThreshold: 2,
      throttle: { concurrency: 1 },
      script: refused,
      onEvent: (e, engine) => {
        if (e.type !== 'paused') return;
        pauses++;
        setImmediate(() => (pauses === 1 ? engine.resume() : engine.cancel()));
      },
    });
    const summary = await h.engine.run(sendJobs(10), 10);
    expect(pauses).toBe(2);
    expect(h.transport.calls).toHaveLength(4);
    expect(summary.breakerReason).toMatch(/^2 rows in a row/);
  });

  it('a threshold of 0 never pauses', async () => {
    const h = harness({ breakerThreshold: 0, throttle: { concurrency: 2 }, script: refused });
    const summary = await h.engine.run(sendJobs(30), 30);
    expect(summary).toMatchObject({ reason: 'completed', totals: { failed: 30 } });
    expect(types(h.events)).not.toContain('paused');
  });

  it('401 still stops at once, before the breaker counts anything', async () => {
    const h = harness({ throttle: { concurrency: 1 }, script: () => jsonReply(401, { detail: 'Invalid API key' }) });
    const summary = await h.engine.run(sendJobs(30), 30);
    expect(h.transport.calls).toHaveLength(1);
    expect(summary).toMatchObject({ reason: 'stopped', stopHttpStatus: 401 });
    expect(types(h.events)).not.toContain('paused');
  });
});
