import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../json';
import { providers } from './index';
import { apiMessage, parseRetryAfter } from './response';
import { charLength, isHttpUrl, segmentProblem } from './rules';
import type { ProviderResponse } from './types';

const { wassist, pingback, generic } = providers;
const now = Date.parse('2026-11-22T10:00:00Z');
const res = (status: number, body: unknown = '', headers: Record<string, string> = {}): ProviderResponse => ({
  status,
  headers,
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('wassist message schema', () => {
  it('accepts each documented type', () => {
    const ok: JsonObject[] = [
      { type: 'text', text: { body: 'hi {{name}}' } },
      {
        type: 'template',
        template: {
          name: 'order_update',
          variables: { header: 'h', body: ['a'], buttons: ['b'], cards: [{ header: 'c', body: ['d'], buttons: ['e'] }] },
        },
      },
      { type: 'cta', cta: { body: 'b', buttonText: 'Go', url: 'https://x.test/{{id}}', image: { url: 'https://x.test/i.png' } } },
      { type: 'unified', unified: { text: 't', footer: 'f', media: { url: 'https://x.test/m.jpg' }, buttons: [{ type: 'quick_reply', text: 'Yes', quickReplyId: 'y' }] } },
    ];
    for (const m of ok) expect(wassist.messageSchema.safeParse(m).success).toBe(true);
  });

  it('rejects extra fields, a missing type object and deprecated v1 field names', () => {
    expect(wassist.messageSchema.safeParse({ type: 'text', text: { body: 'x' }, extra: 1 }).success).toBe(false);
    expect(wassist.messageSchema.safeParse({ type: 'cta' }).success).toBe(false);
    expect(wassist.messageSchema.safeParse({ type: 'template', templateName: 'x' }).success).toBe(false);
    expect(wassist.messageSchema.safeParse({ type: 'template', template: { name: 'x', variables: { header: ['h'] } } }).success).toBe(false);
  });
});

describe('wassist.validateBody', () => {
  it('enforces the documented CTA limits and URL format', () => {
    const issues = wassist.validateBody({ type: 'cta', cta: { body: 'x'.repeat(1025), buttonText: 'x'.repeat(21), url: 'ftp://x', image: { url: 'not a url' } } });
    expect(issues.map((i) => i.field)).toEqual(['cta.body', 'cta.buttonText', 'cta.url', 'cta.image.url']);
    expect(issues[0]?.reason).toBe('is 1025 characters long; the limit is 1024');
  });

  it('warns above WhatsApp\'s own limits, which Wassist\'s schema does not state: text 4,096, template body 1,024, text header 60', () => {
    expect(wassist.validateBody({ type: 'text', text: { body: '😀'.repeat(4096) } })).toEqual([]);
    expect(wassist.validateBody({ type: 'text', text: { body: 'x'.repeat(3_000_000) } })).toEqual([
      { field: 'text.body', reason: 'is 3,000,000 characters long; WhatsApp refuses text messages over 4,096 characters', severity: 'warning' },
    ]);
    const issues = wassist.validateBody({ type: 'template', template: { name: 't', variables: { header: 'h'.repeat(61), body: ['ok', 'b'.repeat(1025)] } } });
    expect(issues.map((i) => [i.field, i.severity])).toEqual([
      ['template.variables.header', 'warning'],
      ['template.variables.body[1]', 'warning'],
    ]);
    // A media header is a URL, not text: no 60-character limit.
    expect(wassist.validateBody({ type: 'template', template: { name: 't', variables: { header: `https://img.example.com/${'a'.repeat(80)}.png` } } })).toEqual([]);
  });

  it('counts characters, not UTF-16 units, so 20 emoji fit a button', () => {
    expect(wassist.validateBody({ type: 'cta', cta: { body: 'b', buttonText: '😀'.repeat(20), url: 'https://x.test' } })).toEqual([]);
  });

  it('enforces unified footer, button text, quickReplyId and url buttons', () => {
    const issues = wassist.validateBody({
      type: 'unified',
      unified: {
        text: 'hello',
        footer: 'f'.repeat(61),
        buttons: [
          { type: 'url', text: 'Open', url: '' },
          { type: 'quick_reply', text: 'y'.repeat(21), quickReplyId: 'q'.repeat(201) },
        ],
      },
    });
    expect(issues.map((i) => i.field)).toEqual([
      'unified.footer',
      'unified.buttons[0].url',
      'unified.buttons[1].text',
      'unified.buttons[1].quickReplyId',
    ]);
  });

  it('requires text or media in a unified message', () => {
    expect(wassist.validateBody({ type: 'unified', unified: { footer: 'f' } })[0]?.field).toBe('unified.text');
  });

  it('requires every template variable, carousel cards included, to be non-empty', () => {
    const issues = wassist.validateBody({
      type: 'template',
      template: { name: 'n', variables: { body: ['a', ' '], cards: [{ body: [''], buttons: ['x'] }] } },
    });
    expect(issues.map((i) => i.field)).toEqual(['template.variables.body[1]', 'template.variables.cards[0].body[0]']);
  });
});

describe('buildRequest', () => {
  it('wassist posts to the conversation path with the trailing slash, id escaped', () => {
    expect(wassist.buildRequest('a b/c', { type: 'text', text: { body: 'x' } })).toEqual({
      method: 'POST',
      path: '/api/v1/conversations/a%20b%2Fc/messages/',
      body: { type: 'text', text: { body: 'x' } },
    });
  });

  it('pingback posts without the trailing slash', () => {
    expect(pingback.buildRequest('c3d4', { content: 'x' }).path).toBe('/api/v1/conversations/c3d4/messages');
  });

  it('generic adds conversation_id only when there is a recipient', () => {
    const body = { sender_id: 's', sender_type: 'agent', text: 't' };
    expect(generic.buildRequest('', body)).toEqual({ method: 'POST', path: '/messages', body });
    expect(generic.buildRequest('con_1', body).body).toEqual({ conversation_id: 'con_1', ...body });
  });

  it('auth headers follow each document', () => {
    expect(wassist.authHeaders('k')).toEqual({ 'X-API-Key': 'k' });
    expect(pingback.authHeaders('k')).toEqual({ Authorization: 'Bearer k' });
    expect(generic.authHeaders('k')).toEqual({ Authorization: 'Bearer k' });
  });
});

describe('classify', () => {
  it('reads the message id of each provider', () => {
    expect(wassist.classify(res(201, { id: 'w-1', createdAt: '2026-01-01T00:00:00Z' }), now)).toEqual({ kind: 'sent', messageId: 'w-1', sentAt: '2026-01-01T00:00:00Z' });
    expect(pingback.classify(res(201, { id: 'p-1', created_at: 't' }), now)).toEqual({ kind: 'sent', messageId: 'p-1', sentAt: 't' });
    expect(
      generic.classify(res(200, { status: 'success', message: 'ok', data: { conversation_id: 'con_new', message: { id: 'msg_1', created_at: 't' } } }), now),
    ).toEqual({ kind: 'sent', messageId: 'msg_1', recipient: 'con_new', sentAt: 't' });
  });

  it('stops on 401 and 403; Pingback words 403 as the plan limit', () => {
    expect(wassist.classify(res(401, { detail: 'Invalid API key.' }), now)).toMatchObject({ kind: 'stop' });
    const plan = pingback.classify(res(403, { detail: 'limit' }), now);
    expect(plan.kind).toBe('stop');
    expect(plan.kind === 'stop' && plan.reason).toContain('monthly message limit');
  });

  it('fails the row with the API own message on 400/404/422', () => {
    expect(generic.classify(res(404, { status: 'error', message: 'Conversation not found: con_9.', data: null }), now)).toEqual({
      kind: 'fail',
      reason: 'Conversation not found: con_9.',
    });
    expect(pingback.classify(res(422, { detail: 'content is required' }), now)).toEqual({ kind: 'fail', reason: 'content is required' });
    expect(wassist.classify(res(400, { cta: { buttonText: ['Ensure this field has no more than 20 characters.'] } }), now).kind).toBe('fail');
  });

  it('retries 429 and 5xx, with Retry-After in seconds or as an HTTP date', () => {
    expect(wassist.classify(res(429, '', { 'retry-after': '7' }), now)).toEqual({ kind: 'retry', reason: 'HTTP 429 Too Many Requests', retryAfterMs: 7000 });
    const date = new Date(now + 30_000).toUTCString();
    expect(pingback.classify(res(429, '', { 'retry-after': date }), now)).toMatchObject({ kind: 'retry', retryAfterMs: 30_000 });
    expect(generic.classify(res(500, { status: 'error', message: 'Failed to enqueue message. Please retry.', data: null }), now)).toEqual({
      kind: 'retry',
      reason: 'Failed to enqueue message. Please retry.',
    });
  });

  it('describes an HTML error page by its status instead of its markup', () => {
    expect(wassist.classify(res(404, '<html><body>Not Found</body></html>'), now)).toEqual({ kind: 'fail', reason: 'HTTP 404 Not Found' });
  });

  it('treats a 2xx envelope with status error as a failure', () => {
    expect(generic.classify(res(200, { status: 'error', message: 'nope', data: null }), now)).toEqual({ kind: 'fail', reason: 'nope' });
  });
});

describe('helpers', () => {
  it('parseRetryAfter handles absent, bad, past and future values', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(new Date(now - 5000).toUTCString(), now)).toBe(0);
    expect(parseRetryAfter(' 2 ', now)).toBe(2000);
  });

  it('apiMessage finds the message in the common error shapes', () => {
    expect(apiMessage('{"message":"a"}')).toBe('a');
    expect(apiMessage('{"detail":"b"}')).toBe('b');
    expect(apiMessage('{"error":{"message":"c"}}')).toBe('c');
    expect(apiMessage('{"text":["too long"]}')).toBe('text: too long');
    expect(apiMessage('{"cta":{"buttonText":["Ensure this field has no more than 20 characters."]}}')).toBe(
      'cta.buttonText: Ensure this field has no more than 20 characters.',
    );
    expect(apiMessage('{"detail":[{"loc":["body","content"],"msg":"String should have at least 1 character","type":"x"}]}')).toBe(
      'content: String should have at least 1 character',
    );
    expect(apiMessage('<!DOCTYPE html><html>Server Error</html>')).toBe('');
    expect(apiMessage('upstream timed out')).toBe('upstream timed out');
  });

  it('isHttpUrl and charLength', () => {
    expect(isHttpUrl('https://a.test/x?y=1')).toBe(true);
    expect(isHttpUrl('javascript:alert(1)')).toBe(false);
    expect(isHttpUrl('https://a.test/with space')).toBe(false);
    expect(charLength('a😀b')).toBe(3);
  });
});

describe('path segments', () => {
  it('leave UUIDs as they are and escape anything else', () => {
    expect(pingback.buildRequest('c3d4e5f6-a7b8-9012-cdef-123456789012', { content: 'x' }).path).toBe(
      '/api/v1/conversations/c3d4e5f6-a7b8-9012-cdef-123456789012/messages',
    );
    expect(pingback.buildRequest('a/../b', { content: 'x' }).path).toBe('/api/v1/conversations/a%2F..%2Fb/messages');
  });

  it('refuse dot segments, which no escaping keeps in place', () => {
    // Why: the URL parser reads every spelling of ".." as a step up, the percent-encoded one too.
    expect(new URL('https://h.test/api/v1/conversations/%2E%2E/messages/').pathname).toBe('/api/v1/messages/');
    expect(new URL('https://h.test/api/v1/conversations/.%2e/trigger/').pathname).toBe('/api/v1/trigger/');
    for (const id of ['.', '..']) {
      expect(() => wassist.buildRequest(id, { type: 'text', text: { body: 'x' } })).toThrow('cannot be a URL path segment');
      expect(() => pingback.buildRequest(id, { content: 'x' })).toThrow('cannot be a URL path segment');
    }
  });

  it.each([
    ['c-1', undefined],
    ['c3d4e5f6-a7b8-9012-cdef-123456789012', undefined],
    ['+44 7911 123456', undefined],
    ['%2E%2E', undefined],
    ['Ana Lima', undefined],
    ['..', 'is ".."'],
    ['.', 'is "."'],
    ['  ', 'is empty'],
    ['a/b', 'contains "/"'],
    ['a\\b', 'contains "\\"'],
    ['x?y=1', 'contains "?"'],
    ['x#y', 'contains "#"'],
    ['c-1\u0000', 'contains a control character'],
    ['c-1\r\nX-Injected: 1', 'contains a control character'],
    ['c-\u202e1', 'contains a control character'],
  ])('segmentProblem(%j)', (id, problem) => {
    const got = segmentProblem(id);
    if (problem === undefined) expect(got).toBeUndefined();
    else expect(got).toContain(problem);
  });
});
