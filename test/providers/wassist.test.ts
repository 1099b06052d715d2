import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../shared/json';
import { wassistPaths } from '../../shared/providers/wassist-api';
import { TransportError } from '../../electron/core/ports';
import { httpRequestFor, startProviderHarness } from '../mock-server/provider-harness';
import type { ProviderHarness } from '../mock-server/provider-harness';
import { mockApiKey } from '../mock-server/mock-server';

const ACTIVE = '3c90c3cc-0d44-4b50-8888-8dd25736052a';
const INACTIVE = '5d1c0a9e-6b8f-4c2d-9e3a-7f6b5a4c3d2e';
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

const text: JsonObject = { type: 'text', text: { body: 'Hello Ann' } };
const template: JsonObject = {
  type: 'template',
  template: {
    name: 'order_update',
    variables: {
      header: 'Ann',
      body: ['Ann', 'ORD-1', 'shipped'],
      buttons: ['https://track.example.com/ORD-1'],
      cards: [{ header: 'Oslo', body: ['For Ann'], buttons: ['https://promo.example.com'] }],
    },
  },
};
const cta: JsonObject = { type: 'cta', cta: { body: 'Your order shipped', buttonText: 'Track', url: 'https://track.example.com/1', image: { url: 'https://img.example.com/a.png' } } };
const unified: JsonObject = {
  type: 'unified',
  unified: {
    text: 'New arrivals',
    footer: 'Reply STOP to opt out',
    media: { url: 'https://img.example.com/a.png' },
    buttons: [
      { type: 'url', text: 'Shop', url: 'https://shop.example.com' },
      { type: 'quick_reply', text: 'Stop', quickReplyId: 'stop' },
    ],
  },
};

let h: ProviderHarness;
beforeEach(async () => {
  h = await startProviderHarness('wassist', { conversations: [{ id: ACTIVE }, { id: INACTIVE, active: false }] });
});
afterEach(() => h.close());

describe('wassist over HTTP against the strict mock', () => {
  it('sends every message type to the trailing-slash path with X-API-Key, body as built', async () => {
    for (const body of [text, template, cta, unified]) {
      expect(h.def.validateBody(body)).toEqual([]);
      const sent = await h.send(ACTIVE, body);
      expect(sent.received.method).toBe('POST');
      expect(sent.received.path).toBe(`/api/v1/conversations/${ACTIVE}/messages/`);
      expect(sent.received.headers['x-api-key']).toBe(mockApiKey);
      expect(sent.received.headers.authorization).toBeUndefined();
      expect(sent.received.body).toEqual(sent.wire.body);
      expect(sent.response.status).toBe(201);
      const delivered = h.mock.delivered(ACTIVE).at(-1);
      expect(sent.classification).toEqual({ kind: 'sent', messageId: delivered?.id, sentAt: delivered?.message.createdAt });
    }
    expect(h.mock.delivered(ACTIVE)).toHaveLength(4);
  });

  it('lists the sent messages with GET on the same path, for reconciliation', async () => {
    const sent = await h.send(ACTIVE, text);
    const list = await h.transport.request(httpRequestFor(h.def, h.mock.url, mockApiKey, { method: 'GET', path: wassistPaths.messages(ACTIVE) }));
    expect(list.status).toBe(200);
    expect(JSON.parse(list.body)).toEqual([expect.objectContaining({ id: sent.classification.kind === 'sent' ? sent.classification.messageId : '', status: 'sent' })]);
  });

  it('stops on a rejected key (401)', async () => {
    const sent = await h.send(ACTIVE, text, { apiKey: 'wrong-key' });
    expect(sent.response.status).toBe(401);
    expect(sent.classification).toEqual({ kind: 'stop', reason: expect.stringContaining('Invalid API key.') });
  });

  it('fails the row for an unknown conversation (404) with the API’s message', async () => {
    const sent = await h.send(UNKNOWN, text);
    expect(sent.classification).toEqual({ kind: 'fail', reason: 'No Conversation matches the given query.' });
  });

  it('fails a non-template message to an inactive conversation, and sends a template there', async () => {
    const refused = await h.send(INACTIVE, text);
    expect(refused.response.status).toBe(400);
    expect(refused.classification).toEqual({ kind: 'fail', reason: expect.stringMatching(/not active/) });
    expect((await h.send(INACTIVE, template)).classification.kind).toBe('sent');
  });

  it('has every body the mock refuses for a documented limit flagged by validateBody first', async () => {
    const broken: Array<[JsonObject, string]> = [
      [{ type: 'cta', cta: { body: 'x', buttonText: 'A button text too long', url: 'https://x.example' } }, 'no more than 20 characters'],
      [{ type: 'cta', cta: { body: 'b'.repeat(1025), buttonText: 'Go', url: 'https://x.example' } }, 'no more than 1024 characters'],
      [{ type: 'cta', cta: { body: 'x', buttonText: 'Go', url: 'javascript:alert(1)' } }, 'Enter a valid URL.'],
      [{ type: 'unified', unified: { text: 'x', footer: 'f'.repeat(61) } }, 'no more than 60 characters'],
      [{ type: 'unified', unified: { text: 'x', buttons: [{ type: 'quick_reply', text: 'Stop', quickReplyId: 'q'.repeat(201) }] } }, 'no more than 200 characters'],
      [{ type: 'unified', unified: { text: 'x', media: { url: 'not a url' } } }, 'Enter a valid URL.'],
    ];
    for (const [body, message] of broken) {
      expect(h.def.validateBody(body), JSON.stringify(body)).not.toEqual([]);
      const sent = await h.send(ACTIVE, body);
      expect(sent.response.status).toBe(400);
      expect(sent.classification).toEqual({ kind: 'fail', reason: expect.stringContaining(message) });
    }
    expect(h.mock.delivered(ACTIVE)).toHaveLength(0);
  });

  it('retries a 429 with Retry-After in seconds or as an HTTP date', async () => {
    const now = Date.parse('2026-03-15T14:22:11Z');
    h.mock.setFaults({ '*': [{ status: 429, retryAfter: 3 }, { status: 429, retryAfter: new Date(now + 5_000) }] });
    const seconds = await h.send(ACTIVE, text, { now });
    expect(seconds.classification).toEqual({ kind: 'retry', reason: expect.stringContaining('throttled'), retryAfterMs: 3_000 });
    const date = await h.send(ACTIVE, text, { now });
    expect(date.classification).toMatchObject({ kind: 'retry', retryAfterMs: 5_000 });
    expect(h.mock.delivered(ACTIVE)).toHaveLength(0);
  });

  it('retries a server error', async () => {
    h.mock.setFaults({ '*': [{ status: 500 }] });
    expect((await h.send(ACTIVE, text)).classification.kind).toBe('retry');
  });

  it('reports a reset after delivery as written, and a refused connection as not written', async () => {
    h.mock.setFaults(() => ({ action: 'reset-after' }));
    const reset = await h.send(ACTIVE, text).catch((e: unknown) => e);
    expect(reset).toBeInstanceOf(TransportError);
    expect((reset as TransportError).written).toBe(true);
    expect(h.mock.delivered(ACTIVE)).toHaveLength(1);

    const fresh = await startProviderHarness('wassist');
    await fresh.mock.close();
    const refused = await fresh.send(ACTIVE, text).catch((e: unknown) => e);
    await fresh.transport.close();
    expect(refused).toBeInstanceOf(TransportError);
    expect([(refused as TransportError).code, (refused as TransportError).written]).toEqual(['ECONNREFUSED', false]);
  });
});
