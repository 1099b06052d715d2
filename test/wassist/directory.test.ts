import { afterEach, describe, expect, it } from 'vitest';
import { busiestWindow } from '../../electron/core/engine/rate-limit';
import type { ConversationSeed } from '../../electron/core/sandbox/simulator';
import { WassistApiError, WassistStopError } from '../../electron/core/wassist/client';
import { listDirectory } from '../../electron/core/wassist/directory';
import type { MockServer, MockServerOptions } from '../mock-server/mock-server';
import { startMockServer } from '../mock-server/mock-server';
import { BOT, clientFor, offsetsOf } from './wassist-harness';

const OTHER = '0b9d8c7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e';
const seeds = (n: number): ConversationSeed[] => Array.from({ length: n }, (_, i) => ({ id: `c${i}`, botId: BOT, number: `447911${String(100000 + i)}` }));

let mock: MockServer | undefined;
let client: ReturnType<typeof clientFor> | undefined;

async function setUp(options: Partial<MockServerOptions>, clientOptions: Parameters<typeof clientFor>[1] = {}) {
  mock = await startMockServer({ kind: 'wassist', ...options });
  client = clientFor(mock, clientOptions);
  return { mock, client };
}

afterEach(async () => {
  await client?.close();
  await mock?.close();
  client = undefined;
  mock = undefined;
});

describe('listDirectory', () => {
  it('pages through DRF pages with offset/limit until next is null', async () => {
    const { mock, client } = await setUp({ conversations: [...seeds(10), { id: 'x', botId: OTHER, number: '447911999999' }], wassist: { maxPageSize: 3 } });
    const d = await listDirectory(client, BOT, { pageSize: 3 });
    expect(offsetsOf(mock)).toEqual([0, 3, 6, 9]);
    expect(d).toMatchObject({ conversations: 10, pages: 4, shape: 'page', withoutNumber: 0, invalid: 0 });
    expect(d.byNumber.get('+447911100007')).toEqual(expect.objectContaining({ id: 'c7', active: true }));
    expect(d.byNumber.has('+447911999999')).toBe(false);
  });

  it('follows the page the API caps rather than the limit it asked for', async () => {
    const { mock, client } = await setUp({ conversations: seeds(7), wassist: { maxPageSize: 2 } });
    const d = await listDirectory(client, BOT, { pageSize: 100 });
    expect(offsetsOf(mock)).toEqual([0, 2, 4, 6]);
    expect(d.conversations).toBe(7);
  });

  it('pages through bare arrays until an empty one', async () => {
    const { mock, client } = await setUp({ conversations: seeds(7), wassist: { listShape: 'array', maxPageSize: 3 } });
    const d = await listDirectory(client, BOT, { pageSize: 3 });
    expect(offsetsOf(mock)).toEqual([0, 3, 6, 7]);
    expect(d).toMatchObject({ conversations: 7, shape: 'array' });
  });

  it('stops when a bare-array API ignores paging (more than asked, or nothing new)', async () => {
    const all = JSON.stringify([1, 2, 3].map((i) => ({ id: `c${i}`, active: true, number: `44791110000${i}` })));
    const { mock, client } = await setUp({ conversations: [] });
    mock.setFaults(() => ({ status: 200, body: all }));
    expect((await listDirectory(client, BOT, { pageSize: 2 })).conversations).toBe(3);
    expect(offsetsOf(mock)).toEqual([0]);
    mock.setFaults(() => ({ status: 200, body: all }));
    expect((await listDirectory(client, BOT, { pageSize: 3 })).conversations).toBe(3);
    expect(offsetsOf(mock)).toEqual([0, 0, 3]);
  });

  it('matches one number however the API writes it, preferring the active conversation', async () => {
    const { client } = await setUp({
      conversations: [
        { id: 'old', botId: BOT, number: '+44 7911 123456', active: false },
        { id: 'live', botId: BOT, number: '447911123456', active: true },
        { id: 'none', botId: BOT, number: null },
      ],
    });
    const d = await listDirectory(client, BOT);
    expect(d.byNumber.get('+447911123456')).toMatchObject({ id: 'live', active: true });
    expect(d.withoutNumber).toBe(1);
  });

  it('retries a throttled page after its Retry-After, and stops on a refused key', async () => {
    const { mock, client } = await setUp({ conversations: seeds(2) });
    mock.setFaults({ '/api/v1/conversations/': [{ status: 429, retryAfter: 0 }, { status: 503 }] });
    expect((await listDirectory(client, BOT)).conversations).toBe(2);
    expect(offsetsOf(mock)).toEqual([0, 0, 0]);
    const wrong = clientFor(mock, { apiKey: 'wrong' });
    await expect(listDirectory(wrong, BOT)).rejects.toBeInstanceOf(WassistStopError);
    await wrong.close();
  });

  it('gives up with the API’s own message when a page keeps failing or is refused', async () => {
    const { mock, client } = await setUp({ conversations: seeds(2) });
    mock.setFaults(() => ({ status: 500 }));
    await expect(listDirectory(client, BOT)).rejects.toThrow(/gave up after 3 attempts/);
    mock.setFaults(undefined);
    const err = await listDirectory(client, 'not-a-uuid').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WassistApiError);
    expect((err as WassistApiError).message).toContain('botId: Enter a valid UUID.');
  });

  it('keeps to a polite pace whatever the campaign allows', async () => {
    const { mock, client } = await setUp({ conversations: seeds(12), wassist: { maxPageSize: 1 } }, { perSecond: 1000 });
    await listDirectory(client, BOT, { pageSize: 1 });
    const times = mock.requests.map((q) => q.time);
    expect(times).toHaveLength(12);
    expect(busiestWindow(times)).toBeLessThanOrEqual(10);
  });
});
