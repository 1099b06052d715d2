import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Desktop } from './desktop-harness';
import { bootDesktop, importCsv } from './desktop-harness';

/**
 * The desktop export (campaign:exportReport) in each format, through the preload API and the IPC
 * handlers: the workbook by default, CSV for Excel in the delimiter the contacts file came in with.
 */

const spec = {
  name: 'Spring promo',
  provider: { kind: 'sandbox', simulate: 'wassist', latencyMs: 0, failureRate: 0 },
  recipient: { conversationId: '{{conversation_id}}' },
  message: { type: 'text', text: { body: 'Hi {{name}}' } },
};
// A German Excel export: semicolons, and values a spreadsheet likes to reinterpret.
const contacts = new TextEncoder().encode('conversation_id;name;phone;since\r\nc-1;García;+4915112345678;12/03/2024\r\nc-2;Zoë 🚀;+49 151 2345679;007\r\n');

let desk: Desktop;
beforeEach(() => {
  desk = bootDesktop();
});
afterEach(async () => {
  await desk.close();
});

async function sentCampaign(): Promise<string> {
  const data = await importCsv(desk.api, { name: 'kontakte.csv', bytes: contacts });
  expect(data.delimiter).toBe(';');
  const { campaignId } = await desk.api.campaign.start({ datasetId: data.datasetId, spec, profileId: 'sandbox', skipInvalid: false });
  await desk.finished(campaignId);
  return campaignId;
}

describe('exporting the delivery report from the desktop app', () => {
  it('writes the Excel workbook when no format is named, suggesting a .xlsx name', async () => {
    const campaignId = await sentCampaign();
    desk.dialogs.answer(join(desk.dir, 'chosen.xlsx'));
    expect(await desk.api.campaign.exportReport({ campaignId })).toEqual({ saved: true, fileName: 'chosen.xlsx' });
    expect(desk.dialogs.asked.at(-1)).toEqual({ kind: 'report', suggestedName: 'Spring promo-report.xlsx' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(desk.dir, 'chosen.xlsx'));
    const sheet = wb.getWorksheet('Report') as ExcelJS.Worksheet;
    expect((sheet.getRow(3).values as unknown[]).slice(9)).toEqual(['c-2', 'Zoë 🚀', '+49 151 2345679', '007']);
    const summary = (wb.getWorksheet('Summary') as ExcelJS.Worksheet).getSheetValues().filter((r): r is ExcelJS.CellValue[] => Array.isArray(r));
    expect(summary.slice(0, 3).map((r) => r.slice(1, 3))).toEqual([['Campaign', 'Spring promo'], ['Contacts file', 'kontakte.csv'], ['Provider', 'sandbox']]);
    expect(summary.find((r) => r[1] === 'sent')?.[2]).toBe(2);
  });

  it('writes CSV for Excel with a byte-order mark and the semicolons the contacts came in', async () => {
    const campaignId = await sentCampaign();
    desk.dialogs.answer(join(desk.dir, 'r.csv'));
    expect(await desk.api.campaign.exportReport({ campaignId, format: 'csv-excel' })).toEqual({ saved: true, fileName: 'r.csv' });
    expect(desk.dialogs.asked.at(-1)).toEqual({ kind: 'report', suggestedName: 'Spring promo-report.csv' });
    const text = readFileSync(join(desk.dir, 'r.csv'), 'utf8');
    expect(text.startsWith('\uFEFFrow;recipient;status;message_id;attempts;http_status;error;sent_at;conversation_id;name;phone;since\r\n')).toBe(true);
    const rows = Papa.parse<string[]>(text.slice(1).trimEnd(), { delimiter: ';', newline: '\r\n' }).data;
    expect(rows.slice(1).map((r) => r.slice(8))).toEqual([['c-1', 'García', '+4915112345678', '12/03/2024'], ['c-2', 'Zoë 🚀', "'+49 151 2345679", '007']]);
  });

  it('refuses a format it does not know before showing any dialog', async () => {
    const campaignId = await sentCampaign();
    await expect(desk.api.campaign.exportReport({ campaignId, format: 'pdf' as never })).rejects.toThrow();
    expect(desk.dialogs.asked).toHaveLength(0);
  });
});
