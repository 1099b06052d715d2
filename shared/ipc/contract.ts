import { z } from 'zod';
import { optOutKinds } from '../campaign/recipient-keys';
import { providerConfigSchema } from '../campaign/schema';
import { engagementViewSchema, funnelSummarySchema } from '../engagement/engagement-view';
import { REPORT_FORMATS } from '../report/report-format';
import { frequencyCapSchema, isoTime, optOutEntrySchema, scheduleSchema, workspaceSettingsSchema } from './workspace-schemas';

export type { OptOutEntryView, ScheduleView, WorkspaceSettings } from './workspace-schemas';

/**
 * The one IPC contract between the renderer and the main process. Every channel is named
 * `domain:verb` and has a zod schema for its request and its response; the preload, the main-side
 * handlers and the renderer are all typed from this file, and main checks every payload at runtime.
 *
 * Keys go one way only: `keys:set` carries a key from the renderer into main. No response ever
 * contains one; profiles show `keyHint` ("configured, ends with 1234") instead.
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

const id = z.string().min(1).max(200);
/** A raw campaign object, the same JSON as a `*.campaign.json` file; main parses it with parseCampaign. */
const rawSpec = z.record(z.string(), z.unknown());
const delimiter = z.enum([',', ';', '\t', '|']);

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

export const campaignStateSchema = z.enum(['idle', 'running', 'paused', 'finished']);

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
  /** Rows waiting for their quiet-hours window (pending), and when the first of them goes (ISO 8601). */
  waiting: z.object({ rows: z.number().int(), until: z.string() }).optional(),
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
  state: z.enum(['running', 'paused', 'finished', 'interrupted']),
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

export type { EngagementView, FunnelSummary } from '../engagement/engagement-view';

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

// ---------- channels ----------

const none = z.undefined();
const MIB = 1024 * 1024;
/** CSV_CHUNK_MAX is the largest chunk `csv:append` takes: small enough that cloning it never blocks a window. */
export const CSV_CHUNK_MAX = 4 * MIB;
/**
 * CSV_SIZE_MAX is the largest contacts file main imports: 2 GiB, some 20 million rows of a typical
 * CRM export. Main streams an import to the workspace's disk and never holds it, so the bound is
 * about disk and the time a person waits, not memory.
 */
export const CSV_SIZE_MAX = 2 * 1024 * MIB;
const campaignRef = z.object({ campaignId: id });

/** contract maps each invoke channel to its request and response schema. */
export const contract = {
  'profiles:list': { request: none, response: z.array(profileViewSchema) },
  'profiles:save': { request: profileSchema, response: profileViewSchema },
  'profiles:remove': { request: z.object({ id }), response: z.null() },
  'keys:set': {
    request: z.object({ profileId: id, key: z.string().min(1).max(4096), acceptObfuscation: z.boolean().optional() }),
    response: profileViewSchema,
  },
  'keys:clear': { request: z.object({ profileId: id }), response: profileViewSchema },
  'vault:info': { request: none, response: vaultInfoSchema },
  /**
   * A chunked import, for files of any size up to CSV_SIZE_MAX: `csv:begin` declares the file,
   * `csv:append` sends its bytes in order (each chunk at most CSV_CHUNK_MAX bytes, `offset` = bytes
   * sent before it), and `csv:finish` answers the DatasetInfo. Main writes each chunk to the
   * workspace and parses it as it arrives, so neither process ever clones or holds the whole file;
   * one upload is open at a time (a new begin drops the last), and an idle one is dropped after a while.
   */
  'csv:begin': {
    request: z.object({ name: z.string().max(500), size: z.number().int().min(0).max(CSV_SIZE_MAX), delimiter: delimiter.optional() }),
    response: z.object({ uploadId: id }),
  },
  'csv:append': {
    request: z.object({
      uploadId: id,
      offset: z.number().int().min(0),
      bytes: z.instanceof(Uint8Array).refine((b) => b.length <= CSV_CHUNK_MAX, { message: `a chunk may be at most ${CSV_CHUNK_MAX / MIB} MiB` }),
    }),
    response: z.object({ received: z.number().int() }),
  },
  'csv:finish': { request: z.object({ uploadId: id }), response: datasetInfoSchema },
  /** Drops an upload (the user cancelled); unknown ids are ignored, so a late abort is harmless. */
  'csv:abort': { request: z.object({ uploadId: id }), response: z.null() },
  /** Shows the open dialog in main and loads the chosen CSV; null when the user cancels. */
  'csv:open': { request: none, response: datasetInfoSchema.nullable() },
  /**
   * Shows main's open dialog for a file to attach (`file`) or the folder a column's file names are
   * found in (`folder`); answers every pick so far, and the name of the one just picked (`picked`:
   * false when the person cancelled).
   */
  'attachments:pick': { request: z.object({ kind: z.enum(['file', 'folder']) }), response: filePicksSchema.extend({ picked: z.boolean(), name: z.string().optional() }) },
  /** The files and folder picked so far (a window that reloads). */
  'attachments:list': { request: none, response: filePicksSchema },
  /** Forgets every pick: campaigns can attach nothing until the person picks again. */
  'attachments:clear': { request: none, response: filePicksSchema },
  'campaign:validate': {
    request: z.object({ datasetId: id, spec: rawSpec, profileId: id.optional(), problemLimit: z.number().int().min(1).max(10_000).optional() }),
    response: validationReportSchema,
  },
  'campaign:preview': {
    request: z.object({ datasetId: id, spec: rawSpec, profileId: id.optional(), row: z.number().int().min(1) }),
    response: previewSchema,
  },
  'campaign:testSend': {
    request: z.object({ datasetId: id, spec: rawSpec, profileId: id, row: z.number().int().min(1) }),
    response: campaignRowSchema,
  },
  'campaign:start': {
    /** `fresh` starts over on purpose; without it the same CSV and campaign resume where they stopped. */
    request: z.object({ datasetId: id, spec: rawSpec, profileId: id, skipInvalid: z.boolean(), fresh: z.boolean().optional() }),
    response: campaignRef,
  },
  'campaign:pause': { request: campaignRef, response: snapshotSchema },
  'campaign:resume': { request: campaignRef, response: snapshotSchema },
  'campaign:cancel': { request: campaignRef, response: snapshotSchema },
  /** The current campaign (or the named one), so a reloaded renderer re-syncs; null when there is none. */
  'campaign:snapshot': { request: z.object({ campaignId: id.optional() }), response: snapshotSchema.nullable() },
  /** A page of rows, for the virtualised status table. */
  'campaign:rows': {
    request: z.object({
      campaignId: id,
      offset: z.number().int().min(0),
      limit: z.number().int().min(1).max(5_000),
      status: rowStatusSchema.optional(),
    }),
    response: z.object({ total: z.number().int(), rows: z.array(campaignRowSchema) }),
  },
  /**
   * Reads what became of a campaign's messages (delivered, read, clicked, replied, opted out) from
   * the provider now: only conversations whose outcome can still change, at a polite pace. Resolves
   * when the refresh ends (a second call joins the one running); `campaign:engagement` shows its
   * progress meanwhile. `profileId` names the account to ask; by default the one it was sent with.
   */
  'campaign:refreshEngagement': { request: z.object({ campaignId: id, profileId: id.optional() }), response: engagementViewSchema },
  /** A campaign's engagement funnel as last read, and the refresh running now (no request to the provider). */
  'campaign:engagement': { request: campaignRef, response: engagementViewSchema },
  'campaign:history': { request: none, response: z.array(campaignSummarySchema) },
  /** The interrupted campaigns (rows left, no process sending them), newest first; dismissed ones only with `includeDismissed`. */
  'campaign:interrupted': { request: z.object({ includeDismissed: z.boolean().optional() }), response: z.array(interruptedCampaignSchema) },
  /**
   * Resumes an interrupted campaign without importing it again: main reopens it from the workspace
   * (its campaign, its contacts' copy; or `datasetId`, a file just imported, checked to be the same),
   * asks its own confirmation with the rows left, and sends with the profile it was sent with.
   */
  'campaign:resumeInterrupted': { request: campaignRef.extend({ datasetId: id.optional() }), response: campaignRef },
  /** Stops telling about this interruption on start-up (the history still offers Resume). */
  'campaign:dismissInterrupted': { request: campaignRef, response: z.null() },
  /**
   * Shows the save dialog in main and writes the delivery report; the renderer never names a path.
   * `format`: `xlsx` (an Excel workbook, the default when absent), `csv-excel` (UTF-8 with a byte-order
   * mark, in the contacts file's delimiter) or `csv` (the plain contract for machines).
   */
  'campaign:exportReport': { request: campaignRef.extend({ format: z.enum(REPORT_FORMATS).optional() }), response: z.object({ saved: z.boolean(), fileName: z.string().optional() }) },
  /** Shows the open dialog in main; returns the raw campaign JSON, or null when cancelled. */
  'campaign:openFile': { request: none, response: z.object({ fileName: z.string(), spec: rawSpec }).nullable() },
  /** Shows the save dialog in main and writes the campaign file. */
  'campaign:saveFile': { request: z.object({ spec: rawSpec, suggestedName: z.string().max(200).optional() }), response: z.object({ saved: z.boolean(), fileName: z.string().optional() }) },
  /** How many rows of a campaign failed, by error kind (HTTP status, or `network`), to offer "Retry failed rows". */
  'campaign:failedRows': {
    request: campaignRef,
    response: z.object({ failed: z.number().int(), kinds: z.array(z.object({ kind: z.string(), count: z.number().int() })) }),
  },
  /**
   * Sends again exactly the rows of a finished campaign that ended failed (optionally only some
   * error kinds: `404`, `5xx`, `network`), as a new run linked to it, with its own report; the
   * opt-out list and the cap apply again. `profileId`: the account; by default the one it was sent with.
   */
  'campaign:retryFailed': {
    request: z.object({ campaignId: id, errorKinds: z.array(z.string().max(10)).max(50).optional(), profileId: id.optional() }),
    response: campaignRef,
  },
  /** A page of the opt-out list, newest first, optionally only entries whose value, reason or origin contain `search`. */
  'optout:list': {
    request: z.object({ search: z.string().max(200).optional(), offset: z.number().int().min(0), limit: z.number().int().min(1).max(500) }),
    response: z.object({ total: z.number().int(), count: z.number().int(), entries: z.array(optOutEntrySchema) }),
  },
  /** Adds entries by hand (numbers are normalised to E.164; a bad one is a problem naming it, and nothing is added). */
  'optout:add': {
    request: z.object({ values: z.array(z.string().max(500)).min(1).max(1_000), kind: z.enum(optOutKinds), reason: z.string().max(300).optional(), defaultCountry: z.string().max(2).optional() }),
    response: z.object({ added: z.number().int(), existing: z.number().int() }),
  },
  'optout:remove': { request: z.object({ keys: z.array(z.string().max(600)).min(1).max(1_000) }), response: z.object({ removed: z.number().int() }) },
  /** Imports a column of an uploaded CSV (csv:begin/append/finish) into the list, in one transaction. */
  'optout:import': {
    request: z.object({
      datasetId: id,
      column: z.string().min(1).max(200),
      kind: z.enum(optOutKinds).optional(),
      reason: z.string().max(300).optional(),
      defaultCountry: z.string().max(2).optional(),
      skipInvalid: z.boolean().optional(),
    }),
    response: optOutImportResultSchema,
  },
  /** Shows the save dialog in main and writes the whole list as CSV. */
  'optout:export': { request: none, response: z.object({ saved: z.boolean(), fileName: z.string().optional(), count: z.number().int().optional() }) },
  'workspace:settings': { request: none, response: workspaceSettingsSchema },
  /** Sets (or, with null, turns off) the frequency cap; the first time, earlier campaigns' journals are counted in. */
  'workspace:setFrequencyCap': { request: z.object({ frequencyCap: frequencyCapSchema.nullable() }), response: workspaceSettingsSchema },
  /** Scheduled starts: waiting ones first (the next due first), then the latest finished. */
  'schedule:list': { request: none, response: z.array(scheduleSchema) },
  /** Schedules a start: main starts it at `at` if the app is running, or as soon as it runs after that, and says so. */
  'schedule:create': {
    request: z.object({ datasetId: id, spec: rawSpec, profileId: id, skipInvalid: z.boolean(), fresh: z.boolean().optional(), at: isoTime }),
    response: scheduleSchema,
  },
  'schedule:change': { request: z.object({ id, at: isoTime }), response: scheduleSchema },
  'schedule:cancel': { request: z.object({ id }), response: scheduleSchema },
  /** Loads the bundled sample contacts and sandbox campaign, so a first run needs no files and no account. */
  'app:openSample': {
    request: none,
    response: z.object({ dataset: datasetInfoSchema, fileName: z.string(), spec: rawSpec }),
  },
  /** Opens an http(s) link in the system browser (checked with a URL parser in main). */
  'app:openExternal': { request: z.object({ url: z.string().max(2000) }), response: z.null() },
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type RequestOf<C extends Channel> = z.input<Contract[C]['request']>;
export type ResponseOf<C extends Channel> = z.output<Contract[C]['response']>;

/** The event channels main sends on. */
export const eventChannels = {
  'campaign:event': statusBatchSchema,
  'app:command': appCommandSchema,
} as const;
export type EventChannel = keyof typeof eventChannels;

/**
 * IpcResult is what every invoke resolves with: errors come back as a message a person can read
 * (plus the problems, for input mistakes), never as a rejected promise with a stack trace.
 */
export type IpcResult<T> =
  | { ok: true; value: T }
  | { ok: false; error: { message: string; problems?: z.infer<typeof problemSchema>[] } };
