import { describe, expect, it } from 'vitest';
import { wassistCredits, wassistTrigger } from './wassist-actions';
import { conversationSchema, deliveryStatusOf, parsePage, wassistPaths } from './wassist-api';

const conv = { id: 'c1', active: true, number: '447911123456', bot: { id: 'b', name: 'x' }, extra: 1 };

describe('wassistPaths', () => {
  it('builds every conversation path with a trailing slash, ids encoded', () => {
    expect(wassistPaths.conversations({ botId: 'b 1', active: false, offset: 200, limit: 100 })).toBe('/api/v1/conversations/?botId=b%201&active=false&offset=200&limit=100');
    expect(wassistPaths.conversation('a/b')).toBe('/api/v1/conversations/a%2Fb/');
    expect(wassistPaths.messages('c1')).toBe('/api/v1/conversations/c1/messages/');
    expect(wassistPaths.trigger('c1')).toBe('/api/v1/conversations/c1/trigger/');
    expect(wassistPaths.credits('c1')).toBe('/api/v1/conversations/c1/credits/');
  });
});

describe('parsePage', () => {
  it('reads a bare array and a DRF page alike, counting items that are not conversations', () => {
    expect(parsePage([conv, { id: 'x' }], conversationSchema)).toEqual({ items: [expect.objectContaining({ id: 'c1' })], invalid: 1, shape: 'array' });
    const page = parsePage({ count: 3, next: 'http://h/?offset=1', previous: null, results: [conv] }, conversationSchema);
    expect(page).toMatchObject({ shape: 'page', count: 3, hasNext: true, invalid: 0 });
    expect(parsePage({ results: [], next: null }, conversationSchema).hasNext).toBe(false);
  });

  it('says what came back when it is neither', () => {
    expect(() => parsePage({ detail: 'nope' }, conversationSchema)).toThrow('expected a list or a page with "results", got an object with "detail"');
    expect(() => parsePage(null, conversationSchema)).toThrow('got null');
  });
});

describe('deliveryStatusOf', () => {
  it('keeps the documented statuses only', () => {
    expect(deliveryStatusOf('read')).toBe('read');
    expect(deliveryStatusOf(null)).toBeUndefined();
    expect(deliveryStatusOf('queued')).toBeUndefined();
  });
});

describe('action definitions', () => {
  it('trigger posts {prompt} to the trigger path and reads the created message id', () => {
    expect(wassistTrigger.buildRequest('c1', { prompt: 'hi' })).toEqual({ method: 'POST', path: '/api/v1/conversations/c1/trigger/', body: { prompt: 'hi' } });
    expect(wassistTrigger.validateBody({ prompt: ' ' })).toEqual([{ field: 'prompt', reason: 'is required and must not be empty' }]);
    expect(wassistTrigger.classify({ status: 201, headers: {}, body: '{"id":"m1","createdAt":"2024-01-01T00:00:00Z"}' }, 0)).toEqual({ kind: 'sent', messageId: 'm1', sentAt: '2024-01-01T00:00:00Z' });
    expect(wassistTrigger.classify({ status: 202, headers: {}, body: '' }, 0)).toEqual({ kind: 'sent', messageId: '' });
  });

  it('credits go on the wire as whole numbers; anything else is a body issue', () => {
    expect(wassistCredits.buildRequest('c1', { credits: ' 42 ' })).toEqual({ method: 'POST', path: '/api/v1/conversations/c1/credits/', body: { credits: 42 } });
    expect(wassistCredits.buildRequest('c1', { credits: 7 }).body).toEqual({ credits: 7 });
    expect(wassistCredits.validateBody({ credits: '4.5' })[0]?.reason).toContain('whole number');
    expect(wassistCredits.validateBody({ credits: '-1' })[0]?.field).toBe('credits');
    expect(wassistCredits.validateBody({ credits: '' })[0]?.reason).toContain('required');
    expect(wassistCredits.classify({ status: 200, headers: {}, body: '{"id":"c1","credits":42}' }, 0)).toEqual({ kind: 'sent', messageId: '' });
  });
});

describe('wassistPaths and dot segments', () => {
  it('never lets an id climb out of its conversation', () => {
    expect(() => wassistPaths.conversation('..')).toThrow('cannot be a URL path segment');
    expect(() => wassistPaths.trigger('.')).toThrow('cannot be a URL path segment');
    for (const id of ['%2E%2E', '.%2e', 'a/../..', '..\\..', '?x=1', '#frag']) {
      const path = new URL(`https://h.test${wassistPaths.messages(id)}`).pathname;
      expect(path.startsWith('/api/v1/conversations/') && path.endsWith('/messages/') && path.split('/').length === 7, `${id} -> ${path}`).toBe(true);
    }
  });

  it('a conversation the API lists with an id that is not a plain segment is not used', () => {
    const page = parsePage([{ id: '..', active: true }, { id: 'c-1', active: true }], conversationSchema);
    expect(page.items.map((c) => c.id)).toEqual(['c-1']);
    expect(page.invalid).toBe(1);
  });
});
