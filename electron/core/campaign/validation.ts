import type { CampaignPlan } from '../../../shared/campaign/plan';
import { duplicateReason, fallbackRow, PhoneDeduper, planRow } from '../../../shared/campaign/plan';
import type { CsvRow } from '../../../shared/csv/parse';
import type { Problem } from '../../../shared/problems';
import type { AudienceCheck } from './audience';

/**
 * Validation checks every row of a campaign offline, before anything is sent or looked up: the
 * number (phone campaigns), the message, duplicates, and the fallback template. Rows are read
 * from a RowSource pass by pass, so a million-row CSV is never held in memory.
 */

/** RowSource is where a campaign's rows come from; each call to batches() starts over from row 1. */
export interface RowSource {
  headers: string[];
  batches(): Iterable<CsvRow[]> | AsyncIterable<CsvRow[]>;
}

/** onlyRows reads only the rows in `rows` of a source (a retry's), each with its number in the file. */
export function onlyRows(source: RowSource, rows: ReadonlySet<number>): RowSource {
  return {
    headers: source.headers,
    async *batches() {
      for await (const batch of source.batches()) {
        const kept = batch.filter((r) => rows.has(r.row));
        if (kept.length > 0) yield kept;
      }
    },
  };
}

/** SCREEN is how many rows validation plans before checking them against the opt-out list together. */
const SCREEN = 64;

/** Validation is what checking every row found. */
export interface Validation {
  rowCount: number;
  /** Rows with no error: they will be sent (or routed). */
  sendable: number;
  invalidRows: Set<number>;
  errorCount: number;
  warningCount: number;
  /** Problems in row order, at most `problemLimit`. */
  problems: Problem[];
  truncated: boolean;
  usedColumns: string[];
  /** Rows whose number an earlier valid row already has (sent once, these are skipped). */
  duplicateRows: number;
  /** Valid rows whose recipient is on the opt-out list: skipped (not counted in `sendable`). */
  optedOutRows: number;
  /** Valid rows over the workspace's frequency cap: skipped (not counted in `sendable`). */
  cappedRows: number;
  /** Rows on the opt-out list that the campaign sends anyway (it ignores the list, with a reason). */
  overriddenRows: number;
}

/** ifInactive words a fallback problem as what it is: a problem only if the conversation turns out inactive. */
export function ifInactive(p: Problem): Problem {
  return p.severity === 'error' ? { ...p, reason: `if the conversation is inactive: ${p.reason}`, severity: 'warning' } : p;
}

/**
 * validatePlan checks every row once: the number (phone campaigns), the message, and duplicates
 * (a warning on the later row). Fallback problems are warnings ("if the conversation is inactive"):
 * which rows take the fallback is known only once the conversations are looked up, and a row that
 * then needs a fallback it cannot render is skipped with that reason. With `audience`, a valid row
 * whose recipient opted out or is over the frequency cap is a warning saying why it is not sent.
 */
export async function validatePlan(plan: CampaignPlan, source: RowSource, problemLimit = Infinity, audience?: AudienceCheck): Promise<Validation> {
  const v: Validation = {
    rowCount: 0,
    sendable: 0,
    invalidRows: new Set(),
    errorCount: 0,
    warningCount: 0,
    problems: [],
    truncated: false,
    usedColumns: plan.columns,
    duplicateRows: 0,
    optedOutRows: 0,
    cappedRows: 0,
    overriddenRows: 0,
  };
  const note = (p: Problem) => {
    if (p.severity === 'error') v.errorCount++;
    else v.warningCount++;
    if (v.problems.length < problemLimit) v.problems.push(p);
    else v.truncated = true;
  };
  const dedupe = new PhoneDeduper();
  const fallbackMatters = plan.fallback !== undefined && plan.checksActive && plan.policy === 'fallback';
  for await (const batch of source.batches()) {
    // Rows go in runs of SCREEN: the opt-out list is checked for a run at once (AudienceCheck.screen).
    for (let start = 0; start < batch.length; start += SCREEN) {
      const run = batch.slice(start, start + SCREEN).map((rec) => ({ rec, planned: planRow(plan, rec.row, rec.fields), fields: rec.fields }));
      const screened = audience?.screen(run);
      for (const [i, { rec, planned }] of run.entries()) {
        v.rowCount++;
        const problems = rec.problem === undefined ? planned.problems : [rec.problem, ...planned.problems];
        const invalid = problems.some((p) => p.severity === 'error');
        for (const p of problems) note(p);
        if (!invalid && audience !== undefined) {
          const keys = audience.counting ? audience.keysOf(planned, rec.fields) : undefined;
          const verdict = audience.judge(planned, rec.fields, undefined, keys, screened?.[i]);
          if (verdict.kind === 'skip') {
            if (verdict.why === 'opted-out') v.optedOutRows++;
            else v.cappedRows++;
            // Worded only when listed: the wording reads the entry from the database.
            if (v.problems.length < problemLimit) note({ row: rec.row, field: 'recipient', reason: `${verdict.reason()}: not sent`, severity: 'warning' });
            else {
              v.warningCount++;
              v.truncated = true;
            }
            continue;
          }
          if (verdict.note !== undefined) v.overriddenRows++;
          if (keys !== undefined) audience.sending(rec.row, keys);
        }
        if (!invalid && planned.phone !== undefined) {
          const first = dedupe.see(rec.row, planned.phone);
          if (first !== undefined) {
            v.duplicateRows++;
            const p: Problem = { row: rec.row, field: 'recipient.phone', reason: duplicateReason(first, planned.phone), severity: 'warning' };
            if (plan.phone?.columns[0] !== undefined) p.column = plan.phone.columns[0];
            note(p);
          }
        }
        if (!invalid && fallbackMatters) {
          for (const p of fallbackRow(plan, rec.row, rec.fields)?.problems ?? []) note(ifInactive(p));
        }
        if (invalid) v.invalidRows.add(rec.row);
        else v.sendable++;
      }
    }
  }
  return v;
}
