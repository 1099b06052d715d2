import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCsvFile } from './csv-parse';
import { longTasks, pageNow, startRendererBench, stubApi } from './renderer-page';

/**
 * Benchmark: importing a CSV of `rows` rows (a realistic CRM export, ~190 bytes a row) in the
 * built renderer in Chromium: the file is picked, read and parsed in the import worker with
 * progress, and its bytes handed to the API (csv:load, here a stand-in that structured-clones the
 * bytes as Electron's IPC does). Figures: time from picking the file to the dataset shown, and the
 * longest task on the main thread meanwhile (target < 100 ms: the window never freezes).
 */

/** ImportFigures are the results of one run. */
export interface ImportFigures {
  rows: number;
  /** Whether csv:load copied the bytes on the main thread, as Electron's IPC serialisation does. */
  ipcCopy: boolean;
  bytes: number;
  /** From setting the file to the row count on screen. */
  importMs: number;
  /** Long tasks (> 50 ms) on the main thread during the import. */
  longTasks: number;
  /** The longest of them, 0 when there was none. */
  longestTaskMs: number;
  /** The longest delay of a 10 ms timer: about the longest main-thread task, below 50 ms too. */
  maxLagMs: number;
}

const loadStub = (ipcCopy: boolean) => `{
  csv: { load: async ({ name, bytes }) => {
    const copy = ${ipcCopy ? 'structuredClone(bytes)' : 'bytes'};
    return { datasetId: 'bench', name, headers: ['conversation_id'], rowCount: window.__scanRows ?? 0, delimiter: ',', encoding: 'utf-8', warnings: [], problems: [], sample: [[String(copy.length)]] };
  } },
}`;

/**
 * benchRendererImport runs the import benchmark once. With `ipcCopy` the stand-in csv:load
 * structured-clones the bytes on the main thread, which is what handing them to Electron's
 * ipcRenderer.invoke costs; without it the figure is the renderer's own work alone.
 */
export async function benchRendererImport(rows = 1_000_000, ipcCopy = true): Promise<ImportFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'renderer-import-'));
  const file = join(dir, 'contacts.csv');
  const bench = await startRendererBench();
  try {
    const bytes = await makeCsvFile(file, rows);
    const page = await bench.open(`window.__scanRows = ${rows};` + stubApi(loadStub(ipcCopy)));
    await page.getByTestId('dropzone').waitFor();
    const since = await pageNow(page);
    const t0 = Date.now();
    await page.getByTestId('csv-input').setInputFiles(file);
    await page.getByTestId('row-count').waitFor({ timeout: 600_000 });
    const importMs = Date.now() - t0;
    const lt = await longTasks(page, since);
    return { rows, ipcCopy, bytes, importMs, longTasks: lt.count, longestTaskMs: Math.round(lt.longestMs), maxLagMs: lt.maxLagMs };
  } finally {
    await bench.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\/bench\//, '/bench/'))) {
  const rows = Number(process.argv[2] ?? 1_000_000);
  console.log(JSON.stringify(await benchRendererImport(rows, false)));
  console.log(JSON.stringify(await benchRendererImport(rows, true)));
}
