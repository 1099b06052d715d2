import { z } from 'zod';
import { providerConfigSchema } from '../campaign/provider-config';

/**
 * The values the IPC contract's channels carry (contract.ts): profiles, datasets, validation,
 * previews, file picks. A campaign's progress (snapshots, history rows, status batches) is in
 * progress-views.ts. contract.ts re-exports every one.
 */

// ---------- shared value schemas ----------

export const problemSchema = z.object({
  row: z.number().int(),
  field: z.string(),
  reason: z.string(),
  severity: z.enum(['error', 'warning']),
  column: z.string().optional(),
});

export const rowStatusSchema = z.enum(['pending', 'in-flight', 'sent', 'failed', 'skipped', 'uncertain']);

export const rowOutcomeSchema = z.object({
  row: z.number().int(),
  status: rowStatusSchema,
  recipient: z.string(),
  messageId: z.string().optional(),
  attempts: z.number().int(),
  httpStatus: z.number().int().optional(),
  error: z.string().optional(),
  sentAt: z.string().optional(),
});

export const totalsSchema = z.object({
  total: z.number().int(),
  pending: z.number().int(),
  inFlight: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  uncertain: z.number().int(),
});

/** ipcId is an id as a channel takes it (a profile, a dataset, a campaign). */
export const ipcId = z.string().min(1).max(200);
const id = ipcId;
/** A raw campaign object, the same JSON as a `*.campaign.json` file; main parses it with parseCampaign. */
/** rawSpec is a campaign file as the renderer holds it: main parses it. */
export const rawSpec = z.record(z.string(), z.unknown());
/** csvDelimiter is a delimiter a person may choose for a CSV. */
export const csvDelimiter = z.enum([',', ';', '\t', '|']);
const delimiter = csvDelimiter;

export const profileSchema = z.object({
  id,
  name: z.string().min(1).max(100),
  /** The provider config as a campaign file holds it (kind, baseUrl, sandbox settings). */
  provider: providerConfigSchema,
});
export type Profile = z.infer<typeof profileSchema>;

export const keyStateSchema = z.enum(['none', 'configured', 'needs-reentry', 'not-needed']);

/** ProfileView is a profile as the renderer sees it: never the key, only whether one is set and its last 4. */
export const profileViewSchema = profileSchema.extend({
  keyState: keyStateSchema,
  keyHint: z.string().optional(),
});
export type ProfileView = z.infer<typeof profileViewSchema>;

export const vaultInfoSchema = z.object({
  /** `os` = the OS keychain encrypts keys; `basic_text` = Linux without a keyring, keys only obfuscated; `unavailable` = cannot store keys. */
  backend: z.enum(['os', 'basic_text', 'unavailable']),
  encrypted: z.boolean(),
  /** The user has agreed to store keys although they are only obfuscated. */
  obfuscationAccepted: z.boolean(),
});

export const datasetInfoSchema = z.object({
  datasetId: id,
  name: z.string(),
  headers: z.array(z.string()),
  rowCount: z.number().int(),
  delimiter,
  encoding: z.string(),
  warnings: z.array(z.string()),
  /** Rows with a problem of their own (wrong field count), capped. */
  problems: z.array(problemSchema),
  /** The first rows, for a sample table. */
  sample: z.array(z.array(z.string())),
});
export type DatasetInfo = z.infer<typeof datasetInfoSchema>;

/** RouteSummary counts where valid rows go: the message, the fallback template (inactive conversation), or skipped. */
export const routeSummarySchema = z.object({
  message: z.number().int(),
  fallback: z.number().int(),
  skipped: z.number().int(),
  /** Rows taking the fallback template, in row order (capped). */
  fallbackRows: z.array(z.number().int()),
  /** Skipped rows with the reason (no conversation, inactive, duplicate), in row order (capped). */
  skips: z.array(z.object({ row: z.number().int(), conversationId: z.string(), reason: z.string() })),
});
export type RouteSummaryView = z.infer<typeof routeSummarySchema>;

/**
 * LookupError is why the conversations could not be looked up (a refused agent id, a refused key):
 * until they can be, no row is known to be deliverable. `field` names the campaign field to fix
 * (`recipient.botId`) when the provider's answer points at one.
 */
export const lookupErrorSchema = z.object({ message: z.string(), field: z.string().optional() });
export type LookupErrorView = z.infer<typeof lookupErrorSchema>;

/**
 * EarlierRun is what an earlier run of the same campaign (same CSV content, same campaign) settled.
 * Starting again resumes it: settled rows are not sent again, so only `toSend` rows go out, unless
 * the user starts over (`fresh`).
 */
export const earlierRunSchema = z.object({
  campaignId: id,
  sent: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  /** Rows whose earlier send may or may not have arrived; a resume does not send them again. */
  uncertain: z.number().int(),
  /** Valid rows a resume sends: not settled before (and not skipped by the route, when routes are known). */
  toSend: z.number().int(),
});
export type EarlierRun = z.infer<typeof earlierRunSchema>;

export const validationReportSchema = z.object({
  rowCount: z.number().int(),
  /** Rows with no error: they will be sent. */
  sendable: z.number().int(),
  /** Rows with at least one error: skipped if the user chooses to skip invalid rows, else nothing is sent. */
  invalidRows: z.number().int(),
  errorCount: z.number().int(),
  warningCount: z.number().int(),
  /** Problems, campaign-level first, then by row; capped at `problemLimit`. */
  problems: z.array(problemSchema),
  truncated: z.boolean(),
  usedColumns: z.array(z.string()),
  /** Rows whose phone number an earlier valid row already has (phone campaigns): sent once, the later ones skipped. */
  duplicateRows: z.number().int().optional(),
  /**
   * Rows whose message has errors that matter only if their conversation is active (an inactive one
   * takes the fallback template or is skipped): counted until the conversations are looked up, 0 after.
   */
  conditionalRows: z.number().int().optional(),
  /**
   * Where the sendable rows go once the conversations are known (campaigns addressed by phone or
   * that check the 24-hour window); present only when they could be looked up (a key, or the sandbox).
   */
  routes: routeSummarySchema.optional(),
  /** Why there are no routes (no key yet, the lookup failed), or what the lookup found, in words. */
  routeNote: z.string().optional(),
  /** The conversations could not be looked up: no row is ready until this is fixed. */
  lookupError: lookupErrorSchema.optional(),
  /** An earlier run of this same campaign, when there is one: what it settled and what a resume sends. */
  earlierRun: earlierRunSchema.optional(),
  /** Valid rows whose recipient is on the workspace's opt-out list: skipped. */
  optedOutRows: z.number().int().optional(),
  /** Valid rows over the workspace's frequency cap: skipped. */
  cappedRows: z.number().int().optional(),
  /** Rows on the opt-out list that the campaign sends anyway (it ignores the list: `optOutOverride`). */
  overriddenRows: z.number().int().optional(),
  /** The campaign's reason for ignoring the opt-out list, when it does (`audience.ignoreOptOuts`). */
  optOutOverride: z.string().optional(),
  /** Sendable rows outside their quiet-hours window now: they wait, pending, and go when it opens. */
  waitingRows: z.number().int().optional(),
  /** When they go, by opening ("waits until 09:00 local (Europe/Berlin), 2026-12-02 08:00 UTC"): how many rows, the first. */
  waits: z.array(z.object({ text: z.string(), rows: z.number().int(), firstRow: z.number().int() })).optional(),
});
export type ValidationReport = z.infer<typeof validationReportSchema>;

/**
 * AttachmentView is one file a row attaches (Pingback), as the preview shows it: the path the campaign
 * names, and the file found (name, size, type) or why it cannot be attached.
 */
export const attachmentViewSchema = z.object({
  path: z.string(),
  name: z.string(),
  size: z.number().int().optional(),
  /** Content type, by the name's extension (checked against the file's first bytes). */
  type: z.string().optional(),
  /** The size as people read it ("1.2 MB"). */
  sizeText: z.string().optional(),
  problem: z.string().optional(),
});
export type AttachmentView = z.infer<typeof attachmentViewSchema>;

export const previewSchema = z.object({
  row: z.number().int(),
  /** The row's cells by header. */
  values: z.record(z.string(), z.string()),
  recipient: z.string(),
  /** Exactly the request that would be sent (method, full URL, JSON body); no headers, so no key. */
  request: z.object({ method: z.string(), url: z.string(), body: z.unknown() }),
  problems: z.array(problemSchema),
  /** Which body `request` is: the campaign's message (or action), or the fallback template of an inactive conversation. */
  variant: z.enum(['message', 'fallback']).optional(),
  /** Where the row goes, in words (looked up by phone, takes the fallback, skipped and why); absent for plain campaigns. */
  route: z.string().optional(),
  /** The row will not be sent (no conversation, inactive without a fallback, duplicate number, opted out, over the cap). */
  skipped: z.boolean().optional(),
  /** The conversations could not be looked up, so where this row goes is unknown. */
  lookupError: lookupErrorSchema.optional(),
  /** The files the row attaches; `request.body` then shows, in `attachments`, what each upload will fill in. */
  attachments: z.array(attachmentViewSchema).optional(),
  /** The upload requests made before the message, one per file (a multipart form with the file in `field`). */
  uploads: z.array(z.object({ method: z.string(), url: z.string(), field: z.string(), file: z.string() })).optional(),
  /** Phone campaigns: the row's number in E.164, as resolved by the lookup (the reading the agent has a conversation with). */
  phone: z.string().optional(),
  /** What the opt-out list or the frequency cap says of this row: why it is not sent, or that it is sent despite the list. */
  audience: z.string().optional(),
});
export type Preview = z.infer<typeof previewSchema>;

/**
 * FilePicks are the files the person picked in main's dialogs for this window, as the renderer may
 * see them: names, sizes and types, and the picked folder's name (never a path main would read from
 * the renderer's say-so). A campaign's `files` name picked files by name, or files in the folder.
 */
export const filePicksSchema = z.object({
  files: z.array(z.object({ name: z.string(), size: z.number().int(), type: z.string(), sizeText: z.string() })),
  folder: z.object({ name: z.string() }).nullable(),
});
export type FilePicks = z.infer<typeof filePicksSchema>;

export type { EngagementView, FunnelSummary } from '../engagement/engagement-view';

// ---------- the workspace: opt-out list, settings, schedules (values in workspace-schemas.ts) ----------

export const optOutImportResultSchema = z.object({
  added: z.number().int(),
  existing: z.number().int(),
  empty: z.number().int(),
  invalid: z.number().int(),
  problems: z.array(problemSchema),
});

/** Commands the application menu sends to the renderer. */
export const appCommandSchema = z.enum(['import-csv', 'open-campaign', 'save-campaign', 'export-report', 'settings']);
export type AppCommand = z.infer<typeof appCommandSchema>;
