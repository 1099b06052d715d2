import { NUMERIC_COLUMNS, REPORT_COLUMNS, reportFields, reportHeader } from '../../../shared/report/delivery-report';
import type { ReportSummary } from '../../../shared/report/report-summary';
import { SUMMARY_STATUSES, SummaryTally } from '../../../shared/report/report-summary';
import { UserError } from '../../../shared/ipc/user-error';
import type { ReportCampaign, ReportInput } from './report-input';
import { fitWidth } from './report-input';
import type { ColumnSpec } from './xlsx-parts';
import * as x from './xlsx-parts';
import type { ZipEntry } from './zip-writer';
import { zipChunks } from './zip-writer';

/**
 * The delivery report as an Excel workbook. Sheet "Report": the contract's columns, the input columns
 * and the provider's extras, every value a text cell exactly as imported (phones keep their `+`,
 * `007` its zeros, `12/03/2024` stays text, `=1+1` is not computed), numbers only in the report's own
 * numeric columns; the header row frozen, with filters. Sheet "Summary": rows by status and by error,
 * the sending span and rate. Rows are turned into XML a batch at a time and deflated as they come.
 */

const BATCH = 1_000;
const OWN_WIDTHS = [7, 26, 10, 26, 9, 11, 40, 25];

/** columns: our own columns sized for their content; input and extra columns by their names, typed text. */
function columns(header: readonly string[]): ColumnSpec[] {
  return header.map((name, i) => {
    const own = i < REPORT_COLUMNS.length ? OWN_WIDTHS[i] : undefined;
    if (own !== undefined) return NUMERIC_COLUMNS.has(i) ? { width: own } : { width: own, style: x.STYLE.text };
    return { width: Math.min(50, Math.max(12, name.length + 4)), style: x.STYLE.text };
  });
}

/** SheetState is what the report sheet learns while it streams, for the summary and workbook parts written after it. */
interface SheetState {
  tally: SummaryTally;
  cut: number;
  lastRow: number;
}

async function* reportSheet(input: ReportInput, header: readonly string[], state: SheetState): AsyncGenerator<string> {
  const { headers, records, outcomeOf, extra } = input;
  const refs = header.map((_, i) => x.columnName(i));
  const numeric = header.map((_, i) => NUMERIC_COLUMNS.has(i));
  yield x.sheetStart(columns(header), true) + `<row r="1">${header.map((h, i) => x.textCell(`${refs[i]}1`, h, x.STYLE.header)).join('')}</row>`;
  const width = headers.length;
  let r = 1;
  let xml = '';
  let n = 0;
  for await (const rec of records) {
    if (++r > x.EXCEL_MAX_ROWS) {
      throw new UserError(`An Excel worksheet holds at most ${(x.EXCEL_MAX_ROWS - 1).toLocaleString('en')} rows; this report has more. Export it as CSV instead.`);
    }
    const outcome = outcomeOf(rec.row);
    state.tally.add(outcome);
    const fields = reportFields(rec.row, outcome, fitWidth(rec.fields, width));
    const cells = extra === undefined ? fields : fields.concat(extra.cells(rec.row, outcome));
    xml += `<row r="${r}">`;
    for (let i = 0; i < cells.length; i++) {
      let v = cells[i] ?? '';
      if (v === '') continue;
      const ref = (refs[i] ?? x.columnName(i)) + r;
      if (numeric[i] === true) {
        xml += x.numberCell(ref, Number(v));
        continue;
      }
      if (v.length > x.EXCEL_MAX_TEXT) {
        v = v.slice(0, x.EXCEL_MAX_TEXT);
        state.cut++;
      }
      xml += x.textCell(ref, v);
    }
    xml += '</row>';
    if (++n === BATCH) {
      yield xml;
      xml = '';
      n = 0;
    }
  }
  state.lastRow = r;
  yield xml + x.sheetEnd(`A1:${refs[refs.length - 1]}${r}`);
}

/** SummaryCell is one cell of the summary sheet of the summary sheet: text, or a number with its style. */
type SummaryCell = string | { n: number; style: number };

function summaryRows(s: ReportSummary, campaign: ReportCampaign, cut: number): SummaryCell[][] {
  const rows: SummaryCell[][] = [];
  const about: [string, string | undefined][] = [['Campaign', campaign.name], ['Contacts file', campaign.contactsFile], ['Provider', campaign.provider], ['Created', campaign.createdAt]];
  for (const [label, value] of about) if (value !== undefined && value !== '') rows.push([label, value]);
  const int = (n: number) => ({ n, style: x.STYLE.integer });
  rows.push(['Rows', int(s.rows)], []);
  rows.push(['Status', 'Rows', 'Share']);
  for (const status of SUMMARY_STATUSES) {
    const count = s.byStatus[status];
    rows.push([status, int(count), { n: s.rows === 0 ? 0 : count / s.rows, style: x.STYLE.percent }]);
  }
  rows.push([]);
  if (s.firstSentAt !== undefined) rows.push(['First sent at', s.firstSentAt], ['Last sent at', s.lastSentAt ?? '']);
  if (s.durationSeconds !== undefined) rows.push(['Duration (seconds)', { n: Math.round(s.durationSeconds * 1000) / 1000, style: x.STYLE.decimal }]);
  if (s.ratePerSecond !== undefined) rows.push(['Rate (messages per second)', { n: Math.round(s.ratePerSecond * 100) / 100, style: x.STYLE.decimal }]);
  if (cut > 0) rows.push([`Cells cut to Excel's ${x.EXCEL_MAX_TEXT.toLocaleString('en')}-character limit`, int(cut)]);
  rows.push([], ['Error', 'Rows']);
  if (s.errors.length === 0) rows.push(['(none)']);
  for (const e of s.errors) rows.push([e.error.slice(0, x.EXCEL_MAX_TEXT), int(e.rows)]);
  if (s.otherErrorRows > 0) rows.push([`(${s.otherErrorKinds.toLocaleString('en')} other error texts)`, int(s.otherErrorRows)]);
  return rows;
}

const BOLD_LABELS = new Set(['Status', 'Error']);

function summarySheet(s: ReportSummary, campaign: ReportCampaign, cut: number): string {
  const body = summaryRows(s, campaign, cut)
    .map((cells, i) => {
      const r = i + 1;
      const head = BOLD_LABELS.has(cells[0] as string);
      const xml = cells.map((c, j) => {
        const ref = `${x.columnName(j)}${r}`;
        if (typeof c !== 'string') return x.numberCell(ref, c.n, c.style);
        return x.textCell(ref, c, head || j === 0 ? x.STYLE.label : x.STYLE.text);
      });
      return `<row r="${r}">${xml.join('')}</row>`;
    })
    .join('');
  return x.sheetStart([{ width: 42 }, { width: 26 }, { width: 10 }], false) + body + x.sheetEnd();
}

/** xlsxReportChunks yields the workbook's bytes. */
export function xlsxReportChunks(input: ReportInput, options: { now?: Date; level?: number } = {}): AsyncGenerator<Uint8Array> {
  const base = reportHeader(input.headers);
  const header = input.extra === undefined ? base : input.extra.header(base);
  const state: SheetState = { tally: new SummaryTally(), cut: 0, lastRow: 1 };
  const lastCol = x.columnName(header.length - 1);
  function* entries(): Generator<ZipEntry> {
    yield { name: '[Content_Types].xml', data: x.contentTypes(2) };
    yield { name: '_rels/.rels', data: x.rootRels() };
    yield { name: 'xl/_rels/workbook.xml.rels', data: x.workbookRels(2) };
    yield { name: 'xl/styles.xml', data: x.styles() };
    yield { name: 'xl/worksheets/sheet1.xml', data: reportSheet(input, header, state) };
    // Pulled only once the report sheet is written, so the tally is complete.
    yield { name: 'xl/worksheets/sheet2.xml', data: summarySheet(state.tally.summary(), input.campaign ?? {}, state.cut) };
    yield { name: 'xl/workbook.xml', data: x.workbook([{ name: 'Report', filter: `$A$1:$${lastCol}$${state.lastRow}` }, { name: 'Summary' }]) };
  }
  return zipChunks(entries(), options);
}
