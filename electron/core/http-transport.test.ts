import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { MockServer } from '../../test/mock-server/mock-server';
import { mockApiKey, startMockServer } from '../../test/mock-server/mock-server';
import { createHttpTransport } from './http-transport';
import type { HttpRequest, Transport } from './ports';
import { TransportError } from './ports';

const CONV = '3c90c3cc-0d44-4b50-8888-8dd25736052a';
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

function transport(options: Parameters<typeof createHttpTransport>[0] = {}): Transport {
  const t = createHttpTransport(options);
  cleanups.push(() => t.close());
  return t;
}

async function mock(): Promise<MockServer> {
  const m = await startMockServer({ kind: 'wassist', conversations: [{ id: CONV }] });
  cleanups.push(() => m.close());
  return m;
}

function sendTo(m: MockServer, overrides: Partial<HttpRequest> = {}): HttpRequest {
  return {
    method: 'POST',
    url: `${m.url}/api/v1/conversations/${CONV}/messages/`,
    headers: { 'X-API-Key': mockApiKey },
    body: JSON.stringify({ type: 'text', text: { body: 'hi' } }),
    timeoutMs: 5_000,
    ...overrides,
  };
}

/** A plain server that counts TCP connections and echoes what it got. */
async function countingServer(delayMs = 0): Promise<{ url: string; connections: () => number }> {
  let n = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () =>
      setTimeout(() => {
        res.writeHead(200, { 'Content-Type': 'application/json', 'X-Echo-Type': req.headers['content-type'] ?? '' });
        res.end(JSON.stringify({ body }));
      }, delayMs),
    );
  });
  server.on('connection', () => n++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => n };
}

async function failure(p: Promise<unknown>): Promise<TransportError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TransportError);
  return err as TransportError;
}

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

const neverResolves: LookupFunction = () => {};

describe('createHttpTransport: responses', () => {
  it('resolves with status, lower-case headers and body for success and error statuses alike', async () => {
    const m = await mock();
    const t = transport();
    const ok = await t.request(sendTo(m));
    expect(ok.status).toBe(201);
    expect(ok.headers['content-type']).toBe('application/json');
    expect(JSON.parse(ok.body)).toMatchObject({ type: 'text', status: 'sent' });

    const missing = await t.request(sendTo(m, { url: `${m.url}/api/v1/conversations/${CONV}/messages` }));
    expect(missing.status).toBe(404);
    m.setFaults(() => ({ status: 503, retryAfter: 2, body: 'down' }));
    const down = await t.request(sendTo(m));
    expect([down.status, down.headers['retry-after'], down.body]).toEqual([503, '2', 'down']);
  });

  it('adds a JSON content type to a body that has none, and keeps one that is given', async () => {
    const s = await countingServer();
    const t = transport();
    const plain = await t.request({ method: 'POST', url: s.url, headers: {}, body: '{}', timeoutMs: 5_000 });
    expect(plain.headers['x-echo-type']).toBe('application/json');
    const given = await t.request({ method: 'POST', url: s.url, headers: { 'Content-Type': 'text/plain' }, body: 'x', timeoutMs: 5_000 });
    expect(given.headers['x-echo-type']).toBe('text/plain');
  });

  it('keeps connections alive: sequential requests reuse them', async () => {
    const s = await countingServer();
    const t = transport();
    for (let i = 0; i < 20; i++) await t.request({ method: 'GET', url: s.url, headers: {}, timeoutMs: 5_000 });
    // undici's pool opens a second socket for the second request (the first is not marked free
    // yet when it is dispatched); from then on both are reused.
    expect(s.connections()).toBeLessThanOrEqual(2);
  });

  it('opens at most `connections` sockets per origin', async () => {
    const s = await countingServer(20);
    const capped = transport({ connections: 2 });
    await Promise.all(Array.from({ length: 10 }, () => capped.request({ method: 'GET', url: s.url, headers: {}, timeoutMs: 5_000 })));
    expect(s.connections()).toBe(2);
  });

  it('by default opens as many sockets as requests in flight', async () => {
    const s = await countingServer(20);
    const t = transport();
    await Promise.all(Array.from({ length: 6 }, () => t.request({ method: 'GET', url: s.url, headers: {}, timeoutMs: 5_000 })));
    expect(s.connections()).toBe(6);
  });

  it('refuses a response larger than maxResponseBytes', async () => {
    const m = await mock();
    m.setFaults(() => ({ status: 500, body: 'x'.repeat(5_000) }));
    const err = await failure(transport({ maxResponseBytes: 1_000 }).request(sendTo(m)));
    expect([err.code, err.written]).toEqual(['ERESPONSETOOLARGE', true]);
  });
});

describe('createHttpTransport: written=false, nothing reached the server', () => {
  it('connection refused', async () => {
    const port = await closedPort();
    const err = await failure(transport().request({ method: 'POST', url: `http://127.0.0.1:${port}/x`, headers: {}, body: '{}', timeoutMs: 5_000 }));
    expect([err.code, err.written]).toEqual(['ECONNREFUSED', false]);
  });

  it('host name that does not resolve', async () => {
    const lookup: LookupFunction = (host, _opts, cb) => {
      const e = Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
      process.nextTick(() => cb(e, '', 4));
    };
    const err = await failure(transport({ lookup }).request({ method: 'POST', url: 'http://api.example.test/x', headers: {}, body: '{}', timeoutMs: 5_000 }));
    expect([err.code, err.written]).toEqual(['ENOTFOUND', false]);
    expect(err.message).toContain('api.example.test');
  });

  it('connect timeout', async () => {
    const t = transport({ lookup: neverResolves, connectTimeoutMs: 100 });
    const err = await failure(t.request({ method: 'POST', url: 'http://api.example.test/x', headers: {}, body: '{}', timeoutMs: 10_000 }));
    expect([err.code, err.written]).toEqual(['UND_ERR_CONNECT_TIMEOUT', false]);
  });

  it('request timeout while still connecting', async () => {
    const t = transport({ lookup: neverResolves });
    const err = await failure(t.request({ method: 'POST', url: 'http://api.example.test/x', headers: {}, body: '{}', timeoutMs: 150 }));
    expect([err.code, err.written]).toEqual(['ETIMEDOUT', false]);
  });

  it('cancelled before it was sent', async () => {
    const m = await mock();
    const err = await failure(transport().request(sendTo(m), AbortSignal.abort()));
    expect([err.code, err.written]).toEqual(['ABORTED', false]);
    expect(m.requests).toHaveLength(0);
  });

  it('a URL that is not http(s)', async () => {
    const err = await failure(transport().request({ method: 'GET', url: 'ftp://x.example/', headers: {}, timeoutMs: 1_000 }));
    expect([err.code, err.written]).toEqual(['EINVALIDURL', false]);
  });
});

describe('createHttpTransport: written=true, the server may have acted on it', () => {
  it('reset after the server processed the request: delivered, no answer', async () => {
    const m = await mock();
    m.setFaults(() => ({ action: 'reset-after' }));
    const err = await failure(transport().request(sendTo(m)));
    expect(err.written).toBe(true);
    expect(['UND_ERR_SOCKET', 'ECONNRESET']).toContain(err.code);
    expect(m.delivered(CONV)).toHaveLength(1);
  });

  it('reset before processing looks the same from the client: the request had been written', async () => {
    const m = await mock();
    m.setFaults(() => ({ action: 'reset-before' }));
    const err = await failure(transport().request(sendTo(m)));
    expect(err.written).toBe(true);
    expect(m.delivered(CONV)).toHaveLength(0);
  });

  it('timeout waiting for the answer, then the transport carries on', async () => {
    const m = await mock();
    const t = transport();
    m.setFaults({ [`/api/v1/conversations/${CONV}/messages/`]: [{ action: 'hang' }] });
    const err = await failure(t.request(sendTo(m, { timeoutMs: 150 })));
    expect([err.code, err.written]).toEqual(['ETIMEDOUT', true]);
    expect(err.message).toContain('150 ms');
    expect((await t.request(sendTo(m))).status).toBe(201);
  });

  it('cancelled while waiting for the answer', async () => {
    const m = await mock();
    m.setFaults(() => ({ action: 'hang' }));
    const ac = new AbortController();
    const pending = transport().request(sendTo(m), ac.signal);
    await expect.poll(() => m.requests.length).toBe(1);
    ac.abort();
    const err = await failure(pending);
    expect([err.code, err.written]).toEqual(['ABORTED', true]);
  });
});

describe('createHttpTransport: secrets', () => {
  it('never puts a header value (the API key) in an error', async () => {
    const key = 'sk_live_SECRET_4f9a8b7c6d';
    const m = await mock();
    const port = await closedPort();
    const t = transport({ lookup: neverResolves });
    const errors = [
      await failure(t.request({ method: 'POST', url: `http://127.0.0.1:${port}/x`, headers: { 'X-API-Key': key }, body: '{}', timeoutMs: 2_000 })),
      await failure(t.request({ method: 'POST', url: 'http://api.example.test/x', headers: { Authorization: `Bearer ${key}` }, body: '{}', timeoutMs: 100 })),
      await failure(t.request({ method: 'POST', url: 'http://api.example.test/x', headers: { 'X-API-Key': `${key}\n` }, body: '{}', timeoutMs: 1_000 })),
    ];
    m.setFaults(() => ({ action: 'reset-after' }));
    errors.push(await failure(t.request(sendTo(m, { headers: { 'X-API-Key': key } }))));
    for (const e of errors) {
      expect(`${e.message} ${e.code} ${e.stack ?? ''} ${JSON.stringify(e)}`).not.toContain(key);
    }
  });
});
