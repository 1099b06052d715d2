import { afterEach, describe, expect, it } from 'vitest';
import type { RowOutcome } from '../../shared/engine/events';
import type { JsonObject } from '../../shared/json';
import { providers } from '../../shared/providers';
import { CampaignEngine } from '../../electron/core/engine/engine';
import { createHttpTransport } from '../../electron/core/http-transport';
import type { Transport } from '../../electron/core/ports';
import { MemoryJournal, systemClock } from '../../electron/core/ports';
import type { Fault } from '../mock-server/faults';
import type { MockServer } from '../mock-server/mock-server';
import { mockApiKey, startMockServer } from '../mock-server/mock-server';
import { conversationId } from './crash-harness';

/**
 * The fault matrix: one row sent by the real engine and HTTP transport to the strict mock, whose
 * first POST suffers one fault. Each case names the row's expected outcome and how many times the
 * provider delivered the message, for Wassist (reconciles) and Pingback (no read API).
 */

type Kind = 'wassist' | 'pingback';
interface Case {
  name: string;
  fault: () => Fault;
  wassist: { status: RowOutcome['status']; delivered: number; posts: number };
  pingback: { status: RowOutcome['status']; delivered: number; posts: number };
  /** Minimum time the run must take (a Retry-After honoured). */
  minMs?: number;
}

const cases: Case[] = [
  { name: 'latency', fault: () => ({ latencyMs: 150 }), wassist: { status: 'sent', delivered: 1, posts: 1 }, pingback: { status: 'sent', delivered: 1, posts: 1 } },
  // The socket dies after the body arrived: the client cannot know it was not processed.
  { name: 'reset before processing', fault: () => ({ action: 'reset-before' }), wassist: { status: 'sent', delivered: 1, posts: 2 }, pingback: { status: 'uncertain', delivered: 0, posts: 1 } },
  { name: 'reset after processing', fault: () => ({ action: 'reset-after' }), wassist: { status: 'sent', delivered: 1, posts: 1 }, pingback: { status: 'uncertain', delivered: 1, posts: 1 } },
  { name: 'hang until timeout', fault: () => ({ action: 'hang' }), wassist: { status: 'sent', delivered: 1, posts: 2 }, pingback: { status: 'uncertain', delivered: 0, posts: 1 } },
  { name: '503', fault: () => ({ status: 503 }), wassist: { status: 'sent', delivered: 1, posts: 2 }, pingback: { status: 'sent', delivered: 1, posts: 2 } },
  { name: '429 Retry-After seconds', fault: () => ({ status: 429, retryAfter: 1 }), wassist: { status: 'sent', delivered: 1, posts: 2 }, pingback: { status: 'sent', delivered: 1, posts: 2 }, minMs: 950 },
  {
    name: '429 Retry-After HTTP date',
    fault: () => ({ status: 429, retryAfter: new Date(Math.ceil(Date.now() / 1000) * 1000 + 1000) }),
    wassist: { status: 'sent', delivered: 1, posts: 2 },
    pingback: { status: 'sent', delivered: 1, posts: 2 },
    minMs: 900,
  },
];

let mock: MockServer | undefined;
let transport: Transport | undefined;
afterEach(async () => {
  await transport?.close();
  await mock?.close();
  mock = undefined;
  transport = undefined;
});

async function runOne(kind: Kind, fault: Fault): Promise<{ outcome: RowOutcome | undefined; delivered: number; posts: number; ms: number }> {
  const conv = conversationId(1);
  const m = (mock = await startMockServer({ kind, conversations: [{ id: conv }] }));
  let first = true;
  m.setFaults((q) => {
    if (q.method !== 'POST' || !first) return undefined;
    first = false;
    return fault;
  });
  const t = (transport = createHttpTransport());
  const provider = providers[kind];
  const journal = new MemoryJournal();
  const engine = new CampaignEngine(
    { provider, baseUrl: m.url, apiKey: mockApiKey, throttle: { concurrency: 1, perSecond: 100 }, retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50, timeoutMs: 400, pauseAfterFailures: 20 } },
    { transport: t, clock: systemClock, journal, onEvent: () => undefined },
  );
  const body: JsonObject = kind === 'wassist' ? { type: 'text', text: { body: 'Hello' } } : { content: 'Hello' };
  const started = Date.now();
  await engine.run([{ row: 1, recipient: conv, request: provider.buildRequest(conv, body) }], 1);
  const ms = Date.now() - started;
  const outcome = (await journal.load())[0];
  return { outcome, delivered: m.delivered(conv).length, posts: m.requests.filter((r) => r.method === 'POST').length, ms };
}

describe('fault matrix', () => {
  for (const c of cases) {
    for (const kind of ['wassist', 'pingback'] as const) {
      it(`${kind}: ${c.name} -> ${c[kind].status}, delivered ${c[kind].delivered}`, async () => {
        const r = await runOne(kind, c.fault());
        expect({ status: r.outcome?.status, delivered: r.delivered, posts: r.posts }).toEqual(c[kind]);
        if (r.outcome?.status === 'sent') {
          const delivered = mock?.delivered(conversationId(1))[0];
          expect(r.outcome.messageId).toBe(delivered?.id);
        }
        if (c.minMs !== undefined) expect(r.ms).toBeGreaterThanOrEqual(c.minMs);
      });
    }
  }
});
