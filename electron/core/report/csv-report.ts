import { csvLines, neutralizeCell, reportFields, reportHeader, UTF8_BOM } from '../../../shared/report/delivery-report';
import type { ReportInput } from './report-input';
import { fitWidth } from './report-input';

const BATCH = 2_000;

/** CsvFlavour: the contract's plain CSV for machines, or CSV for Excel (byte-order mark, the contacts' delimiter). */
export interface CsvFlavour {
  /** `,` for the contract; CSV for Excel uses the delimiter the contacts file came in with. */
  delimiter: string;
  /** Start with a UTF-8 byte-order mark, so Excel on Windows does not read the file in its code page. */
  bom: boolean;
}

/** PLAIN_CSV is the contract of DESIGN.md, byte for byte. */
export const PLAIN_CSV: CsvFlavour = { delimiter: ',', bom: false };

/**
 * csvReportChunks yields the delivery report as CSV text in pieces: the header, then one line per
 * input row in input order, with the row's outcome (none yet = pending). Every cell, header cells
 * included, is neutralised: a column named `=cmd|' /C calc'!A0` is as harmless as a value.
 */
export async function* csvReportChunks(input: ReportInput, flavour: CsvFlavour = PLAIN_CSV): AsyncGenerator<string> {
  const { headers, records, outcomeOf, extra } = input;
  const base = reportHeader(headers, neutralizeCell);
  const header = (extra === undefined ? base : extra.header(base)).map(neutralizeCell);
  yield (flavour.bom ? UTF8_BOM : '') + csvLines([header], flavour.delimiter);
  const width = headers.length;
  let batch: string[][] = [];
  for await (const rec of records) {
    const outcome = outcomeOf(rec.row);
    const fields = reportFields(rec.row, outcome, fitWidth(rec.fields, width));
    const cells = extra === undefined ? fields : [...fields, ...extra.cells(rec.row, outcome)];
    batch.push(cells.map(neutralizeCell));
    if (batch.length >= BATCH) {
      yield csvLines(batch, flavour.delimiter);
      batch = [];
    }
  }
  if (batch.length > 0) yield csvLines(batch, flavour.delimiter);
}
