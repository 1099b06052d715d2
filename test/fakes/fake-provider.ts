import { z } from 'zod';
import type { JsonObject } from '../../shared/json';
import { isJsonObject } from '../../shared/json';
import type { Classification, ProviderDefinition, ProviderResponse } from '../../shared/providers/types';

/**
 * fakeProvider is a small ProviderDefinition for the engine's tests, so they do not depend on the
 * real providers: `X-Test-Key` auth, and classification by status (2xx sent with the body's `id`
 * and optional `conversation_id`; 429/5xx retry, honouring Retry-After in seconds or as an HTTP
 * date; 401/403 stop; other 4xx fail with the body's `detail`).
 */
export const fakeProvider: ProviderDefinition = {
  kind: 'generic',
  label: 'Fake',
  defaultBaseUrl: undefined,
  messageSchema: z.custom<JsonObject>(isJsonObject),
  recipientRequired: false,
  validateBody: () => [],
  buildRequest: (recipient, body) => ({ method: 'POST', path: `/conversations/${recipient}/messages`, body }),
  authHeaders: (apiKey) => ({ 'x-test-key': apiKey }),
  classify: classifyByStatus,
};

function classifyByStatus(res: ProviderResponse, now: number): Classification {
  const body = parse(res.body);
  const detail = typeof body.detail === 'string' ? body.detail : `HTTP ${res.status}`;
  if (res.status >= 200 && res.status < 300) {
    if (typeof body.id !== 'string') throw new Error('no message id in the answer');
    const c: Classification = { kind: 'sent', messageId: body.id };
    if (typeof body.conversation_id === 'string') c.recipient = body.conversation_id;
    return c;
  }
  if (res.status === 429 || res.status >= 500) {
    const c: Classification = { kind: 'retry', reason: detail };
    const after = retryAfterMs(res.headers['retry-after'], now);
    if (after !== undefined) c.retryAfterMs = after;
    return c;
  }
  if (res.status === 401 || res.status === 403) return { kind: 'stop', reason: detail };
  return { kind: 'fail', reason: detail };
}

function parse(text: string): JsonObject {
  try {
    const v: unknown = JSON.parse(text);
    return isJsonObject(v) ? v : {};
  } catch {
    return {};
  }
}

/** retryAfterMs reads a Retry-After header: delay-seconds or an HTTP date. */
export function retryAfterMs(header: string | undefined, now: number): number | undefined {
  if (header === undefined) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
