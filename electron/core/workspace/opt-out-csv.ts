import { basename } from 'node:path';
import { closestHeader } from '../../../shared/campaign/closest-header';
import type { OptOutKind, OptOutSource } from '../../../shared/campaign/recipient-keys';
import { normalizeOptOutValue, optOutKinds, optOutSources } from '../../../shared/campaign/recipient-keys';
import type { CsvOptions } from '../../../shared/csv/parse';
import type { Problem } from '../../../shared/problems';
import { InputError } from '../../../shared/problems';
import { csvLines, neutralizeCell } from '../../../shared/report/delivery-report';
import { openCsvFile } from '../csv-file';
import { atomicWriteFile } from '../state/atomic-write';
import type { OptOutList, StagedValue } from './opt-out-list';

/**
 * The opt-out list as CSV: import any column of any CSV (a CRM's unsubscribe export, another tool's
 * suppression list), and export the whole list. An export imports back as it was: the file's
 * `kind`, `opted_out_at`, `source`, `reason` and `origin` columns are kept when they are there.
 */

/** EXPORT_COLUMNS are the export's columns, in order. */
export const EXPORT_COLUMNS = ['value', 'kind', 'opted_out_at', 'source', 'reason', 'origin'] as const;

/** OptOutImport says what to import. */
export interface OptOutImport {
  path: string;
  /** The column holding the numbers, conversation ids or keys (header text, trimmed). */
  column: string;
  /** What the column holds; default: guessed from its name, else read from a `kind` column (a list export). */
  kind?: OptOutKind;
  /** Why these recipients opted out (when the file does not say). */
  reason?: string;
  /** Country of numbers written without a country code. */
  defaultCountry?: string;
  /** Import the good rows and leave out the bad ones (listed); default: a bad row stops the import. */
  skipInvalid?: boolean;
  /** The file's name as people know it (the origin of the entries); default: the path's file name. */
  name?: string;
  csv?: CsvOptions;
}

/** OptOutImportResult is what an import did. */
export interface OptOutImportResult {
  added: number;
  /** Already on the list (they keep their first date). */
  existing: number;
  /** Rows whose cell was empty. */
  empty: number;
  /** Rows left out because their value is not a valid entry (listed in `problems`, at most 1,000). */
  invalid: number;
  problems: Problem[];
}

const MAX_PROBLEMS = 1_000;
const BATCH = 5_000;

/** guessKind reads what a column holds from its name: undefined when the name does not say. */
export function guessKind(header: string): OptOutKind | undefined {
  const h = header.toLowerCase();
  if (h.includes('conversation')) return 'conversation';
  if (/phone|mobile|msisdn|whatsapp|number|tel|cell|e164/.test(h)) return 'phone';
  return undefined;
}

/** importOptOuts reads the file and adds its entries to the list in one transaction (see OptOutImport). */
export async function importOptOuts(list: OptOutList, o: OptOutImport): Promise<OptOutImportResult> {
  const reader = await openCsvFile(o.path, o.csv ?? {});
  const name = o.name ?? basename(o.path);
  const staged = list.stage();
  try {
    const headers = reader.headers;
    const at = headers.indexOf(o.column.trim());
    if (at < 0) {
      const near = closestHeader(o.column, headers);
      const hint = near === undefined ? `the columns are ${headers.map((h) => `"${h}"`).join(', ')}` : `did you mean "${near}"?`;
      throw new InputError([{ row: 0, field: 'column', reason: `${name} has no column "${o.column}": ${hint}`, severity: 'error' }]);
    }
    const col = (h: string) => headers.indexOf(h);
    const kindAt = col('kind');
    const kind = o.kind ?? guessKind(o.column);
    if (kind === undefined && kindAt < 0) {
      throw new InputError([{ row: 0, field: 'kind', reason: `say what column "${o.column}" holds: phone (numbers), conversation (conversation ids) or key (any other recipient key)`, severity: 'error' }]);
    }
    const extra = { at: col('opted_out_at'), source: col('source'), reason: col('reason'), origin: col('origin') };
    const result: OptOutImportResult = { added: 0, existing: 0, empty: 0, invalid: 0, problems: [] };
    const bad = (row: number, reason: string) => {
      result.invalid++;
      if (result.problems.length < MAX_PROBLEMS) result.problems.push({ row, field: o.column, column: o.column, reason: `${reason}: not imported`, severity: 'error' });
    };
    let batch: StagedValue[] = [];
    for await (const rows of reader.batches()) {
      for (const rec of rows) {
        const cell = rec.fields[at] ?? '';
        if (cell.trim() === '') {
          result.empty++;
          continue;
        }
        const rowKind = kind ?? (rec.fields[kindAt]?.trim().toLowerCase() as OptOutKind);
        if (!(optOutKinds as readonly string[]).includes(rowKind)) {
          bad(rec.row, `kind "${rec.fields[kindAt] ?? ''}" is not phone, conversation or key`);
          continue;
        }
        const v = normalizeOptOutValue(rowKind, cell, o.defaultCountry);
        if (!v.ok) {
          bad(rec.row, `${JSON.stringify(cell.trim())} ${v.reason.replace(/^".*?" /, '')}`);
          continue;
        }
        batch.push({ key: v.key, kind: rowKind, value: v.value, ...carried(rec.fields, extra) });
        if (batch.length >= BATCH) {
          staged.add(batch);
          batch = [];
        }
      }
    }
    staged.add(batch);
    if (result.invalid > 0 && o.skipInvalid !== true) throw new InputError(result.problems);
    const from: { source: OptOutSource; reason?: string; origin: string } = { source: 'imported', origin: name };
    if (o.reason !== undefined && o.reason.trim() !== '') from.reason = o.reason.trim();
    const done = staged.commit(from);
    result.added = done.added;
    result.existing = done.existing;
    return result;
  } catch (e) {
    staged.abort();
    throw e;
  } finally {
    await reader.close();
  }
}

/** carried reads the columns of a list export that a row keeps (its own date, source, reason, origin). */
function carried(fields: readonly string[], at: { at: number; source: number; reason: number; origin: number }): Partial<StagedValue> {
  const out: Partial<StagedValue> = {};
  const when = at.at >= 0 ? Date.parse(fields[at.at] ?? '') : NaN;
  if (!Number.isNaN(when)) out.createdAt = when;
  const source = at.source >= 0 ? fields[at.source]?.trim() : undefined;
  if (source !== undefined && (optOutSources as readonly string[]).includes(source)) out.source = source as OptOutSource;
  const reason = at.reason >= 0 ? fields[at.reason]?.trim() : undefined;
  if (reason !== undefined && reason !== '') out.reason = reason;
  const origin = at.origin >= 0 ? fields[at.origin]?.trim() : undefined;
  if (origin !== undefined && origin !== '') out.origin = origin;
  return out;
}

/** exportOptOuts writes the whole list to `path` as CSV (atomically); answers how many entries it holds. */
export async function exportOptOuts(list: OptOutList, path: string): Promise<number> {
  let count = 0;
  function* chunks(): Generator<string> {
    yield csvLines([[...EXPORT_COLUMNS]]);
    for (const page of list.pages()) {
      count += page.length;
      // Free text is neutralised for spreadsheets; the value, kind, date and source stay exactly as imported.
      yield csvLines(page.map((e) => [e.value, e.kind, new Date(e.createdAt).toISOString(), e.source, neutralizeCell(e.reason), neutralizeCell(e.origin)]));
    }
  }
  await atomicWriteFile(path, chunks());
  return count;
}
