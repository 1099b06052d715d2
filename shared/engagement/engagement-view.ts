import { z } from 'zod';

/**
 * What a campaign's engagement looks like to people, for every front end: the funnel (sent,
 * delivered, read, clicked, replied) with its rates, opt-outs, the reply-time distribution and the
 * state of the refresh that reads it. The desktop gets it over IPC (checked with these schemas);
 * the CLI prints the very same object (electron/cli/print-funnel.ts).
 */

export const funnelStages = ['sent', 'delivered', 'read', 'clicked', 'replied'] as const;
/** FunnelStage is one step of the funnel, in order. */
export type FunnelStage = (typeof funnelStages)[number];

export const funnelStageSchema = z.object({
  stage: z.enum(funnelStages),
  /** How many sent messages reached this stage; null when the provider publishes no such data. */
  count: z.number().int().nullable(),
  /** count / sent (0..1); null when unknown or nothing was sent. */
  ofSent: z.number().nullable(),
  /** The stage this one is measured against (delivered ← sent, read ← delivered, clicked and replied ← read). */
  base: z.enum(funnelStages).optional(),
  /** count / the base stage's count (0..1); null when unknown or the base is 0. */
  ofBase: z.number().nullable(),
  /** Why the count is missing, in words (the provider publishes no read data, the message has no button). */
  note: z.string().optional(),
});
export type FunnelStageView = z.infer<typeof funnelStageSchema>;

/** FunnelSummary is a campaign's funnel in one line of the history: counts only. */
export const funnelSummarySchema = z.object({
  sent: z.number().int(),
  delivered: z.number().int().nullable(),
  read: z.number().int().nullable(),
  clicked: z.number().int().nullable(),
  replied: z.number().int().nullable(),
  optedOut: z.number().int().nullable(),
  /** When engagement was last read (ISO 8601); absent when never. */
  checkedAt: z.string().optional(),
});
export type FunnelSummary = z.infer<typeof funnelSummarySchema>;

export const refreshStateSchema = z.object({
  /** `running` now; `interrupted` when the last refresh did not finish (a crash, a quit): the next one resumes it. */
  state: z.enum(['idle', 'running', 'interrupted']),
  /** Conversations read in the current (or last) refresh, of how many it had to read. */
  done: z.number().int(),
  total: z.number().int(),
  /** Requests made by the current (or last) refresh, retries included. */
  requests: z.number().int(),
  etaSeconds: z.number().nullable(),
  startedAt: z.string().optional(),
  /** Why the last refresh stopped, when it failed. */
  error: z.string().optional(),
});
export type RefreshStateView = z.infer<typeof refreshStateSchema>;

export const replyTimeBucketSchema = z.object({ label: z.string(), count: z.number().int() });

export const engagementViewSchema = z.object({
  campaignId: z.string(),
  /** The wire API the campaign spoke (the simulated one for the sandbox). */
  provider: z.string(),
  /** Whether that API publishes delivery, read and reply data at all (Pingback and the generic API do not). */
  published: z.boolean(),
  /** A sentence about what is (not) known, shown above the funnel. */
  note: z.string().optional(),
  stages: z.array(funnelStageSchema),
  /** Replies that asked to stop (opt-out words); null when unknown. */
  optedOut: z.number().int().nullable(),
  /** Whether opt-outs go to the workspace's opt-out list (else they are only in the report's column). */
  optOutsListed: z.boolean(),
  failed: z.number().int().nullable(),
  /** Sent messages not found in their conversation when it was read. */
  notFound: z.number().int(),
  /** Sent messages not read yet even once. */
  unchecked: z.number().int(),
  /** Messages whose outcome can still change (read again by the next refresh). */
  open: z.number().int(),
  /** Replies by how long after our message they came. */
  replyTimes: z.array(replyTimeBucketSchema),
  medianReplySeconds: z.number().nullable(),
  /** Rows sent the campaign's message and rows sent the fallback template (Wassist). */
  variants: z.object({ message: z.number().int(), fallback: z.number().int() }),
  checkedAt: z.string().optional(),
  refresh: refreshStateSchema,
  /** Conversations the last refresh could not read, with the reason (at most 100). */
  unreadable: z.array(z.object({ conversationId: z.string(), reason: z.string() })),
  /** The desktop's automatic refresh of this campaign, while it lasts. */
  schedule: z.object({ everyMinutes: z.number(), until: z.string(), nextAt: z.string().optional() }).optional(),
});
export type EngagementView = z.infer<typeof engagementViewSchema>;
