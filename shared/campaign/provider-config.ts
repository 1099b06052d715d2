import { z } from 'zod';
import type { WireKind } from '../providers/types';
import { wireKinds } from '../providers/types';
import { baseUrlProblem } from './base-url';

/**
 * A campaign file's `provider` block: which provider a campaign talks to and where. `sandbox` is
 * not a provider of its own: it simulates one wire API in process (wireKindOf names which), so a
 * sandbox campaign builds the same bodies as the real one.
 */

export const providerKinds = ['wassist', 'pingback', 'generic', 'sandbox'] as const;
export type ProviderKind = (typeof providerKinds)[number];

const httpUrl = z
  .string()
  .superRefine((s, ctx) => {
    const problem = baseUrlProblem(s);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  })
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

/** wireKindOf names the wire API a campaign speaks (the simulated one for the sandbox). */
export function wireKindOf(provider: ProviderConfig): WireKind {
  return provider.kind === 'sandbox' ? provider.simulate : provider.kind;
}
