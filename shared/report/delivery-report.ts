import Papa from 'papaparse';
import type { ReportStatus, RowOutcome } from '../engine/events';

/**
 * The delivery report contract (DESIGN.md): first `row, recipient, status, message_id, attempts,
 * http_status, error, sent_at`, then every input column unchanged (one whose name collides gets the
 * suffix ` (input)`). Cells a spreadsheet would run as a formula are neutralised in the CSV reports,
 * header cells included; the wire always got the raw value. The workbook needs no neutralising: it
 * stores every value as a text cell, which no spreadsheet evaluates.
 */

export const REPORT_COLUMNS = ['row', 'recipient', 'status', 'message_id', 'attempts', 'http_status', 'error', 'sent_at'] as const;

/**
 * NUMERIC_COLUMNS are the positions of the report's own numeric columns (row, attempts, http_status):
 * the only cells a workbook stores as numbers. Every other cell, every input value above all, is text.
 */
export const NUMERIC_COLUMNS: ReadonlySet<number> = new Set([0, 4, 5]);

/**
 * reportHeader is the report's header row for a CSV with these input headers. `cell` is the format's
 * cell rule (neutralizeCell for CSV): it applies to the names before collisions are resolved, so two
 * input names that neutralise alike (`=x` and `'=x`) still get distinct columns.
 */
export function reportHeader(inputHeaders: readonly string[], cell: (name: string) => string = (name) => name): string[] {
  const taken = new Set<string>(REPORT_COLUMNS);
  const out: string[] = [...REPORT_COLUMNS];
  for (const h of inputHeaders) {
    let name = cell(h);
    while (taken.has(name)) name = `${name} (input)`;
    taken.add(name);
    out.push(name);
  }
  return out;
}

const FORMULA_START = /^[=+\-@\t\r\n]/;
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

/**
 * neutralizeCell makes a cell safe to open in a spreadsheet: a value starting with `= + - @`, tab,
 * CR or LF gets a leading apostrophe, whatever follows, multi-line values included (papaparse's
 * `escapeFormulae` tests the whole value with a single-line pattern and misses those). A plain
 * number, an E.164 phone number such as `+14155550123` among them, is data, not a formula, and stays.
 */
export function neutralizeCell(value: string): string {
  if (!FORMULA_START.test(value) || PLAIN_NUMBER.test(value)) return value;
  return `'${value}`;
}

/** reportStatus maps a row state to the report's vocabulary: a row left in flight is uncertain. */
export function reportStatus(outcome: RowOutcome | undefined): ReportStatus {
  if (outcome === undefined) return 'pending';
  return outcome.status === 'in-flight' ? 'uncertain' : outcome.status;
}

/** reportFields is one report row as raw values: the outcome's columns, then the input fields as imported. */
export function reportFields(row: number, outcome: RowOutcome | undefined, inputFields: readonly string[]): string[] {
  return [
    String(row),
    outcome?.recipient ?? '',
    reportStatus(outcome),
    outcome?.messageId ?? '',
    String(outcome?.attempts ?? 0),
    outcome?.httpStatus === undefined ? '' : String(outcome.httpStatus),
    outcome?.error ?? '',
    outcome?.sentAt ?? '',
    ...inputFields,
  ];
}

/** reportCells is one CSV report row: reportFields with every cell neutralised. */
export function reportCells(row: number, outcome: RowOutcome | undefined, inputFields: readonly string[]): string[] {
  return reportFields(row, outcome, inputFields).map(neutralizeCell);
}

/** REPORT_NEWLINE is RFC 4180's line break, which every spreadsheet and CSV reader accepts. */
export const REPORT_NEWLINE = '\r\n';

/** UTF8_BOM starts "CSV for Excel": without it Excel on Windows reads a CSV in the system code page. */
export const UTF8_BOM = '\uFEFF';

/**
 * csvLines turns rows of cells into CSV text (each line ends with a newline), quoting as needed.
 * `delimiter` is `,` for the contract; CSV for Excel uses the one the contacts file came in with.
 */
export function csvLines(rows: readonly (readonly string[])[], delimiter = ','): string {
  if (rows.length === 0) return '';
  return (
    Papa.unparse(rows as string[][], { delimiter, newline: REPORT_NEWLINE, escapeFormulae: false, quotes: false }) + REPORT_NEWLINE
  );
}
