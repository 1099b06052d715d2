import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { RowOutcome } from '../../../shared/engine/events';
import { WassistSidecar } from '../wassist/sidecar';
import { wassistColumns } from '../wassist/wassist-report';
import { engagementColumns } from '../engagement/engagement-columns';
import type { MessageRecord } from '../engagement/engagement-store';
import { EngagementStore } from '../engagement/engagement-store';
import type { ExtraColumns, ReportRecord } from './report-input';
import { reportFormatOf, writeReport } from './write-report';

const outcomes: Record<number, RowOutcome> = {
  1: { row: 1, status: 'sent', recipient: 'c-1', messageId: 'm-1', attempts: 1, httpStatus: 201, sentAt: '2024-05-01T10:00:00.000Z' },
  2: { row: 2, status: 'in-flight', recipient: 'c-2', attempts: 1 },
};
const records: ReportRecord[] = [
  { row: 1, fields: ['+15550100', 'García; Zoë', '=1+1'] },
  { row: 2, fields: ['+49 151 2345678', 'say "hi"', '-2'] },
  { row: 3, fields: ['007'] }, // short row: padded to the header's width
];

async function written(format: 'csv' | 'csv-excel', headers: string[], delimiter?: ';' | '\t', extra?: ExtraColumns): Promise<Buffer> {
  const path = join(mkdtempSync(join(tmpdir(), 'csv-report-')), 'r.csv');
  await writeReport(path, { format, delimiter, headers, records, outcomeOf: (row) => outcomes[row], extra });
  return readFileSync(path);
}

describe('the plain CSV report (the contract, for machines)', () => {
  it('is exactly the contract: UTF-8 without a mark, commas, CRLF, formula cells neutralised', async () => {
    const bytes = await written('csv', ['phone', 'name', 'note']);
    expect(bytes.toString('utf8')).toBe(
      'row,recipient,status,message_id,attempts,http_status,error,sent_at,phone,name,note\r\n' +
        "1,c-1,sent,m-1,1,201,,2024-05-01T10:00:00.000Z,+15550100,García; Zoë,'=1+1\r\n" +
        `2,c-2,uncertain,,1,,,,'+49 151 2345678,"say ""hi""",-2\r\n` +
        '3,,pending,,0,,,,007,,\r\n',
    );
  });

  it('neutralises header cells like values (issue 13), keeping two names that neutralise alike apart', async () => {
    const text = (await written('csv', [`=cmd|' /C calc'!A0`, `'=cmd|' /C calc'!A0`, '@name'])).toString('utf8');
    const header = Papa.parse<string[]>(text.split('\r\n')[0] ?? '').data[0] ?? [];
    expect(header.slice(8)).toEqual([`'=cmd|' /C calc'!A0`, `'=cmd|' /C calc'!A0 (input)`, "'@name"]);
  });

  it("neutralises Wassist's and the engagement columns too (a reply is the recipient's own text), after the input columns", async () => {
    const store = await EngagementStore.open(mkdtempSync(join(tmpdir(), 'csv-report-engagement-')));
    try {
      store.seed('c', 'v1', [outcomes[1] as RowOutcome]);
      const seeded = store.rows('c', 1, 1)[0] as MessageRecord;
      const at = Date.parse('2024-05-01T10:05:00.000Z');
      store.save('c', [{ ...seeded, status: 'read', statusAt: at, found: true, repliedAt: at, replyText: '=HYPERLINK("http://x.invalid")', checkedAt: at }], { done: 1, total: 1, requests: 1, checkedAt: at, unreadable: [] });
      const text = (await written('csv', ['phone', 'name', 'note'], undefined, engagementColumns(store, 'c', wassistColumns(WassistSidecar.inMemory())))).toString('utf8');
      const [header, first] = Papa.parse<string[]>(text.trimEnd(), { newline: '\r\n' }).data;
      expect(header?.slice(11)).toEqual(['variant', 'delivery_status', 'delivery_status_at', 'clicks', 'first_click_at', 'replied_at', 'reply_text', 'opted_out_at', 'opt_out_word']);
      expect(first?.slice(11)).toEqual(['message', 'read', '2024-05-01T10:05:00.000Z', '', '', '2024-05-01T10:05:00.000Z', `'=HYPERLINK("http://x.invalid")`, '', '']);
    } finally {
      store.close();
    }
  });
});

describe('CSV for Excel', () => {
  it('is the same report with a UTF-8 byte-order mark, in the delimiter the contacts came in', async () => {
    const plain = (await written('csv', ['phone', 'name', 'note'])).toString('utf8');
    const bytes = await written('csv-excel', ['phone', 'name', 'note'], ';');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text.split('\r\n')[0]).toBe('row;recipient;status;message_id;attempts;http_status;error;sent_at;phone;name;note');
    expect(text).toContain('"García; Zoë"'); // a value holding the delimiter is quoted
    expect(Papa.parse(text.trimEnd(), { delimiter: ';', newline: '\r\n' }).data).toEqual(Papa.parse(plain.trimEnd(), { newline: '\r\n' }).data);
  });

  it('takes a tab, and a comma when no delimiter is given', async () => {
    expect((await written('csv-excel', ['phone'], '\t')).toString('utf8').split('\r\n')[0]).toBe('\uFEFFrow\trecipient\tstatus\tmessage_id\tattempts\thttp_status\terror\tsent_at\tphone');
    expect((await written('csv-excel', ['phone'])).toString('utf8').startsWith('\uFEFFrow,recipient,')).toBe(true);
  });
});

describe('writeReport', () => {
  it('picks the workbook for a .xlsx path and the plain CSV for anything else', () => {
    expect(['r.xlsx', 'R.XLSX', 'r.csv', 'report', 'r.xlsx.csv', 'r.xls'].map(reportFormatOf)).toEqual(['xlsx', 'xlsx', 'csv', 'csv', 'csv', 'csv']);
  });

  it('leaves the previous report whole when the rows fail part way', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'csv-report-'));
    const path = join(folder, 'r.csv');
    writeFileSync(path, 'previous');
    async function* failing(): AsyncGenerator<ReportRecord> {
      yield { row: 1, fields: ['a'] };
      throw new Error('disk went away');
    }
    for (const format of ['csv', 'csv-excel', 'xlsx'] as const) {
      await expect(writeReport(path, { format, headers: ['x'], records: failing(), outcomeOf: () => undefined })).rejects.toThrow('disk went away');
    }
    expect(readFileSync(path, 'utf8')).toBe('previous');
    expect(readdirSync(folder)).toEqual(['r.csv']);
  });
});
