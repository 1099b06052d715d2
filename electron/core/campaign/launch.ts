import { UserError } from '../../../shared/ipc/user-error';
import { InputError } from '../../../shared/problems';
import type { Variant } from '../../../shared/campaign/plan';
import type { RowOutcome, RowStatus } from '../../../shared/engine/events';
import type { EngineJob } from '../engine/engine';
import type { RowOutcomes } from '../ports';
import { resumePlan } from '../engine/resume';
import { WassistSidecar } from '../wassist/sidecar';
import { reportFormatOf, writeReport } from '../report/write-report';
import { usesWassistColumns, wassistColumns } from '../wassist/wassist-report';
import type { Campaign } from './campaign';
import type { Lookup } from './recipients';
import { planJobs } from './routing';
import { Run } from './run';
import type { ServiceCore } from './service-core';
import type { Validation } from './validation';

/**
 * Starting a campaign: check every row, look the recipients up afresh over the connection the run
 * will use, open (or resume) the campaign in the workspace, note which rows take the fallback,
 * and hand the rows to the engine. The CLI and the desktop app both start runs here.
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
  /**
   * confirm asks the person before anything goes out (the desktop's own dialog), once every row is
   * checked and before any request, lookups included; false refuses the start with a UserError.
   */
  confirm?: Confirm;
}

/** Confirm asks whether `recipients` rows may go out (`test`: one row, as a test); it resolves true only when the person agreed. */
export type Confirm = (c: { recipients: number; test: boolean }) => Promise<boolean>;

/** MAX_START_PROBLEMS is how many problems a refused start lists (the counts are exact). */
export const MAX_START_PROBLEMS = 1_000;

/** startRun starts `campaign` (see the file comment); it throws before anything is sent when it cannot. */
export async function startRun(core: ServiceCore, campaign: Campaign, options: StartOptions = {}): Promise<Run> {
  const live = core.live;
  if (live !== undefined && !live.finished) throw new UserError(`"${live.name}" is still sending. Cancel it or wait for it to finish first.`);
  if (core.starting) throw new UserError('A campaign is already starting.');
  core.starting = true;
  try {
    // The last run has ended (its final status has gone out) but may still be closing its journal
    // and releasing the lock: a start right after it waits for that, or it would meet its own lock.
    if (live !== undefined) await live.done;
    const checked = await campaign.validate(MAX_START_PROBLEMS);
    if (checked.errorCount > 0 && options.skipInvalid !== true) throw new InputError(checked.problems.filter((x) => x.severity === 'error'));
    if (!campaign.canLookUp) throw new UserError('Sending needs the API key of the account.');
    if (options.confirm !== undefined && !(await options.confirm({ recipients: checked.sendable, test: false }))) {
      throw new UserError('Nothing was sent: the campaign was not confirmed.');
    }
    const spec = campaign.spec;
    const connection = core.connect(spec);
    try {
      const lookupOptions = options.onProgress === undefined ? { fresh: true, connection } : { fresh: true, connection, onProgress: options.onProgress };
      const lookup = options.lookup ?? (await campaign.lookUp(lookupOptions));
      const id = await core.store.resolveId(await campaign.baseId(), { fresh: options.fresh === true });
      // A run keeps its campaign's rows itself; a copy read for the window (its earlier run) would double them.
      core.pastJournals.forget();
      const opened = await core.store.open(id, {
        csvFileName: campaign.contacts.name,
        csvHash: await campaign.contacts.hash(),
        csvDelimiter: campaign.contacts.delimiter,
        providerKind: spec.provider.kind,
        rowCount: checked.rowCount,
        spec,
        ...(campaign.input.accountId === undefined ? {} : { profileId: campaign.input.accountId }),
      });
      let held: ReadonlyMap<number, Variant> = new Map();
      try {
        await campaign.keepValidation(opened.dir);
        const sidecar = await core.sidecars.get(id, opened.dir);
        const resend = options.resendUncertain === true;
        if (usesWassistColumns(spec, sidecar)) {
          const earlier = opened.journal.outcomes();
          await recordVariants(sidecar, lookup?.fallbackRows ?? new Set(), (row) => earlier.statusOf(row), resend);
          if (campaign.plan.checksActive) held = heldVariants(sidecar, openRows(earlier), resend);
        }
      } catch (e) {
        await opened.close();
        throw e;
      }
      const run = new Run({
        campaign: opened,
        spec,
        apiKey: campaign.input.apiKey,
        connection,
        clock: core.clock,
        jobs: jobsToRun(campaign, opened.journal.outcomes(), checked, lookup, held),
        total: checked.rowCount,
        resendUncertain: options.resendUncertain === true,
        endOnPause: options.endOnPause === true,
        ...(campaign.input.accountName === undefined ? {} : { accountName: campaign.input.accountName }),
      });
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
 * jobsToRun is what the engine is fed: every row of the contacts, except rows an earlier run
 * settled for good (sent, failed, skipped), which the engine counts from the journal without
 * them. Leaving them out spares rendering them again; when every row is settled the contacts are
 * not read at all, so re-running a finished campaign of a million rows takes a moment. A phone
 * campaign still routes every row: which row is a duplicate of which depends on all the numbers.
 */
function jobsToRun(campaign: Campaign, earlier: RowOutcomes, checked: Validation, lookup: Lookup | undefined, held: ReadonlyMap<number, Variant>): AsyncIterable<EngineJob> | EngineJob[] {
  const settled = earlier.count('sent') + earlier.count('failed') + earlier.count('skipped');
  if (settled >= checked.rowCount) return [];
  const done = (row: number) => {
    const status = earlier.statusOf(row);
    return status === 'sent' || status === 'failed' || status === 'skipped';
  };
  return planJobs(campaign.plan, campaign.contacts, checked.invalidRows, lookup?.resolution ?? {}, held, campaign.plan.phone === undefined ? done : undefined);
}

/** openRows are the rows an earlier run left open (in flight, uncertain, pending), as recorded. */
function* openRows(earlier: RowOutcomes): Generator<RowOutcome> {
  for (const row of earlier.rows(['in-flight', 'uncertain', 'pending'])) yield earlier.get(row) as RowOutcome;
}

/**
 * recordVariants notes, before sending, which rows about to be sent take the fallback template.
 * A row the engine will not send again (resume.ts decides from its recorded status) keeps what it was sent.
 */
export async function recordVariants(sidecar: WassistSidecar, fallbackRows: Iterable<number>, statusOf: (row: number) => RowStatus | undefined, resendUncertain: boolean): Promise<void> {
  const kept = (row: number) => {
    const status = statusOf(row);
    return status !== undefined && resumePlan({ row, status, recipient: '', attempts: 0 }, resendUncertain).kind !== 'send';
  };
  for (const [row, variant] of sidecar.variants) if (variant === 'fallback' && !kept(row)) sidecar.variants.delete(row);
  for (const row of fallbackRows) if (!kept(row)) sidecar.variants.set(row, 'fallback');
  await sidecar.save();
}

/**
 * heldVariants are the rows an earlier run left in doubt (in flight or uncertain, and not to be
 * sent again blindly) with the body each was sent: the engine reads their conversation back and
 * must look for that body, whatever the conversation's state is now (see Router).
 */
export function heldVariants(sidecar: WassistSidecar, journalRows: Iterable<RowOutcome>, resendUncertain: boolean): Map<number, Variant> {
  const held = new Map<number, Variant>();
  for (const o of journalRows) if (resumePlan(o, resendUncertain).kind === 'uncertain') held.set(o.row, sidecar.variants.get(o.row) ?? 'message');
  return held;
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
  const skips = new Map<number, string>();
  for (const s of lookup?.routes.skips ?? []) skips.set(s.row, s.reason);
  const fallbackRows = lookup?.fallbackRows ?? new Set<number>();
  const messages = lookup === undefined ? checked.sendable : lookup.routes.message + lookup.routes.fallback;
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
    const contacts = campaign.contacts;
    await writeReport(reportPath, {
      format: reportFormatOf(reportPath),
      delimiter: contacts.delimiter,
      headers: contacts.headers,
      records: contacts.records(),
      outcomeOf: outcome,
      extra: sidecar === undefined ? undefined : wassistColumns(sidecar),
      campaign: { name: campaign.spec.name ?? contacts.name, contactsFile: contacts.name, provider: campaign.spec.provider.kind },
    });
  }
  return { messages, fallbackRows: fallbackRows.size };
}
