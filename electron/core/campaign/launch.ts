import { dirname, resolve } from 'node:path';
import { UserError } from '../../../shared/ipc/user-error';
import { InputError } from '../../../shared/problems';
import type { EngineJob } from '../engine/engine';
import type { RowOutcomes } from '../ports';
import { usesWassistColumns } from '../wassist/wassist-report';
import type { Campaign } from './campaign';
import { earlierRunOf, keptBy, settledOf } from './earlier-run';
import type { Lookup } from './recipients';
import type { AudienceCheck } from './audience';
import type { Earlier, SendHook } from './routing';
import { planJobs } from './routing';
import { HistoryTap } from './history-tap';
import { heldVariants, inDoubt, pinsOf, recordRouting } from './resumed-routing';
import { Run } from './run';
import type { ServiceCore } from './service-core';
import { onlyRows } from './validation';
import type { RowSource, Validation } from './validation';
import type { RowSet } from './row-set';

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
  /** Send the valid rows and skip the invalid ones (else an invalid row refuses the start); always so for a reopened campaign. */
  skipInvalid?: boolean;
  /** Send again rows whose outcome is unknown (they may be delivered twice). */
  resendUncertain?: boolean;
  /** A lookup made for this start (fresh); made here when the campaign needs one and none is given. */
  lookup?: Lookup;
  /** Headless: a pause by the error threshold ends the run (see RunOptions). */
  endOnPause?: boolean;
  /** Progress of the lookup, in words. */
  onProgress?: (text: string) => void;
  /**
   * confirm asks the person before anything goes out (the desktop's own dialog), once every row is
   * checked and before any request, lookups included; false refuses the start with a UserError.
   */
  confirm?: Confirm;
}

/**
 * Confirm asks whether `recipients` rows may go out (`test`: one row, as a test; `files`: what each
 * message attaches, in words); it resolves true only when the person agreed.
 */
export type Confirm = (c: { recipients: number; test: boolean; files?: string }) => Promise<boolean>;

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
    // The last run has ended (its final status has gone out) but may still be closing its journal
    // and releasing the lock: a start right after it waits for that, or it would meet its own lock.
    if (live !== undefined) await live.done;
    // Errors that block a row wherever it goes refuse the start before any lookup. A retry checks
    // only its own rows: they are all it sends (and all the frequency cap counts in it). The files a
    // campaign attaches are looked at on disk again: they may have changed since the preview.
    const subset = scope === undefined ? undefined : new Set(scope.rows);
    const source = subset === undefined ? campaign.contacts : onlyRows(campaign.contacts, subset);
    if (subset !== undefined) campaign.files?.forget();
    const offline = subset === undefined ? await campaign.validate(MAX_START_PROBLEMS, true) : await core.validate(campaign.plan, source, MAX_START_PROBLEMS, campaign.files);
    // A reopened campaign skips what its first start skipped (the same contacts and campaign have the
    // same invalid rows, and it only started because they were to be skipped); it cannot be edited
    // on the way, so a row that cannot go out as it is now is skipped too, its reason in the report.
    const skipInvalid = options.skipInvalid === true || campaign.reopened !== undefined;
    if (offline.errorCount > 0 && !skipInvalid) throw new InputError(offline.problems.filter((x) => x.severity === 'error'));
    if (!campaign.canLookUp) throw new UserError('Sending needs the API key of the account.');
    const resend = options.resendUncertain === true;
    const id = scope?.id ?? (await runIdOf(core, campaign, options));
    const files = await campaign.filesSummary();
    if (options.confirm !== undefined && !(await options.confirm({ recipients: await leftToSend(core, id, offline, resend), test: false, ...(files === undefined ? {} : { files }) }))) {
      throw new UserError('Nothing was sent: the campaign was not confirmed.');
    }
    const spec = campaign.spec;
    const connection = core.connect(spec);
    try {
      const lookupOptions = {
        fresh: true,
        connection,
        problemLimit: MAX_START_PROBLEMS,
        settled: campaign.needsLookup ? await settledOf(core, id, resend) : new Set<number>(),
        ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
      };
      const lookup = subset !== undefined ? await campaign.lookUpRows(subset, lookupOptions) : (options.lookup ?? (await campaign.lookUp(lookupOptions)));
      // Once the conversations are known, each row is judged by the body it will actually send.
      const checked = lookup?.validation ?? offline;
      if (checked.errorCount > 0 && !skipInvalid) throw new InputError(checked.problems.filter((x) => x.severity === 'error'));
      const csvPath = ownFile(core, campaign.contacts.path);
      // A run keeps its campaign's rows itself; a copy read for the window (its earlier run) would double them.
      core.pastJournals.forget();
      const opened = await core.store.open(id, {
        csvFileName: campaign.contacts.name,
        csvHash: await campaign.contacts.hash(),
        csvDelimiter: campaign.contacts.delimiter,
        providerKind: spec.provider.kind,
        rowCount: scope?.rows.length ?? checked.rowCount,
        spec,
        ...(campaign.input.accountId === undefined ? {} : { profileId: campaign.input.accountId }),
        ...(scope === undefined ? {} : { retryOf: scope.retryOf, ...(scope.errorKinds === undefined ? {} : { retryErrorKinds: scope.errorKinds }) }),
        ...(csvPath === undefined ? {} : { csvPath }),
      });
      const tap = new HistoryTap(core.workspace, id, () => core.clock.now(), () => opened.journal.outcomes());
      // Rows an earlier run settled are not sent again: not judged by the opt-out list or the cap either.
      const earlier: Earlier = { settled: keptBy(opened.journal.outcomes(), resend) };
      try {
        await campaign.keepValidation(opened.dir);
        const sidecar = await core.sidecars.get(id, opened.dir);
        if (usesWassistColumns(spec, sidecar)) {
          const journal = opened.journal.outcomes();
          await recordRouting(sidecar, lookup, journal, resend);
          if (campaign.plan.phone !== undefined) earlier.pins = pinsOf(journal, sidecar);
          if (campaign.plan.checksActive) earlier.held = heldVariants(sidecar, inDoubt(journal), resend);
        }
        tap.reconcile();
      } catch (e) {
        await opened.close();
        throw e;
      }
      const audience = core.audience(campaign.plan, campaign.contacts.headers);
      const onSend: SendHook = (row, keys, note) => tap.routed(row, keys, note);
      const resolution = lookup?.resolution ?? {};
      const run = new Run({
        campaign: opened,
        spec,
        apiKey: campaign.input.apiKey,
        connection,
        clock: core.clock,
        jobs: jobsToRun(campaign, source, opened.journal.outcomes(), checked, lookup, earlier, audience, onSend, scope?.rows.length),
        // Rows that waited for their quiet hours are routed again once due, in one pass over the
        // contacts: the opt-out list and the cap are asked again then (someone may have opted out).
        replan: (rows) => planJobs(campaign.plan, onlyRows(source, new Set(rows)), checked.invalidRows, resolution, earlier, core.audience(campaign.plan, campaign.contacts.headers), onSend, campaign.files),
        total: scope?.rows.length ?? checked.rowCount,
        resendUncertain: resend,
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
 * jobsToRun is what the engine is fed: every row of `source` (the contacts, or a retry's rows),
 * except rows an earlier run settled for good (sent, failed, skipped), which the engine counts from
 * the journal without them. Leaving them out spares rendering them again (the audience does not
 * judge them either, see Earlier.settled); when every row is settled the contacts are not read at
 * all, so re-running a finished campaign of a million rows takes a moment. A phone campaign still
 * routes every row: which row is a duplicate of which depends on all the numbers.
 */
function jobsToRun(
  campaign: Campaign,
  source: RowSource,
  journal: RowOutcomes,
  checked: Validation,
  lookup: Lookup | undefined,
  earlier: Earlier,
  audience: AudienceCheck,
  onSend: SendHook,
  scopeRows: number | undefined,
): AsyncIterable<EngineJob> | EngineJob[] {
  const settled = journal.count('sent') + journal.count('failed') + journal.count('skipped');
  if (settled >= (scopeRows ?? checked.rowCount)) return [];
  const done = (row: number) => {
    const status = journal.statusOf(row);
    return status === 'sent' || status === 'failed' || status === 'skipped';
  };
  const leaveOut = campaign.plan.phone === undefined ? done : undefined;
  return planJobs(campaign.plan, source, checked.invalidRows, lookup?.resolution ?? {}, earlier, audience, onSend, campaign.files, leaveOut);
}

/**
 * runIdOf is the run a start of `campaign` opens: the run it was reopened as, else the latest run of
 * its contacts and campaign (a re-run resumes it), or with `fresh` a new one.
 */
async function runIdOf(core: ServiceCore, campaign: Campaign, options: Pick<StartOptions, 'fresh'>): Promise<string> {
  if (campaign.reopened !== undefined && options.fresh !== true) return campaign.reopened;
  return core.store.resolveId(await campaign.baseId(), { fresh: options.fresh === true });
}

/**
 * leftToSend is how many rows a start of run `id` sends (the number the person confirms): every
 * valid row of a new run; of an earlier one, what it has not settled (see earlierRunOf; rows in
 * doubt are read back, not sent, unless `resendUncertain`). Rows the lookup will skip are not known
 * before the confirmation, which comes before any request.
 */
async function leftToSend(core: ServiceCore, id: string, checked: Validation, resendUncertain: boolean): Promise<number> {
  const earlier = await earlierRunOf(core, id, checked);
  return earlier === undefined ? checked.sendable : earlier.toSend + (resendUncertain ? earlier.uncertain : 0);
}

/**
 * ownFile is the absolute path of contacts that are the user's own file (the CLI's), which a resume
 * reopens from there; undefined for the workspace's copies (the desktop's imports, found by hash).
 */
function ownFile(core: ServiceCore, path: string): string | undefined {
  const full = resolve(path);
  const dir = core.contactsDir === undefined ? undefined : resolve(core.contactsDir);
  return dir !== undefined && dirname(full) === dir ? undefined : full;
}

/**
 * settledRows are the rows a start of `campaign` would not send again: those its latest run recorded
 * as settled (sent, failed, skipped, or uncertain unless they are to be resent). Empty for a first or
 * a fresh run. A resume looks up only the other rows' conversations.
 */
export async function settledRows(core: ServiceCore, campaign: Campaign, options: Pick<StartOptions, 'fresh' | 'resendUncertain'> = {}): Promise<RowSet> {
  return settledOf(core, await runIdOf(core, campaign, options), options.resendUncertain === true);
}
