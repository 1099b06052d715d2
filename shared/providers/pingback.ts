import { z } from 'zod';
import type { JsonObject } from '../json';
import { classifyFailure, isSuccess, parseJson } from './response';
import { pingbackUploads } from './pingback-upload';
import { BodyChecker, LONG_TEXT, pathSegment } from './rules';
import type { Classification, ProviderDefinition, ProviderResponse } from './types';

/**
 * Pingback: `POST {baseUrl}/api/v1/conversations/{conversation_id}/messages` (no trailing slash),
 * `Authorization: Bearer`, body `{content, attachments?}`. 403 means the plan's monthly message
 * limit is reached: the campaign stops (retrying cannot help until the plan changes). Files a campaign
 * attaches are uploaded into the conversation first (pingback-upload.ts) and referenced in `attachments`.
 */

/** pingbackMessageSchema is the send body with placeholders allowed in every string. */
export const pingbackMessageSchema = z.strictObject({
  content: z.string(),
  attachments: z.array(z.record(z.string(), z.json())).optional(),
});

function classify(res: ProviderResponse, now: number): Classification {
  if (isSuccess(res.status)) {
    const json = parseJson(res.body) as { id?: unknown; created_at?: unknown } | undefined;
    const out: Classification = { kind: 'sent', messageId: typeof json?.id === 'string' ? json.id : '' };
    if (typeof json?.created_at === 'string') out.sentAt = json.created_at;
    return out;
  }
  return classifyFailure(res, now, {
    401: 'the Bearer token is missing or invalid (401)',
    403: "the plan's monthly message limit is reached (403); upgrade the plan to send more",
  });
}

/** pingback is the Pingback provider definition. */
export const pingback: ProviderDefinition = {
  kind: 'pingback',
  label: 'Pingback',
  defaultBaseUrl: 'https://api.pingback.live',
  messageSchema: pingbackMessageSchema as unknown as z.ZodType<JsonObject>,
  recipientRequired: true,
  validateBody(body) {
    const c = new BodyChecker();
    const content = typeof body.content === 'string' ? body.content : undefined;
    if (c.required('content', content)) c.longWarning('content', content, LONG_TEXT, 'far longer than any chat message: check the column it comes from');
    return c.issues;
  },
  buildRequest(recipient, body) {
    return { method: 'POST', path: `/api/v1/conversations/${pathSegment(recipient)}/messages`, body };
  },
  authHeaders: (apiKey) => ({ Authorization: `Bearer ${apiKey}` }),
  classify,
  uploads: pingbackUploads,
};
