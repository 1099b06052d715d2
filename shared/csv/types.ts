import type { Problem } from '../problems';
import type { CsvEncoding } from './decode';

/**
 * The shapes of an imported CSV, shared by the in-memory parse (parse.ts), the incremental
 * parser (stream.ts) and the Node file reader. parse.ts re-exports them: import from there.
 */

/** Delimiter is one of the four separators spreadsheets and CRMs write. */
export type Delimiter = ',' | ';' | '\t' | '|';

/** DELIMITERS lists the delimiters detection chooses from, in the order ties are broken. */
export const DELIMITERS: readonly Delimiter[] = [',', ';', '\t', '|'];

/**
 * CsvRecord is one data row. `fields` is a plain array (not an object keyed by header) because
 * a million objects with ten keys each cost several times the memory and time of arrays.
 */
export interface CsvRecord {
  /** 1-based data row: the header and skipped blank lines do not count. */
  row: number;
  /** 1-based physical line of the file where the row starts (a quoted newline makes a row span lines). */
  line: number;
  fields: string[];
}

/** CsvRow is a record as the incremental parser hands it out: with its problem when its field count is wrong. */
export interface CsvRow extends CsvRecord {
  problem?: Problem;
}

/** CsvTable is a whole CSV in memory. */
export interface CsvTable {
  /** Column names, trimmed, unique and non-blank. */
  headers: string[];
  /** Every data row, those with a wrong field count included (their problems are in `problems`). */
  records: CsvRecord[];
  delimiter: Delimiter;
  encoding: CsvEncoding;
  /** Things a person should check that do not stop the import (an encoding guess, say). */
  warnings: string[];
  /** One error per data row whose field count differs from the header's. */
  problems: Problem[];
}

/** CsvOptions are the user's overrides. */
export interface CsvOptions {
  /** Use this delimiter instead of detecting one. */
  delimiter?: Delimiter;
}
