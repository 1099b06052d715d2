import Papa from 'papaparse';
import type { ReportStatus, RowOutcome } from '../engine/events';

/**
 * The delivery report contract (DESIGN.md): first `row, recipient, status, message_id, attempts,
 * http_status, error, sent_at`, then every input column unchanged (one whose name collides gets the
 * suffix ` (input)`). Cells a spreadsheet would run as a formula are neutralised here, in the report
 * only; the wire always got the raw value.
 */

export const REPORT_COLUMNS = ['row', 'recipient', 'status', 'message_id', 'attempts', 'http_status', 'error', 'sent_at'] as const;

/** reportHeader is the report's header row for a CSV with these input headers. */
export function reportHeader(inputHeaders: readonly string[]): string[] {
  const taken = new Set<string>(REPORT_COLUMNS);
  const out: string[] = [...REPORT_COLUMNS];
  for (const h of inputHeaders) {
    let name = h;
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

/** reportCells is one report row: the outcome's columns, then the input fields, every cell neutralised. */
export function reportCells(row: number, outcome: RowOutcome | undefined, inputFields: readonly string[]): string[] {
  const cells = [
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
  return cells.map(neutralizeCell);
}

/** REPORT_NEWLINE is RFC 4180's line break, which every spreadsheet and CSV reader accepts. */
export const REPORT_NEWLINE = '\r\n';

/** csvLines turns rows of cells into CSV text (each line ends with a newline), quoting as needed. */
export function csvLines(rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return '';
  return (
    Papa.unparse(rows as string[][], { newline: REPORT_NEWLINE, escapeFormulae: false, quotes: false }) + REPORT_NEWLINE
  );
}
