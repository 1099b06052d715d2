import { z } from 'zod';
import type { JsonObject } from '../json';
import { classifyFailure, isSuccess, parseJson } from './response';
import { BodyChecker, isBlank, isHttpUrl } from './rules';
import { wassistPaths } from './wassist-api';
import type { Classification, ProviderDefinition, ProviderResponse, WireRequest } from './types';

/**
 * Wassist: `POST {baseUrl}/api/v1/conversations/{id}/messages/` (the trailing slash is part of the
 * path), `X-API-Key`, body `SendMessageInput` of the current OpenAPI page: `type` plus the one object
 * that type names (`text`, `template`, `cta`, `unified`), nothing else.
 * Limits from the schema: CTA body 1024, button text 20; unified text 1024, footer 60, button text 20,
 * quickReplyId 200; every `format: uri` field an http(s) URL. WhatsApp's own limits (text 4,096,
 * template body 1,024, template text header 60) are warnings: Wassist's schema does not state them.
 */

const str = z.string();

const card = z.strictObject({
  header: str.optional(),
  body: z.array(str).optional(),
  buttons: z.array(str).optional(),
});

const templateVariables = z.strictObject({
  header: str.optional(),
  body: z.array(str).optional(),
  buttons: z.array(str).optional(),
  cards: z.array(card).optional(),
});

const unifiedButton = z.strictObject({
  type: z.enum(['url', 'quick_reply']),
  text: str,
  url: str.optional(),
  quickReplyId: str.optional(),
});

/** wassistMessageSchema is SendMessageInput with placeholders allowed in every string. */
export const wassistMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text'), text: z.strictObject({ body: str }) }),
  z.strictObject({
    type: z.literal('template'),
    template: z.strictObject({ name: str, variables: templateVariables.optional() }),
  }),
  z.strictObject({
    type: z.literal('cta'),
    cta: z.strictObject({
      body: str,
      buttonText: str,
      url: str,
      image: z.strictObject({ url: str }).optional(),
    }),
  }),
  z.strictObject({
    type: z.literal('unified'),
    unified: z.strictObject({
      text: str.optional(),
      footer: str.optional(),
      media: z.strictObject({ url: str }).optional(),
      buttons: z.array(unifiedButton).optional(),
    }),
  }),
]);

export type WassistMessage = z.infer<typeof wassistMessageSchema>;

/** requiredEach checks every element of a list, building a field path only for the ones that fail. */
function requiredEach(c: BodyChecker, field: string, values: readonly string[] | undefined): void {
  if (values === undefined) return;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as string;
    if (isBlank(v)) c.required(`${field}[${i}]`, v);
  }
}

/** WhatsApp's own limits (Meta's documents; Wassist's schema does not state them): text messages, template parts. */
const WHATSAPP_TEXT = 4096;
const WHATSAPP_TEMPLATE_BODY = 1024;
const WHATSAPP_TEMPLATE_HEADER = 60;

function checkTemplate(c: BodyChecker, t: Extract<WassistMessage, { type: 'template' }>['template']): void {
  c.required('template.name', t.name);
  const v = t.variables;
  if (v === undefined) return;
  if (v.header !== undefined && c.required('template.variables.header', v.header) && !isHttpUrl(v.header)) {
    c.longWarning('template.variables.header', v.header, WHATSAPP_TEMPLATE_HEADER, 'WhatsApp template headers hold at most 60 characters');
  }
  requiredEach(c, 'template.variables.body', v.body);
  v.body?.forEach((b, i) => c.longWarning(`template.variables.body[${i}]`, b, WHATSAPP_TEMPLATE_BODY, 'a WhatsApp template body holds at most 1,024 characters'));
  requiredEach(c, 'template.variables.buttons', v.buttons);
  v.cards?.forEach((card, k) => {
    if (card.header !== undefined && isBlank(card.header)) c.required(`template.variables.cards[${k}].header`, card.header);
    requiredEach(c, `template.variables.cards[${k}].body`, card.body);
    requiredEach(c, `template.variables.cards[${k}].buttons`, card.buttons);
  });
}

function checkCta(c: BodyChecker, cta: Extract<WassistMessage, { type: 'cta' }>['cta']): void {
  if (c.required('cta.body', cta.body)) c.maxChars('cta.body', cta.body, 1024);
  if (c.required('cta.buttonText', cta.buttonText)) c.maxChars('cta.buttonText', cta.buttonText, 20);
  if (c.required('cta.url', cta.url)) c.httpUrl('cta.url', cta.url);
  if (cta.image !== undefined && c.required('cta.image.url', cta.image.url)) c.httpUrl('cta.image.url', cta.image.url);
}

function checkUnified(c: BodyChecker, u: Extract<WassistMessage, { type: 'unified' }>['unified']): void {
  c.maxChars('unified.text', u.text, 1024);
  c.maxChars('unified.footer', u.footer, 60);
  if (u.media !== undefined && c.required('unified.media.url', u.media.url)) c.httpUrl('unified.media.url', u.media.url);
  const hasText = u.text !== undefined && u.text.trim() !== '';
  const hasMedia = u.media !== undefined && u.media.url.trim() !== '';
  if (!hasText && !hasMedia) c.add('unified.text', 'a unified message needs text or media');
  u.buttons?.forEach((b, i) => {
    const at = `unified.buttons[${i}]`;
    if (c.required(`${at}.text`, b.text)) c.maxChars(`${at}.text`, b.text, 20);
    if (b.type === 'url') {
      if (c.required(`${at}.url`, b.url)) c.httpUrl(`${at}.url`, b.url);
    } else if (b.url !== undefined && b.url !== '') {
      c.add(`${at}.url`, 'only url buttons take a url');
    }
    c.maxChars(`${at}.quickReplyId`, b.quickReplyId, 200);
  });
}

function classify(res: ProviderResponse, now: number): Classification {
  if (isSuccess(res.status)) {
    const json = parseJson(res.body) as { id?: unknown; createdAt?: unknown } | undefined;
    const id = typeof json?.id === 'string' ? json.id : '';
    const out: Classification = { kind: 'sent', messageId: id };
    if (typeof json?.createdAt === 'string') out.sentAt = json.createdAt;
    return out;
  }
  return classifyFailure(res, now);
}

/** wassist is the Wassist provider definition. */
export const wassist: ProviderDefinition = {
  kind: 'wassist',
  label: 'Wassist (WhatsApp)',
  defaultBaseUrl: 'https://backend.wassist.app',
  messageSchema: wassistMessageSchema as unknown as z.ZodType<JsonObject>,
  recipientRequired: true,
  validateBody(body) {
    const c = new BodyChecker();
    const m = body as unknown as WassistMessage;
    switch (m.type) {
      case 'text':
        if (c.required('text.body', m.text.body)) c.longWarning('text.body', m.text.body, WHATSAPP_TEXT, 'WhatsApp refuses text messages over 4,096 characters');
        break;
      case 'template':
        checkTemplate(c, m.template);
        break;
      case 'cta':
        checkCta(c, m.cta);
        break;
      case 'unified':
        checkUnified(c, m.unified);
        break;
    }
    return c.issues;
  },
  buildRequest(recipient, body): WireRequest {
    return { method: 'POST', path: wassistPaths.messages(recipient), body };
  },
  authHeaders: (apiKey) => ({ 'X-API-Key': apiKey }),
  classify,
};
