import ExcelJS from 'exceljs';
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { RowOutcome } from '../shared/engine/events';
import type { ReportFormat } from '../shared/report/report-format';
import { REPORT_COLUMNS, reportFields } from '../shared/report/delivery-report';
import type { ReportRecord } from '../electron/core/report/write-report';
import { writeReport } from '../electron/core/report/write-report';

/**
 * One report export in a fresh process, so its peak memory is its own. The rows are made as they
 * are read, as the CLI streams them from the contacts file, so peak memory is the writer's own and
 * not the rows'. Modes: `csv` (the plain contract, the baseline), `xlsx` (our workbook), `exceljs`
 * (ExcelJS's streaming WorkbookWriter on the same cells, the library we measured and dropped),
 * `none` (the rows made and dropped: the process's floor). Prints JSON.
 */
const [mode, rowsArg, out] = process.argv.slice(2) as ['csv' | 'xlsx' | 'exceljs' | 'none', string, string];
const ROWS = Number(rowsArg);

const HEADERS = ['conversation_id', 'first_name', 'last_name', 'phone', 'email', 'city', 'order_id', 'promo_url', 'note', 'signup_date'];
const FIRST = ['Ana', 'José', 'Zoë', 'Liam', 'Chloé', 'Mateo', 'Noah', 'Élodie', 'Yusuf', 'Mia'];
const LAST = ['García', 'Müller', 'Okafor', 'Smith', 'Dubois', 'Rossi', 'Nowak', 'Silva', 'Kim', 'Novák'];
const CITY = ['São Paulo', 'München', 'Lagos', 'Austin', 'Lyon', 'Milano', 'Kraków', 'Porto', 'Seoul', 'Brno'];

function record(i: number): ReportRecord {
  const f = FIRST[i % 10] ?? '';
  const l = LAST[(i * 7) % 10] ?? '';
  const order = `ORD-${String(i).padStart(8, '0')}`;
  return {
    row: i,
    fields: [
      `c0nv-${((i * 2654435761) % 4294967296).toString(16).padStart(8, '0')}-${i.toString(36)}`,
      f,
      l,
      `+4915${String(10000000 + ((i * 7919) % 89999999)).padStart(8, '0')}`,
      `${f.toLowerCase()}.${l.toLowerCase()}${i}@example.com`,
      CITY[(i * 3) % 10] ?? '',
      order,
      `https://shop.example.com/p/${order.toLowerCase()}?utm_source=crm`,
      i % 5 === 0 ? 'VIP "gold" customer' : '=regular customer',
      `${String((i % 28) + 1).padStart(2, '0')}/${String((i % 12) + 1).padStart(2, '0')}/2024`,
    ],
  };
}

function outcome(row: number): RowOutcome {
  if (row % 50 === 0) return { row, status: 'failed', recipient: `c-${row}`, attempts: 3, httpStatus: 400, error: 'Conversation is not active' };
  return { row, status: 'sent', recipient: `c-${row}`, messageId: `wamid.${row.toString(36)}`, attempts: 1, httpStatus: 201, sentAt: new Date(Date.UTC(2024, 4, 1) + row * 50).toISOString() };
}

function* records(): Generator<ReportRecord> {
  for (let i = 1; i <= ROWS; i++) yield record(i);
}

async function exceljs(): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: createWriteStream(out), useSharedStrings: false, useStyles: true });
  const ws = wb.addWorksheet('Report', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow([...REPORT_COLUMNS, ...HEADERS]).commit();
  let n = 0;
  for (const r of records()) {
    const cells: (string | number)[] = reportFields(r.row, outcome(r.row), r.fields);
    for (const i of [0, 4, 5]) cells[i] = Number(cells[i]);
    ws.addRow(cells).commit();
    // Its row commit takes no backpressure; yielding now and then lets zip and disk keep up.
    if (++n % 1_000 === 0) await new Promise((r) => setImmediate(r));
  }
  ws.commit();
  await wb.commit();
}

const t0 = performance.now();
const cpu0 = process.cpuUsage();
if (mode === 'exceljs') await exceljs();
else if (mode === 'none') for (const r of records()) outcome(r.row);
else await writeReport(out, { format: mode as ReportFormat, headers: HEADERS, records: records(), outcomeOf: outcome });
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000;
const bytes = mode === 'none' ? 0 : (await stat(out)).size;
process.stdout.write(`${JSON.stringify({ mode, rows: ROWS, ms, cpuMs, bytes, peakRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
