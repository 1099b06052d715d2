import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RowOutcome } from '../../shared/engine/events';
import { systemClock } from '../../electron/core/ports';
import { setMessageStatus } from '../../electron/core/sandbox/simulator';
import { WassistStopError } from '../../electron/core/wassist/client';
import { readMessages, refreshDeliveryStatus } from '../../electron/core/wassist/delivery-status';
import { SIDECAR_FILE, WassistSidecar } from '../../electron/core/wassist/sidecar';
import type { MockServer, MockServerOptions } from '../mock-server/mock-server';
import { mockApiKey, startMockServer } from '../mock-server/mock-server';
import { clientFor } from './wassist-harness';

let mock: MockServer;
let dir: string;
const clients: ReturnType<typeof clientFor>[] = [];

async function setUp(options: Partial<MockServerOptions> = {}): Promise<ReturnType<typeof clientFor>> {
  mock = await startMockServer({ kind: 'wassist', conversations: [{ id: 'a' }, { id: 'b' }, { id: 'c' }], ...options });
  const c = clientFor(mock);
  clients.push(c);
  return c;
}

/** send posts a text message straight to the mock and returns the row outcome the engine would record. */
async function send(row: number, conversation: string): Promise<RowOutcome> {
  const res = await fetch(`${mock.url}/api/v1/conversations/${conversation}/messages/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': mockApiKey },
    body: JSON.stringify({ type: 'text', text: { body: `row ${row}` } }),
  });
  const m = (await res.json()) as { id: string; createdAt: string };
  return { row, status: 'sent', recipient: conversation, messageId: m.id, attempts: 1, httpStatus: 201, sentAt: m.createdAt };
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wassist-status-'));
});

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await mock.close();
  await rm(dir, { recursive: true, force: true });
});

describe('refreshDeliveryStatus', () => {
  it('finds our messages by id, one GET per conversation, and records status changes with the time first seen', async () => {
    const client = await setUp();
    const outcomes = [await send(1, 'a'), await send(2, 'a'), await send(3, 'b'), { row: 4, status: 'failed', recipient: 'c', attempts: 1 } as RowOutcome];
    const sidecar = await WassistSidecar.load(dir);
    const before = mock.requests.length;
    const first = await refreshDeliveryStatus(client, outcomes, sidecar, systemClock);
    expect(mock.requests.slice(before).map((q) => q.path).sort()).toEqual(['/api/v1/conversations/a/messages/', '/api/v1/conversations/b/messages/']);
    expect(first).toMatchObject({ rows: 3, conversations: 2, found: 3, byStatus: { sent: 3, delivered: 0, read: 0, failed: 0 } });
    const sentAt = sidecar.delivery.get(1)?.at;
    setMessageStatus(mock.state, outcomes[0]?.messageId as string, 'read');
    setMessageStatus(mock.state, outcomes[2]?.messageId as string, 'failed');
    await new Promise((r) => setTimeout(r, 5)); // a later refresh has a later clock
    const second = await refreshDeliveryStatus(client, outcomes, sidecar, systemClock);
    expect(second.byStatus).toEqual({ sent: 1, delivered: 0, read: 1, failed: 1 });
    expect(sidecar.delivery.get(2)?.at).toBe(sentAt); // unchanged status keeps its time
    expect(sidecar.delivery.get(1)?.at).not.toBe(sentAt);
    await sidecar.save();
    const again = await WassistSidecar.load(dir);
    expect(Object.fromEntries(again.delivery)).toEqual(Object.fromEntries(sidecar.delivery));
  });

  it('follows the status timeline of the simulated API (delivered, then read; some fail)', async () => {
    const client = await setUp({ wassist: { statusTimeline: { deliveredAfterMs: 0, readAfterMs: 60_000, failEvery: 2 } } });
    const outcomes = [await send(1, 'a'), await send(2, 'b')];
    const r = await refreshDeliveryStatus(client, outcomes, await WassistSidecar.load(dir), systemClock);
    expect(r.byStatus).toMatchObject({ delivered: 1, failed: 1 });
  });

  it('reads paged message lists to the end', async () => {
    const client = await setUp({ wassist: { messagesShape: 'page', maxPageSize: 2 } });
    const outcomes = [];
    for (let i = 1; i <= 5; i++) outcomes.push(await send(i, 'a'));
    expect((await readMessages(client, 'a')).map((m) => m.id)).toEqual(outcomes.map((o) => o.messageId));
    const r = await refreshDeliveryStatus(client, outcomes, await WassistSidecar.load(dir), systemClock);
    expect(r.found).toBe(5);
  });

  it('lists conversations it cannot read and goes on; a refused key stops it', async () => {
    const client = await setUp();
    const outcomes = [await send(1, 'a'), { row: 2, status: 'sent', recipient: 'gone', messageId: 'm', attempts: 1 } as RowOutcome];
    const r = await refreshDeliveryStatus(client, outcomes, await WassistSidecar.load(dir), systemClock);
    expect(r.found).toBe(1);
    expect(r.unreadable).toEqual([{ conversationId: 'gone', reason: expect.stringContaining('HTTP 404') }]);
    const wrong = clientFor(mock, { apiKey: 'wrong' });
    clients.push(wrong);
    await expect(refreshDeliveryStatus(wrong, outcomes, await WassistSidecar.load(dir), systemClock)).rejects.toBeInstanceOf(WassistStopError);
  });
});

describe('WassistSidecar', () => {
  it('refuses a damaged file with a message that says what to do', async () => {
    await writeFile(join(dir, SIDECAR_FILE), '{"version":2}');
    await expect(WassistSidecar.load(dir)).rejects.toThrow(/damaged.*delete it/);
  });

  it('writes nothing but row numbers, variants and statuses', async () => {
    const s = await WassistSidecar.load(dir);
    s.variants.set(3, 'fallback');
    s.delivery.set(1, { messageId: 'm1', status: 'read', at: '2024-01-01T00:00:00.000Z' });
    await s.save();
    expect(JSON.parse(await readFile(join(dir, SIDECAR_FILE), 'utf8'))).toEqual({
      version: 1,
      variants: { 3: 'fallback' },
      delivery: { 1: { messageId: 'm1', status: 'read', at: '2024-01-01T00:00:00.000Z' } },
    });
  });
});
