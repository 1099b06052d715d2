import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { CampaignSpec } from '../../../shared/campaign/schema';
import { parseCampaign, wireKindOf } from '../../../shared/campaign/schema';
import type { RowStatus } from '../../../shared/engine/events';
import type { RowOutcomes } from '../ports';
import type { CampaignSummary as CampaignSummaryView, DeliveryStatus, Snapshot } from '../../../shared/ipc/contract';
import { UserError } from '../../../shared/ipc/user-error';
import { InputError } from '../../../shared/problems';
import { providers } from '../../../shared/providers/index';
import type { CampaignSummary } from '../state/campaign-store';
import { WassistApiError } from '../wassist/client';
import { refreshDeliveryStatus } from '../wassist/delivery-status';
import type { CampaignRow } from '../wassist/delivery-view';
import { deliveryView, withDelivery } from '../wassist/delivery-view';
import type { WassistSidecar } from '../wassist/sidecar';
import type { ReportFormat } from '../../../shared/report/report-format';
import { writeReport } from '../report/write-report';
import { usesWassistColumns, wassistColumns } from '../wassist/wassist-report';
import { wassistClient } from './connection';
import { ContactsFile } from './contacts';
import { pageRows } from './run';
import type { ServiceCore } from './service-core';

/**
 * A campaign's records once it exists in the workspace: its snapshot, its rows, the history, the
 * delivery report and Wassist's delivery status. The campaign sending now answers from memory; the
 * others from their folder (journal, meta, sidecar), however long ago and by whichever front end
 * they were sent.
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

/** sidecarOf is a Wassist campaign's sidecar when its report carries the Wassist columns (see usesWassistColumns). */
export async function sidecarOf(core: ServiceCore, id: string, rawSpec: unknown): Promise<WassistSidecar | undefined> {
  const spec = specOf(rawSpec);
  if (spec === undefined || wireKindOf(spec.provider) !== 'wassist') return undefined;
  const sidecar = await core.sidecars.get(id, core.store.campaignDir(id));
  return usesWassistColumns(spec, sidecar) ? sidecar : undefined;
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
  if (!summary.running) snap.finishReason = t.pending + t.inFlight > 0 ? 'stopped' : 'completed';
  return snap;
}

/** rowsOf pages a campaign's rows, with each row's variant and delivery status for Wassist campaigns. */
export async function rowsOf(core: ServiceCore, id: string, offset: number, limit: number, status?: RowStatus): Promise<{ total: number; rows: CampaignRow[] }> {
  const summary = await summaryOf(core, id);
  const live = core.live?.id === id ? core.live : undefined;
  const page = live !== undefined ? live.rows(offset, limit, status) : pageRows(await latestOf(core, id), summary.meta.rowCount, offset, limit, status);
  const sidecar = await sidecarOf(core, id, summary.meta.spec);
  return { total: page.total, rows: page.rows.map((o) => withDelivery(o, sidecar)) };
}

/** historyOf lists every campaign, newest first, with the live state of the one sending now. */
export async function historyOf(core: ServiceCore): Promise<CampaignSummaryView[]> {
  return (await core.store.list()).map((c) => historyRowOf(core, c));
}

/**
 * historyRowOf is one campaign as the history shows it. `interrupted`: rows are left (pending, or in
 * flight when its process went down) and no process is sending it: a crash, a quit, a cancel.
 */
export function historyRowOf(core: ServiceCore, c: CampaignSummary): CampaignSummaryView {
  const live = core.live;
  const t = c.totals;
  let state: CampaignSummaryView['state'] = t.pending + t.inFlight > 0 ? 'interrupted' : 'finished';
  const liveState = live?.id === c.meta.id ? live.snapshot().state : undefined;
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
  };
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
 * sidecar): CSV for Excel in the delimiter the contacts came in with, the workbook with a summary.
 */
export async function writeReportOf(core: ServiceCore, id: string, path: string, format: ReportFormat, given?: ContactsFile): Promise<void> {
  const summary = await summaryOf(core, id);
  const contacts = await contactsOf(core, summary, given);
  try {
    const latest = await latestOf(core, id);
    const sidecar = await sidecarOf(core, id, summary.meta.spec);
    const m = summary.meta;
    await writeReport(path, {
      format,
      delimiter: contacts.delimiter,
      headers: contacts.headers,
      records: contacts.records(),
      outcomeOf: (row) => latest.get(row),
      extra: sidecar === undefined ? undefined : wassistColumns(sidecar),
      campaign: { name: m.name, contactsFile: m.csvFileName, provider: m.providerKind, createdAt: m.createdAt },
    });
  } finally {
    if (given === undefined) await contacts.close();
  }
}

/** deliveryStatusOf is what a Wassist campaign's sidecar holds, without asking the provider; null for other APIs. */
export async function deliveryStatusOf(core: ServiceCore, id: string): Promise<DeliveryStatus | null> {
  const summary = await summaryOf(core, id);
  const spec = specOf(summary.meta.spec);
  if (spec === undefined || wireKindOf(spec.provider) !== 'wassist') return null;
  const sidecar = await core.sidecars.get(id, core.store.campaignDir(id));
  return deliveryView(id, sidecar, (await latestOf(core, id)).values());
}

/** StatusAccess is the account to read delivery statuses with: the campaign bound to it, and its key. */
export interface StatusAccess {
  spec: CampaignSpec;
  apiKey: string;
}

/**
 * refreshStatusOf reads the delivery status of every message a Wassist campaign sent (one request per
 * conversation at the polite pace), keeps it in the sidecar and answers the counts and what it read.
 */
export async function refreshStatusOf(core: ServiceCore, id: string, access: StatusAccess, onProgress?: (done: number, of: number) => void) {
  const live = core.live;
  const stillSending = new UserError('This campaign is still sending. Refresh the delivery status once it has finished.');
  if (live?.id === id) {
    if (!live.finished) throw stillSending;
    await live.done; // its last status has gone out; its journal is being closed
  }
  const summary = await summaryOf(core, id);
  if (summary.running) throw stillSending;
  if (wireKindOf(access.spec.provider) !== 'wassist') {
    throw new UserError(`Delivery status is read from Wassist; this campaign was sent through the ${wireKindOf(access.spec.provider)} API.`);
  }
  const connection = core.connect(access.spec);
  try {
    const latest = await latestOf(core, id);
    const sidecar = await core.sidecars.get(id, core.store.campaignDir(id));
    const client = wassistClient(access.spec, access.apiKey, connection, core.clock);
    let refresh;
    try {
      refresh = await refreshDeliveryStatus(client, latest.values(), sidecar, core.clock, onProgress);
    } catch (e) {
      if (e instanceof WassistApiError && e.name !== 'WassistStopError') throw new UserError(`Could not read the delivery status: ${client.redact(e.message)}`);
      throw e;
    }
    await sidecar.save();
    return { refresh, view: deliveryView(id, sidecar, latest.values(), refresh), latest };
  } finally {
    await connection.close().catch(() => undefined);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
