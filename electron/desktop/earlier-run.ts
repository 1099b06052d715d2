import type { EarlierRun, LookupErrorView } from '../../shared/ipc/contract';
import type { UserError } from '../../shared/ipc/user-error';
import type { Campaign } from '../core/campaign/campaign';
import { LookupError } from '../core/campaign/recipients';
import type { CampaignService } from '../core/campaign/service';
import type { Validation } from '../core/campaign/validation';

/**
 * What the validation report adds so the window can say what will really happen: what an earlier
 * run of the same campaign settled (a start resumes it, so those rows are not sent again), and a
 * lookup failure as data (the field to fix) rather than a note.
 */

/**
 * earlierRunOf reads the latest run of the campaign a start would resume (the id campaign:start
 * picks without `fresh`) and counts its rows: settled ones by status, and the valid rows a resume
 * would send (never recorded, or still pending; rows the routes skip left out). Undefined when it
 * never ran, settled nothing, or its journal cannot be read (opening it to send says why).
 */
export async function earlierRunOf(service: CampaignService, campaign: Campaign, v: Validation, routeSkips?: ReadonlyMap<number, unknown>): Promise<EarlierRun | undefined> {
  const id = await service.find(campaign);
  if (id === undefined) return undefined;
  let latest;
  try {
    latest = await service.latest(id);
  } catch {
    return undefined;
  }
  const run: EarlierRun = { campaignId: id, sent: 0, failed: 0, skipped: 0, uncertain: 0, toSend: 0 };
  for (let row = 1; row <= v.rowCount; row++) {
    const status = latest.get(row)?.status ?? 'pending';
    if (status === 'pending') {
      if (!v.invalidRows.has(row) && routeSkips?.has(row) !== true) run.toSend++;
    } else if (status === 'in-flight' || status === 'uncertain') run.uncertain++;
    else run[status]++;
  }
  return run.sent + run.failed + run.skipped + run.uncertain > 0 ? run : undefined;
}

/** lookupErrorOf is a failed lookup as the window shows it, next to the field when there is one. */
export function lookupErrorOf(e: UserError): LookupErrorView {
  return e instanceof LookupError && e.field !== undefined ? { message: e.message, field: e.field } : { message: e.message };
}
