import { describe, expect, it } from 'vitest';
import { deferred, FakeTransport, jsonReply, transportFailure } from './fake-transport';
import type { HttpRequest } from '../../electron/core/ports';
import { TransportError } from '../../electron/core/ports';

const req = (n: number): HttpRequest => ({ method: 'POST', url: `http://x.test/${n}`, headers: {}, body: '{}', timeoutMs: 1000 });

describe('FakeTransport', () => {
  it('answers from a list in order and records each call with its start time', async () => {
    let now = 100;
    const t = new FakeTransport([jsonReply(201, { id: 'a' }), jsonReply(500, {})], { now: () => now++ });
    expect((await t.request(req(1))).status).toBe(201);
    expect((await t.request(req(2))).status).toBe(500);
    expect(t.calls.map((c) => [c.index, c.req.url, c.startedAt])).toEqual([
      [0, 'http://x.test/1', 100],
      [1, 'http://x.test/2', 102],
    ]);
    await expect(t.request(req(3))).rejects.toThrow(/no scripted reply for request #3/);
  });

  it('throws a scripted TransportError with its written flag', async () => {
    const t = new FakeTransport(() => transportFailure(true));
    const err = await t.request(req(1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ written: true, code: 'ECONNRESET' });
  });

  it('tracks requests in flight while a script holds them', async () => {
    const gate = deferred<void>();
    const t = new FakeTransport(async () => (await gate.promise, jsonReply(200, {})));
    const all = Promise.all([t.request(req(1)), t.request(req(2)), t.request(req(3))]);
    await Promise.resolve();
    expect(t.inFlight).toBe(3);
    gate.resolve();
    await all;
    expect(t.inFlight).toBe(0);
    expect(t.maxInFlight).toBe(3);
    expect(t.calls.every((c) => c.endedAt !== undefined && c.reply !== undefined)).toBe(true);
  });

  it('refuses requests once closed, as not written', async () => {
    const t = new FakeTransport([]);
    await t.close();
    await expect(t.request(req(1))).rejects.toMatchObject({ code: 'CLOSED', written: false });
  });
});
