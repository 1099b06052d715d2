import { z } from 'zod';
import { optOutKinds } from '../campaign/recipient-keys';
import { engagementViewSchema } from '../engagement/engagement-view';
import { REPORT_FORMATS } from '../report/report-format';
import { frequencyCapSchema, isoTime, optOutEntrySchema, scheduleSchema, workspaceBackupSchema, workspaceSettingsSchema } from './workspace-schemas';

export type { OptOutEntryView, ScheduleView, WorkspaceBackup, WorkspaceSettings } from './workspace-schemas';

/**
 * The one IPC contract between the renderer and the main process. Every channel is named
 * `domain:verb` and has a zod schema for its request and its response; the preload, the main-side
 * handlers and the renderer are all typed from this file, and main checks every payload at runtime.
 *
 * Keys go one way only: `keys:set` carries a key from the renderer into main. No response ever
 * contains one; profiles show `keyHint` ("configured, ends with 1234") instead.
 */

export * from './views';
import type { problemSchema } from './views';
import { appCommandSchema, csvDelimiter, datasetInfoSchema, filePicksSchema, ipcId, optOutImportResultSchema, previewSchema, profileSchema, profileViewSchema, rawSpec, rowStatusSchema, validationReportSchema, vaultInfoSchema } from './views';
export * from './progress-views';
import { campaignRowSchema, campaignSummarySchema, interruptedCampaignSchema, snapshotSchema, statusBatchSchema } from './progress-views';

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
const id = ipcId;
const delimiter = csvDelimiter;
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
  /**
   * The interrupted campaigns (rows left, no process sending them), newest first; dismissed ones only
   * with `includeDismissed`. A campaign the person cancelled counts as dismissed: only the history,
   * which asks with `includeDismissed`, offers to resume it.
   */
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
  /**
   * Shows main's folder dialog and copies the workspace into the folder chosen, as `campaign backup`
   * does (databases, campaigns, imported contacts, sandbox worlds; never API keys or profiles);
   * answers what was copied and where, or null when the person cancelled.
   */
  'workspace:backup': { request: none, response: workspaceBackupSchema.nullable() },
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
