import { describe, expect, it } from 'vitest';
import type { WireKind } from '../../../shared/providers/types';
import { idsFrom, seededRandom } from './ids';
import type { SimOptions, SimResponse, SimState } from './simulator';
import { createSimState, errorResponse, simulate } from './simulator';

const KEY = 'key-123456';
const ACTIVE = '3c90c3cc-0d44-4b50-8888-8dd25736052a';
const INACTIVE = '5d1c0a9e-6b8f-4c2d-9e3a-7f6b5a4c3d2e';
const T0 = Date.parse('2026-03-15T14:22:11Z');

function world(extra: SimOptions = {}): SimState {
  return createSimState({
    apiKey: KEY,
    conversations: [{ id: ACTIVE }, { id: INACTIVE, active: false }],
    now: () => T0,
    ids: idsFrom(seededRandom(7)),
    ...extra,
  });
}

const json = { 'content-type': 'application/json' };

function post(kind: WireKind, state: SimState, path: string, body: unknown, headers: Record<string, string> = {}): SimResponse {
  const auth = kind === 'wassist' ? { 'x-api-key': KEY } : { authorization: `Bearer ${KEY}` };
  return simulate(kind, state, { method: 'POST', path, headers: { ...json, ...auth, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

const parse = (r: SimResponse): unknown => JSON.parse(r.body);
const wassistPath = (id: string) => `/api/v1/conversations/${id}/messages/`;

describe('simulated Wassist', () => {
  it('accepts each message type and answers 201 with a full Message', () => {
    const s = world();
    const bodies = [
      { type: 'text', text: { body: 'Hello' } },
      { type: 'template', template: { name: 'order_update', variables: { header: 'Ann', body: ['Ann', '42'], buttons: ['https://t.example/42'], cards: [{ header: 'Oslo', body: ['x'], buttons: ['y'] }] } } },
      { type: 'cta', cta: { body: 'Track it', buttonText: 'Track', url: 'https://t.example/1', image: { url: 'https://img.example/a.png' } } },
      { type: 'unified', unified: { text: 'Hi', footer: 'Bye', media: { url: 'https://img.example/a.png' }, buttons: [{ type: 'url', text: 'Open', url: 'https://x.example' }, { type: 'quick_reply', text: 'Stop', quickReplyId: 'stop' }] } },
    ];
    for (const body of bodies) {
      const r = post('wassist', s, wassistPath(ACTIVE), body);
      expect(r.status, r.body).toBe(201);
      const m = parse(r) as Record<string, unknown>;
      expect(m).toMatchObject({ role: 'assistant', type: body.type, status: 'sent', createdAt: '2026-03-15T14:22:11.000Z' });
      expect(m.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      for (const f of ['replyTo', 'text', 'image', 'cta', 'listSelection', 'template', 'unified', 'quickReply']) expect(m).toHaveProperty(f);
      expect(m[body.type]).not.toBeNull();
    }
    expect(s.conversations.get(ACTIVE)?.messages).toHaveLength(4);
    expect(s.counters.delivered).toBe(4);
  });

  it('needs the trailing slash: without it the route does not exist', () => {
    const r = post('wassist', world(), `/api/v1/conversations/${ACTIVE}/messages`, { type: 'text', text: { body: 'x' } });
    expect(r.status).toBe(404);
  });

  it('refuses a missing or wrong X-API-Key with 401 and a detail', () => {
    const s = world();
    const none = simulate('wassist', s, { method: 'POST', path: wassistPath(ACTIVE), headers: json, body: '{}' });
    expect(none.status).toBe(401);
    expect(parse(none)).toEqual({ detail: 'Authentication credentials were not provided.' });
    const wrong = post('wassist', s, wassistPath(ACTIVE), {}, { 'x-api-key': 'nope' });
    expect(wrong.status).toBe(401);
    expect(parse(wrong)).toEqual({ detail: 'Invalid API key.' });
  });

  it('answers 404 for an unknown conversation', () => {
    const r = post('wassist', world(), wassistPath('00000000-0000-4000-8000-000000000000'), { type: 'text', text: { body: 'x' } });
    expect(r.status).toBe(404);
    expect(parse(r)).toEqual({ detail: 'No Conversation matches the given query.' });
  });

  it('refuses unknown fields, naming them where they are', () => {
    const r = post('wassist', world(), wassistPath(ACTIVE), { type: 'text', text: { body: 'x', bold: true }, priority: 1 });
    expect(r.status).toBe(400);
    expect(parse(r)).toEqual({ text: { bold: [expect.any(String)] }, priority: [expect.any(String)] });
  });

  it('enforces the documented limits with DRF messages', () => {
    const s = world();
    const cta = post('wassist', s, wassistPath(ACTIVE), { type: 'cta', cta: { body: 'b'.repeat(1025), buttonText: 'x'.repeat(21), url: 'ftp://x.example' } });
    expect(cta.status).toBe(400);
    expect(parse(cta)).toEqual({
      cta: {
        body: ['Ensure this field has no more than 1024 characters.'],
        buttonText: ['Ensure this field has no more than 20 characters.'],
        url: ['Enter a valid URL.'],
      },
    });
    const unified = post('wassist', s, wassistPath(ACTIVE), {
      type: 'unified',
      unified: { text: 't'.repeat(1025), footer: 'f'.repeat(61), media: { url: 'not a url' }, buttons: [{ type: 'url', text: 'ok', url: 'https://x.example' }, { type: 'call', text: 'b'.repeat(21), quickReplyId: 'q'.repeat(201) }] },
    });
    expect(parse(unified)).toEqual({
      unified: {
        text: ['Ensure this field has no more than 1024 characters.'],
        footer: ['Ensure this field has no more than 60 characters.'],
        media: { url: ['Enter a valid URL.'] },
        buttons: { '1': { type: ['"call" is not a valid choice.'], text: ['Ensure this field has no more than 20 characters.'], quickReplyId: ['Ensure this field has no more than 200 characters.'] } },
      },
    });
    expect(s.counters.delivered).toBe(0);
  });

  it('counts characters, not UTF-16 units: 20 emoji fit a 20-character button', () => {
    const r = post('wassist', world(), wassistPath(ACTIVE), { type: 'cta', cta: { body: 'b', buttonText: '😀'.repeat(20), url: 'https://x.example' } });
    expect(r.status).toBe(201);
  });

  it('requires type, the object it names, and a template name', () => {
    const s = world();
    expect(parse(post('wassist', s, wassistPath(ACTIVE), {}))).toEqual({ type: ['This field is required.'] });
    expect(parse(post('wassist', s, wassistPath(ACTIVE), { type: 'cta' }))).toEqual({ cta: ['This field is required.'] });
    expect(parse(post('wassist', s, wassistPath(ACTIVE), { type: 'template', template: { variables: {} } }))).toEqual({
      template: { name: ['This field is required.'] },
    });
    expect(parse(post('wassist', s, wassistPath(ACTIVE), { type: 'template', template: { name: '' } }))).toEqual({
      template: { name: ['This field may not be blank.'] },
    });
    expect(parse(post('wassist', s, wassistPath(ACTIVE), { type: 'sms' }))).toEqual({ type: ['"sms" is not a valid choice.'] });
  });

  it('refuses a non-JSON body and a non-JSON content type', () => {
    const s = world();
    expect(post('wassist', s, wassistPath(ACTIVE), '{oops').status).toBe(400);
    expect(post('wassist', s, wassistPath(ACTIVE), { type: 'text', text: { body: 'x' } }, { 'content-type': 'text/plain' }).status).toBe(415);
  });

  it('sends only templates to an inactive conversation', () => {
    const s = world();
    const text = post('wassist', s, wassistPath(INACTIVE), { type: 'text', text: { body: 'x' } });
    expect(text.status).toBe(400);
    expect((parse(text) as { detail: string }).detail).toMatch(/not active/);
    const template = post('wassist', s, wassistPath(INACTIVE), { type: 'template', template: { name: 'welcome' } });
    expect(template.status).toBe(201);
  });

  it('lists a conversation’s messages with GET, with the same auth', () => {
    const s = world();
    const sent = parse(post('wassist', s, wassistPath(ACTIVE), { type: 'text', text: { body: 'one' } })) as { id: string };
    const list = simulate('wassist', s, { method: 'GET', path: wassistPath(ACTIVE), headers: { 'x-api-key': KEY } });
    expect(list.status).toBe(200);
    expect(parse(list)).toEqual([expect.objectContaining({ id: sent.id, type: 'text', status: 'sent', text: expect.objectContaining({ body: 'one' }) })]);
    expect(simulate('wassist', s, { method: 'GET', path: wassistPath(ACTIVE), headers: {} }).status).toBe(401);
  });
});

const pingbackPath = (id: string) => `/api/v1/conversations/${id}/messages`;

describe('simulated Pingback', () => {
  it('answers 201 with the documented message object', () => {
    const s = world();
    const r = post('pingback', s, pingbackPath(ACTIVE), { content: 'Thanks!', attachments: [] });
    expect(r.status).toBe(201);
    expect(parse(r)).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      conversation_id: ACTIVE,
      sender_type: 'agent',
      sender_id: s.agentId,
      content: 'Thanks!',
      attachments: [],
      created_at: '2026-03-15T14:22:11.000Z',
    });
  });

  it('has no trailing slash, and wants a Bearer token', () => {
    const s = world();
    expect(post('pingback', s, `${pingbackPath(ACTIVE)}/`, { content: 'x' }).status).toBe(404);
    expect(post('pingback', s, pingbackPath(ACTIVE), { content: 'x' }, { authorization: KEY }).status).toBe(401);
    expect(post('pingback', s, pingbackPath(ACTIVE), { content: 'x' }, { authorization: 'Bearer other' }).status).toBe(401);
  });

  it('answers 422 for missing or empty content and unknown fields, 404 for an unknown conversation', () => {
    const s = world();
    const missing = post('pingback', s, pingbackPath(ACTIVE), { attachments: [] });
    expect(missing.status).toBe(422);
    expect(parse(missing)).toEqual({ detail: [expect.objectContaining({ type: 'missing', loc: ['body', 'content'], msg: 'Field required' })] });
    const empty = post('pingback', s, pingbackPath(ACTIVE), { content: '' });
    expect(parse(empty)).toEqual({ detail: [expect.objectContaining({ type: 'string_too_short', loc: ['body', 'content'] })] });
    const extra = post('pingback', s, pingbackPath(ACTIVE), { content: 'x', text: 'y' });
    expect(parse(extra)).toEqual({ detail: [expect.objectContaining({ type: 'extra_forbidden', loc: ['body', 'text'] })] });
    const unknown = post('pingback', s, pingbackPath('00000000-0000-4000-8000-000000000000'), { content: 'x' });
    expect(unknown.status).toBe(404);
    expect(s.counters.delivered).toBe(0);
  });

  it('answers 403 once the monthly plan limit is used up', () => {
    const s = world({ planLimit: 2 });
    const statuses = [1, 2, 3].map(() => post('pingback', s, pingbackPath(ACTIVE), { content: 'x' }).status);
    expect(statuses).toEqual([201, 201, 403]);
    expect(s.conversations.get(ACTIVE)?.messages).toHaveLength(2);
  });
});

describe('simulated generic API', () => {
  it('sends into a known conversation inside the envelope', () => {
    const s = world({ conversations: [{ id: 'con_9s2kd81' }] });
    const r = post('generic', s, '/messages', { conversation_id: 'con_9s2kd81', sender_id: 'usr_1', sender_type: 'agent', text: 'Hi', metadata: { channel: 'web' } });
    expect(r.status).toBe(200);
    expect(parse(r)).toEqual({
      status: 'success',
      message: 'Message sent successfully.',
      data: {
        conversation_id: 'con_9s2kd81',
        message: { id: expect.stringMatching(/^msg_[a-z0-9]{6}$/), sender_id: 'usr_1', sender_type: 'agent', text: 'Hi', metadata: { channel: 'web' }, created_at: '2026-03-15T14:22:11.000Z' },
        auto_reply_enqueued: true,
      },
    });
  });

  it('creates a conversation when conversation_id is omitted', () => {
    const s = world();
    const r = parse(post('generic', s, '/messages', { sender_id: 'usr_1', sender_type: 'user', text: 'Hi', auto_reply: false })) as { data: { conversation_id: string; auto_reply_enqueued: boolean } };
    expect(r.data.conversation_id).toMatch(/^con_[a-z0-9]{7}$/);
    expect(r.data.auto_reply_enqueued).toBe(false);
    expect(s.conversations.get(r.data.conversation_id)?.messages).toHaveLength(1);
  });

  it('answers the documented errors', () => {
    const s = world();
    const cases: Array<[unknown, number, string]> = [
      [{ sender_id: 'u', sender_type: 'user' }, 400, "Field 'text' is required."],
      [{ sender_id: 'u', text: 'x' }, 400, "Field 'sender_type' is required."],
      [{ sender_id: 'u', sender_type: 'bot', text: 'x' }, 400, "Field 'sender_type' must be one of: user, agent, system."],
      [{ conversation_id: 'con_nope123', sender_id: 'u', sender_type: 'user', text: 'x' }, 404, 'Conversation not found: con_nope123.'],
      [{ sender_id: 'u', sender_type: 'user', text: 'x', channel: 'web' }, 400, "Unknown field 'channel'."],
    ];
    for (const [body, status, message] of cases) {
      const r = post('generic', s, '/messages', body);
      expect([r.status, parse(r)]).toEqual([status, { status: 'error', message, data: null }]);
    }
    const unauth = post('generic', s, '/messages', { sender_id: 'u', sender_type: 'user', text: 'x' }, { authorization: 'Bearer wrong' });
    expect([unauth.status, parse(unauth)]).toEqual([401, { status: 'error', message: 'Invalid or expired token.', data: null }]);
    expect(s.counters.delivered).toBe(0);
  });
});

describe('auto-creating world (the sandbox)', () => {
  it('accepts any key and any conversation id, creating it active', () => {
    const s = createSimState({ autoCreateConversations: true });
    const r = simulate('pingback', s, { method: 'POST', path: pingbackPath('row-7'), headers: json, body: JSON.stringify({ content: 'x' }) });
    expect(r.status).toBe(201);
    expect(s.conversations.get('row-7')?.active).toBe(true);
  });
});

describe('errorResponse', () => {
  it('gives each API its own body for statuses it does not produce itself', () => {
    expect(JSON.parse(errorResponse('generic', 500).body)).toEqual({ status: 'error', message: 'Failed to enqueue message. Please retry.', data: null });
    const throttled = errorResponse('wassist', 429, '3');
    expect(throttled.headers['retry-after']).toBe('3');
    expect(JSON.parse(throttled.body)).toEqual({ detail: 'Request was throttled. Expected available in 3 seconds.' });
    expect(errorResponse('pingback', 503).status).toBe(503);
  });
});
