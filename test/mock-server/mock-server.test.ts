import { afterEach, describe, expect, it } from 'vitest';
import type { MockServer, MockServerOptions } from './mock-server';
import { mockApiKey, startMockServer } from './mock-server';

const CONV = '3c90c3cc-0d44-4b50-8888-8dd25736052a';
const OTHER = '9b2f6a1e-3c4d-4e5f-8a7b-6c5d4e3f2a1b';

let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: Partial<MockServerOptions> = {}): Promise<MockServer> {
  server = await startMockServer({ kind: 'pingback', conversations: [{ id: CONV }, { id: OTHER }], ...options });
  return server;
}

function send(s: MockServer, conv = CONV, body: unknown = { content: 'hello' }): Promise<Response> {
  return fetch(`${s.url}/api/v1/conversations/${conv}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${mockApiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('startMockServer', () => {
  it('answers through the simulator on 127.0.0.1 and records what it received', async () => {
    const s = await start();
    expect(s.url).toBe(`http://127.0.0.1:${s.port}`);
    const res = await send(s);
    expect(res.status).toBe(201);
    expect(s.requests).toEqual([
      {
        method: 'POST',
        path: `/api/v1/conversations/${CONV}/messages`,
        headers: expect.objectContaining({ authorization: `Bearer ${mockApiKey}` }),
        body: { content: 'hello' },
        rawBody: '{"content":"hello"}',
        bytes: Buffer.from('{"content":"hello"}'),
        time: expect.any(Number),
      },
    ]);
    expect(s.delivered(CONV).map((m) => m.request)).toEqual([{ content: 'hello' }]);
    expect(s.delivered(OTHER)).toEqual([]);
  });

  it('records nothing when recording is off', async () => {
    const s = await start({ record: false });
    await send(s);
    expect(s.requests).toEqual([]);
    expect(s.delivered(CONV)).toHaveLength(1);
  });

  it('takes its key, conversations and plan limit from the options', async () => {
    const s = await start({ apiKey: 'other-key', conversations: [{ id: CONV }], planLimit: 0 });
    expect((await send(s)).status).toBe(401);
    const ok = await fetch(`${s.url}/api/v1/conversations/${CONV}/messages`, {
      method: 'POST',
      headers: { authorization: 'Bearer other-key', 'content-type': 'application/json' },
      body: '{"content":"x"}',
    });
    expect(ok.status).toBe(403);
  });

  it('serves an API under a base path and nothing outside it', async () => {
    const s = await start({ kind: 'generic', basePath: '/v1' });
    expect(s.url).toMatch(/\/v1$/);
    const body = JSON.stringify({ sender_id: 'u', sender_type: 'user', text: 'hi' });
    const headers = { authorization: `Bearer ${mockApiKey}`, 'content-type': 'application/json' };
    expect((await fetch(`${s.url}/messages`, { method: 'POST', headers, body })).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${s.port}/messages`, { method: 'POST', headers, body })).status).toBe(404);
  });
});

describe('fault injection', () => {
  it('answers a status with Retry-After in seconds or as an HTTP date, delivering nothing', async () => {
    const s = await start();
    const date = new Date('2030-01-01T00:00:00Z');
    s.setFaults({ [`/api/v1/conversations/${CONV}/messages`]: [{ status: 429, retryAfter: 7 }, { status: 503, retryAfter: date }] });
    const first = await send(s);
    expect([first.status, first.headers.get('retry-after')]).toEqual([429, '7']);
    const second = await send(s);
    expect([second.status, second.headers.get('retry-after')]).toEqual([503, 'Tue, 01 Jan 2030 00:00:00 GMT']);
    expect((await send(s)).status).toBe(201);
    expect(s.delivered(CONV)).toHaveLength(1);
  });

  it('sends a custom body with a status when told to', async () => {
    const s = await start();
    s.setFaults(() => ({ status: 500, body: 'boom' }));
    const res = await send(s);
    expect([res.status, await res.text()]).toEqual([500, 'boom']);
  });

  it('scripts each path on its own, and `*` the rest by request index', async () => {
    const s = await start();
    s.setFaults({ [`/api/v1/conversations/${CONV}/messages`]: [null, { status: 500 }], '*': [{ status: 502 }] });
    expect((await send(s, OTHER)).status).toBe(502); // index 0, unnamed path
    expect((await send(s, CONV)).status).toBe(201); // first to CONV
    expect((await send(s, CONV)).status).toBe(500); // second to CONV
    expect((await send(s, OTHER)).status).toBe(201); // index 3: past the `*` script
  });

  it('gives a rule the request, its index and its index on the path', async () => {
    const s = await start();
    const seen: unknown[] = [];
    s.setFaults((req) => {
      seen.push([req.method, req.index, req.pathIndex, req.body]);
      return undefined;
    });
    await send(s, CONV, { content: 'a' });
    await send(s, OTHER, { content: 'b' });
    await send(s, CONV, { content: 'c' });
    expect(seen).toEqual([
      ['POST', 0, 0, { content: 'a' }],
      ['POST', 1, 0, { content: 'b' }],
      ['POST', 2, 1, { content: 'c' }],
    ]);
    s.setFaults(undefined);
    expect((await send(s)).status).toBe(201);
  });

  it('delays the answer by the latency asked for', async () => {
    const s = await start();
    s.setFaults(() => ({ latencyMs: 150 }));
    const t0 = performance.now();
    expect((await send(s)).status).toBe(201);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('reset-before drops the connection and delivers nothing', async () => {
    const s = await start();
    s.setFaults(() => ({ action: 'reset-before' }));
    await expect(send(s)).rejects.toThrow();
    expect(s.delivered(CONV)).toHaveLength(0);
    expect(s.requests).toHaveLength(1);
  });

  it('reset-after delivers the message, then drops the connection unanswered', async () => {
    const s = await start();
    s.setFaults(() => ({ action: 'reset-after' }));
    await expect(send(s)).rejects.toThrow();
    expect(s.delivered(CONV)).toHaveLength(1);
  });

  it('hang never answers, and close() still ends promptly', async () => {
    const s = await start();
    s.setFaults(() => ({ action: 'hang' }));
    const pending = send(s);
    await expect.poll(() => s.requests.length).toBe(1);
    await s.close();
    server = undefined;
    await expect(pending).rejects.toThrow();
  });
});

describe('the provider side of the rate limit', () => {
  it('records every arrival, before the body, even with recording off', async () => {
    const s = await start({ record: false });
    const before = performance.timeOrigin + performance.now();
    await send(s);
    await send(s);
    expect(s.arrivals.map((a) => [a.method, a.path, a.refused])).toEqual([
      ['POST', `/api/v1/conversations/${CONV}/messages`, false],
      ['POST', `/api/v1/conversations/${CONV}/messages`, false],
    ]);
    expect(s.arrivals[0]?.at).toBeGreaterThanOrEqual(before);
    expect(s.arrivals[1]?.at).toBeGreaterThanOrEqual(s.arrivals[0]?.at ?? Infinity);
  });

  it('refuses with 429 and no Retry-After past perSecond accepted in the last second, delivering nothing', async () => {
    const s = await start({ rateLimit: { perSecond: 3 } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await send(s);
      statuses.push(res.status);
      if (res.status === 429) expect(res.headers.get('retry-after')).toBeNull();
    }
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
    expect(s.delivered(CONV)).toHaveLength(3);
    expect(s.arrivals.filter((a) => a.refused)).toHaveLength(2);
    // Refusals do not count: once the first acceptance is a second old, one more goes through.
    const first = s.arrivals[0]?.at ?? 0;
    await new Promise((r) => setTimeout(r, Math.max(0, first + 1005 - (performance.timeOrigin + performance.now()))));
    expect((await send(s)).status).toBe(201);
    s.setRateLimit(undefined);
    expect((await send(s)).status).toBe(201);
  });
});
