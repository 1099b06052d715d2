import { join } from 'node:path';
import type { EarlierRun, LookupErrorView } from '../../../shared/ipc/contract';
import type { UserError } from '../../../shared/ipc/user-error';
import type { JsonObject } from '../../../shared/json';
import { campaignId } from '../state/campaign-id';
import { scanJournal } from '../state/journal-reader';
import type { DesktopDeps } from './ports';
import type { PreparedCampaign } from './prepare';
import { LookupFailure } from './routing';

/**
 * What the validation report adds so the renderer can say what will really happen: what an
 * earlier run of the same campaign settled (a start resumes it, so those rows are not sent again),
 * and a lookup failure as data (the field to fix) rather than a note.
 */

/**
 * earlierRunOf reads the latest run of the campaign `p` would start or resume (the id
 * campaign:start picks without `fresh`) and counts its rows: settled ones by status, and the valid
 * rows a resume would send (never recorded, or still pending; rows the routes skip left out).
 * Undefined when there is no earlier run, it settled nothing, or its journal cannot be read.
 */
export async function earlierRunOf(deps: DesktopDeps, p: PreparedCampaign, invalid: ReadonlySet<number>, routeSkips?: ReadonlyMap<number, unknown>): Promise<EarlierRun | undefined> {
  const id = await deps.campaigns.resolveId(campaignId(p.dataset.hash, p.spec as unknown as JsonObject));
  if ((await deps.campaigns.get(id)) === undefined) return undefined;
  let latest;
  try {
    latest = (await scanJournal(join(deps.campaigns.campaignDir(id), 'journal.log'))).latest;
  } catch {
    return undefined; // a damaged journal is reported when the campaign is opened to send
  }
  const run: EarlierRun = { campaignId: id, sent: 0, failed: 0, skipped: 0, uncertain: 0, toSend: 0 };
  const rows = p.dataset.table.records.length;
  for (let row = 1; row <= rows; row++) {
    const status = latest.get(row)?.status ?? 'pending';
    if (status === 'pending') {
      if (!invalid.has(row) && routeSkips?.has(row) !== true) run.toSend++;
    } else if (status === 'in-flight' || status === 'uncertain') run.uncertain++;
    else run[status]++;
  }
  return run.sent + run.failed + run.skipped + run.uncertain > 0 ? run : undefined;
}

/** lookupErrorOf is a failed lookup as the renderer shows it, next to the field when there is one. */
export function lookupErrorOf(e: UserError): LookupErrorView {
  return e instanceof LookupFailure && e.field !== undefined ? { message: e.message, field: e.field } : { message: e.message };
}
