import { describe, expect, it } from 'vitest';
import type { EngineEvent, RowOutcome } from '../../../shared/engine/events';
import { pingback } from '../../../shared/providers/pingback';
import type { FakeReply } from '../../../test/fakes/fake-transport';
import { FakeTransport, jsonReply, transportFailure } from '../../../test/fakes/fake-transport';
import type { HttpRequest, Journal } from '../ports';
import { MemoryJournal, systemClock, TransportError } from '../ports';
import { CampaignEngine } from './engine';
import type { SendJob, UploadFile } from './types';

/**
 * A row that attaches files, in the engine: each file is one request through the queue before the
 * message (uploads counted by the throttle and retried like any request), the message references
 * what the uploads answered, the journal keeps those answers until the row is settled, and an
 * upload refused for good fails the row without its message.
 */

const conv = (row: number) => `00000000-0000-4000-8000-${String(row).padStart(12, '0')}`;
const file = (name: string): UploadFile => ({ name, type: 'application/pdf', size: 10, open: () => Promise.reject(new Error('the fake transport never opens files')) });
const job = (row: number, names: string[]): SendJob => ({ row, recipient: conv(row), request: pingback.buildRequest(conv(row), { content: `Hi ${row}` }), files: names.map(file) });
const uploadedUrl = (req: HttpRequest, n: number) => `https://files.test/${/conversations\/([^/]+)\//.exec(req.url)?.[1] ?? ''}/${n}`;

/** pingbackServer answers uploads with an attachment object and messages with a message, unless `override` says otherwise. */
function pingbackServer(override: (req: HttpRequest, index: number) => FakeReply | undefined = () => undefined) {
  let uploads = 0;
  return (req: HttpRequest, index: number): FakeReply => {
    const special = override(req, index);
    if (special !== undefined) return special;
    if (req.url.endsWith('/upload')) return jsonReply(201, { url: uploadedUrl(req, ++uploads), filename: 'f.pdf' });
    return jsonReply(201, { id: `m-${index}`, created_at: '2026-01-01T00:00:00Z' });
  };
}

function run(jobs: SendJob[], script: ConstructorParameters<typeof FakeTransport>[0], journal: Journal = new MemoryJournal(), concurrency = 1) {
  const transport = new FakeTransport(script);
  const events: EngineEvent[] = [];
  const recorded: RowOutcome[] = [];
  const seen: Journal = {
    load: () => journal.load(),
    record: async (o) => {
      recorded.push({ ...o });
      await journal.record(o);
    },
    close: () => journal.close(),
  };
  const engine = new CampaignEngine(
    { provider: pingback, baseUrl: 'https://pingback.test', apiKey: 'k3y-secret', throttle: { concurrency, perSecond: 10_000 }, retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2, timeoutMs: 1_000, pauseAfterFailures: 20 } },
    { transport, clock: systemClock, journal: seen, random: () => 0, onEvent: (e) => events.push(e) },
  );
  return { transport, events, recorded, journal, done: engine.run(jobs, jobs.length) };
}

describe('engine: rows that attach files', () => {
  it('uploads each file in order before the message, which references what each upload answered', async () => {
    const r = run([job(1, ['a.pdf', 'b.pdf'])], pingbackServer());
    const summary = await r.done;
    expect(summary.totals.sent).toBe(1);
    const [first, second, message] = r.transport.calls.map((c) => c.req);
    for (const up of [first, second]) {
      expect(up?.url).toBe(`https://pingback.test/api/v1/conversations/${conv(1)}/upload`);
      expect(up?.headers).toEqual({ Authorization: 'Bearer k3y-secret' });
      expect(typeof up?.body === 'object' && up.body.parts.map((p) => [p.field, p.filename, p.contentType])).toEqual([['file', up === first ? 'a.pdf' : 'b.pdf', 'application/pdf']]);
    }
    expect(JSON.parse(String(message?.body))).toEqual({ content: 'Hi 1', attachments: [{ url: uploadedUrl(message as HttpRequest, 1), filename: 'f.pdf' }, { url: uploadedUrl(message as HttpRequest, 2), filename: 'f.pdf' }] });
    // The journal kept each answer while the row was open, and nothing of them once it was sent.
    expect(r.recorded.map((o) => [o.status, (o as { uploads?: unknown[] }).uploads?.length ?? 0])).toEqual([['pending', 1], ['pending', 2], ['in-flight', 2], ['sent', 0]]);
    expect((await summary.outcomes()).get(1)).toMatchObject({ status: 'sent', attempts: 3 });
  });

  it('counts uploads in the throttle: with concurrency 1, one request at a time, rows under way before new ones', async () => {
    const r = run([job(1, ['a.pdf']), job(2, ['a.pdf'])], pingbackServer());
    await r.done;
    expect(r.transport.maxInFlight).toBe(1);
    expect(r.transport.calls).toHaveLength(4);
    const rows = r.transport.calls.map((c) => (c.req.url.includes(conv(1)) ? 1 : 2));
    const steps = r.transport.calls.map((c) => (c.req.url.endsWith('/upload') ? 'upload' : 'message'));
    // Each row's upload comes before its message.
    for (const row of [1, 2]) expect(steps.filter((_, i) => rows[i] === row)).toEqual(['upload', 'message']);
  });

  it('an upload refused for good (4xx) fails the row with the file named, and its message is never sent', async () => {
    const r = run([job(1, ['a.pdf'])], pingbackServer((req) => (req.url.endsWith('/upload') ? jsonReply(422, { detail: [{ loc: ['body', 'file'], msg: 'Field required' }] }) : undefined)));
    const summary = await r.done;
    expect(r.transport.calls).toHaveLength(1);
    expect((await summary.outcomes()).get(1)).toMatchObject({ status: 'failed', httpStatus: 422, attempts: 1, error: 'uploading a.pdf: file: Field required' });
    expect(r.events.find((e) => e.type === 'failed')).toMatchObject({ row: 1, error: 'uploading a.pdf: file: Field required' });
  });

  it('a file that cannot be read fails the row without retrying; a dropped upload (even after it was written) is simply made again', async () => {
    const unreadable = new TransportError('a.pdf no longer exists', TransportError.fileUnreadable, false);
    const r1 = run([job(1, ['a.pdf'])], [unreadable]);
    expect((await (await r1.done).outcomes()).get(1)).toMatchObject({ status: 'failed', error: 'uploading a.pdf: a.pdf no longer exists' });
    expect(r1.transport.calls).toHaveLength(1);

    const r2 = run([job(1, ['a.pdf'])], pingbackServer((_req, i) => (i === 0 ? transportFailure(true) : i === 1 ? jsonReply(503, { detail: 'busy' }) : undefined)));
    const out = (await (await r2.done).outcomes()).get(1);
    expect(out).toMatchObject({ status: 'sent', attempts: 4 });
    expect(r2.events.filter((e) => e.type === 'retrying').map((e) => (e as { reason: string }).reason)).toEqual([expect.stringMatching(/^uploading a.pdf: connection reset/), 'uploading a.pdf: busy']);
  });

  it('a refused token on an upload stops the campaign; the row stays pending with what it uploaded so far', async () => {
    const isB = (req: HttpRequest) => typeof req.body === 'object' && req.body.parts[0]?.filename === 'b.pdf';
    const r = run([job(1, ['a.pdf', 'b.pdf']), job(2, ['a.pdf'])], pingbackServer((req) => (isB(req) ? jsonReply(401, { detail: 'Invalid or expired token' }) : undefined)));
    const summary = await r.done;
    expect(summary.reason).toBe('stopped');
    expect(summary.stopReason).toMatch(/Bearer token is missing or invalid \(401\)/);
    const row1 = (await summary.outcomes()).get(1) as RowOutcome & { uploads?: unknown[] };
    expect(row1).toMatchObject({ status: 'pending', httpStatus: 401 });
    expect(row1.uploads).toHaveLength(1);
  });

  it('resumes from the journal: files it recorded as uploaded are referenced, not uploaded again', async () => {
    const earlier = { url: 'https://files.test/earlier/1', filename: 'a.pdf' };
    const journal = new MemoryJournal([{ row: 1, status: 'pending', recipient: conv(1), attempts: 1, uploads: [earlier] } as RowOutcome]);
    const r = run([job(1, ['a.pdf', 'b.pdf'])], pingbackServer(), journal);
    const out = (await (await r.done).outcomes()).get(1);
    expect(r.transport.calls.map((c) => c.req.url.endsWith('/upload'))).toEqual([true, false]);
    const body = JSON.parse(String(r.transport.calls[1]?.req.body)) as { attachments: unknown[] };
    expect(body.attachments[0]).toEqual(earlier);
    expect(out).toMatchObject({ status: 'sent', attempts: 3 });
  });
});
