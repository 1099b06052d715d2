import { z } from 'zod';
import type { JsonObject } from '../json';
import { isJsonObject } from '../json';
import type { Problem } from '../problems';
import { InputError } from '../problems';
import type { ProviderDefinition, WireKind } from '../providers/types';
import { wassistMessageSchema } from '../providers/wassist';
import { actionDefinition } from '../providers/wassist-actions';
import type { AudienceSpec } from './audience-schema';
import { audienceSchema } from './audience-schema';
import { countryCodeProblem, isCountryCode } from './countries';
import type { ProviderConfig } from './provider-config';
import { providerConfigSchema, providerKinds, wireKindOf } from './provider-config';
import { zodProblems } from './zod-problems';

/**
 * The campaign file (`*.campaign.json`), shared by the desktop app (open/save) and the CLI.
 * `message` is the provider's own request body with `{{column}}` placeholders in any string:
 * what the file shows is what goes on the wire. API keys are never in this file.
 *
 * Wassist campaigns may also use (all optional; a file without them means what it always meant):
 * - `recipient: { phone: "{{phone}}", botId: "<agent uuid>", defaultCountry: "GB" }` instead of
 *   `conversationId`: each row's number is normalised to E.164 (numbers without a country code take
 *   `defaultCountry`), and the bot's conversations are listed before sending to find each number's
 *   conversation. A number without one is skipped with that reason; duplicates are sent once.
 * - `fallback: { template: { name, variables } }`: a template message (the shape of
 *   `message.template`, placeholders allowed) sent instead of a non-template message to rows whose
 *   conversation is inactive (outside the 24-hour window, where only templates are accepted).
 * - `onInactive: "skip" | "fallback"`: what to do with such rows (default: `fallback` when a fallback
 *   is given, else `skip`).
 * - `checkConversations: false`: send non-template messages (and triggers) without checking first.
 *   By default every such campaign checks its conversations before sending, as Wassist's document
 *   asks: with phone recipients the agent's list tells which are active; with `conversationId`
 *   recipients the agent's active conversations are listed when that takes fewer requests than one
 *   `GET` per conversation, else each is read. Without the check an inactive conversation's row fails
 *   with the API's refusal (HTTP 400); so `fallback` and `onInactive` need the check.
 * - `action: "trigger" | "setCredits"` (default: send `message`): instead of sending a message, run
 *   a conversation action per row, with `message` holding that action's request body:
 *   `{ "prompt": "..." }` triggers the agent (it writes the message itself); `{ "credits": "{{credits}}" }`
 *   sets the conversation's credit balance (a whole number, from a column or a literal).
 *
 * Pingback campaigns may attach files: `files: ["brochure.pdf", "{{invoice_file}}"]`, each entry a
 * path (placeholders allowed: one file for everyone, or one per row from a column) inside the folder
 * the files are read from (the CLI: the contacts file's folder; the desktop app: what the person
 * picked). Each file is uploaded into the row's conversation before its message, and what the upload
 * answers is appended to `message.attachments` (shared/providers/pingback-upload.ts).
 *
 * The `provider` block's schema is in provider-config.ts, the `audience` block's in
 * audience-schema.ts; zod-problems.ts words what zod finds wrong.
 */

export const recipientSchema = z.strictObject({
  /** Template string naming the conversation, usually `{{conversation_id}}`. */
  conversationId: z.string().optional(),
  /** Wassist: template string giving the contact's phone number, usually `{{phone}}` (instead of conversationId). */
  phone: z.string().optional(),
  /** Wassist: the agent (bot) whose conversations the phone numbers are looked up in. Required with `phone`. */
  botId: z.string().trim().min(1, 'must not be empty').optional(),
  /** ISO 3166-1 alpha-2 country (`GB`, `US`) of numbers written without a country code. */
  defaultCountry: z
    .string()
    .transform((s, ctx) => {
      // Only a code the phone library knows: a name ("Germany") or a look-alike ("UK") is refused with the code to write.
      const code = s.trim().toUpperCase();
      if (isCountryCode(code)) return code;
      ctx.addIssue({ code: 'custom', message: countryCodeProblem(s) });
      return z.NEVER;
    })
    .optional(),
});
export type RecipientSpec = z.infer<typeof recipientSchema>;

/** inactivePolicies are the values of `onInactive`. */
export const inactivePolicies = ['skip', 'fallback'] as const;
export type InactivePolicy = (typeof inactivePolicies)[number];

/** FallbackSpec is a Wassist template message for rows whose conversation is inactive. */
export interface FallbackSpec {
  template: JsonObject;
}

/** MAX_FILES is how many files one message may attach. */
export const MAX_FILES = 10;

/** CampaignActionKind is a campaign's `action` other than the default (sending `message`). */
export type CampaignActionKind = 'trigger' | 'setCredits';

export const throttleSchema = z.strictObject({
  /** Requests in flight at once. */
  concurrency: z.number().int().min(1).max(256).default(4),
  /** Requests started in any one-second window, at most. */
  perSecond: z.number().positive().max(10_000).default(20),
});
export type ThrottleSpec = z.infer<typeof throttleSchema>;

export const retrySchema = z.strictObject({
  /** Requests made for one row at most, the first included (1 = never retry). */
  attempts: z.number().int().min(1).max(20).default(5),
  /** First backoff ceiling; doubles each attempt (full jitter below it). */
  baseDelayMs: z.number().int().min(0).max(600_000).default(1_000),
  /** Ceiling of any backoff. */
  maxDelayMs: z.number().int().min(0).max(3_600_000).default(60_000),
  /** A request with no answer after this long counts as a timeout. */
  timeoutMs: z.number().int().min(100).max(600_000).default(30_000),
  /**
   * Circuit breaker: this many rows in a row that end failed or uncertain pause the campaign with
   * the reason, instead of burning through the list (0 = never). 401/403 stop at once regardless.
   */
  pauseAfterFailures: z.number().int().min(0).max(1_000_000).default(20),
});
export type RetrySpec = z.infer<typeof retrySchema>;

/**
 * engagementSpecSchema is a Wassist campaign's `engagement` block: how its replies are read after it
 * is sent (see shared/engagement/settings.ts for the defaults).
 */
export const engagementSpecSchema = z.strictObject({
  /** Replies that are (or start) one of these words opt the recipient out; default: several languages' usual words. */
  optOutWords: z.array(z.string().trim().min(1, 'must not be empty').max(60)).min(1).max(500).optional(),
  /** Keep the first 200 characters of each recipient's first reply in the report (default true). */
  keepReplyText: z.boolean().optional(),
  /** How long after sending clicks, replies and opt-outs count for this campaign (default 168 hours). */
  windowHours: z.number().int().min(1).max(2_160).optional(),
});
export type EngagementSpec = z.infer<typeof engagementSpecSchema>;

const campaignFileSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().max(200).optional(),
  provider: providerConfigSchema,
  recipient: recipientSchema.default({}),
  action: z.enum(['send', 'trigger', 'setCredits']).optional(),
  message: z.record(z.string(), z.unknown()),
  fallback: z.record(z.string(), z.unknown()).optional(),
  onInactive: z.enum(inactivePolicies).optional(),
  files: z.array(z.string().trim().min(1, 'must name a file')).max(MAX_FILES, `at most ${MAX_FILES} files a message`).optional(),
  checkConversations: z.boolean().optional(),
  audience: audienceSchema.optional(),
  throttle: throttleSchema.default({ concurrency: 4, perSecond: 20 }),
  retry: retrySchema.default({ attempts: 5, baseDelayMs: 1_000, maxDelayMs: 60_000, timeoutMs: 30_000, pauseAfterFailures: 20 }),
  engagement: engagementSpecSchema.optional(),
});

/** CampaignSpec is a parsed, checked campaign file. */
export interface CampaignSpec {
  name?: string;
  provider: ProviderConfig;
  recipient: RecipientSpec;
  /** Absent for the default, sending `message`; otherwise `message` is this action's request body. */
  action?: CampaignActionKind;
  message: JsonObject;
  /** Wassist: the template sent to rows whose conversation is inactive (see the file's comment). */
  fallback?: FallbackSpec;
  /** Wassist: as written in the file; inactivePolicyOf gives the effective policy. */
  onInactive?: InactivePolicy;
  /** Pingback: files to upload into each row's conversation and attach (paths, placeholders allowed). */
  files?: string[];
  /** Wassist: `false` sends non-template messages without checking the conversation first (absent: check). */
  checkConversations?: boolean;
  /** Opt-out and frequency-cap settings of this campaign (absent: the workspace's rules apply as they are). */
  audience?: AudienceSpec;
  throttle: ThrottleSpec;
  retry: RetrySpec;
  /** Wassist: how replies are read after sending (opt-out words, reply text, window). */
  engagement?: EngagementSpec;
}

/** inactivePolicyOf is what a campaign does with inactive conversations: `fallback` when it has one, unless told otherwise. */
export function inactivePolicyOf(spec: CampaignSpec): InactivePolicy {
  return spec.onInactive ?? (spec.fallback !== undefined ? 'fallback' : 'skip');
}

/**
 * parseCampaign turns untrusted JSON (already parsed) into a CampaignSpec, or throws InputError
 * listing every problem with the field it is in. `providers` supplies the message schema of
 * each wire API.
 */
export function parseCampaign(raw: unknown, providers: Record<WireKind, ProviderDefinition>): CampaignSpec {
  if (!isJsonObject(raw)) {
    throw new InputError([{ row: 0, field: '(file)', reason: 'a campaign file must be a JSON object', severity: 'error' }]);
  }
  const kind = isJsonObject(raw.provider) ? raw.provider.kind : undefined;
  if (raw.provider !== undefined && !(providerKinds as readonly unknown[]).includes(kind)) {
    throw new InputError([
      {
        row: 0,
        field: 'provider.kind',
        reason: `unknown provider kind ${JSON.stringify(kind ?? null)} (expected one of ${providerKinds.join(', ')})`,
        severity: 'error',
      },
    ]);
  }
  const top = campaignFileSchema.safeParse(raw);
  if (!top.success) throw new InputError(zodProblems(top.error));
  const file = top.data;
  const wire = wireKindOf(file.provider);
  const problems = providerOnlyProblems(file, wire);
  if (problems.length > 0) throw new InputError(problems);
  const action = file.action === undefined || file.action === 'send' ? undefined : file.action;
  const def = action === undefined ? providers[wire] : actionDefinition(action);
  const message = def.messageSchema.safeParse(file.message);
  if (!message.success) throw new InputError(zodProblems(message.error, 'message'));
  const spec: CampaignSpec = {
    provider: file.provider,
    recipient: file.recipient,
    message: message.data,
    throttle: file.throttle,
    retry: file.retry,
  };
  if (file.name !== undefined) spec.name = file.name;
  if (action !== undefined) spec.action = action;
  if (file.fallback !== undefined) {
    const fallback = fallbackSchema.safeParse(file.fallback);
    if (!fallback.success) throw new InputError(zodProblems(fallback.error, 'fallback'));
    const asMessage = wassistMessageSchema.safeParse({ type: 'template', template: fallback.data.template });
    if (!asMessage.success) throw new InputError(zodProblems(asMessage.error, 'fallback'));
    spec.fallback = { template: fallback.data.template as JsonObject };
  }
  if (file.onInactive !== undefined) spec.onInactive = file.onInactive;
  if (file.engagement !== undefined) spec.engagement = file.engagement;
  if (file.files !== undefined && file.files.length > 0) spec.files = file.files;
  if (file.checkConversations !== undefined) spec.checkConversations = file.checkConversations;
  if (file.audience !== undefined && Object.values(file.audience).some((v) => v !== undefined)) spec.audience = file.audience;
  return spec;
}

/** fallbackSchema is the fallback's frame; its template is checked as a Wassist template message. */
const fallbackSchema = z.strictObject({ template: z.record(z.string(), z.unknown()) });

/** providerOnlyProblems checks the fields only one API has (Wassist's, Pingback's files): where they may appear and how they combine. */
function providerOnlyProblems(file: z.infer<typeof campaignFileSchema>, wire: WireKind): Problem[] {
  const out: Problem[] = [];
  const add = (field: string, reason: string) => out.push({ row: 0, field, reason, severity: 'error' });
  const r = file.recipient;
  const onlyWassist = (field: string, present: boolean) => {
    if (present && wire !== 'wassist') add(field, `only Wassist campaigns can use ${field} (this campaign speaks the ${wire} API)`);
  };
  onlyWassist('recipient.phone', r.phone !== undefined);
  onlyWassist('action', file.action !== undefined && file.action !== 'send');
  onlyWassist('fallback', file.fallback !== undefined);
  onlyWassist('onInactive', file.onInactive !== undefined);
  onlyWassist('engagement', file.engagement !== undefined);
  if (file.files !== undefined && wire !== 'pingback') {
    add('files', `only Pingback campaigns can attach files (this campaign speaks the ${wire} API, whose documents give no upload)`);
  }
  onlyWassist('checkConversations', file.checkConversations !== undefined);
  if (r.phone !== undefined && r.conversationId !== undefined) {
    add('recipient', 'give either conversationId or phone, not both');
  }
  if (r.phone !== undefined && r.botId === undefined) {
    add('recipient.botId', 'is required with recipient.phone: the agent whose conversations the numbers are looked up in');
  }
  if (r.phone === undefined) {
    if (r.botId !== undefined) add('recipient.botId', 'is only used with recipient.phone');
    if (r.defaultCountry !== undefined) add('recipient.defaultCountry', 'is only used with recipient.phone');
  }
  if (file.onInactive === 'fallback' && file.fallback === undefined) {
    add('onInactive', '"fallback" needs a fallback template: add "fallback": { "template": { "name": … } }');
  }
  if (file.checkConversations === false && (file.fallback !== undefined || file.onInactive !== undefined)) {
    add(file.fallback !== undefined ? 'fallback' : 'onInactive', 'needs the conversations checked: remove "checkConversations": false, or this field');
  }
  if (file.action === 'setCredits' && (file.fallback !== undefined || file.onInactive !== undefined)) {
    add(file.fallback !== undefined ? 'fallback' : 'onInactive', 'setCredits sends no message, so inactive conversations need no fallback');
  }
  return out;
}

/** parseCampaignText parses the text of a campaign file; bad JSON is an InputError with its position. */
export function parseCampaignText(text: string, providers: Record<WireKind, ProviderDefinition>): CampaignSpec {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    throw new InputError([{ row: 0, field: '(file)', reason: `not valid JSON: ${detail}`, severity: 'error' }]);
  }
  return parseCampaign(raw, providers);
}
