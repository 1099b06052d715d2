import type { RowOutcome } from '../../../shared/engine/events';
import { csvLines, neutralizeCell, reportCells, reportHeader } from '../../../shared/report/delivery-report';
import type { ReportRecord } from '../report-writer';
import { reportChunks } from '../report-writer';
import { atomicWriteFile, removeTempFiles } from '../state/atomic-write';
import type { WassistSidecar } from './sidecar';

/**
 * The delivery report of a Wassist campaign that uses phone recipients, a fallback template,
 * an action, or has delivery statuses: the contract's columns and every input column exactly as
 * DESIGN.md has them, then three more columns at the END (so every reader of the contract still
 * finds its columns where it expects them):
 *   `variant`             `message` or `fallback`: which body the row was sent (blank if not attempted)
 *   `delivery_status`     sent · delivered · read · failed, as Wassist last reported it
 *   `delivery_status_at`  when that status was first seen (ISO 8601; Wassist gives no time per status)
 * An input column that has one of these names keeps it; the extra column then gets ` (wassist)`.
 */

/** EXTRA_COLUMNS are the columns appended after the input columns. */
export const EXTRA_COLUMNS = ['variant', 'delivery_status', 'delivery_status_at'] as const;

/** wassistReportHeader is the full header: the contract's, the input columns, then the extras. */
export function wassistReportHeader(inputHeaders: readonly string[]): string[] {
  const base = reportHeader(inputHeaders);
  const taken = new Set(base);
  const extras = EXTRA_COLUMNS.map((name) => {
    let n: string = name;
    while (taken.has(n)) n = `${n} (wassist)`;
    taken.add(n);
    return n;
  });
  return [...base, ...extras];
}

/** extraCells are one row's appended cells. */
export function extraCells(row: number, outcome: RowOutcome | undefined, sidecar: WassistSidecar): string[] {
  const attempted = outcome !== undefined && outcome.attempts > 0;
  const variant = attempted ? (sidecar.variants.get(row) ?? 'message') : (sidecar.variants.get(row) ?? '');
  const d = outcome?.status === 'sent' ? sidecar.delivery.get(row) : undefined;
  return [variant, d?.status ?? '', d?.at ?? ''].map(neutralizeCell);
}

const BATCH = 2_000;

/** wassistReportChunks is reportChunks with the extra columns. */
export async function* wassistReportChunks(
  headers: readonly string[],
  records: Iterable<ReportRecord> | AsyncIterable<ReportRecord>,
  outcomeOf: (row: number) => RowOutcome | undefined,
  sidecar: WassistSidecar,
): AsyncGenerator<string> {
  yield csvLines([wassistReportHeader(headers)]);
  const width = headers.length;
  let batch: string[][] = [];
  for await (const rec of records) {
    const fields = rec.fields.length === width ? rec.fields : Array.from({ length: width }, (_, i) => rec.fields[i] ?? '');
    const outcome = outcomeOf(rec.row);
    batch.push([...reportCells(rec.row, outcome, fields), ...extraCells(rec.row, outcome, sidecar)]);
    if (batch.length >= BATCH) {
      yield csvLines(batch);
      batch = [];
    }
  }
  if (batch.length > 0) yield csvLines(batch);
}

/**
 * writeCampaignReport writes the report atomically: with the extra columns when `sidecar` is given,
 * exactly the contract's report otherwise.
 */
export async function writeCampaignReport(
  path: string,
  headers: readonly string[],
  records: Iterable<ReportRecord> | AsyncIterable<ReportRecord>,
  outcomeOf: (row: number) => RowOutcome | undefined,
  sidecar: WassistSidecar | undefined,
): Promise<void> {
  // A crash during an earlier export may have left its temp file next to the report.
  await removeTempFiles(path).catch(() => undefined);
  await atomicWriteFile(path, sidecar === undefined ? reportChunks(headers, records, outcomeOf) : wassistReportChunks(headers, records, outcomeOf, sidecar));
}
