import { resumePlan } from '../engine/resume';
import type { RowOutcomes } from '../ports';
import type { ServiceCore } from './service-core';
import type { Validation } from './validation';
import { latestOf } from './records';
import { RowSet } from './row-set';

/**
 * What an earlier run of the same campaign (same contacts, same campaign) settled. A start resumes
 * the latest run, so those rows are not sent again: a person is told how many really go out.
 */

/** EarlierRun counts the latest run's rows: settled ones by status, and the rows a resume would send. */
export interface EarlierRun {
  campaignId: string;
  sent: number;
  failed: number;
  skipped: number;
  /** Rows in flight or uncertain: not sent again unless asked (they may have been delivered). */
  uncertain: number;
  /** Valid rows a resume sends: never recorded, or still pending; rows the routes skip left out. */
  toSend: number;
}

/**
 * earlierRunOf reads run `id` (the one a start would resume) and counts its rows against `v` (and
 * the route skips of a lookup). Undefined when it settled nothing or its journal cannot be read
 * (opening it to send says why).
 */
export async function earlierRunOf(core: ServiceCore, id: string, v: Validation, routeSkips?: ReadonlyMap<number, unknown>): Promise<EarlierRun | undefined> {
  let latest: RowOutcomes;
  try {
    latest = await latestOf(core, id);
  } catch {
    return undefined;
  }
  const run: EarlierRun = { campaignId: id, sent: 0, failed: 0, skipped: 0, uncertain: 0, toSend: 0 };
  for (let row = 1; row <= v.rowCount; row++) {
    const status = latest.statusOf(row) ?? 'pending';
    if (status === 'pending') {
      if (!v.invalidRows.has(row) && routeSkips?.has(row) !== true) run.toSend++;
    } else if (status === 'in-flight' || status === 'uncertain') run.uncertain++;
    else run[status]++;
  }
  return run.sent + run.failed + run.skipped + run.uncertain > 0 ? run : undefined;
}

/** settledOf are the rows campaign `id` (a run, or a retry) would not send again if started now. */
export async function settledOf(core: ServiceCore, id: string, resendUncertain: boolean): Promise<RowSet> {
  const out = new RowSet();
  if ((await core.store.get(id)) === undefined) return out;
  const latest = await latestOf(core, id);
  const kept = keptBy(latest, resendUncertain);
  for (const row of latest.rows()) if (kept(row)) out.add(row);
  return out;
}

/**
 * keptBy answers whether the engine leaves a row as `journal` recorded it (resume.ts decides from its
 * status alone), reading one status at a time instead of an outcome object per row.
 */
export function keptBy(journal: RowOutcomes, resendUncertain: boolean): (row: number) => boolean {
  return (row) => {
    const status = journal.statusOf(row);
    return status !== undefined && resumePlan({ row, status, recipient: '', attempts: 0 }, resendUncertain).kind !== 'send';
  };
}
