import { z } from 'zod';
import { optOutKinds, optOutSources } from '../campaign/recipient-keys';

/**
 * The values the workspace's channels carry (contract.ts): opt-out entries, the workspace settings,
 * scheduled starts. Kept apart from the channel table so the contract stays a readable list.
 */

const id = z.string().min(1).max(200);

export const optOutEntrySchema = z.object({
  /** The entry's key (kind and value), to remove it. */
  key: z.string(),
  kind: z.enum(optOutKinds),
  /** The number (E.164), conversation id or other key. */
  value: z.string(),
  /** When the recipient opted out (ISO 8601). */
  optedOutAt: z.string(),
  source: z.enum(optOutSources),
  reason: z.string(),
  /** Where from: the imported file, the reply's conversation… */
  origin: z.string(),
});
export type OptOutEntryView = z.infer<typeof optOutEntrySchema>;

export const frequencyCapSchema = z.object({ messages: z.number().int().min(1).max(1_000), hours: z.number().int().min(1).max(24 * 366) });

export const workspaceSettingsSchema = z.object({
  /** At most `messages` campaign messages per recipient in any `hours`; null = no cap (the default). */
  frequencyCap: frequencyCapSchema.nullable(),
  optOutCount: z.number().int(),
});
export type WorkspaceSettings = z.infer<typeof workspaceSettingsSchema>;

/** What a workspace backup copied (electron/core/campaign/workspace-backup.ts), and where to. */
export const workspaceBackupSchema = z.object({
  /** The folder the person chose (absolute): the backup is its contents. */
  folder: z.string(),
  /** Whether there was an engagement database to copy (none until a campaign's engagement is first read). */
  engagement: z.boolean(),
  campaigns: z.number().int().min(0),
  contactsFiles: z.number().int().min(0),
  sandboxWorlds: z.number().int().min(0),
});
export type WorkspaceBackup = z.infer<typeof workspaceBackupSchema>;

export const scheduleSchema = z.object({
  id,
  name: z.string(),
  /** When it starts (ISO 8601). */
  dueAt: z.string(),
  createdAt: z.string(),
  state: z.enum(['waiting', 'starting', 'started', 'cancelled', 'failed']),
  csvName: z.string(),
  profileId: z.string(),
  campaignId: id.optional(),
  startedAt: z.string().optional(),
  /** What happened, in words: started on time or late (the app was closed at its time), why it failed. */
  note: z.string(),
});
export type ScheduleView = z.infer<typeof scheduleSchema>;

/** isoTime is an ISO 8601 time with a date, a time and a zone (`2026-03-14T09:00:00+01:00`, `…Z`). */
export const isoTime = z.string().max(40).refine((t) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(t) && /(Z|[+-]\d{2}:?\d{2})$/.test(t) && !Number.isNaN(Date.parse(t)), 'must be an ISO 8601 time with a zone');
