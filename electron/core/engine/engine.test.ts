import { describe, expect, it } from 'vitest';
import { deferred, jsonReply, transportFailure } from '../../../test/fakes/fake-transport';
import type { FakeReply } from '../../../test/fakes/fake-transport';
import { MemoryJournal, systemClock } from '../ports';
import { ManualClock, settle } from '../../../test/fakes/manual-clock';
import { accepted, byRow, harness, journalTotals, rowOf, sendJobs, types } from '../../../test/fakes/engine-harness';
import { busiestWindow } from './rate-limit';

const unavailable = jsonReply(503, { detail: 'Please retry' });

describe('CampaignEngine sending', () => {
  it('sends every row: write-ahead record, request, result record and events in that order', async () => {
    const journal = new MemoryJournal();
    const seenInFlight: (number | undefined)[] = [];
    const h = harness({
      journal,
      script: async (req) => {
        const row = rowOf(req);
        const now = (await journal.load()).find((o) => o.row === row);
        seenInFlight.push(now?.status === 'in-flight' ? now.attempts : undefined);
        return accepted(req);
      },
    });
    const summary = await h.engine.run(sendJobs(3), 3);

    expect(summary.reason).toBe('completed');
    expect(seenInFlight).toEqual([1, 1, 1]);
    const first = h.transport.calls[0]?.req;
    expect(first?.method).toBe('POST');
    expect(first?.url).toBe('http://fake.test/api/conversations/c1/messages');
    expect(first?.headers).toMatchObject({ 'content-type': 'application/json', 'x-test-key': 'test-key' });
    expect(JSON.parse(String(first?.body ?? ''))).toEqual({ text: 'hello 1' });
    expect(first?.timeoutMs).toBe(30_000);
    expect(types(h.events, 2)).toEqual(['queued', 'sending', 'sent']);
    expect(h.events.at(-1)).toMatchObject({ type: 'finished', reason: 'completed' });
    const rows = await summary.outcomes();
    expect(rows.get(2)).toMatchObject({ status: 'sent', recipient: 'c2', messageId: 'm2', attempts: 1, httpStatus: 201 });
    expect(Date.parse(rows.get(2)?.sentAt ?? '')).not.toBeNaN();
    expect(summary.totals).toEqual({ total: 3, pending: 0, inFlight: 0, sent: 3, failed: 0, skipped: 0, uncertain: 0 });
    expect(summary.totals).toEqual(await journalTotals(journal, 3));
  });

  it('records the conversation a provider created as the recipient', async () => {
    const h = harness({ script: [jsonReply(201, { id: 'm1', conversation_id: 'con_new' })] });
    const summary = await h.engine.run(sendJobs(1), 1);
    expect((await summary.outcomes()).get(1)?.recipient).toBe('con_new');
    expect(h.events.find((e) => e.type === 'sent')).toMatchObject({ recipient: 'con_new', messageId: 'm1' });
  });

  it.each([1, 3, 7])('keeps exactly concurrency=%i requests in flight at most', async (concurrency) => {
    const h = harness({
      throttle: { concurrency },
      script: (req) => new Promise<FakeReply>((resolve) => setTimeout(() => resolve(accepted(req)), 2)),
    });
    await h.engine.run(sendJobs(40), 40);
    expect(h.transport.calls).toHaveLength(40);
    expect(h.transport.maxInFlight).toBe(concurrency);
  });

  it('never starts more than perSecond requests in any 1-second window, retries included', async () => {
    const tried = new Set<number>();
    const script = (req: Parameters<typeof accepted>[0]) => {
      const row = rowOf(req);
      if (tried.has(row)) return accepted(req);
      tried.add(row);
      return unavailable; // every row fails once: 25 rows -> 50 starts through the same limiter
    };
    const slow = harness({ throttle: { concurrency: 8, perSecond: 20 }, retry: { baseDelayMs: 0 }, script });
    const t0 = Date.now();
    const summary = await slow.engine.run(sendJobs(25), 25);
    const took = Date.now() - t0;

    const starts = slow.transport.calls.map((c) => c.startedAt);
    expect(starts).toHaveLength(50);
    expect(summary.totals.sent).toBe(25);
    expect(busiestWindow(starts)).toBeLessThanOrEqual(20);
    expect(took).toBeGreaterThanOrEqual(2000);

    tried.clear();
    const fast = harness({ throttle: { concurrency: 8, perSecond: 10_000 }, retry: { baseDelayMs: 0 }, script });
    const t1 = Date.now();
    await fast.engine.run(sendJobs(25), 25);
    expect(Date.now() - t1).toBeLessThan(took / 4);
  });

  it.each([1, 3])('makes exactly attempts=%i requests for a row that keeps failing, then fails it', async (attempts) => {
    const h = harness({ retry: { attempts }, script: () => unavailable });
    const summary = await h.engine.run(sendJobs(1), 1);
    expect(h.transport.calls).toHaveLength(attempts);
    expect(summary.totals.failed).toBe(1);
    const row = (await byRow(h.journal)).get(1);
    expect(row).toMatchObject({ status: 'failed', attempts, httpStatus: 503, error: 'Please retry' });
    expect(types(h.events, 1)).toEqual(['queued', ...Array(attempts - 1).fill(['sending', 'retrying']).flat(), 'sending', 'failed']);
  });

  it('retries a 5xx after a jittered, capped exponential backoff, then sends', async () => {
    const clock = new ManualClock();
    const h = harness({ clock, random: () => 0.5, retry: { baseDelayMs: 1000, maxDelayMs: 3000 }, script: [unavailable, unavailable, unavailable, jsonReply(201, { id: 'm1' })] });
    const run = h.engine.run(sendJobs(1), 1);
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      await clock.untilSleeping();
      const [left] = clock.sleeping;
      delays.push(left ?? -1);
      await clock.advance(left ?? 0);
    }
    const summary = await run;
    expect(delays).toEqual([500, 1000, 1500]); // 0.5 x min(3000, 1000 x 2^(n-1))
    expect(h.events.filter((e) => e.type === 'retrying').map((e) => e.type === 'retrying' && e.delayMs)).toEqual(delays);
    expect(summary.totals.sent).toBe(1);
    expect((await byRow(h.journal)).get(1)).toMatchObject({ status: 'sent', attempts: 4, httpStatus: 201 });
  });

  it.each([
    ['seconds', () => '3'],
    ['an HTTP date', (now: number) => new Date(now + 3000).toUTCString()],
  ])('honours Retry-After in %s and holds every new start until then', async (_form, header) => {
    const clock = new ManualClock();
    const h = harness({
      clock,
      throttle: { concurrency: 1 },
      script: (req, index) => (index === 0 ? jsonReply(429, { detail: 'slow down' }, { 'retry-after': header(clock.now()) }) : accepted(req)),
    });
    const run = h.engine.run(sendJobs(2), 2);
    await clock.untilSleeping(2); // the queue's hold and row 1's retry
    expect(clock.sleeping).toEqual([3000, 3000]);
    expect(h.transport.calls).toHaveLength(1);
    await clock.advance(2999);
    expect(h.transport.calls).toHaveLength(1); // row 2 is held too: the limit is account-wide
    await clock.advance(1);
    await run;
    const t0 = h.transport.calls[0]?.startedAt ?? 0;
    const later = h.transport.calls.slice(1).map((c) => [rowOf(c.req), c.startedAt - t0]);
    expect(later.sort()).toEqual([
      [1, 3000],
      [2, 3000],
    ]);
    expect(h.events.find((e) => e.type === 'retrying')).toMatchObject({ row: 1, delayMs: 3000, httpStatus: 429 });
  });

  it('does not hold a concurrency slot while a row waits to retry', async () => {
    const clock = new ManualClock();
    const h = harness({ clock, throttle: { concurrency: 1 }, script: (req, index) => (index === 0 ? unavailable : accepted(req)), random: () => 1 });
    const run = h.engine.run(sendJobs(3), 3);
    await clock.untilSleeping();
    await settle();
    expect(h.transport.calls.map((c) => rowOf(c.req))).toEqual([1, 2, 3]); // rows 2 and 3 went while row 1 waited
    await clock.advance(1000);
    await run;
    expect(h.transport.calls.map((c) => rowOf(c.req))).toEqual([1, 2, 3, 1]);
  });

  it('retries a connection failure that happened before the request was written', async () => {
    const h = harness({ script: [transportFailure(false), jsonReply(201, { id: 'm1' })] });
    const summary = await h.engine.run(sendJobs(1), 1);
    expect(h.transport.calls).toHaveLength(2);
    expect(summary.totals.sent).toBe(1);
    expect(h.events.find((e) => e.type === 'retrying')).toMatchObject({ reason: 'connection refused (ECONNREFUSED)' });
  });

  it('marks a row uncertain, and never resends it, when the request may have been written', async () => {
    const h = harness({ script: [transportFailure(true), jsonReply(201, { id: 'm1' })] });
    const summary = await h.engine.run(sendJobs(1), 1);
    expect(h.transport.calls).toHaveLength(1);
    expect(summary.totals).toMatchObject({ uncertain: 1, sent: 0, pending: 0 });
    expect((await byRow(h.journal)).get(1)).toMatchObject({ status: 'uncertain', attempts: 1, error: 'connection reset after the request was sent (ECONNRESET)' });
    expect(types(h.events, 1)).toEqual(['queued', 'sending', 'uncertain']);
  });

  it('marks a row uncertain when the answer cannot be read', async () => {
    const h = harness({ script: [jsonReply(201, { no: 'id' })] });
    const summary = await h.engine.run(sendJobs(1), 1);
    expect(summary.totals.uncertain).toBe(1);
    expect((await byRow(h.journal)).get(1)?.error).toMatch(/HTTP 201: could not read/);
  });

  it('fails a row the API refuses, with its own message and status, without retrying', async () => {
    const h = harness({ script: (req) => (rowOf(req) === 2 ? jsonReply(400, { detail: 'Conversation is not active' }) : accepted(req)) });
    const summary = await h.engine.run(sendJobs(3), 3);
    expect(h.transport.calls).toHaveLength(3);
    expect(summary.totals).toMatchObject({ sent: 2, failed: 1 });
    expect((await byRow(h.journal)).get(2)).toMatchObject({ status: 'failed', httpStatus: 400, error: 'Conversation is not active', attempts: 1 });
    expect(h.events.find((e) => e.type === 'failed')).toMatchObject({ row: 2, httpStatus: 400, error: 'Conversation is not active' });
  });

  it('does not let a huge perSecond slow it down', async () => {
    const h = harness({ clock: systemClock, throttle: { concurrency: 32, perSecond: 1_000_000 }, script: accepted });
    const t0 = Date.now();
    await h.engine.run(sendJobs(5000), 5000);
    expect(h.transport.calls).toHaveLength(5000);
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('uses a request without a body as it is, with no content type', async () => {
    const h = harness({ script: [jsonReply(200, { id: 'm1' })] });
    await h.engine.run([{ row: 1, recipient: 'c1', request: { method: 'GET', path: '/conversations/c1/messages/' } }], 1);
    expect(h.transport.calls[0]?.req.body).toBeUndefined();
    expect(h.transport.calls[0]?.req.headers).toEqual({ 'x-test-key': 'test-key' });
  });

  it('accepts an async iterable of jobs', async () => {
    async function* jobs() {
      yield* sendJobs(3);
    }
    const h = harness({ script: accepted });
    const summary = await h.engine.run(jobs(), 3);
    expect(summary.totals.sent).toBe(3);
  });

  it('reads the job source lazily, keeping only a bounded number of rows queued', async () => {
    const gate = deferred<void>();
    let pulled = 0;
    function* jobs() {
      for (const job of sendJobs(10_000)) {
        pulled++;
        yield job;
      }
    }
    const bothStarted = deferred<void>();
    const h = harness({
      throttle: { concurrency: 2 },
      script: async (req, index) => {
        if (index === 1) bothStarted.resolve();
        await gate.promise;
        return accepted(req);
      },
    });
    const run = h.engine.run(jobs(), 10_000);
    await bothStarted.promise;
    await settle();
    expect(pulled).toBeLessThanOrEqual(2 + 64 + 1); // in flight + queue bound + the one waiting
    expect(pulled).toBeGreaterThan(2);
    gate.resolve();
    const summary = await run;
    expect(pulled).toBe(10_000);
    expect(summary.totals.sent).toBe(10_000);
  });
});
