import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../shared/json';
import { TransportError } from '../../electron/core/ports';
import { startProviderHarness } from '../mock-server/provider-harness';
import type { ProviderHarness } from '../mock-server/provider-harness';
import { mockApiKey } from '../mock-server/mock-server';

const CONV = 'con_9s2kd81';
const message: JsonObject = {
  sender_id: 'usr_82hd92',
  sender_type: 'agent',
  text: 'Your order shipped.',
  metadata: { channel: 'web', locale: 'en-US' },
  auto_reply: false,
};

let h: ProviderHarness;
beforeEach(async () => {
  h = await startProviderHarness('generic', { conversations: [{ id: CONV }], basePath: '/v1' });
});
afterEach(() => h.close());

describe('generic API over HTTP against the strict mock', () => {
  it('posts to /messages under the base URL’s path with a Bearer token, body as built', async () => {
    const sent = await h.send(CONV, message);
    expect(sent.received.path).toBe('/v1/messages');
    expect(sent.received.headers.authorization).toBe(`Bearer ${mockApiKey}`);
    expect(sent.received.body).toEqual(sent.wire.body);
    expect(sent.received.body).toMatchObject({ conversation_id: CONV });
    const [delivered] = h.mock.delivered(CONV);
    expect(sent.classification).toEqual({ kind: 'sent', messageId: delivered?.id, recipient: CONV, sentAt: delivered?.message.created_at });
    expect(delivered?.id).toMatch(/^msg_[a-z0-9]{6}$/);
  });

  it('returns the conversation the API created as the recipient when none is given', async () => {
    const sent = await h.send('', message);
    expect(sent.received.body).not.toHaveProperty('conversation_id');
    expect(sent.classification.kind).toBe('sent');
    const created = sent.classification.kind === 'sent' ? sent.classification.recipient : undefined;
    expect(created).toMatch(/^con_[a-z0-9]{7}$/);
    expect(h.mock.delivered(created ?? '')).toHaveLength(1);
  });

  it('stops on a bad token (401)', async () => {
    const sent = await h.send(CONV, message, { apiKey: 'sk_test_expired' });
    expect(sent.classification).toEqual({ kind: 'stop', reason: expect.stringContaining('Invalid or expired token.') });
  });

  it('fails the row for an unknown conversation (404) with the API’s message', async () => {
    const sent = await h.send('con_missing', message);
    expect(sent.classification).toEqual({ kind: 'fail', reason: 'Conversation not found: con_missing.' });
  });

  it('has bodies that break the documented rules refused with 400, and flagged by validateBody first', async () => {
    const broken: Array<[JsonObject, string]> = [
      [{ sender_id: 'usr_1', sender_type: 'agent', text: '' }, "Field 'text' is required."],
      [{ sender_id: 'usr_1', sender_type: 'bot', text: 'x' }, "Field 'sender_type' must be one of: user, agent, system."],
    ];
    for (const [body, reason] of broken) {
      expect(h.def.validateBody(body)).not.toEqual([]);
      const sent = await h.send(CONV, body);
      expect(sent.response.status).toBe(400);
      expect(sent.classification).toEqual({ kind: 'fail', reason });
    }
    expect(h.mock.delivered(CONV)).toHaveLength(0);
  });

  it('retries the documented 500 "Please retry", and a 429 with Retry-After in seconds', async () => {
    h.mock.setFaults({ '*': [{ status: 500 }, { status: 429, retryAfter: 2 }] });
    expect((await h.send(CONV, message)).classification).toEqual({ kind: 'retry', reason: 'Failed to enqueue message. Please retry.' });
    expect((await h.send(CONV, message)).classification).toMatchObject({ kind: 'retry', retryAfterMs: 2_000 });
  });

  it('reports a reset after delivery as written, and a refused connection as not written', async () => {
    h.mock.setFaults(() => ({ action: 'reset-after' }));
    const reset = await h.send('', message).catch((e: unknown) => e);
    expect((reset as TransportError).written).toBe(true);
    expect(h.mock.state.counters.delivered).toBe(1);

    const fresh = await startProviderHarness('generic', { basePath: '/v1' });
    await fresh.mock.close();
    const refused = await fresh.send('', message).catch((e: unknown) => e);
    await fresh.transport.close();
    expect(refused).toBeInstanceOf(TransportError);
    expect((refused as TransportError).written).toBe(false);
  });
});
