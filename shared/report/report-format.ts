/**
 * The formats a delivery report is written in. Kept apart from the report's cell rules so the IPC
 * contract and the renderer can name a format without pulling in the CSV writer.
 */

/**
 * REPORT_FORMATS: `xlsx` an Excel workbook (what people open), `csv-excel` UTF-8 CSV with a byte-order
 * mark in the delimiter the contacts came in with (what Excel's CSV import reads right), `csv` the
 * plain contract for machines.
 */
export const REPORT_FORMATS = ['xlsx', 'csv-excel', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** DEFAULT_EXPORT_FORMAT is what the desktop app exports when nothing else is asked for. */
export const DEFAULT_EXPORT_FORMAT: ReportFormat = 'xlsx';

/** reportExtension is the file extension (without the dot) of a format. */
export function reportExtension(format: ReportFormat): 'xlsx' | 'csv' {
  return format === 'xlsx' ? 'xlsx' : 'csv';
}
