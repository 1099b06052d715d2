import type { Delimiter } from '../../../shared/csv/parse';
import type { ReportFormat } from '../../../shared/report/report-format';
import { atomicWriteFile, removeTempFiles } from '../state/atomic-write';
import { csvReportChunks, PLAIN_CSV } from './csv-report';
import type { ReportInput } from './report-input';
import { xlsxReportChunks } from './xlsx-report';

export type { ExtraColumns, ReportCampaign, ReportInput, ReportRecord } from './report-input';
export { combineColumns } from './report-input';

/**
 * The one way a delivery report is written, whoever asks (the CLI's `--report`, `campaign report`,
 * the desktop export): the same columns and rows in one of three formats, written atomically.
 */

/** WriteReportOptions: the format, and for CSV for Excel the delimiter the contacts file came in with. */
export interface WriteReportOptions extends ReportInput {
  format: ReportFormat;
  /** CSV for Excel only (default `,`): a contacts file read with `;` gets its report with `;`, as German or French Excel expects. */
  delimiter?: Delimiter | undefined;
}

/** reportFormatOf picks the format a path asks for: `.xlsx` is a workbook, anything else the plain CSV. */
export function reportFormatOf(path: string): ReportFormat {
  return /\.xlsx$/i.test(path) ? 'xlsx' : 'csv';
}

/** reportChunks is the report's bytes (or text) in pieces, in the format asked for. */
export function reportChunks(options: WriteReportOptions): AsyncIterable<string | Uint8Array> {
  switch (options.format) {
    case 'xlsx':
      return xlsxReportChunks(options);
    case 'csv-excel':
      return csvReportChunks(options, { delimiter: options.delimiter ?? ',', bom: true });
    case 'csv':
      return csvReportChunks(options, PLAIN_CSV);
  }
}

/**
 * writeReport writes the delivery report atomically (temp file, sync, rename): a crash or an error
 * during the export leaves the previous report or none, never half of one.
 */
export async function writeReport(path: string, options: WriteReportOptions): Promise<void> {
  // A crash during an earlier export may have left its temp file next to the report.
  await removeTempFiles(path).catch(() => undefined);
  await atomicWriteFile(path, reportChunks(options));
}
