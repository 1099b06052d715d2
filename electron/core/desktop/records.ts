import { basename, join } from 'node:path';
import type { CampaignSpec } from '../../../shared/campaign/schema';
import { parseCampaign, wireKindOf } from '../../../shared/campaign/schema';
import type { RowOutcome } from '../../../shared/engine/events';
import type { CampaignSummary as CampaignSummaryView, DeliveryStatus, Snapshot } from '../../../shared/ipc/contract';
import { UserError } from '../../../shared/ipc/user-error';
import { InputError } from '../../../shared/problems';
import { providers } from '../../../shared/providers/index';
import type { BackendRequest, BackendResponse } from '../../ipc/backend';
import type { Connection } from '../campaign-runner';
import { compilePlan, wassistClient } from '../campaign-runner';
import { scanJournal } from '../state/journal-reader';
import { WassistApiError } from '../wassist/client';
import { refreshDeliveryStatus } from '../wassist/delivery-status';
import type { WassistSidecar } from '../wassist/sidecar';
import { safeFileName } from './campaign-files';
import type { DatasetStore } from './datasets';
import { deliveryView, profileOfRun, withDelivery } from './delivery';
import { usesWassistExtras, wassistColumns } from '../wassist/wassist-report';
import type { ReportFormat } from '../../../shared/report/report-format';
import { DEFAULT_EXPORT_FORMAT, reportExtension } from '../../../shared/report/report-format';
import { writeReport } from '../report/write-report';
import type { SidecarCache } from './delivery';
import type { DesktopDeps } from './ports';
import { effectiveSpec } from './prepare';
import { connectionOf } from './routing';
import type { CampaignSession } from './session';
import { pageRows } from './session';

/**
 * The desktop backend's view of campaigns once they exist: a past campaign's snapshot, its rows,
 * the history, the report export, and the Wassist delivery status (read now, or as last read).
 * Live campaigns answer from their session; the others from their folder (journal and sidecar).
 */

/** RecordsContext is what these answers need from the backend. */
export interface RecordsContext {
  deps: DesktopDeps;
  datasets: DatasetStore;
  sidecars: SidecarCache;
  /** Sandbox worlds of the campaigns sent in this run of the app, kept so their statuses can be read. */
  sandboxes: ReadonlyMap<string, Connection>;
  session(): CampaignSession | undefined;
}

async function summaryOf(ctx: RecordsContext, id: string) {
  const summary = await ctx.deps.campaigns.get(id);
  if (summary === undefined) throw new UserError('There is no campaign with that id.');
  return summary;
}

function specOf(raw: unknown): CampaignSpec | undefined {
  try {
    return parseCampaign(raw, providers);
  } catch (e) {
    if (e instanceof InputError) return undefined;
    throw e;
  }
}

async function latestOf(ctx: RecordsContext, id: string): Promise<ReadonlyMap<number, Readonly<RowOutcome>>> {
  const live = ctx.session();
  if (live?.id === id) return live.latest();
  return (await scanJournal(join(ctx.deps.campaigns.campaignDir(id), 'journal.log'))).latest;
}

/** sidecarOf is a campaign's sidecar when it is a Wassist campaign that has one (or needs the extra columns). */
async function sidecarOf(ctx: RecordsContext, id: string, rawSpec: unknown, headers?: string[]): Promise<WassistSidecar | undefined> {
  const spec = specOf(rawSpec);
  if (spec === undefined || wireKindOf(spec.provider) !== 'wassist') return undefined;
  const sidecar = await ctx.sidecars.get(id, ctx.deps.campaigns.campaignDir(id));
  if (!sidecar.isEmpty()) return sidecar;
  if (headers === undefined) return spec.recipient.phone !== undefined || spec.fallback !== undefined || spec.onInactive !== undefined || spec.action !== undefined ? sidecar : undefined;
  try {
    return usesWassistExtras(compilePlan(spec, headers)) ? sidecar : undefined;
  } catch (e) {
    if (e instanceof InputError) return undefined;
    throw e;
  }
}

/** pastSnapshot is the snapshot of a campaign this window is not running (null when there is none). */
export async function pastSnapshot(ctx: RecordsContext, id: string): Promise<Snapshot | null> {
  const summary = await ctx.deps.campaigns.get(id);
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
  if (!summary.running && t.pending + t.inFlight > 0) snap.finishReason = 'stopped';
  else if (!summary.running) snap.finishReason = 'completed';
  return snap;
}

/** rows pages a campaign's rows, with each row's variant and delivery status for Wassist campaigns. */
export async function rows(ctx: RecordsContext, { campaignId: id, offset, limit, status }: BackendRequest<'campaign:rows'>): Promise<BackendResponse<'campaign:rows'>> {
  const summary = await summaryOf(ctx, id);
  const live = ctx.session();
  const page = live?.id === id ? live.rows(offset, limit, status) : pageRows(await latestOf(ctx, id), summary.meta.rowCount, offset, limit, status);
  const sidecar = await sidecarOf(ctx, id, summary.meta.spec);
  return { total: page.total, rows: page.rows.map((o) => withDelivery(o, sidecar)) };
}

/** history lists every campaign, newest first, with the live state of the one this window runs. */
export async function history(ctx: RecordsContext): Promise<CampaignSummaryView[]> {
  const list = await ctx.deps.campaigns.list();
  const live = ctx.session();
  return list.map((c): CampaignSummaryView => {
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
  });
}

/**
 * exportReport writes the delivery report (the save dialog runs in main): the contract's columns and
 * the input columns, then for Wassist campaigns `variant`, `delivery_status` and `delivery_status_at`.
 * CSV for Excel takes the delimiter the contacts file was read with.
 */
export async function exportReport(ctx: RecordsContext, id: string, format: ReportFormat = DEFAULT_EXPORT_FORMAT): Promise<BackendResponse<'campaign:exportReport'>> {
  const summary = await summaryOf(ctx, id);
  const hash = summary.meta.csvHash;
  const dataset = hash === undefined ? undefined : ctx.datasets.byHash(hash);
  if (dataset === undefined) {
    throw new UserError(`To export this report, import the CSV it was sent from (${summary.meta.csvFileName}) again, then export.`);
  }
  const path = await ctx.deps.dialogs.chooseSavePath('report', `${safeFileName(summary.meta.name)}-report.${reportExtension(format)}`);
  if (path === null) return { saved: false };
  const latest = await latestOf(ctx, id);
  const sidecar = await sidecarOf(ctx, id, summary.meta.spec, dataset.table.headers);
  await writeReport(path, {
    format,
    delimiter: dataset.table.delimiter,
    headers: dataset.table.headers,
    records: dataset.table.records,
    outcomeOf: (row) => latest.get(row),
    extra: sidecar === undefined ? undefined : wassistColumns(sidecar),
    campaign: { name: summary.meta.name, contactsFile: summary.meta.csvFileName, provider: summary.meta.providerKind, createdAt: summary.meta.createdAt },
  });
  return { saved: true, fileName: basename(path) };
}

/** deliveryStatus is what a Wassist campaign's sidecar holds (any Wassist campaign can have its statuses read), without asking the provider; null for other APIs. */
export async function deliveryStatus(ctx: RecordsContext, id: string): Promise<DeliveryStatus | null> {
  const summary = await summaryOf(ctx, id);
  const spec = specOf(summary.meta.spec);
  if (spec === undefined || wireKindOf(spec.provider) !== 'wassist') return null;
  const sidecar = await ctx.sidecars.get(id, ctx.deps.campaigns.campaignDir(id));
  return deliveryView(id, sidecar, (await latestOf(ctx, id)).values());
}

/** soleProfileFor is the one Wassist profile with the campaign's base URL (a campaign sent from the command line names none). */
function soleProfileFor(ctx: RecordsContext, spec: CampaignSpec): string | undefined {
  const url = spec.provider.kind === 'wassist' ? spec.provider.baseUrl : undefined;
  const fits = ctx.deps.vault.profiles().filter((p) => p.provider.kind === 'wassist' && p.provider.baseUrl === url);
  return fits.length === 1 ? fits[0]?.id : undefined;
}

/**
 * refreshStatus reads the delivery status of every message a Wassist campaign sent (one request per
 * conversation at the polite pace), keeps it in the sidecar and answers the counts. The key is the
 * profile's the campaign was sent with (or the one named); the sandbox reads the world it sent into.
 */
export async function refreshStatus(ctx: RecordsContext, { campaignId: id, profileId }: BackendRequest<'campaign:refreshStatus'>): Promise<DeliveryStatus> {
  const live = ctx.session();
  const stillSending = new UserError('This campaign is still sending. Refresh the delivery status once it has finished.');
  if (live?.id === id) {
    if (!live.finished) throw stillSending;
    await live.done; // its last status has gone out; its journal is being closed
  }
  const summary = await summaryOf(ctx, id);
  if (summary.running) throw stillSending;
  const sent = specOf(summary.meta.spec);
  if (sent === undefined) throw new UserError('This campaign\'s settings can no longer be read, so its delivery status cannot be refreshed.');
  if (wireKindOf(sent.provider) !== 'wassist') {
    throw new UserError(`Delivery status is read from Wassist; this campaign was sent through the ${wireKindOf(sent.provider)} API.`);
  }
  const dir = ctx.deps.campaigns.campaignDir(id);
  let spec = sent;
  let apiKey = '';
  let connection: Connection | undefined;
  let owned = false;
  if (sent.provider.kind === 'sandbox') {
    connection = ctx.sandboxes.get(id);
    if (connection === undefined) {
      throw new UserError('The sandbox keeps its simulated conversations only while the app is open; this campaign was sent before, so there is no status to read. Send it again to see statuses.');
    }
  } else {
    const pid = profileId ?? (await profileOfRun(dir)) ?? soleProfileFor(ctx, sent);
    if (pid === undefined) throw new UserError('Choose the provider profile to read the delivery status with.');
    const profile = ctx.deps.vault.profile(pid);
    if (profile.provider.kind !== 'wassist') throw new UserError(`"${profile.name}" is not a Wassist account; choose the profile this campaign was sent with.`);
    spec = effectiveSpec(sent, profile);
    apiKey = ctx.deps.vault.getKey(pid) ?? '';
    if (apiKey === '') throw new UserError('The profile has no API key. Set it in Settings, then refresh.');
    connection = connectionOf(spec, ctx.deps.transportFor(spec, ctx.deps.clock));
    owned = true;
  }
  try {
    const latest = await latestOf(ctx, id);
    const sidecar = await ctx.sidecars.get(id, dir);
    const client = wassistClient(spec, apiKey, connection, ctx.deps.clock);
    let r;
    try {
      r = await refreshDeliveryStatus(client, latest.values(), sidecar, ctx.deps.clock);
    } catch (e) {
      if (e instanceof WassistApiError) throw new UserError(`Could not read the delivery status: ${client.redact(e.message)}`);
      throw e;
    }
    await sidecar.save();
    return deliveryView(id, sidecar, latest.values(), r);
  } finally {
    if (owned) await connection.transport.close().catch(() => undefined);
  }
}
