import type { RowOutcome } from '../../../shared/engine/events';

/**
 * What every report format is written from: the input CSV's header and rows, each row's outcome,
 * the provider's extra columns and what is known about the campaign for the summary sheet.
 */

/** ReportRecord is one input row: its 1-based number and its cells. */
export interface ReportRecord {
  row: number;
  fields: readonly string[];
}

/**
 * ExtraColumns are columns a provider appends after the input columns (the contract's columns and
 * the input columns always come first, where every reader of the contract expects them).
 */
export interface ExtraColumns {
  /** The full header, given the contract's header with the input columns (so names can avoid collisions). */
  header(base: readonly string[]): string[];
  /** One row's extra cells as raw values: each format applies its own cell rule (the CSVs neutralise). */
  cells(row: number, outcome: RowOutcome | undefined): string[];
}

/**
 * combineColumns chains several contributions of extra columns (a provider's, the opt-out list's)
 * into one: each appends its columns after the previous ones, and sees their names when it picks its
 * own. Undefined when there is none.
 */
export function combineColumns(extras: readonly (ExtraColumns | undefined)[]): ExtraColumns | undefined {
  const all = extras.filter((x): x is ExtraColumns => x !== undefined);
  if (all.length <= 1) return all[0];
  return {
    header: (base) => all.reduce<string[]>((h, x) => x.header(h), [...base]),
    cells: (row, outcome) => all.flatMap((x) => x.cells(row, outcome)),
  };
}

/** ReportCampaign is what the summary sheet says about the campaign besides its rows (each optional). */
export interface ReportCampaign {
  name?: string;
  contactsFile?: string;
  provider?: string;
  /** When the campaign was created (ISO 8601). */
  createdAt?: string;
}

/** ReportInput is the data of one report, whatever its format. */
export interface ReportInput {
  /** The input CSV's column names, as imported. */
  headers: readonly string[];
  /** Every input row in input order (an iterable, so a file can stream through without being held). */
  records: Iterable<ReportRecord> | AsyncIterable<ReportRecord>;
  /** A row's outcome; undefined when it was never attempted (pending). */
  outcomeOf(row: number): RowOutcome | undefined;
  extra?: ExtraColumns | undefined;
  /** For the workbook's summary sheet; the CSVs have no place for it. */
  campaign?: ReportCampaign | undefined;
}

/** fitWidth pads or cuts a row's input cells to the header's width so every line has the same columns. */
export function fitWidth(fields: readonly string[], width: number): readonly string[] {
  return fields.length === width ? fields : Array.from({ length: width }, (_, i) => fields[i] ?? '');
}
