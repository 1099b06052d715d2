import { z } from 'zod';
import type { JsonObject } from '../json';
import { isJsonObject } from '../json';
import type { Problem } from '../problems';
import { InputError } from '../problems';
import type { ProviderDefinition, WireKind } from '../providers/types';
import { wireKinds } from '../providers/types';

/**
 * The campaign file (`*.campaign.json`), shared by the desktop app (open/save) and the CLI.
 * `message` is the provider's own request body with `{{column}}` placeholders in any string:
 * what the file shows is what goes on the wire. API keys are never in this file.
 */

export const providerKinds = ['wassist', 'pingback', 'generic', 'sandbox'] as const;
export type ProviderKind = (typeof providerKinds)[number];

const httpUrl = z
  .string()
  .refine((s) => {
    if (!URL.canParse(s)) return false;
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  }, 'must be an http(s) URL')
  .transform((s) => s.replace(/\/+$/, ''));

export const providerConfigSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('wassist'), baseUrl: httpUrl.default('https://backend.wassist.app') }),
  z.strictObject({ kind: z.literal('pingback'), baseUrl: httpUrl.default('https://api.pingback.live') }),
  z.strictObject({ kind: z.literal('generic'), baseUrl: httpUrl }),
  z.strictObject({
    kind: z.literal('sandbox'),
    /** Which wire API the sandbox simulates: the message takes that API's shape. */
    simulate: z.enum(wireKinds).default('wassist'),
    /** Simulated latency of each request, in milliseconds. */
    latencyMs: z.number().min(0).max(60_000).default(60),
    /** Share of requests (0..1) that fail with a simulated transient error. */
    failureRate: z.number().min(0).max(1).default(0),
    /** Seed for the simulation's randomness, for repeatable runs. */
    seed: z.number().int().optional(),
  }),
]);
export type ProviderConfig = z.infer<typeof providerConfigSchema>;

export const recipientSchema = z.strictObject({
  /** Template string naming the conversation, usually `{{conversation_id}}`. */
  conversationId: z.string().optional(),
});
export type RecipientSpec = z.infer<typeof recipientSchema>;

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
});
export type RetrySpec = z.infer<typeof retrySchema>;

const campaignFileSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().max(200).optional(),
  provider: providerConfigSchema,
  recipient: recipientSchema.default({}),
  message: z.record(z.string(), z.unknown()),
  throttle: throttleSchema.default({ concurrency: 4, perSecond: 20 }),
  retry: retrySchema.default({ attempts: 5, baseDelayMs: 1_000, maxDelayMs: 60_000, timeoutMs: 30_000 }),
});

/** CampaignSpec is a parsed, checked campaign file. */
export interface CampaignSpec {
  name?: string;
  provider: ProviderConfig;
  recipient: RecipientSpec;
  message: JsonObject;
  throttle: ThrottleSpec;
  retry: RetrySpec;
}

/** wireKindOf names the wire API a campaign speaks (the simulated one for the sandbox). */
export function wireKindOf(provider: ProviderConfig): WireKind {
  return provider.kind === 'sandbox' ? provider.simulate : provider.kind;
}

/** zodPath renders a zod issue path the way our problems name fields: `a.b[2].c`. */
export function zodPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out === '' ? '(file)' : out;
}

/** zodProblems turns a zod error into campaign-level problems that name the field. */
export function zodProblems(error: z.ZodError, prefix = ''): Problem[] {
  return error.issues.map((issue) => {
    let reason = issue.message;
    if (issue.code === 'unrecognized_keys') {
      reason = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    }
    return { row: 0, field: zodPath(prefix, issue.path), reason, severity: 'error' as const };
  });
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
  const def = providers[wireKindOf(file.provider)];
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
  return spec;
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
