import { rm } from 'node:fs/promises';
import { errorKindOf, matchesErrorKinds } from '../../../shared/campaign/error-kinds';
import type { RowOutcome } from '../../../shared/engine/events';
import { UserError } from '../../../shared/ipc/user-error';
import type { CampaignSummary } from '../state/campaign-store';
import type { Campaign } from './campaign';
import type { StartOptions } from './launch';
import { startRun } from './launch';
import { latestOf, summaryOf } from './records';
import { retryRowsOf, writeRetryRows } from './retry-rows';
import type { Run } from './run';
import type { ServiceCore } from './service-core';

/**
 * Retrying what failed: a new run, linked to the first, that sends again exactly the rows that
 * ended `failed` there (optionally only some error kinds). It has its own id (`<id>-retry`,
 * `<id>-retry-2`…), folder, journal and report, and its rows keep their numbers in the file. Rows
 * that were sent can never be in it: only failed rows are chosen, and a failed row was never
 * accepted by the provider. The opt-out list and the frequency cap apply again, as for any run.
 * The rows are listed in the retry's folder (`retry-rows.json`) before it starts, so an
 * interrupted retry resumes with the same rows.
 */

/** RetryOptions: which error kinds to retry (none: every failed row), and how to start. */
export interface RetryOptions extends StartOptions {
  errorKinds?: string[];
}

/** RetryOutcome is the retry started, or why there is nothing to retry. */
export type RetryOutcome = { run: Run; sourceId: string; resumed: boolean } | { nothing: string; sourceId: string };

/** FailedRows counts a campaign's failed rows by error kind. */
export interface FailedRows {
  failed: number;
  kinds: { kind: string; count: number }[];
}

/** failedRowsOf counts the rows of campaign `id` that ended failed, by kind (most first). */
export async function failedRowsOf(core: ServiceCore, id: string): Promise<FailedRows> {
  await summaryOf(core, id);
  const kinds = new Map<string, number>();
  let failed = 0;
  // Only the failed rows are read whole (the journal's row store answers statuses a byte a row).
  const latest = await latestOf(core, id);
  for (const row of latest.rows(['failed'])) {
    const o = latest.get(row) as RowOutcome;
    failed++;
    const k = errorKindOf(o);
    kinds.set(k, (kinds.get(k) ?? 0) + 1);
  }
  return { failed, kinds: [...kinds].map(([kind, count]) => ({ kind, count })).sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind)) };
}

/**
 * startRetry starts a retry of campaign `sourceId`'s failed rows with `campaign` (the same
 * contacts, the campaign as it was sent). Nothing to retry is an answer, not an error.
 */
export async function startRetry(core: ServiceCore, campaign: Campaign, sourceId: string, options: RetryOptions = {}): Promise<RetryOutcome> {
  const live = core.live;
  const stillSending = (name: string) => new UserError(`"${name}" is still sending. Retry its failed rows once it has finished.`);
  if (live?.id === sourceId) {
    if (!live.finished) throw stillSending(live.name);
    await live.done; // its last rows are settled; its journal is being closed
  }
  const source = await summaryOf(core, sourceId);
  if (source.running) throw stillSending(source.meta.name);
  if (source.meta.csvHash !== undefined && (await campaign.contacts.hash()) !== source.meta.csvHash) {
    throw new UserError(`These contacts are not the file "${source.meta.name}" was sent to (${source.meta.csvFileName}); retry with that file.`);
  }
  const latest = await latestOf(core, sourceId);
  const rows: number[] = [];
  for (const row of latest.rows(['failed'])) if (matchesErrorKinds(latest.get(row) as RowOutcome, options.errorKinds)) rows.push(row);
  if (rows.length === 0) {
    const which = options.errorKinds === undefined ? '' : ` of the kinds ${options.errorKinds.join(', ')}`;
    return { nothing: `No rows${which} failed in campaign ${sourceId}: nothing to retry.`, sourceId };
  }
  let id: string;
  try {
    id = await core.store.resolveId(`${sourceId}-retry`, { fresh: true });
  } catch {
    throw new UserError('This campaign has been retried too many times in a row; retry the latest retry instead.');
  }
  await writeRetryRows(core.store, id, sourceId, options.errorKinds, rows);
  const scope = { id, rows, retryOf: sourceId, ...(options.errorKinds === undefined ? {} : { errorKinds: options.errorKinds }) };
  try {
    return { run: await startRun(core, campaign, { ...options, fresh: false }, scope), sourceId, resumed: false };
  } catch (e) {
    // A retry that never opened (not confirmed, rows with errors, a failed lookup) leaves no folder behind to take its id.
    if ((await core.store.get(id).catch(() => undefined)) === undefined) await rm(core.store.campaignDir(id), { recursive: true, force: true });
    throw e;
  }
}

/** resumeRetry resumes an interrupted retry with the rows it was started with. */
export async function resumeRetry(core: ServiceCore, campaign: Campaign, retry: CampaignSummary, options: StartOptions = {}): Promise<RetryOutcome> {
  const id = retry.meta.id;
  const rows = await retryRowsOf(core.store, id);
  const sourceId = retry.meta.retryOf;
  if (rows === undefined || sourceId === undefined) throw new UserError(`Campaign ${id} is not a retry.`);
  const kinds = retry.meta.retryErrorKinds;
  const scope = { id, rows, retryOf: sourceId, ...(kinds === undefined ? {} : { errorKinds: kinds }) };
  return { run: await startRun(core, campaign, { ...options, fresh: false }, scope), sourceId, resumed: true };
}

/**
 * latestRetryOf follows campaign `id`'s retries (and their retries) to the newest: what
 * `campaign send --retry-failed` retries, or resumes when it was interrupted.
 */
export async function latestRetryOf(core: ServiceCore, id: string): Promise<CampaignSummary> {
  const all = await core.store.list();
  let current = await summaryOf(core, id);
  for (;;) {
    const next = all.filter((c) => c.meta.retryOf === current.meta.id).sort((a, b) => b.meta.createdAt.localeCompare(a.meta.createdAt) || b.meta.id.localeCompare(a.meta.id))[0];
    if (next === undefined) return current;
    current = next;
  }
}
