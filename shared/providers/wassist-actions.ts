import { z } from 'zod';
import type { JsonObject } from '../json';
import { classifyFailure, isSuccess, parseJson } from './response';
import { BodyChecker } from './rules';
import type { Classification, ProviderDefinition, ProviderResponse, WireRequest } from './types';
import { wassist } from './wassist';
import { wassistPaths } from './wassist-api';

/**
 * The two Wassist conversation actions a campaign can run per row instead of sending a message,
 * as provider definitions so they go through the same engine, throttle, journal and report:
 * - `trigger`: `POST /api/v1/conversations/{id}/trigger/` with `{prompt}`; the agent writes and
 *   sends a message itself (SDK `conversations.trigger(id, {prompt})`);
 * - `setCredits`: `POST /api/v1/conversations/{id}/credits/` with `{credits}` (SDK
 *   `conversations.setCredits(id, {credits})`, which answers the updated conversation).
 * Both paths are assumptions (see wassist-api.ts). In a campaign file the body may hold
 * placeholders; `credits` may be written as a number or as text such as `"{{credits}}"`, and goes on
 * the wire as an integer.
 */

/** wassistTriggerSchema is the trigger body with placeholders allowed. */
export const wassistTriggerSchema = z.strictObject({ prompt: z.string() });

/** wassistCreditsSchema is the credits body; text (with placeholders) or a number. */
export const wassistCreditsSchema = z.strictObject({ credits: z.union([z.string(), z.number()]) });

const MAX_PROMPT = 4096;

/** creditsValue reads a rendered credits value as a whole number ≥ 0, or undefined. */
export function creditsValue(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  if (!/^\d{1,15}$/.test(t)) return undefined;
  return Number(t);
}

/**
 * classifyAction reads an action's answer: 2xx is done. A trigger may answer the message the agent
 * created (its `id`, or `message.id`); setCredits answers the conversation, whose id is not a
 * message id, so it records none.
 */
function classifyAction(withMessageId: boolean) {
  return (res: ProviderResponse, now: number): Classification => {
    if (!isSuccess(res.status)) return classifyFailure(res, now);
    if (!withMessageId) return { kind: 'sent', messageId: '' };
    const json = parseJson(res.body) as { id?: unknown; createdAt?: unknown; message?: { id?: unknown; createdAt?: unknown } } | undefined;
    const msg = json?.message !== undefined && typeof json.message === 'object' && json.message !== null ? json.message : json;
    const out: Classification = { kind: 'sent', messageId: typeof msg?.id === 'string' ? msg.id : '' };
    if (typeof msg?.createdAt === 'string') out.sentAt = msg.createdAt;
    return out;
  };
}

/** wassistTrigger triggers the agent in each row's conversation with the row's prompt. */
export const wassistTrigger: ProviderDefinition = {
  kind: 'wassist',
  label: 'Wassist: trigger the agent',
  defaultBaseUrl: wassist.defaultBaseUrl,
  messageSchema: wassistTriggerSchema as unknown as z.ZodType<JsonObject>,
  recipientRequired: true,
  validateBody(body) {
    const c = new BodyChecker();
    const prompt = typeof body.prompt === 'string' ? body.prompt : undefined;
    if (c.required('prompt', prompt)) c.maxChars('prompt', prompt, MAX_PROMPT);
    return c.issues;
  },
  buildRequest(recipient, body): WireRequest {
    return { method: 'POST', path: wassistPaths.trigger(recipient), body: { prompt: typeof body.prompt === 'string' ? body.prompt : '' } };
  },
  authHeaders: wassist.authHeaders,
  classify: classifyAction(true),
};

/** wassistCredits sets each row's conversation credit balance from the row. */
export const wassistCredits: ProviderDefinition = {
  kind: 'wassist',
  label: 'Wassist: set credits',
  defaultBaseUrl: wassist.defaultBaseUrl,
  messageSchema: wassistCreditsSchema as unknown as z.ZodType<JsonObject>,
  recipientRequired: true,
  validateBody(body) {
    const c = new BodyChecker();
    const v = body.credits;
    if (typeof v === 'string' && v.trim() === '') c.add('credits', 'is required and must not be empty');
    else if (creditsValue(v) === undefined) c.add('credits', `must be a whole number of credits (0 or more), got ${JSON.stringify(v)}`);
    return c.issues;
  },
  buildRequest(recipient, body): WireRequest {
    // An invalid value never reaches the wire (validation blocks the row); -1 would be refused anyway.
    return { method: 'POST', path: wassistPaths.credits(recipient), body: { credits: creditsValue(body.credits) ?? -1 } };
  },
  authHeaders: wassist.authHeaders,
  classify: classifyAction(false),
};

/** campaignActions are the values of a campaign file's `action`. `send` (the default) sends `message`. */
export const campaignActions = ['send', 'trigger', 'setCredits'] as const;
export type CampaignAction = (typeof campaignActions)[number];

/** actionDefinition is the definition that builds and judges a Wassist action's requests. */
export function actionDefinition(action: Exclude<CampaignAction, 'send'>): ProviderDefinition {
  return action === 'trigger' ? wassistTrigger : wassistCredits;
}
