import { z } from 'zod';
import type { JsonObject } from '../json';
import { apiMessage, classifyFailure, isSuccess, parseJson } from './response';
import { BodyChecker, LONG_TEXT } from './rules';
import type { Classification, ProviderDefinition, ProviderResponse } from './types';

/**
 * The generic AI-messaging API: `POST {baseUrl}/messages`, `Authorization: Bearer`. The body has no
 * conversation when the recipient is empty: the API creates one and returns its id in
 * `data.conversation_id`, which becomes the row's recipient. Responses come in an envelope
 * `{status, message, data}`; 500 "Please retry" is transient.
 */

export const senderTypes = ['user', 'agent', 'system'] as const;

/** genericMessageSchema is the send body (less conversation_id) with placeholders allowed in every string. */
export const genericMessageSchema = z.strictObject({
  conversation_id: z
    .never({ error: 'set the conversation with recipient.conversationId, not in the message' })
    .optional(),
  sender_id: z.string(),
  sender_type: z.string(),
  text: z.string(),
  reply_to_message_id: z.string().optional(),
  metadata: z.record(z.string(), z.json()).optional(),
  auto_reply: z.boolean().optional(),
});

interface Envelope {
  status?: unknown;
  message?: unknown;
  data?: { conversation_id?: unknown; message?: { id?: unknown; created_at?: unknown } } | null;
}

function classify(res: ProviderResponse, now: number): Classification {
  if (isSuccess(res.status)) {
    const env = parseJson(res.body) as Envelope | undefined;
    if (env?.status === 'error') return { kind: 'fail', reason: apiMessage(res.body) || 'the API answered status "error"' };
    const data = env?.data ?? undefined;
    const out: Classification = {
      kind: 'sent',
      messageId: typeof data?.message?.id === 'string' ? data.message.id : '',
    };
    if (typeof data?.conversation_id === 'string') out.recipient = data.conversation_id;
    if (typeof data?.message?.created_at === 'string') out.sentAt = data.message.created_at;
    return out;
  }
  return classifyFailure(res, now, { 401: 'the token is invalid or expired (401)' });
}

/** generic is the generic `POST /messages` provider definition. */
export const generic: ProviderDefinition = {
  kind: 'generic',
  label: 'Generic messages API',
  defaultBaseUrl: undefined,
  messageSchema: genericMessageSchema as unknown as z.ZodType<JsonObject>,
  recipientRequired: false,
  validateBody(body) {
    const c = new BodyChecker();
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    c.required('sender_id', str(body.sender_id));
    if (c.required('sender_type', str(body.sender_type))) c.oneOf('sender_type', str(body.sender_type), senderTypes);
    if (c.required('text', str(body.text))) c.longWarning('text', str(body.text), LONG_TEXT, 'far longer than any chat message: check the column it comes from');
    return c.issues;
  },
  buildRequest(recipient, body) {
    return { method: 'POST', path: '/messages', body: recipient === '' ? body : { conversation_id: recipient, ...body } };
  },
  authHeaders: (apiKey) => ({ Authorization: `Bearer ${apiKey}` }),
  classify,
};
