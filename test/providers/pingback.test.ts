import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../shared/json';
import { TransportError } from '../../electron/core/ports';
import { startProviderHarness } from '../mock-server/provider-harness';
import type { ProviderHarness } from '../mock-server/provider-harness';
import { mockApiKey } from '../mock-server/mock-server';

const CONV = 'c3d4e5f6-a7b8-4012-8def-123456789012';
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const message: JsonObject = { content: 'Thanks for reaching out! I can help you with that.', attachments: [] };

let h: ProviderHarness;
beforeEach(async () => {
  h = await startProviderHarness('pingback', { conversations: [{ id: CONV }] });
});
afterEach(() => h.close());

describe('pingback over HTTP against the strict mock', () => {
  it('sends to the path without a trailing slash with a Bearer token, body as built', async () => {
    const sent = await h.send(CONV, message);
    expect(sent.received.path).toBe(`/api/v1/conversations/${CONV}/messages`);
    expect(sent.received.headers.authorization).toBe(`Bearer ${mockApiKey}`);
    expect(sent.received.body).toEqual(sent.wire.body);
    expect(sent.response.status).toBe(201);
    const [delivered] = h.mock.delivered(CONV);
    expect(sent.classification).toEqual({ kind: 'sent', messageId: delivered?.id, sentAt: delivered?.message.created_at });
  });

  it('sends a body without attachments too', async () => {
    expect((await h.send(CONV, { content: 'Hi' })).classification.kind).toBe('sent');
  });

  it('stops on a bad token (401)', async () => {
    const sent = await h.send(CONV, message, { apiKey: 'expired' });
    expect(sent.response.status).toBe(401);
    expect(sent.classification.kind).toBe('stop');
  });

  it('stops when the monthly plan limit is reached (403), with the plan named', async () => {
    await h.close();
    h = await startProviderHarness('pingback', { conversations: [{ id: CONV }], planLimit: 1 });
    expect((await h.send(CONV, message)).classification.kind).toBe('sent');
    const limited = await h.send(CONV, message);
    expect(limited.response.status).toBe(403);
    expect(limited.classification).toEqual({ kind: 'stop', reason: expect.stringMatching(/plan's monthly message limit.*Monthly message limit reached/) });
    expect(h.mock.delivered(CONV)).toHaveLength(1);
  });

  it('fails the row for an unknown conversation (404) with the API’s message', async () => {
    const sent = await h.send(UNKNOWN, message);
    expect(sent.classification).toEqual({ kind: 'fail', reason: 'Conversation not found' });
  });

  it('has an empty content (sent deliberately) refused with 422, and flagged by validateBody first', async () => {
    const body = { content: '' };
    expect(h.def.validateBody(body)).toEqual([{ field: 'content', reason: expect.any(String) }]);
    const sent = await h.send(CONV, body);
    expect(sent.response.status).toBe(422);
    expect(sent.classification).toEqual({ kind: 'fail', reason: expect.stringContaining('String should have at least 1 character') });
    expect(h.mock.delivered(CONV)).toHaveLength(0);
  });

  it('retries a 429 with Retry-After as an HTTP date, and a 500', async () => {
    const now = Date.parse('2026-03-15T14:22:11Z');
    h.mock.setFaults({ '*': [{ status: 429, retryAfter: new Date(now + 30_000) }, { status: 500 }] });
    expect((await h.send(CONV, message, { now })).classification).toMatchObject({ kind: 'retry', retryAfterMs: 30_000 });
    expect((await h.send(CONV, message, { now })).classification).toEqual({ kind: 'retry', reason: 'Internal Server Error' });
  });

  it('reports a reset after delivery as written', async () => {
    h.mock.setFaults(() => ({ action: 'reset-after' }));
    const err = await h.send(CONV, message).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).written).toBe(true);
    expect(h.mock.delivered(CONV)).toHaveLength(1);
  });
});
