import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../shared/json';
import { appendAt, getAt, removeAt, setAt } from './json-path';
import { draftToSpec, specToDraft } from './draft';

describe('editing the message by path', () => {
  const message: JsonObject = { type: 'template', template: { name: 'x', variables: { body: ['a', 'b'] } } };

  it('reads and writes without mutating', () => {
    const next = setAt(message, ['template', 'variables', 'body', 1], 'B');
    expect(getAt(next, ['template', 'variables', 'body'])).toEqual(['a', 'B']);
    expect(getAt(message, ['template', 'variables', 'body'])).toEqual(['a', 'b']);
  });

  it('creates missing objects and removes keys set to undefined', () => {
    const withHeader = setAt(message, ['template', 'variables', 'header'], '{{city}}');
    expect(getAt(withHeader, ['template', 'variables', 'header'])).toBe('{{city}}');
    expect(getAt(setAt(withHeader, ['template', 'variables', 'header'], undefined), ['template', 'variables'])).toEqual({ body: ['a', 'b'] });
    expect(setAt({}, ['cta', 'image', 'url'], 'u')).toEqual({ cta: { image: { url: 'u' } } });
  });

  it('adds and removes array items; an emptied array goes away', () => {
    const cards = appendAt(message, ['template', 'variables', 'cards'], { body: [''] });
    expect(getAt(cards, ['template', 'variables', 'cards'])).toEqual([{ body: [''] }]);
    expect(getAt(removeAt(cards, ['template', 'variables', 'cards'], 0), ['template', 'variables', 'cards'])).toBeUndefined();
    expect(getAt(removeAt(message, ['template', 'variables', 'body'], 0), ['template', 'variables', 'body'])).toEqual(['b']);
  });

  it('round-trips a campaign file through a draft, keeping settings the form does not show', () => {
    const file = {
      name: 'Order update',
      provider: { kind: 'sandbox', simulate: 'wassist', latencyMs: 40, failureRate: 0.05, seed: 7 },
      recipient: { conversationId: '{{conversation_id}}' },
      message,
      throttle: { concurrency: 2, perSecond: 5 },
      retry: { attempts: 3, baseDelayMs: 200 },
    };
    const draft = specToDraft(file, 'pingback');
    expect(draft.wire).toBe('wassist');
    expect(draftToSpec(draft, { kind: 'wassist', baseUrl: 'https://backend.wassist.app' })).toEqual({
      ...file,
      provider: { kind: 'wassist', baseUrl: 'https://backend.wassist.app' },
    });
  });
});
