import { z } from 'zod';
import { funnelSummarySchema } from '../engagement/engagement-view';
import { ipcId, rowOutcomeSchema, totalsSchema } from './views';

/**
 * A campaign's progress as the IPC contract's channels carry it (contract.ts): the live snapshot and
 * status stream of a run, the history's summaries, interrupted campaigns and the status table's rows.
 * Kept apart from views.ts so each file holds one kind of value; contract.ts re-exports every one.
 */

const id = ipcId;

export const campaignStateSchema = z.enum(['idle', 'running', 'paused', 'finished']);

/** Rows waiting for their quiet-hours window (pending), and when the first of them goes (ISO 8601). */
const waitingSchema = z.object({ rows: z.number().int(), until: z.string() });

export const snapshotSchema = z.object({
  campaignId: id,
  name: z.string(),
  state: campaignStateSchema,
  finishReason: z.enum(['completed', 'cancelled', 'stopped']).optional(),
  stopReason: z.string().optional(),
  totals: totalsSchema,
  ratePerSecond: z.number(),
  etaSeconds: z.number().nullable(),
  startedAt: z.string().optional(),
  profileName: z.string(),
  waiting: waitingSchema.optional(),
});
export type Snapshot = z.infer<typeof snapshotSchema>;

export const campaignSummarySchema = z.object({
  campaignId: id,
  name: z.string(),
  csvName: z.string(),
  providerKind: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  totals: totalsSchema,
  /**
   * `interrupted`: rows are left and no process sends it (a crash, a quit, a stop by the provider or
   * the error threshold): the app tells about it on start-up. `cancelled`: rows are left because the
   * person cancelled it. Both can be resumed.
   */
  state: z.enum(['running', 'paused', 'finished', 'interrupted', 'cancelled']),
  /** The campaign's engagement funnel as last read (delivered… replied null where the provider publishes none). */
  funnel: funnelSummarySchema.optional(),
  /** The campaign whose failed rows this run retried. */
  retryOf: id.optional(),
  /** The campaign's reason for ignoring the opt-out list, when it did. */
  optOutOverride: z.string().optional(),
});
export type CampaignSummary = z.infer<typeof campaignSummarySchema>;

/**
 * InterruptedCampaign is a campaign that stopped with rows left (a crash, a quit, a cancel) and that
 * no process is sending: what the window says on start-up, and what stops its Resume, if anything.
 * A cancelled one is never told about on start-up (the person stopped it): it comes as dismissed.
 */
export const interruptedCampaignSchema = z.object({
  campaignId: id,
  name: z.string(),
  csvName: z.string(),
  providerKind: z.string(),
  updatedAt: z.string(),
  totals: totalsSchema,
  /** The profile a resume sends with: the one it was sent with (or the only one that sends where it went). */
  profileName: z.string().optional(),
  /** The person dismissed the notice of this interruption. */
  dismissed: z.boolean(),
  /**
   * What stops a resume now, in words: `contacts` its contacts are not in the app (import `fileName`,
   * e.g. a campaign the command line started); `profile` no profile sends where it went; `key` the
   * profile has no usable key; `settings` its settings no longer read.
   */
  blocked: z.object({ kind: z.enum(['contacts', 'profile', 'key', 'settings', 'files']), message: z.string(), fileName: z.string().optional() }).optional(),
});
export type InterruptedCampaign = z.infer<typeof interruptedCampaignSchema>;

export const deliveryStatusValueSchema = z.enum(['sent', 'delivered', 'read', 'failed']);

/** A row of the status table: its outcome, plus for Wassist campaigns the body it took and what its recipient did. */
export const campaignRowSchema = rowOutcomeSchema.extend({
  /** Phone campaigns: the number the row was sent to (E.164), as the campaign resolved it once for all its runs. */
  phone: z.string().optional(),
  variant: z.enum(['message', 'fallback']).optional(),
  deliveryStatus: deliveryStatusValueSchema.optional(),
  /** When that delivery status was first seen (ISO 8601). */
  deliveryStatusAt: z.string().optional(),
  /** Clicks on the message's link button (absent: it counts none). */
  clicks: z.number().int().optional(),
  /** When the recipient first wrote back after it (ISO 8601). */
  repliedAt: z.string().optional(),
  /** When the recipient replied with an opt-out word (ISO 8601). */
  optedOutAt: z.string().optional(),
});

// ---------- status stream ----------

/**
 * StatusBatch is one message of the `campaign:event` stream: every row change since the last batch
 * (latest state per row), the totals, and notices (paused, stopped, finished...). Main sends at most
 * about ten a second, so a campaign at 1,000 messages a second never floods the renderer.
 */
export const statusBatchSchema = z.object({
  campaignId: id,
  seq: z.number().int(),
  state: campaignStateSchema,
  rows: z.array(rowOutcomeSchema),
  totals: totalsSchema,
  ratePerSecond: z.number(),
  etaSeconds: z.number().nullable(),
  /** How the run ended, on the batch that says it has (state `finished`). */
  finishReason: z.enum(['completed', 'cancelled', 'stopped']).optional(),
  /** Rows waiting for their quiet hours now, as in the snapshot; absent when none wait. */
  waiting: waitingSchema.optional(),
  notices: z.array(
    z.object({
      type: z.enum(['paused', 'resumed', 'stopped', 'finished', 'retrying', 'pace']),
      at: z.number(),
      message: z.string(),
      /** On a `pace` notice: the provider's refusals keep the pace below the one asked. */
      lowered: z.boolean().optional(),
    }),
  ),
});
export type StatusBatch = z.infer<typeof statusBatchSchema>;
