import type { ReactElement } from 'react';
import type { ReportFormat } from '../../../shared/report/report-format';
import { REPORT_FORMATS } from '../../../shared/report/report-format';

/** What each format is called, and who it is for (the select's tooltip). */
const LABELS: Record<ReportFormat, { label: string; hint: string }> = {
  xlsx: { label: 'Excel workbook (.xlsx)', hint: 'Opens in Excel, Numbers, LibreOffice or Google Sheets with phones, leading zeros and dates exactly as imported, plus a summary sheet.' },
  'csv-excel': { label: 'CSV for Excel (.csv)', hint: 'UTF-8 with a byte-order mark, in the delimiter your contacts file used, so Excel shows accents and emoji right.' },
  csv: { label: 'Plain CSV (.csv)', hint: 'The plain UTF-8, comma-separated report, for other programs and scripts.' },
};

/** ExportFormatSelect chooses the delivery report's format; the workbook comes first and is the default. */
export function ExportFormatSelect({ value, onChange }: { value: ReportFormat; onChange(format: ReportFormat): void }): ReactElement {
  return (
    <label className="export-format">
      <span className="muted small">Format</span>
      <select
        className="input"
        value={value}
        data-testid="export-format"
        title={LABELS[value].hint}
        onChange={(e) => onChange(e.target.value as ReportFormat)}
      >
        {REPORT_FORMATS.map((f) => (
          <option key={f} value={f}>
            {LABELS[f].label}
          </option>
        ))}
      </select>
    </label>
  );
}
