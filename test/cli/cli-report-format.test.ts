import ExcelJS from 'exceljs';
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MockServer } from '../mock-server/mock-server';
import { mockApiKey, startMockServer } from '../mock-server/mock-server';
import type { Workspace } from './cli-harness';
import { csv, workspace } from './cli-harness';

/** `--report` ending in `.xlsx` writes the workbook (DESIGN.md); any other name, the plain CSV. */

const key = { CAMPAIGN_API_KEY: mockApiKey };
let ws: Workspace;
let mock: MockServer;

beforeEach(async () => {
  ws = await workspace();
  mock = await startMockServer({ kind: 'wassist', conversations: [{ id: 'conv-1' }, { id: 'conv-2' }] });
});

afterEach(async () => {
  await mock.close();
  await ws.cleanup();
});

describe('campaign send --report', () => {
  it('writes an Excel workbook for a .xlsx path, on send and on re-export, with every input value as text', async () => {
    const contacts = await ws.file('contacts.csv', csv(['conversation_id', 'phone', 'id'], [['conv-1', '+15550100', '007'], ['conv-2', '+15550101', '008']]));
    const spec = await ws.file('c.campaign.json', {
      provider: { kind: 'wassist', baseUrl: mock.url },
      recipient: { conversationId: '{{conversation_id}}' },
      message: { type: 'text', text: { body: 'Hi' } },
      throttle: { concurrency: 1, perSecond: 100 },
    });
    const report = `${ws.dir}/report.xlsx`;
    expect((await ws.run(['send', contacts, '--spec', spec, '--report', report], key)).code).toBe(0);
    const again = `${ws.dir}/again.XLSX`;
    expect((await ws.run(['report', contacts, '--spec', spec, '--report', again])).code).toBe(0);
    for (const path of [report, again]) {
      expect((await readFile(path)).subarray(0, 2).toString('latin1')).toBe('PK');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(path);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['Report', 'Summary']);
      const sheet = wb.getWorksheet('Report') as ExcelJS.Worksheet;
      expect((sheet.getRow(2).values as unknown[]).slice(1)).toEqual([1, 'conv-1', 'sent', expect.any(String), 1, 201, undefined, expect.any(String), 'conv-1', '+15550100', '007']);
    }
    const csvReport = `${ws.dir}/plain.csv`;
    expect((await ws.run(['report', contacts, '--spec', spec, '--report', csvReport])).code).toBe(0);
    expect((await readFile(csvReport, 'utf8')).startsWith('row,recipient,status,')).toBe(true);
  });
});
