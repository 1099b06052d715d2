import { UserError } from '../../../shared/ipc/user-error';
import { InputError } from '../../../shared/problems';
import type { RowOutcome } from '../../../shared/engine/events';
import { resumePlan } from '../engine/resume';
import { WassistSidecar } from '../wassist/sidecar';
import { usesWassistColumns, writeCampaignReport } from '../wassist/wassist-report';
import type { Campaign } from './campaign';
import type { Lookup } from './recipients';
import { planJobs } from './routing';
import { HistoryTap } from './history-tap';
import { Run } from './run';
import type { ServiceCore } from './service-core';
import { onlyRows } from './validation';

/**
 * Starting a campaign: check every row, look the recipients up afresh over the connection the run
 * will use, open (or resume) the campaign in the workspace, note which rows take the fallback,
 * and hand the rows to the engine, each routed through the opt-out list and the frequency cap as
 * it is about to go out (so a recipient who opted out since the first run is skipped on resume).
 * Sent rows go to the workspace's history as they settle. The CLI and the desktop app both start
 * runs here.
 */

/** StartOptions say how to start. */
export interface StartOptions {
  /** Start over on purpose instead of resuming the same campaign. */
  fresh?: boolean;
  /** Send the valid rows and skip the invalid ones (else an invalid row refuses the start). */
  skipInvalid?: boolean;
  /** Send again rows whose outcome is unknown (they may be delivered twice). */
  resendUncertain?: boolean;
  /** A lookup made for this start (fresh); made here when the campaign needs one and none is given. */
  lookup?: Lookup;
  /** Headless: a pause by the error threshold ends the run (see RunOptions). */
  endOnPause?: boolean;
  /** Progress of the lookup, in words. */
  onProgress?: (text: string) => void;
}

/** MAX_START_PROBLEMS is how many problems a refused start lists (the counts are exact). */
export const MAX_START_PROBLEMS = 1_000;

/**
 * RunScope is a run over some rows of the file under an id of its own: a retry of the rows that
 * failed in campaign `retryOf` (they keep their row numbers).
 */
export interface RunScope {
  id: string;
  /** The rows, in row order. */
  rows: readonly number[];
  retryOf: string;
  errorKinds?: string[];
}

/** startRun starts `campaign` (see the file comment); it throws before anything is sent when it cannot. */
export async function startRun(core: ServiceCore, campaign: Campaign, options: StartOptions = {}, scope?: RunScope): Promise<Run> {
  const live = core.live;
  if (live !== undefined && !live.finished) throw new UserError(`"${live.name}" is still sending. Cancel it or wait for it to finish first.`);
  if (core.starting) throw new UserError('A campaign is already starting.');
  core.starting = true;
  try {
    const checked = await campaign.validate(MAX_START_PROBLEMS);
    const subset = scope === undefined ? undefined : new Set(scope.rows);
    const blocking = checked.problems.filter((x) => x.severity === 'error' && (subset === undefined || x.row === 0 || subset.has(x.row)));
    const refused = subset === undefined ? checked.errorCount > 0 : blocking.length > 0;
    if (refused && options.skipInvalid !== true) throw new InputError(blocking);
    if (!campaign.canLookUp) throw new UserError('Sending needs the API key of the account.');
    const spec = campaign.spec;
    const connection = core.connect(spec);
    try {
      const lookupOptions = options.onProgress === undefined ? { fresh: true, connection } : { fresh: true, connection, onProgress: options.onProgress };
      const lookup = subset !== undefined ? await campaign.lookUpRows(subset, lookupOptions) : (options.lookup ?? (await campaign.lookUp(lookupOptions)));
      const id = scope?.id ?? (await core.store.resolveId(await campaign.baseId(), { fresh: options.fresh === true }));
      const opened = await core.store.open(id, {
        csvFileName: campaign.contacts.name,
        csvHash: await campaign.contacts.hash(),
        csvDelimiter: campaign.contacts.delimiter,
        providerKind: spec.provider.kind,
        rowCount: scope?.rows.length ?? checked.rowCount,
        spec,
        ...(campaign.input.accountId === undefined ? {} : { profileId: campaign.input.accountId }),
        ...(scope === undefined ? {} : { retryOf: scope.retryOf, ...(scope.errorKinds === undefined ? {} : { retryErrorKinds: scope.errorKinds }) }),
      });
      const tap = new HistoryTap(core.workspace, id, () => core.clock.now(), () => opened.journal.rows());
      try {
        const sidecar = await core.sidecars.get(id, opened.dir);
        if (usesWassistColumns(spec, sidecar)) await recordVariants(sidecar, lookup?.fallbackRows ?? new Set(), opened.journal.rows().values(), options.resendUncertain === true);
        tap.reconcile();
      } catch (e) {
        await opened.close();
        throw e;
      }
      const settled = (row: number) => resumePlan(opened.journal.rows().get(row), options.resendUncertain === true).kind !== 'send';
      const source = subset === undefined ? campaign.contacts : onlyRows(campaign.contacts, subset);
      const audience = core.audience(campaign.plan, campaign.contacts.headers);
      const run = new Run({
        campaign: opened,
        spec,
        apiKey: campaign.input.apiKey,
        connection,
        clock: core.clock,
        jobs: planJobs(campaign.plan, source, checked.invalidRows, lookup?.resolution ?? {}, audience, (row, keys, note) => tap.routed(row, keys, note), settled),
        total: scope?.rows.length ?? checked.rowCount,
        resendUncertain: options.resendUncertain === true,
        endOnPause: options.endOnPause === true,
        ...(campaign.input.accountName === undefined ? {} : { accountName: campaign.input.accountName }),
        ...(scope === undefined ? {} : { rows: scope.rows }),
        beforeClose: () => {
          tap.flush();
          tap.reconcile();
        },
      });
      run.onEvent((e) => tap.event(e));
      core.live = run;
      return run;
    } catch (e) {
      await connection.close().catch(() => undefined);
      throw e;
    }
  } finally {
    core.starting = false;
  }
}

/**
 * recordVariants notes, before sending, which rows about to be sent take the fallback template.
 * A row the engine will not send again (resume.ts decides) keeps what it was sent.
 */
export async function recordVariants(sidecar: WassistSidecar, fallbackRows: ReadonlySet<number>, journalRows: Iterable<RowOutcome>, resendUncertain: boolean): Promise<void> {
  const kept = new Set<number>();
  for (const o of journalRows) if (resumePlan(o, resendUncertain).kind !== 'send') kept.add(o.row);
  for (const [row, variant] of sidecar.variants) if (variant === 'fallback' && !kept.has(row)) sidecar.variants.delete(row);
  for (const row of fallbackRows) if (!kept.has(row)) sidecar.variants.set(row, 'fallback');
  await sidecar.save();
}

/** DryRun is what a start would do: how many messages go out, and how many take the fallback template. */
export interface DryRun {
  messages: number;
  fallbackRows: number;
}

/**
 * dryRun works out what a start would send (skips with their reasons, which rows take the
 * fallback) and sends nothing; with `reportPath` it writes the report a run would start from.
 */
export async function dryRun(campaign: Campaign, lookup: Lookup | undefined, reportPath?: string): Promise<DryRun> {
  const checked = await campaign.validate();
  const routed = lookup ?? (await campaign.routeOffline());
  const skips = new Map<number, string>();
  for (const s of routed.routes.skips) skips.set(s.row, s.reason);
  const fallbackRows = routed.fallbackRows;
  const messages = routed.routes.message + routed.routes.fallback;
  if (reportPath !== undefined) {
    const outcome = (row: number): RowOutcome | undefined => {
      if (checked.invalidRows.has(row)) return { row, status: 'skipped', recipient: '', attempts: 0, error: 'invalid row' };
      const reason = skips.get(row);
      return reason === undefined ? undefined : { row, status: 'skipped', recipient: '', attempts: 0, error: reason };
    };
    let sidecar: WassistSidecar | undefined;
    if (usesWassistColumns(campaign.spec)) {
      sidecar = WassistSidecar.inMemory();
      for (const row of fallbackRows) sidecar.variants.set(row, 'fallback');
    }
    await writeCampaignReport(reportPath, campaign.contacts.headers, campaign.contacts.records(), outcome, sidecar);
  }
  return { messages, fallbackRows: fallbackRows.size };
}
