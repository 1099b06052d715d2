import type { RowOutcome } from '../../shared/engine/events';
import { csvLines, reportCells, reportHeader } from '../../shared/report/delivery-report';
import { atomicWriteFile, removeTempFiles } from './state/atomic-write';

/** ReportRecord is one input row: its 1-based number and its cells. */
export interface ReportRecord {
  row: number;
  fields: readonly string[];
}

const BATCH = 2_000;

/**
 * ExtraColumns are columns a provider appends after the input columns (the contract's columns and
 * the input columns always come first, where every reader of the contract expects them).
 */
export interface ExtraColumns {
  /** The full header, given the contract's header with the input columns (so names can avoid collisions). */
  header(base: readonly string[]): string[];
  /** One row's extra cells, already neutralised. */
  cells(row: number, outcome: RowOutcome | undefined): string[];
}

/**
 * reportChunks yields the delivery report as CSV text in pieces: the header, then one line per
 * input row in input order, with the row's outcome (none yet = pending). Input cells are padded
 * or cut to the header's width so every line has the same columns.
 */
export async function* reportChunks(
  headers: readonly string[],
  records: Iterable<ReportRecord> | AsyncIterable<ReportRecord>,
  outcomeOf: (row: number) => RowOutcome | undefined,
  extra?: ExtraColumns,
): AsyncGenerator<string> {
  const base = reportHeader(headers);
  yield csvLines([extra === undefined ? base : extra.header(base)]);
  const width = headers.length;
  let batch: string[][] = [];
  for await (const rec of records) {
    const fields = rec.fields.length === width ? rec.fields : Array.from({ length: width }, (_, i) => rec.fields[i] ?? '');
    const outcome = outcomeOf(rec.row);
    const cells = reportCells(rec.row, outcome, fields);
    batch.push(extra === undefined ? cells : [...cells, ...extra.cells(rec.row, outcome)]);
    if (batch.length >= BATCH) {
      yield csvLines(batch);
      batch = [];
    }
  }
  if (batch.length > 0) yield csvLines(batch);
}

/**
 * writeReportFile writes the delivery report atomically (temp file, sync, rename): a crash during
 * the export leaves the previous report or none, never half of one.
 */
export async function writeReportFile(
  path: string,
  headers: readonly string[],
  records: Iterable<ReportRecord> | AsyncIterable<ReportRecord>,
  outcomeOf: (row: number) => RowOutcome | undefined,
  extra?: ExtraColumns,
): Promise<void> {
  // A crash during an earlier export may have left its temp file next to the report.
  await removeTempFiles(path).catch(() => undefined);
  await atomicWriteFile(path, reportChunks(headers, records, outcomeOf, extra));
}
