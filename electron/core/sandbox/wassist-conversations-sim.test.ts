import { describe, expect, it } from 'vitest';
import { idsFrom, seededRandom } from './ids';
import { seedSandboxDirectory } from './sandbox-world';
import type { SimResponse, SimState, WassistSimOptions } from './simulator';
import { addConversation } from './sim-state';
import { createSimState, setMessageStatus, simulate } from './simulator';

const KEY = 'key-123456';
const BOT = '6f1c9a2e-1b3d-4c5e-8f70-0a1b2c3d4e5f';
let clock = Date.parse('2026-03-15T14:22:11Z');

function world(wassist: WassistSimOptions = {}): SimState {
  return createSimState({
    apiKey: KEY,
    conversations: [
      { id: 'on', botId: BOT, number: '447911123456', credits: 3 },
      { id: 'off', botId: BOT, number: '447911123457', active: false },
      { id: 'elsewhere', number: '447911123458' },
    ],
    now: () => clock,
    ids: idsFrom(seededRandom(7)),
    wassist,
  });
}

function call(s: SimState, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): SimResponse {
  const h: Record<string, string> = { 'x-api-key': KEY, ...headers };
  if (body !== undefined) h['content-type'] ??= 'application/json';
  return simulate('wassist', s, { method, path, headers: h, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
}
const parse = (r: SimResponse): unknown => JSON.parse(r.body);

describe('simulated Wassist conversations', () => {
  it('lists an agent’s conversations in DRF pages with next and previous links', () => {
    const s = world();
    const r = call(s, 'GET', `/api/v1/conversations/?botId=${BOT}&offset=1&limit=1`, undefined, { host: 'api.test' });
    expect(r.status).toBe(200);
    expect(parse(r)).toEqual({
      count: 2,
      next: null,
      previous: `http://api.test/api/v1/conversations/?botId=${BOT}&limit=1&offset=0`,
      results: [expect.objectContaining({ id: 'off', active: false, number: '447911123457', bot: { id: BOT, name: 'Agent' }, credits: 0 })],
    });
    expect(parse(call(s, 'GET', '/api/v1/conversations/?active=false'))).toMatchObject({ count: 1 });
    expect(parse(call(world({ listShape: 'array' }), 'GET', '/api/v1/conversations/?limit=2'))).toHaveLength(2);
  });

  it('filters by `active` (and the other documented filters) before paging: count, pages and links are of the filtered list', () => {
    const s = world({ maxPageSize: 2 });
    for (let i = 0; i < 7; i++) addConversation(s, { id: `x${i}`, botId: BOT, number: `4915112345${60 + i}`, active: i % 2 === 0 });
    const first = parse(call(s, 'GET', `/api/v1/conversations/?botId=${BOT}&active=true&offset=0&limit=10`, undefined, { host: 'api.test' })) as { count: number; next: string; results: { id: string; active: boolean }[] };
    expect(first.count).toBe(5); // 'on' and x0, x2, x4, x6
    expect(first.results.map((c) => c.id)).toEqual(['on', 'x0']);
    expect(first.next).toBe(`http://api.test/api/v1/conversations/?botId=${BOT}&active=true&limit=2&offset=2`);
    const ids: string[] = [];
    for (let offset = 0; offset < 10; offset += 2) {
      const page = parse(call(s, 'GET', `/api/v1/conversations/?botId=${BOT}&active=false&offset=${offset}&limit=2`)) as { results: { id: string; active: boolean }[] };
      ids.push(...page.results.map((c) => c.id));
      expect(page.results.every((c) => !c.active)).toBe(true);
    }
    expect(ids).toEqual(['off', 'x1', 'x3', 'x5']);
    expect(parse(call(s, 'GET', '/api/v1/conversations/?countryCode=de&limit=100'))).toMatchObject({ count: 7 });
    expect(parse(call(s, 'GET', `/api/v1/conversations/?userId=${BOT}`))).toMatchObject({ count: 0 });
    expect(call(s, 'GET', '/api/v1/conversations/?countryCode=Germany').status).toBe(400);
  });

  it('refuses what a client could get wrong in a listing', () => {
    const s = world();
    expect(parse(call(s, 'GET', '/api/v1/conversations/?bot_id=x'))).toEqual({ detail: 'Unknown query parameter "bot_id".' });
    expect(parse(call(s, 'GET', '/api/v1/conversations/?botId=agent-1'))).toEqual({ botId: ['Enter a valid UUID.'] });
    expect(call(s, 'GET', '/api/v1/conversations/?offset=-1').status).toBe(400);
    expect(call(s, 'GET', '/api/v1/conversations/?limit=0').status).toBe(400);
    expect(call(s, 'GET', '/api/v1/conversations/?active=maybe').status).toBe(400);
    expect(call(s, 'GET', '/api/v1/conversations').status).toBe(404);
    expect(call(s, 'POST', '/api/v1/conversations/', {}).status).toBe(405);
    expect(call(s, 'GET', '/api/v1/conversations/', undefined, { 'x-api-key': 'nope' }).status).toBe(401);
  });

  it('gets one conversation, 404 for an unknown one', () => {
    const s = world();
    expect(parse(call(s, 'GET', '/api/v1/conversations/on/'))).toMatchObject({ id: 'on', active: true, credits: 3, chatWindowRemainingTime: 86_400 });
    expect(call(s, 'GET', '/api/v1/conversations/nope/').status).toBe(404);
  });

  it('triggers the agent in active conversations only, with a non-blank prompt and nothing else', () => {
    const s = world();
    const r = call(s, 'POST', '/api/v1/conversations/on/trigger/', { prompt: 'Say thanks' });
    expect(r.status).toBe(201);
    expect(parse(r)).toMatchObject({ role: 'assistant', type: 'text', status: 'sent' });
    expect(s.conversations.get('on')?.messages).toHaveLength(1);
    expect(call(s, 'POST', '/api/v1/conversations/off/trigger/', { prompt: 'x' }).status).toBe(400);
    expect(parse(call(s, 'POST', '/api/v1/conversations/on/trigger/', { prompt: ' ' }))).toEqual({ prompt: ['This field may not be blank.'] });
    expect(parse(call(s, 'POST', '/api/v1/conversations/on/trigger/', { prompt: 'x', extra: 1 }))).toEqual({ extra: ['Unknown field: the API does not accept it.'] });
    expect(call(s, 'POST', '/api/v1/conversations/on/trigger/', { prompt: 'x' }, { 'content-type': 'text/plain' }).status).toBe(415);
    expect(call(s, 'GET', '/api/v1/conversations/on/trigger/').status).toBe(405);
  });

  it('sets credits to whole numbers of 0 or more, answering the conversation', () => {
    const s = world();
    expect(parse(call(s, 'POST', '/api/v1/conversations/off/credits/', { credits: 40 }))).toMatchObject({ id: 'off', credits: 40 });
    expect(parse(call(s, 'POST', '/api/v1/conversations/off/credits/', { credits: '40' }))).toEqual({ credits: ['A valid integer is required.'] });
    expect(call(s, 'POST', '/api/v1/conversations/off/credits/', { credits: -1 }).status).toBe(400);
    expect(call(s, 'POST', '/api/v1/conversations/off/credits/', {}).status).toBe(400);
  });

  it('moves message statuses on a timeline, and lets a test set them', () => {
    const s = world({ statusTimeline: { deliveredAfterMs: 1_000, readAfterMs: 5_000, failEvery: 3 } });
    const ids = [1, 2, 3].map((i) => (parse(call(s, 'POST', '/api/v1/conversations/on/messages/', { type: 'text', text: { body: `m${i}` } })) as { id: string }).id);
    const statuses = () => (parse(call(s, 'GET', '/api/v1/conversations/on/messages/')) as { status: string }[]).map((m) => m.status);
    expect(statuses()).toEqual(['sent', 'sent', 'sent']);
    clock += 1_000;
    expect(statuses()).toEqual(['delivered', 'delivered', 'failed']);
    clock += 4_000;
    setMessageStatus(s, ids[1] as string, 'failed');
    expect(statuses()).toEqual(['read', 'failed', 'failed']);
  });
});

describe('seedSandboxDirectory', () => {
  it('gives each new number a conversation with the agent, some inactive, stored as WhatsApp ids', async () => {
    const s = world();
    const numbers = Array.from({ length: 60 }, (_, i) => `+4479111234${String(i).padStart(2, '0')}`);
    expect(await seedSandboxDirectory(s, BOT, numbers)).toBe(58); // two are the agent's already
    expect(await seedSandboxDirectory(s, BOT, numbers)).toBe(0);
    const mine = [...s.conversations.values()].filter((c) => c.botId === BOT);
    expect(mine.every((c) => c.number !== null && /^\d+$/.test(c.number))).toBe(true);
    expect(mine.some((c) => !c.active)).toBe(true);
    expect(mine.filter((c) => c.active).length).toBeGreaterThan(40);
  });

  it('gives a number the same conversation in every world, so a preview, a test send and the run agree', async () => {
    const a = createSimState({ apiKey: null });
    const b = createSimState({ apiKey: null });
    await seedSandboxDirectory(a, BOT, ['+447911123456', '+447911123457']);
    await seedSandboxDirectory(b, BOT, ['+447911123457']);
    const idOf = (s: typeof a, n: string) => [...s.conversations.values()].find((c) => c.number === n)?.id;
    expect(idOf(b, '447911123457')).toBe(idOf(a, '447911123457'));
    expect(idOf(a, '447911123456')).not.toBe(idOf(a, '447911123457'));
  });
});
