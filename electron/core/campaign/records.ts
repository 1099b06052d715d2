import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { wireKindOf } from '../../../shared/campaign/provider-config';
import type { CampaignSpec } from '../../../shared/campaign/schema';
import { parseCampaign } from '../../../shared/campaign/schema';
import type { RowStatus } from '../../../shared/engine/events';
import type { RowOutcomes } from '../ports';
import type { CampaignSummary as CampaignSummaryView, Snapshot } from '../../../shared/ipc/contract';
import { UserError } from '../../../shared/ipc/user-error';
import { InputError } from '../../../shared/problems';
import { isJsonObject } from '../../../shared/json';
import { providers } from '../../../shared/providers/index';
import type { CampaignSummary } from '../state/campaign-store';
import { engagementColumns } from '../engagement/engagement-columns';
import type { CampaignRow } from '../wassist/row-view';
import { withVariant } from '../wassist/row-view';
import type { WassistSidecar } from '../wassist/sidecar';
import type { ReportFormat } from '../../../shared/report/report-format';
import type { ReportRecord } from '../report/write-report';
import { combineColumns, writeReport } from '../report/write-report';
import { optOutColumn } from '../report/opt-out-column';
import { usesWassistColumns, wassistColumns } from '../wassist/wassist-report';
import { ContactsFile } from './contacts';
import { funnelSummariesOf } from './engagement';
import { pageRows } from './run';
import { retryRowsOf } from './retry-rows';
import type { ServiceCore } from './service-core';

/**
 * A campaign's records once it exists in the workspace: its snapshot, its rows, the history and the
 * delivery report, with what its recipients did (engagement.ts). The campaign sending now answers
 * from memory; the others from their folder (journal, meta, sidecar) and the engagement database,
 * however long ago and by whichever front end they were sent.
 */

/** summaryOf is a campaign's summary from the store, or a UserError when there is none. */
export async function summaryOf(core: ServiceCore, id: string): Promise<CampaignSummary> {
  const summary = await core.store.get(id);
  if (summary === undefined) throw new UserError('There is no campaign with that id.');
  return summary;
}

/** specOf parses a stored spec; undefined when it no longer parses (an older, damaged meta.json). */
export function specOf(raw: unknown): CampaignSpec | undefined {
  try {
    return parseCampaign(raw, providers);
  } catch (e) {
    if (e instanceof InputError) return undefined;
    throw e;
  }
}

/** latestOf is every recorded row's latest outcome: from memory while it sends (or last sent here), else from its journal. */
export async function latestOf(core: ServiceCore, id: string): Promise<RowOutcomes> {
  if (core.live?.id === id) return core.live.latest();
  return core.pastJournals.read(join(core.store.campaignDir(id), 'journal.log'));
}

/**
 * sidecarOf is a Wassist campaign's sidecar when its report carries the Wassist columns: see
 * usesWassistColumns, or its engagement has been read (`engaged`).
 */
export async function sidecarOf(core: ServiceCore, id: string, rawSpec: unknown, engaged = false): Promise<WassistSidecar | undefined> {
  const spec = specOf(rawSpec);
  if (spec === undefined || wireKindOf(spec.provider) !== 'wassist') return undefined;
  const sidecar = await core.sidecars.get(id, core.store.campaignDir(id));
  return engaged || usesWassistColumns(spec, sidecar) ? sidecar : undefined;
}

/** engagedStoreOf is the engagement store when campaign `id` has engagement records in it. */
async function engagedStoreOf(core: ServiceCore, id: string) {
  const store = await core.engagementStoreIfAny();
  return store !== undefined && store.hasMessages(id) ? store : undefined;
}

/** snapshotOf is the snapshot of campaign `id`: live while it sends, else from its records (null when there is none). */
export async function snapshotOf(core: ServiceCore, id: string): Promise<Snapshot | null> {
  if (core.live?.id === id) return core.live.snapshot();
  const summary = await core.store.get(id);
  if (summary === undefined) return null;
  const t = summary.totals;
  const snap: Snapshot = {
    campaignId: id,
    name: summary.meta.name,
    state: summary.running ? 'running' : 'finished',
    totals: t,
    ratePerSecond: 0,
    etaSeconds: null,
    profileName: '',
  };
  if (!summary.running) snap.finishReason = t.pending + t.inFlight === 0 ? 'completed' : summary.meta.cancelled === true ? 'cancelled' : 'stopped';
  return snap;
}

/** rowsOf pages a campaign's rows, with each row's variant and engagement for Wassist campaigns. */
export async function rowsOf(core: ServiceCore, id: string, offset: number, limit: number, status?: RowStatus): Promise<{ total: number; rows: CampaignRow[] }> {
  const summary = await summaryOf(core, id);
  const live = core.live?.id === id ? core.live : undefined;
  const count = summary.meta.retryOf === undefined ? summary.meta.rowCount : ((await retryRowsOf(core.store, id)) ?? summary.meta.rowCount);
  const page = live !== undefined ? live.rows(offset, limit, status) : pageRows(await latestOf(core, id), count, offset, limit, status);
  const store = live === undefined || live.finished ? await engagedStoreOf(core, id) : undefined;
  const sidecar = await sidecarOf(core, id, summary.meta.spec, store !== undefined);
  const rows = page.rows.map((o) => withVariant(o, sidecar));
  if (store === undefined || rows.length === 0) return { total: page.total, rows };
  const first = Math.min(...rows.map((r) => r.row));
  const last = Math.max(...rows.map((r) => r.row));
  const byRow = new Map(store.rows(id, first, last).map((m) => [m.row, m]));
  for (const r of rows) {
    const m = r.status === 'sent' ? byRow.get(r.row) : undefined;
    if (m === undefined || m.messageId !== r.messageId) continue;
    if (m.status !== null) r.deliveryStatus = m.status;
    if (m.status !== null && m.statusAt !== null) r.deliveryStatusAt = new Date(m.statusAt).toISOString();
    if (m.clicks !== null) r.clicks = m.clicks;
    if (m.repliedAt !== null) r.repliedAt = new Date(m.repliedAt).toISOString();
    if (m.optedOutAt !== null) r.optedOutAt = new Date(m.optedOutAt).toISOString();
  }
  return { total: page.total, rows };
}

/** historyOf lists every campaign, newest first, with the live state of the one sending now. */
export async function historyOf(core: ServiceCore): Promise<CampaignSummaryView[]> {
  const list = await core.store.list();
  const funnels = await funnelSummariesOf(core, list);
  return list.map((c) => historyRowOf(core, c, funnels.get(c.meta.id)));
}

/**
 * historyRowOf is one campaign as the history shows it, with its funnel when its engagement has been
 * read. Rows left (pending, or in flight when its process went down) and no process sending it:
 * `cancelled` when the person cancelled its last run (meta.json says so once it closed), else
 * `interrupted` (a crash, a quit, a stop), which the app tells about on start-up.
 */
export function historyRowOf(core: ServiceCore, c: CampaignSummary, funnel?: CampaignSummaryView['funnel']): CampaignSummaryView {
  const live = core.live?.id === c.meta.id ? core.live : undefined;
  const t = c.totals;
  // The run that just ended knows before its meta.json is written (closing takes a moment).
  const cancelled = live !== undefined ? live.cancelled : c.meta.cancelled === true;
  let state: CampaignSummaryView['state'] = t.pending + t.inFlight === 0 ? 'finished' : cancelled ? 'cancelled' : 'interrupted';
  const liveState = live?.snapshot().state;
  if (liveState === 'paused') state = 'paused';
  else if (c.running && liveState !== 'finished') state = 'running';
  return {
    campaignId: c.meta.id,
    name: c.meta.name,
    csvName: c.meta.csvFileName,
    providerKind: c.meta.providerKind,
    createdAt: c.meta.createdAt,
    updatedAt: c.meta.updatedAt,
    totals: t,
    state,
    ...(funnel === undefined ? {} : { funnel }),
    ...(c.meta.retryOf === undefined ? {} : { retryOf: c.meta.retryOf }),
    ...optOutOverrideOf(c.meta.spec),
  };
}

/** optOutOverrideOf is a stored campaign's reason for ignoring the opt-out list, as a view field (none when it did not). */
export function optOutOverrideOf(rawSpec: unknown): { optOutOverride?: string } {
  const audience = isJsonObject(rawSpec) ? rawSpec.audience : undefined;
  const reason = isJsonObject(audience) ? audience.ignoreOptOuts : undefined;
  return typeof reason === 'string' ? { optOutOverride: reason } : {};
}

/**
 * contactsOf opens the contacts a campaign was sent from: `given` (the CLI names its file), else the
 * workspace's copy of the imported file. A UserError says what to do when neither is there.
 */
export async function contactsOf(core: ServiceCore, summary: CampaignSummary, given?: ContactsFile): Promise<ContactsFile> {
  if (given !== undefined) return given;
  const hash = summary.meta.csvHash;
  const path = hash === undefined || core.contactsDir === undefined ? undefined : join(core.contactsDir, `${hash}.csv`);
  if (path === undefined || !(await exists(path))) {
    throw new UserError(`The contacts this campaign was sent to (${summary.meta.csvFileName}) are no longer in the workspace; import that file again to export its report.`);
  }
  const delimiter = summary.meta.csvDelimiter;
  return ContactsFile.open({ path, name: summary.meta.csvFileName, hash: hash as string, ...(delimiter === undefined ? {} : { options: { delimiter } }) });
}

/**
 * writeReportOf writes campaign `id`'s delivery report to `path` in `format`, from its journal (and
 * sidecar, and engagement): CSV for Excel in the delimiter the contacts came in with, the workbook
 * with a summary. A retry's report has its own rows only (with their numbers in the file). A
 * campaign that ignored the opt-out list gets an `opt_out` column at the end saying, for each row it
 * sent despite the list, when and where the recipient opted out and the campaign's reason.
 */
export async function writeReportOf(core: ServiceCore, id: string, path: string, format: ReportFormat, given?: ContactsFile): Promise<void> {
  const summary = await summaryOf(core, id);
  const contacts = await contactsOf(core, summary, given);
  try {
    const latest = await latestOf(core, id);
    const store = await engagedStoreOf(core, id);
    const sidecar = await sidecarOf(core, id, summary.meta.spec, store !== undefined);
    const m = summary.meta;
    const overridden = optOutOverrideOf(m.spec).optOutOverride !== undefined;
    const subset = m.retryOf === undefined ? undefined : await retryRowsOf(core.store, id);
    await writeReport(path, {
      format,
      delimiter: contacts.delimiter,
      headers: contacts.headers,
      records: subset === undefined ? contacts.records() : onlyRecords(contacts.records(), new Set(subset)),
      outcomeOf: (row) => latest.get(row),
      extra: combineColumns([sidecar === undefined ? undefined : engagementColumns(store, id, wassistColumns(sidecar)), overridden ? optOutColumn(core.workspace.notes.of(id)) : undefined]),
      campaign: { name: m.name, contactsFile: m.csvFileName, provider: m.providerKind, createdAt: m.createdAt },
    });
  } finally {
    if (given === undefined) await contacts.close();
  }
}

/** onlyRecords keeps the records of some rows (a retry's). */
async function* onlyRecords(records: AsyncIterable<ReportRecord>, rows: ReadonlySet<number>): AsyncGenerator<ReportRecord> {
  for await (const r of records) if (rows.has(r.row)) yield r;
}

/** StatusAccess is the account to read engagement with: the campaign bound to it, and its key. */
export interface StatusAccess {
  spec: CampaignSpec;
  apiKey: string;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
