import type { CsvTable } from '../../../shared/csv/parse';
import type { RowOutcome } from '../../../shared/engine/events';
import type { Preview, Profile, ValidationReport } from '../../../shared/ipc/contract';
import { UserError } from '../../../shared/ipc/user-error';
import type { JsonObject } from '../../../shared/json';
import { InputError } from '../../../shared/problems';
import type { BackendRequest } from '../../ipc/backend';
import { MAX_PROBLEMS } from '../../ipc/errors';
import type { Connection, ResolvedRecipients } from '../campaign-runner';
import { createEngine, needsResolution, planJobs, summarizeRoutes, tableSource } from '../campaign-runner';
import { MemoryJournal } from '../ports';
import { campaignId } from '../state/campaign-id';
import { CampaignLockedError } from '../state/lock';
import type { DatasetStore } from './datasets';
import type { SidecarCache } from './delivery';
import { recordRun, recordVariants } from './delivery';
import { usesWassistExtras } from '../wassist/wassist-report';
import type { DesktopDeps } from './ports';
import type { PreparedCampaign } from './prepare';
import { prepareCampaign, preview, validate } from './prepare';
import type { Lookup } from './routing';
import type { LookupCache } from './routing';
import { baseUrlOf, canLookUp, connectionOf, resolveFor, routeNote, routeView } from './routing';
import { CampaignSession } from './session';
import { earlierRunOf, lookupErrorOf } from './earlier-run';

/**
 * What the desktop backend does before and while sending: validate (with where each row goes when
 * the conversations can be read), preview one row (the fallback request for a row that takes it),
 * test-send one row, and start a campaign: validate, look the recipients up afresh, record which
 * rows take the fallback, and feed the runner's planJobs to the engine.
 */

/** SendingContext is the backend's state these steps use. */
export interface SendingContext {
  deps: DesktopDeps;
  datasets: DatasetStore;
  lookups: LookupCache;
  sidecars: SidecarCache;
  /** Keeps a sandbox campaign's world after its run, so its delivery status can be read. */
  keepSandbox(campaignId: string, connection: Connection): void;
}

function profileOf(ctx: SendingContext, id: string | undefined): Profile | undefined {
  return id === undefined ? undefined : ctx.deps.vault.profile(id);
}

function prepare(ctx: SendingContext, datasetId: string, spec: unknown, profileId: string | undefined): PreparedCampaign {
  return prepareCampaign(spec, ctx.datasets.get(datasetId), profileOf(ctx, profileId));
}

/** keyOf is the profile's key for reading conversations, or '' when it has none (validate and preview then work offline). */
function keyOf(ctx: SendingContext, profileId: string | undefined): string {
  if (profileId === undefined) return '';
  try {
    return ctx.deps.vault.getKey(profileId) ?? '';
  } catch (e) {
    if (e instanceof UserError) return '';
    throw e;
  }
}

/** resolveOnce reads the conversations over a connection of its own, closed afterwards. */
async function resolveOnce(ctx: SendingContext, p: PreparedCampaign, table: CsvTable, apiKey: string): Promise<ResolvedRecipients> {
  const connection = connectionOf(p.spec, ctx.deps.transportFor(p.spec, ctx.deps.clock));
  try {
    return await resolveFor(p.plan, table, apiKey, connection, ctx.deps.clock);
  } finally {
    await connection.transport.close().catch(() => undefined);
  }
}

/**
 * lookupFor is the routes of a campaign that reads conversations, when they can be read now: from
 * the cache, else looked up (once per CSV, profile and recipient settings). Undefined when the
 * campaign needs no lookup or there is no key.
 */
async function lookupFor(ctx: SendingContext, p: PreparedCampaign, datasetId: string, profileId: string | undefined, invalid: () => Promise<ReadonlySet<number>>): Promise<Lookup | undefined> {
  if (!needsResolution(p.plan)) return undefined;
  const apiKey = keyOf(ctx, profileId);
  if (!canLookUp(p.spec, apiKey)) return undefined;
  const table = p.dataset.table;
  return ctx.lookups.lookup(datasetId, profileId ?? '', p.plan, table, invalid, () => resolveOnce(ctx, p, table, apiKey));
}

/** validateCampaign is `campaign:validate`: every row checked offline, then the routes when the conversations can be read. */
export async function validateCampaign(ctx: SendingContext, request: BackendRequest<'campaign:validate'>): Promise<ValidationReport> {
  const { datasetId, spec, profileId, problemLimit } = request;
  const p = prepare(ctx, datasetId, spec, profileId);
  const { invalid, ...report } = await validate(p, problemLimit);
  let skips: Lookup['skips'] | undefined;
  if (needsResolution(p.plan) && !canLookUp(p.spec, keyOf(ctx, profileId))) {
    report.routeNote = 'Conversations are looked up when sending. Set the API key of the profile to look them up now and see which rows take the fallback or are skipped.';
  } else if (needsResolution(p.plan)) {
    try {
      const lookup = await lookupFor(ctx, p, datasetId, profileId, async () => invalid);
      if (lookup !== undefined) {
        report.routes = routeView(lookup.routes);
        report.routeNote = routeNote(lookup);
        skips = lookup.skips;
      }
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      report.routeNote = e.message;
      report.lookupError = lookupErrorOf(e);
    }
  }
  const earlier = await earlierRunOf(ctx.deps, p, invalid, skips);
  if (earlier !== undefined) report.earlierRun = earlier;
  return report;
}

/** previewRow is `campaign:preview`: the exact request of one row; with a lookup, the route it takes. */
export async function previewRow(ctx: SendingContext, { datasetId, spec, profileId, row }: BackendRequest<'campaign:preview'>): Promise<Preview> {
  const p = prepare(ctx, datasetId, spec, profileId);
  let lookup: Lookup | undefined;
  try {
    lookup = await lookupFor(ctx, p, datasetId, profileId, async () => (await validate(p, 0)).invalid);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    const shown = preview(p, row, baseUrlOf(p.spec.provider));
    return { ...shown, route: `${shown.route ?? ''} ${e.message}`.trim(), lookupError: lookupErrorOf(e) };
  }
  return preview(p, row, baseUrlOf(p.spec.provider), lookup);
}

function oneRow(table: CsvTable, row: number): CsvTable {
  const rec = table.records[row - 1];
  return { ...table, records: rec === undefined ? [] : [rec], problems: table.problems.filter((x) => x.row === row) };
}

/**
 * testSendRow is `campaign:testSend`: one row sent now, through the same lookup and routing as a
 * campaign (its conversation found by number, the fallback when it is inactive), with no retries.
 */
export async function testSendRow(ctx: SendingContext, { datasetId, spec, profileId, row }: BackendRequest<'campaign:testSend'>): Promise<RowOutcome> {
  const p = prepare(ctx, datasetId, spec, profileId);
  const shown = preview(p, row, baseUrlOf(p.spec.provider));
  if (shown.problems.some((x) => x.severity === 'error')) throw new InputError(shown.problems.filter((x) => x.severity === 'error'));
  const apiKey = ctx.deps.vault.getKey(profileId) ?? '';
  const connection = connectionOf(p.spec, ctx.deps.transportFor(p.spec, ctx.deps.clock));
  try {
    const table = oneRow(p.dataset.table, row);
    let resolution: ResolvedRecipients = {};
    if (needsResolution(p.plan)) {
      if (!canLookUp(p.spec, apiKey)) throw new UserError('This campaign looks its conversations up first, which needs the API key of the profile. Set it in Settings.');
      resolution = await resolveFor(p.plan, table, apiKey, connection, ctx.deps.clock);
    }
    const engine = createEngine({
      spec: { ...p.spec, throttle: { concurrency: 1, perSecond: 1 }, retry: { ...p.spec.retry, attempts: 1 } },
      apiKey,
      connection,
      journal: new MemoryJournal(),
      clock: ctx.deps.clock,
      onEvent: () => undefined,
    });
    const summary = await engine.run(planJobs(p.plan, tableSource(table), new Set(), resolution), 1);
    const outcome = (await summary.outcomes()).get(row);
    if (summary.reason === 'stopped' && summary.stopReason !== undefined && outcome?.status !== 'sent') throw new UserError(summary.stopReason);
    return outcome ?? { row, status: 'pending', recipient: shown.recipient, attempts: 0 };
  } finally {
    await connection.transport.close().catch(() => undefined);
  }
}

/**
 * startCampaign is `campaign:start`: validate every row, look the recipients up afresh (phone
 * numbers, the 24-hour window) over the transport the campaign will send with, open the campaign
 * (resuming it when it ran before), note which rows take the fallback, and start the session.
 */
export async function startCampaign(ctx: SendingContext, request: BackendRequest<'campaign:start'>, onDone: (campaignId: string, error?: unknown) => void): Promise<CampaignSession> {
  const { datasetId, spec, profileId, skipInvalid, fresh } = request;
  const { deps } = ctx;
  const profile = deps.vault.profile(profileId);
  const p = prepareCampaign(spec, ctx.datasets.get(datasetId), profile);
  const checked = await validate(p, MAX_PROBLEMS);
  if (checked.errorCount > 0 && !skipInvalid) throw new InputError(checked.problems.filter((x) => x.severity === 'error'));
  const apiKey = deps.vault.getKey(profileId) ?? '';
  const table = p.dataset.table;
  const transport = deps.transportFor(p.spec, deps.clock);
  const sandbox = p.spec.provider.kind === 'sandbox';
  const connection = connectionOf(p.spec, transport);
  // The sandbox's world must outlive the run (its statuses are read later): the session may not close it.
  const sessionTransport = sandbox ? { request: transport.request.bind(transport), close: async () => undefined } : transport;
  const closeNow = () => transport.close().catch(() => undefined);
  let session: CampaignSession;
  try {
    let resolution: ResolvedRecipients = {};
    let fallbackRows: number[] = [];
    if (needsResolution(p.plan)) {
      if (!canLookUp(p.spec, apiKey)) throw new UserError('This campaign looks its conversations up before sending, which needs the API key of the profile. Set it in Settings.');
      resolution = await resolveFor(p.plan, table, apiKey, connection, deps.clock, checked.invalid);
      fallbackRows = (await summarizeRoutes(p.plan, tableSource(table), checked.invalid, resolution)).fallbackRows;
    }
    const base = campaignId(p.dataset.hash, p.spec as unknown as JsonObject);
    const id = await deps.campaigns.resolveId(base, { fresh: fresh === true });
    let campaign;
    try {
      campaign = await deps.campaigns.open(id, { csvFileName: p.dataset.name, csvHash: p.dataset.hash, providerKind: p.spec.provider.kind, rowCount: checked.rowCount, spec: p.spec });
    } catch (e) {
      if (e instanceof CampaignLockedError) throw new UserError('This campaign is being sent by another window or the command line. Wait for it to finish.');
      throw e;
    }
    try {
      if (usesWassistExtras(p.plan)) await recordVariants(await ctx.sidecars.get(id, campaign.dir), fallbackRows, campaign.journal.rows().values());
      await recordRun(campaign.dir, profileId);
    } catch (e) {
      await campaign.close();
      throw e;
    }
    if (sandbox) ctx.keepSandbox(id, connection);
    session = new CampaignSession({
      campaign,
      spec: p.spec,
      baseUrl: connection.baseUrl,
      apiKey,
      transport: sessionTransport,
      clock: deps.clock,
      timer: deps.timer,
      profileName: profile.name,
      jobs: planJobs(p.plan, tableSource(table), checked.invalid, resolution),
      total: checked.rowCount,
      send: deps.emit,
      onDone: (error) => onDone(id, error),
    });
  } catch (e) {
    await closeNow();
    throw e;
  }
  return session;
}
