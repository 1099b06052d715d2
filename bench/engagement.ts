import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { optOutMatcher } from '../shared/engagement/opt-out-words';
import { engagementSettingsOf } from '../shared/engagement/settings';
import type { RowOutcome } from '../shared/engine/events';
import { EngagementStore } from '../electron/core/engagement/engagement-store';
import { refreshEngagement } from '../electron/core/engagement/refresh';
import type { RefreshResult } from '../electron/core/engagement/refresh';
import { createHttpTransport } from '../electron/core/http-transport';
import type { Transport } from '../electron/core/ports';
import { systemClock } from '../electron/core/ports';
import { addUserMessage, isoTime } from '../electron/core/sandbox/sim-state';
import type { SimMessage } from '../electron/core/sandbox/sim-state';
import { setMessageStatus } from '../electron/core/sandbox/simulator';
import { politeRate, WassistClient, WassistStopError } from '../electron/core/wassist/client';
import { readConversation } from '../electron/core/wassist/conversation-reader';
import type { MockServer } from '../test/mock-server/mock-server';
import { mockApiKey, startMockServer } from '../test/mock-server/mock-server';

/**
 * Engagement refresh of BENCH_ENGAGEMENT conversations (default 10,000), one campaign message in
 * each, against the strict mock on 127.0.0.1 (in this process: the figures are requests and bytes
 * more than speed). One conversation in ten is an agent's long chat (250 messages before ours).
 * Side by side: reading each conversation's whole list with one GET (what the app did before), the
 * first refresh, a second one after some recipients acted, and the pace a real refresh keeps.
 */

const N = Number(process.env.BENCH_ENGAGEMENT ?? 10_000);
const POLITE_SAMPLE = Number(process.env.BENCH_ENGAGEMENT_POLITE ?? 300);
const LONG_EVERY = 10;
const HISTORY = 250;

/** countingTransport counts requests and answer bytes. */
function countingTransport(inner: Transport): Transport & { requests: number; bytes: number } {
  const t = {
    requests: 0,
    bytes: 0,
    async request(...args: Parameters<Transport['request']>) {
      t.requests++;
      const res = await inner.request(...args);
      t.bytes += Buffer.byteLength(res.body);
      return res;
    },
    close: () => inner.close(),
  };
  return t;
}

function clientOver(mock: MockServer, transport: Transport, pace: number): WassistClient {
  return new WassistClient({
    transport,
    baseUrl: mock.url,
    apiKey: mockApiKey,
    clock: systemClock,
    throttle: { concurrency: 4, perSecond: 1e6 },
    retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 100, timeoutMs: 30_000, pauseAfterFailures: 0 },
    politeRate: pace,
  });
}

/** world puts n conversations in the mock, our message last in each (after a long chat in one in ten). */
function world(mock: MockServer, n: number): RowOutcome[] {
  const start = Date.now() - 3_600_000;
  const outcomes: RowOutcome[] = [];
  for (let i = 0; i < n; i++) {
    const id = `c-${i}`;
    const conv = mock.state.conversations.get(id) ?? mock.state.conversations.set(id, { id, active: true, number: null, messages: [], botId: mock.state.defaultBotId, credits: 0, createdAt: start, updatedAt: start }).get(id);
    const messages = conv?.messages as SimMessage[];
    if (i % LONG_EVERY === 0) {
      for (let k = 0; k < HISTORY; k++) {
        const mid = `h-${i}-${k}`;
        messages.push({ id: mid, at: start + k, request: {}, message: { id: mid, role: k % 2 === 0 ? 'user' : 'assistant', type: 'text', status: 'read', createdAt: isoTime(start + k), text: { id: mid, body: `earlier message ${k} of an agent's long chat with its user` } } });
      }
    }
    const mid = `m-${i}`;
    const at = start + 1_000_000;
    messages.push({ id: mid, at, request: {}, message: { id: mid, role: 'assistant', type: 'cta', status: 'sent', createdAt: isoTime(at), cta: { id: mid, text: 'Our sale starts today', url: 'https://shop.example.com', buttonText: 'See it', clicks: [] } } });
    outcomes.push({ row: i + 1, status: 'sent', recipient: id, messageId: mid, attempts: 1, httpStatus: 201, sentAt: isoTime(at) });
  }
  return outcomes;
}

async function refreshOnce(store: EngagementStore, id: string, client: WassistClient, name: string): Promise<RefreshResult & { ms: number }> {
  const settings = engagementSettingsOf({ provider: { kind: 'wassist', baseUrl: 'https://x' }, recipient: {}, message: {}, throttle: { concurrency: 4, perSecond: 20 }, retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1, timeoutMs: 1, pauseAfterFailures: 0 } });
  const matcher = optOutMatcher();
  const t0 = performance.now();
  const r = await refreshEngagement({
    campaignId: id,
    campaignName: name,
    store,
    settings,
    clock: systemClock,
    read: (c, targets) => readConversation(client, c, targets, matcher),
    stops: (e) => e instanceof WassistStopError,
    describe: (e) => (e instanceof Error ? e.message : String(e)),
    requests: () => client.requests,
    perSecond: () => client.pace().perSecond,
  });
  return { ...r, ms: performance.now() - t0 };
}

/** benchEngagement prints the figures; `line` is the report's line printer. */
export async function benchEngagement(line: (label: string, value: string) => void): Promise<void> {
  console.log(`\nEngagement refresh of ${N.toLocaleString('en')} conversations, one message each (1 in ${LONG_EVERY} after a ${HISTORY}-message chat), strict mock in process`);
  const mock = await startMockServer({ kind: 'wassist', record: false });
  const dir = await mkdtemp(join(tmpdir(), 'bench-engagement-'));
  const store = await EngagementStore.open(dir);
  try {
    const outcomes = world(mock, N);
    store.seed('bench', 'v1', outcomes);
    const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
    const per = (r: number) => (r / N).toFixed(2);

    // Before: one GET of the whole list per conversation (the code this replaces).
    const whole = countingTransport(createHttpTransport({ connections: 4 }));
    const t0 = performance.now();
    const old = clientOver(mock, whole, 1e6);
    const queue = outcomes.map((o) => o.recipient);
    await Promise.all(Array.from({ length: 8 }, async () => {
      for (let c = queue.shift(); c !== undefined; c = queue.shift()) await old.getText(`/api/v1/conversations/${c}/messages/`, 'bench');
    }));
    const oldMs = performance.now() - t0;
    await whole.close();
    line('whole list per conversation (before)', `${whole.requests} requests (${per(whole.requests)}/message), ${mb(whole.bytes)} read, ${(oldMs / 1000).toFixed(1)} s unpaced`);

    const first = countingTransport(createHttpTransport({ connections: 4 }));
    const r1 = await refreshOnce(store, 'bench', clientOver(mock, first, 1e6), 'bench');
    await first.close();
    line('first refresh (tail pages, bounded memory)', `${first.requests} requests (${per(first.requests)}/message), ${mb(first.bytes)} read, ${(r1.ms / 1000).toFixed(1)} s unpaced`);

    // Some recipients act: a third read it, a tenth reply (one in five of those asks to stop), a tenth fail.
    for (let i = 0; i < N; i++) {
      if (i % 3 === 0) setMessageStatus(mock.state, `m-${i}`, 'read');
      if (i % 10 === 1) setMessageStatus(mock.state, `m-${i}`, 'failed');
      if (i % 10 === 3) addUserMessage(mock.state, `c-${i}`, i % 50 === 3 ? 'STOP' : 'Thanks!');
    }
    const second = countingTransport(createHttpTransport({ connections: 4 }));
    const r2 = await refreshOnce(store, 'bench', clientOver(mock, second, 1e6), 'bench');
    await second.close();
    const third = countingTransport(createHttpTransport({ connections: 4 }));
    await refreshOnce(store, 'bench', clientOver(mock, third, 1e6), 'bench');
    await third.close();
    line('second refresh (from our message on)', `${second.requests} requests (${per(second.requests)}/message), ${mb(second.bytes)} read, ${(r2.ms / 1000).toFixed(1)} s unpaced, ${r2.optedOut} opt-outs`);
    line('third refresh (failed and opted out settled)', `${third.requests} requests (${per(third.requests)}/message), ${mb(third.bytes)} read`);
    line('bytes read: second refresh / whole lists', `${(second.bytes / whole.bytes).toFixed(3)}x`);
    const f = store.recount('bench');
    line('funnel after three refreshes', `sent ${f.counts.sent} · delivered ${f.counts.delivered} · read ${f.counts.read} · replied ${f.counts.replied} · opted out ${f.counts.optedOut} · failed ${f.counts.failed}`);

    // The pace a real refresh keeps: a slice at the default polite pace, timed, and the whole projected.
    const slice = await EngagementStore.open(await mkdtemp(join(tmpdir(), 'bench-engagement-polite-')));
    slice.seed('polite', 'v1', outcomes.slice(0, POLITE_SAMPLE));
    const paced = countingTransport(createHttpTransport({ connections: 4 }));
    const rp = await refreshOnce(slice, 'polite', clientOver(mock, paced, politeRate), 'polite');
    await paced.close();
    slice.close();
    const rate = paced.requests / (rp.ms / 1000);
    line(`polite pace, ${POLITE_SAMPLE} conversations measured`, `${(rp.ms / 1000).toFixed(1)} s, ${rate.toFixed(2)} requests/s (cap ${politeRate}/s)`);
    const projected = (requests: number) => `${((requests / rate) / 60).toFixed(1)} min`;
    line(`polite pace, ${N.toLocaleString('en')}: first / later refresh`, `${projected(first.requests)} / ${projected(second.requests)} (projected at the measured pace)`);
  } finally {
    store.close();
    await mock.close();
    await rm(dir, { recursive: true, force: true });
  }
}
