import ExcelJS from 'exceljs';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RowOutcome } from '../../../shared/engine/events';
import { UserError } from '../../../shared/ipc/user-error';
import { wassistColumns } from '../wassist/wassist-report';
import { WassistSidecar } from '../wassist/sidecar';
import type { ReportRecord } from './report-input';
import { writeReport } from './write-report';
import { xlsxReportChunks } from './xlsx-report';

/**
 * The workbook read back by ExcelJS's reader (not our writer) for what LibreOffice's headless
 * conversion cannot show: the frozen header, the filter, each column's number format. What the
 * cells show is checked in report-spreadsheet.test.ts, through LibreOffice Calc.
 */

const dir = () => mkdtempSync(join(tmpdir(), 'xlsx-report-'));
const sent = (row: number): RowOutcome => ({ row, status: 'sent', recipient: `c-${row}`, messageId: `m-${row}`, attempts: 1, httpStatus: 201, sentAt: '2024-05-01T10:00:00.000Z' });

async function read(path: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return wb;
}

describe('the report workbook', () => {
  it('freezes the header, filters every column, and formats input columns as Text so an edited cell stays text', async () => {
    const path = join(dir(), 'r.xlsx');
    const records = [{ row: 1, fields: ['+15550100', '007'] }, { row: 2, fields: ['', '12/03/2024'] }];
    await writeReport(path, { format: 'xlsx', headers: ['phone', 'id'], records, outcomeOf: (r) => (r === 1 ? sent(1) : undefined) });
    const ws = (await read(path)).getWorksheet('Report') as ExcelJS.Worksheet;
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1, topLeftCell: 'A2' });
    expect(ws.autoFilter).toBe('A1:J3');
    expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
    const row = ws.getRow(2);
    expect([1, 5, 6].map((c) => row.getCell(c).type)).toEqual([ExcelJS.ValueType.Number, ExcelJS.ValueType.Number, ExcelJS.ValueType.Number]);
    expect([2, 3, 4, 8, 9, 10].map((c) => row.getCell(c).type)).toEqual(Array(6).fill(ExcelJS.ValueType.String));
    expect([9, 10].map((c) => [row.getCell(c).value, row.getCell(c).numFmt])).toEqual([['+15550100', '@'], ['007', '@']]);
    // A pending row: no outcome columns to fill, attempts 0, its empty input cell blank (but typed Text).
    const pending = ws.getRow(3);
    expect([pending.getCell(3).value, pending.getCell(5).value, pending.getCell(9).value, pending.getCell(9).numFmt]).toEqual(['pending', 0, null, '@']);
    expect(ws.getColumn(9).numFmt).toBe('@');
  });

  it("puts Wassist's columns after the input columns, as text", async () => {
    const path = join(dir(), 'r.xlsx');
    const sidecar = WassistSidecar.inMemory();
    sidecar.variants.set(1, 'fallback');
    await writeReport(path, { format: 'xlsx', headers: ['variant'], records: [{ row: 1, fields: ['=mine'] }], outcomeOf: sent, extra: wassistColumns(sidecar) });
    const ws = (await read(path)).getWorksheet('Report') as ExcelJS.Worksheet;
    expect((ws.getRow(1).values as unknown[]).slice(9)).toEqual(['variant', 'variant (wassist)']);
    expect((ws.getRow(2).values as unknown[]).slice(9, 11)).toEqual(['=mine', 'fallback']);
  });

  it('cuts a value longer than a cell holds to 32,767 characters and counts it on the summary', async () => {
    const path = join(dir(), 'r.xlsx');
    await writeReport(path, { format: 'xlsx', headers: ['note'], records: [{ row: 1, fields: ['x'.repeat(40_000)] }], outcomeOf: () => undefined });
    const wb = await read(path);
    expect(String(wb.getWorksheet('Report')?.getRow(2).getCell(9).value)).toHaveLength(32_767);
    const summary = wb.getWorksheet('Summary') as ExcelJS.Worksheet;
    const rows = summary.getSheetValues().filter((r): r is ExcelJS.CellValue[] => Array.isArray(r));
    expect(rows.find((r) => String(r[1]).startsWith('Cells cut'))?.[2]).toBe(1);
  });

  it('refuses more rows than a worksheet holds, and leaves the previous report in place', async () => {
    const path = join(dir(), 'r.xlsx');
    writeFileSync(path, 'previous');
    function* many(): Generator<ReportRecord> {
      for (let row = 1; row <= 1_048_576; row++) yield { row, fields: [] };
    }
    const write = writeReport(path, { format: 'xlsx', headers: [], records: many(), outcomeOf: () => undefined });
    await expect(write).rejects.toThrow(UserError);
    await expect(write).rejects.toThrow('An Excel worksheet holds at most 1,048,575 rows; this report has more. Export it as CSV instead.');
    expect(readdirSync(join(path, '..'))).toEqual(['r.xlsx']);
  }, 60_000);

  it('produces only as fast as it is consumed: a reader that stops reading stops the rows being pulled', async () => {
    let pulled = 0;
    async function* rows(): AsyncGenerator<ReportRecord> {
      for (let row = 1; row <= 300_000; row++) {
        pulled++;
        yield { row, fields: [`+4915${row}`, 'García', 'a longer note that does not compress to nothing '.repeat(2) + String(row)] };
      }
    }
    const chunks = xlsxReportChunks({ headers: ['phone', 'name', 'note'], records: rows(), outcomeOf: sent });
    for (let i = 0; i < 20; i++) await chunks.next();
    await new Promise((r) => setTimeout(r, 300));
    const paused = pulled;
    await new Promise((r) => setTimeout(r, 300));
    expect(pulled).toBe(paused); // nothing is produced while nobody reads
    expect(paused).toBeLessThan(30_000); // and what was produced ahead is a few buffers, not the sheet
    await chunks.return(undefined);
  });
});
