import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationSeed } from '../../electron/core/sandbox/simulator';
import { WassistStopError } from '../../electron/core/wassist/client';
import { checkActive } from '../../electron/core/wassist/active-check';
import type { MockServer, MockServerOptions } from '../mock-server/mock-server';
import { startMockServer } from '../mock-server/mock-server';
import { BOT, clientFor } from './wassist-harness';

const OTHER = '0b9d8c7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e';

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

/** n conversations of the agent, every `inactiveEvery`-th inactive (1-based), ids c0…. */
const agent = (n: number, inactiveEvery: number, botId = BOT): ConversationSeed[] =>
  Array.from({ length: n }, (_, i) => ({ id: `c${i}`, botId, active: (i + 1) % inactiveEvery !== 0 }));
const ids = (n: number) => Array.from({ length: n }, (_, i) => `c${i}`);
const lists = (m: MockServer) => m.requests.filter((q) => q.path.startsWith('/api/v1/conversations/?'));
const gets = (m: MockServer) => m.requests.filter((q) => /^\/api\/v1\/conversations\/[^/?]+\/$/.test(q.path));

describe('checkActive', () => {
  it('reads each conversation once, null for those the API does not have (few conversations: GET each)', async () => {
    const { mock, client } = await setUp({ conversations: [{ id: 'a' }, { id: 'b', active: false }] });
    const check = await checkActive(client, ['a', 'b', 'a', 'zz']);
    expect(Object.fromEntries(check.byId)).toEqual({ a: { id: 'a', active: true }, b: { id: 'b', active: false }, zz: null });
    expect(mock.requests.map((q) => q.path).sort()).toEqual(['/api/v1/conversations/a/', '/api/v1/conversations/b/', '/api/v1/conversations/zz/']);
  });

  it('learns the agent from the first conversation and lists its active, then inactive, conversations instead of 40 GETs', async () => {
    const { mock, client } = await setUp({ conversations: agent(40, 5) });
    const check = await checkActive(client, ids(40));
    expect(check.byId.size).toBe(40);
    expect([...check.byId.values()].filter((e) => e?.active === false)).toHaveLength(8);
    expect(check).toMatchObject({ gets: 1, pages: 2, botId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(gets(mock)).toHaveLength(1);
    expect(lists(mock).map((q) => q.path)).toEqual([
      `/api/v1/conversations/?botId=${BOT}&active=true&offset=0&limit=100`,
      `/api/v1/conversations/?botId=${BOT}&active=false&offset=0&limit=100`,
    ]);
  });

  it('pages through the lists while each page pays, as the mock caps the page size', async () => {
    const { mock, client } = await setUp({ conversations: agent(400, 5), wassist: { maxPageSize: 50 } });
    const check = await checkActive(client, ids(400));
    expect([...check.byId.values()].filter((e) => e?.active === true)).toHaveLength(320);
    expect(check.byId.size).toBe(400);
    // 1 GET to learn the agent, 320 active in 7 pages of 50 (the first conversation was read already), 80 inactive in 2.
    expect(mock.requests.length).toBeLessThanOrEqual(1 + 7 + 2);
    expect(check.gets).toBe(1);
  });

  it('stops listing an agent with many conversations the campaign does not reach, and reads its own one by one', async () => {
    const { mock, client } = await setUp({ conversations: agent(1_000, 7), wassist: { maxPageSize: 100 } });
    const mine = ['c990', 'c991', 'c992', 'c993', 'c994', 'c995'];
    const check = await checkActive(client, mine);
    expect(check.byId.size).toBe(6);
    expect(check.byId.get('c993')).toEqual({ id: 'c993', active: false }); // (993 + 1) % 7 === 0
    expect(check.byId.get('c992')).toEqual({ id: 'c992', active: true });
    // never more than two requests over one GET each: a first page of each list, at most
    expect(mock.requests.length).toBeLessThanOrEqual(mine.length + 2);
  });

  it('is exact when the campaign mixes agents and missing conversations: what a list does not show is read', async () => {
    const seeds: ConversationSeed[] = [...agent(10, 4), { id: 'x1', botId: OTHER, active: true }, { id: 'x2', botId: OTHER, active: false }];
    const { client } = await setUp({ conversations: seeds });
    const check = await checkActive(client, [...ids(10), 'x1', 'x2', 'gone']);
    expect(check.byId.get('x1')).toEqual({ id: 'x1', active: true });
    expect(check.byId.get('x2')).toEqual({ id: 'x2', active: false });
    expect(check.byId.get('gone')).toBeNull();
    expect(check.byId.get('c3')).toEqual({ id: 'c3', active: false });
    expect(check.byId.get('c4')).toEqual({ id: 'c4', active: true });
  });

  it('reads bare-array list answers', async () => {
    const { mock, client } = await setUp({ conversations: agent(30, 3), wassist: { listShape: 'array', maxPageSize: 10 } });
    const check = await checkActive(client, ids(30));
    expect([...check.byId.values()].filter((e) => e?.active === false)).toHaveLength(10);
    expect(check.byId.size).toBe(30);
    expect(mock.requests.length).toBeLessThan(30);
  });

  it('gives a list up, not the check, when the API refuses to list', async () => {
    const { client } = await setUp({ conversations: agent(8, 2), faults: (q) => (q.path.startsWith('/api/v1/conversations/?') ? { status: 400 } : undefined) });
    const check = await checkActive(client, ids(8));
    expect(check.byId.size).toBe(8);
    expect(check.gets).toBe(8);
  });

  it('stops at a refused key, saying so', async () => {
    const { client } = await setUp({ conversations: agent(5, 2) }, { apiKey: 'wrong' });
    await expect(checkActive(client, ids(5))).rejects.toBeInstanceOf(WassistStopError);
  });
});

describe('checkActive on a list sorted so the campaign’s own come late', () => {
  it('keeps listing past pages that answer none of them while that can still pay (a resume whose first rows are settled)', async () => {
    const { mock, client } = await setUp({ conversations: agent(300, 1_000) });
    const check = await checkActive(client, ids(300).slice(116));
    expect(check.byId.size).toBe(184);
    expect(check).toMatchObject({ gets: 1, pages: 3 });
    expect(mock.requests.length).toBe(4); // not 184 GETs at the polite pace
  });
});
