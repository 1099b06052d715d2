import { pathToFileURL } from 'node:url';
import { createHttpTransport } from '../electron/core/http-transport';
import type { Transport } from '../electron/core/ports';
import { mockApiKey, startMockServer } from '../test/mock-server/mock-server';

/**
 * The floor the engine's throughput is compared with: `concurrency` async workers, each awaiting
 * one request after another until `n` are done, with nothing else in the way. rawFetchLoop uses
 * the platform's fetch; transportLoop our HTTP transport (undici pool), so the lead can report
 * both and the engine's overhead over each. Run this file directly to measure against the mock:
 *   node --import tsx bench/http-baseline.ts [n] [concurrency]
 */

async function workers(n: number, concurrency: number, one: () => Promise<number>): Promise<number> {
  let started = 0;
  const bad: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(concurrency, n)) }, async () => {
      while (started < n) {
        started++;
        const status = await one();
        if (status < 200 || status >= 300) bad.push(status);
      }
    }),
  );
  const ms = performance.now() - t0;
  // A loop that measured errors would report a speed that means nothing.
  if (bad.length > 0) throw new Error(`${bad.length} of ${n} requests failed (first status ${bad[0]})`);
  return ms;
}

/** rawFetchLoop POSTs `body` to `url` `n` times with global fetch, `concurrency` at a time; resolves with the elapsed ms. */
export async function rawFetchLoop(url: string, n: number, concurrency: number, headers: Record<string, string>, body: string): Promise<number> {
  return workers(n, concurrency, async () => {
    const res = await fetch(url, { method: 'POST', headers, body });
    await res.text();
    return res.status;
  });
}

/**
 * transportLoop does the same through a Transport: by default a fresh HTTP transport with
 * `concurrency` connections, closed afterwards; resolves with the elapsed ms.
 */
export async function transportLoop(
  url: string,
  n: number,
  concurrency: number,
  headers: Record<string, string>,
  body: string,
  transport?: Transport,
): Promise<number> {
  const t = transport ?? createHttpTransport({ connections: concurrency });
  try {
    return await workers(n, concurrency, async () => (await t.request({ method: 'POST', url, headers, body, timeoutMs: 30_000 })).status);
  } finally {
    if (transport === undefined) await t.close();
  }
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 20_000);
  const concurrency = Number(process.argv[3] ?? 32);
  const mock = await startMockServer({ kind: 'wassist', acceptAnyConversation: true, record: false });
  const url = `${mock.url}/api/v1/conversations/3c90c3cc-0d44-4b50-8888-8dd25736052a/messages/`;
  const headers = { 'X-API-Key': mockApiKey, 'Content-Type': 'application/json' };
  const body = JSON.stringify({ type: 'text', text: { body: 'Hello from the benchmark' } });
  try {
    await rawFetchLoop(url, 1_000, concurrency, headers, body); // warm up both paths and the JIT
    await transportLoop(url, 1_000, concurrency, headers, body);
    for (const [name, run] of [
      ['raw fetch', () => rawFetchLoop(url, n, concurrency, headers, body)],
      ['http transport', () => transportLoop(url, n, concurrency, headers, body)],
    ] as const) {
      const ms = await run();
      console.log(`${name.padEnd(15)} ${n} requests, concurrency ${concurrency}: ${ms.toFixed(0)} ms, ${Math.round((n / ms) * 1000)} req/s`);
    }
  } finally {
    await mock.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
