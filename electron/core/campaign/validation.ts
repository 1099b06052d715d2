import type { CampaignPlan, PlannedRow } from '../../../shared/campaign/plan';
import { ambiguityWarning, duplicateReason, fallbackRow, isMessageProblem, PhoneDeduper, planRow } from '../../../shared/campaign/plan';
import type { CsvRow } from '../../../shared/csv/parse';
import type { Problem } from '../../../shared/problems';
import type { FileChecker } from '../attachments/file-check';
import { checkRowFiles, refusedFiles } from './attachments';
import type { AudienceCheck, RowWait } from './audience';

/**
 * Validation checks every row of a campaign offline, before anything is sent or looked up: the
 * number (phone campaigns), the message, duplicates, and the fallback template. Rows are read
 * from a RowSource pass by pass, so a million-row CSV is never held in memory.
 *
 * In a campaign that checks its conversations (every free-form Wassist message, by default), what a
 * row sends depends on its conversation: an active one gets the message, an inactive one the
 * fallback template or nothing. Before the lookup such a row's message problems are warnings that
 * say so ("if the conversation is active: …") instead of blocking the campaign; once the
 * conversations are known, routed-validation.ts judges each row by the body it will send.
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
  /** Rows whose message has errors that matter only if their conversation is active (before a lookup; 0 after). */
  conditionalRows: number;
  /** Whether each row was judged by where it goes (after a lookup), or offline. */
  routed: boolean;
  /** Valid rows whose recipient is on the opt-out list: skipped (not counted in `sendable`). */
  optedOutRows: number;
  /** Valid rows over the workspace's frequency cap: skipped (not counted in `sendable`). */
  cappedRows: number;
  /** Rows on the opt-out list that the campaign sends anyway (it ignores the list, with a reason). */
  overriddenRows: number;
  /** Sendable rows outside their quiet-hours window now: they wait, pending, and go when it opens. */
  waitingRows: number;
  /** The waits by when they end, in the order first met: the words, how many rows, the first row. */
  waits: WaitGroup[];
}

/** WaitGroup is the rows that wait for the same opening ("waits until 09:00 local (Europe/Berlin), …"). */
export interface WaitGroup {
  text: string;
  rows: number;
  firstRow: number;
}

/** noteWait counts a sendable row that waits for its quiet hours, grouped by its wait's words. */
export function noteWait(v: Validation, row: number, wait: RowWait | undefined): void {
  if (wait === undefined) return;
  v.waitingRows++;
  let groups = waitGroups.get(v);
  if (groups === undefined) waitGroups.set(v, (groups = new Map()));
  const group = groups.get(wait.text);
  if (group !== undefined) group.rows++;
  else {
    const added: WaitGroup = { text: wait.text, rows: 1, firstRow: row };
    groups.set(wait.text, added);
    v.waits.push(added);
  }
}

/** The groups of a validation being made, by their words (a country's rows share one). */
const waitGroups = new WeakMap<Validation, Map<string, WaitGroup>>();

/** emptyValidation starts a validation of `plan`. */
export function emptyValidation(plan: CampaignPlan, routed: boolean): Validation {
  return {
    rowCount: 0,
    sendable: 0,
    invalidRows: new Set(),
    errorCount: 0,
    warningCount: 0,
    problems: [],
    truncated: false,
    usedColumns: plan.columns,
    duplicateRows: 0,
    conditionalRows: 0,
    routed,
    optedOutRows: 0,
    cappedRows: 0,
    overriddenRows: 0,
    waitingRows: 0,
    waits: [],
  };
}

/** noter counts a problem into `v` and keeps it while under `limit`. */
export function noter(v: Validation, limit: number): (p: Problem) => void {
  return (p) => {
    if (p.severity === 'error') v.errorCount++;
    else v.warningCount++;
    if (v.problems.length < limit) v.problems.push(p);
    else v.truncated = true;
  };
}

/** ifInactive words a fallback problem as what it is: a problem only if the conversation turns out inactive. */
export function ifInactive(p: Problem): Problem {
  return p.severity === 'error' ? { ...p, reason: `if the conversation is inactive: ${p.reason}`, severity: 'warning' } : p;
}

/** ifActive words a message problem as what it is before the lookup: a problem only if the conversation turns out active. */
export function ifActive(plan: CampaignPlan, p: Problem): Problem {
  if (p.severity !== 'error') return p;
  const otherwise = plan.policy === 'fallback' && plan.fallback !== undefined ? 'an inactive one gets the fallback template' : 'an inactive one is skipped';
  return { ...p, reason: `if the conversation is active: ${p.reason} (${otherwise})`, severity: 'warning' };
}

/** RowView is one row as the offline checks see it. */
export interface RowView {
  /** Its problems as shown before the lookup (message errors worded `ifActive` when conditional). */
  problems: Problem[];
  /** An error that blocks the row wherever it goes (the number, the conversation id, the CSV row). */
  invalid: boolean;
  /** The message has errors, but the row's fate depends on its conversation. */
  conditional: boolean;
}

/** offlineView judges a row before its conversation is known (see the file comment). */
export function offlineView(plan: CampaignPlan, rec: CsvRow, planned: PlannedRow): RowView {
  const all = rec.problem === undefined ? planned.problems : [rec.problem, ...planned.problems];
  const errors = all.filter((p) => p.severity === 'error');
  if (errors.length === 0) return { problems: all, invalid: false, conditional: false };
  if (!plan.checksActive || errors.some((p) => !isMessageProblem(p))) return { problems: all, invalid: true, conditional: false };
  return { problems: all.map((p) => (isMessageProblem(p) ? ifActive(plan, p) : p)), invalid: false, conditional: true };
}

/**
 * noteAudienceSkip counts a valid row the opt-out list or the frequency cap skips, with a warning
 * saying why ("…: not sent"). The reason is worded only for a warning that is kept: the wording
 * reads the entry from the database.
 */
export function noteAudienceSkip(v: Validation, note: (p: Problem) => void, limit: number, row: number, why: 'opted-out' | 'capped', reason: () => string): void {
  if (why === 'opted-out') v.optedOutRows++;
  else v.cappedRows++;
  if (v.problems.length < limit) note({ row, field: 'recipient', reason: `${reason()}: not sent`, severity: 'warning' });
  else {
    v.warningCount++;
    v.truncated = true;
  }
}

/**
 * validatePlan checks every row once, offline: the number (phone campaigns), the message, and
 * duplicates (a warning on the later row). Fallback problems are warnings ("if the conversation is
 * inactive"), message problems of a campaign that checks its conversations too ("if … active"):
 * which body a row takes is known only once the conversations are looked up. With `audience`, a
 * valid row whose recipient opted out or is over the frequency cap is a warning saying why it is
 * not sent (and is not `sendable`); after a lookup, routed-validation.ts judges the same rules
 * by the conversation found too. A campaign that attaches files has each row's files checked on
 * disk through `files` (exists, readable, size, type): a file that cannot be attached is an error
 * of its row (`files[i]`), wherever it goes.
 */
export async function validatePlan(plan: CampaignPlan, source: RowSource, problemLimit = Infinity, audience?: AudienceCheck, files?: FileChecker): Promise<Validation> {
  const v = emptyValidation(plan, false);
  const note = noter(v, problemLimit);
  const dedupe = new PhoneDeduper();
  const fallbackMatters = plan.fallback !== undefined && plan.checksActive && plan.policy === 'fallback';
  for await (const batch of source.batches()) {
    // Rows go in runs of SCREEN: the opt-out list is checked for a run at once (AudienceCheck.screen).
    for (let start = 0; start < batch.length; start += SCREEN) {
      const recs = batch.slice(start, start + SCREEN);
      let planned = recs.map((rec) => planRow(plan, rec.row, rec.fields));
      // The disk is asked about a run's files a few at a time: each check waits on the file system, not the CPU.
      if (files !== undefined && plan.files.length > 0) {
        const onDisk = await checkBatchFiles(plan, files, recs, planned);
        planned = planned.map((p, i) => withProblems(p, onDisk[i]));
      }
      const run = recs.map((rec, i) => ({ rec, planned: planned[i] as PlannedRow, fields: rec.fields }));
      const screened = audience?.screen(run);
      for (const [i, { rec, planned }] of run.entries()) {
        v.rowCount++;
        const view = offlineView(plan, rec, planned);
        for (const p of view.problems) note(p);
        if (view.invalid) {
          v.invalidRows.add(rec.row);
          continue;
        }
        if (audience !== undefined) {
          const keys = audience.counting ? audience.keysOf(planned, rec.fields) : undefined;
          const verdict = audience.judge(planned, rec.fields, undefined, keys, screened?.[i]);
          if (verdict.kind === 'skip') {
            noteAudienceSkip(v, note, problemLimit, rec.row, verdict.why, verdict.reason);
            continue;
          }
          if (verdict.note !== undefined) v.overriddenRows++;
          if (keys !== undefined) audience.sending(rec.row, keys);
        }
        v.sendable++;
        noteWait(v, rec.row, audience?.waitOf(planned));
        if (view.conditional) v.conditionalRows++;
        const ambiguous = ambiguityWarning(plan, planned);
        if (ambiguous !== undefined) note(ambiguous);
        else if (planned.phone !== undefined) {
          const first = dedupe.see(rec.row, planned.phone);
          if (first !== undefined) {
            v.duplicateRows++;
            note(duplicateWarning(plan, rec.row, first, planned.phone));
          }
        }
        if (fallbackMatters) {
          for (const p of fallbackRow(plan, rec.row, rec.fields)?.problems ?? []) note(ifInactive(p));
        }
      }
    }
  }
  return v;
}

/** withProblems is `planned` with the problems its files have on disk (none: as it is). */
export function withProblems(planned: PlannedRow, more: readonly Problem[] | undefined): PlannedRow {
  return more === undefined || more.length === 0 ? planned : { ...planned, problems: [...planned.problems, ...more] };
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

/** duplicateWarning is the warning on a row whose number an earlier row has. */
export function duplicateWarning(plan: CampaignPlan, row: number, first: number, e164: string): Problem {
  const p: Problem = { row, field: 'recipient.phone', reason: duplicateReason(first, e164), severity: 'warning' };
  if (plan.phone?.columns[0] !== undefined) p.column = plan.phone.columns[0];
  return p;
}
