import type { CampaignPlan, PlannedRow } from '../../../shared/campaign/plan';
import { duplicateReason, fallbackRow, PhoneDeduper, planRow } from '../../../shared/campaign/plan';
import type { CsvRow } from '../../../shared/csv/parse';
import type { Problem } from '../../../shared/problems';
import type { FileChecker } from '../attachments/file-check';
import { checkRowFiles, refusedFiles } from './attachments';

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
}

/** ifInactive words a fallback problem as what it is: a problem only if the conversation turns out inactive. */
export function ifInactive(p: Problem): Problem {
  return p.severity === 'error' ? { ...p, reason: `if the conversation is inactive: ${p.reason}`, severity: 'warning' } : p;
}

/**
 * validatePlan checks every row once: the number (phone campaigns), the message, and duplicates
 * (a warning on the later row). Fallback problems are warnings ("if the conversation is inactive"):
 * which rows take the fallback is known only once the conversations are looked up, and a row that
 * then needs a fallback it cannot render is skipped with that reason. A campaign that attaches files
 * has each row's files checked on disk through `files` (exists, readable, size, type): a file that
 * cannot be attached is an error of its row (`files[i]`).
 */
export async function validatePlan(plan: CampaignPlan, source: RowSource, problemLimit = Infinity, files?: FileChecker): Promise<Validation> {
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
    // The disk is asked about a batch's files a few at a time: each check waits on the file system, not the CPU.
    const rows = files !== undefined && plan.files.length > 0 ? batch.map((rec) => planRow(plan, rec.row, rec.fields)) : undefined;
    const fileProblems = rows !== undefined && files !== undefined ? await checkBatchFiles(plan, files, batch, rows) : undefined;
    batch.forEach((rec, i) => {
      v.rowCount++;
      const planned = rows?.[i] ?? planRow(plan, rec.row, rec.fields);
      let problems = rec.problem === undefined ? planned.problems : [rec.problem, ...planned.problems];
      const onDisk = fileProblems?.[i];
      if (onDisk !== undefined && onDisk.length > 0) problems = [...problems, ...onDisk];
      const invalid = problems.some((p) => p.severity === 'error');
      for (const p of problems) note(p);
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
    });
  }
  return v;
}

/** FILE_CHECKS_AT_ONCE is how many files are checked on disk at a time (the thread pool is 4 by default; the rest is waiting). */
const FILE_CHECKS_AT_ONCE = 16;

/** checkBatchFiles checks the files of a batch's rows, a few at a time; each row's problems come back in row order. */
async function checkBatchFiles(plan: CampaignPlan, files: FileChecker, batch: readonly CsvRow[], rows: readonly PlannedRow[]): Promise<Problem[][]> {
  const out: Problem[][] = new Array<Problem[]>(batch.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < batch.length; i = next++) {
      const planned = rows[i] as PlannedRow;
      const rec = batch[i] as CsvRow;
      const mine = rec.problem === undefined ? planned.problems : [rec.problem, ...planned.problems];
      out[i] = planned.files.length === 0 ? [] : (await checkRowFiles(plan, files, rec.row, planned.files, refusedFiles(mine))).problems;
    }
  };
  await Promise.all(Array.from({ length: Math.min(FILE_CHECKS_AT_ONCE, batch.length) }, worker));
  return out;
}
