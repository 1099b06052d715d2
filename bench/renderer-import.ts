import { spawn } from 'node:child_process';
import { open, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContactsImports } from '../electron/desktop/imports';
import { parseCsvBytes } from '../shared/csv/parse';
import { UPLOAD_CHUNK } from '../renderer/features/import/csv-upload';
import { makeCsvFile } from './csv-parse';
import { longTasks, pageNow, startRendererBench, stubApi } from './renderer-page';

/**
 * Benchmark: importing a CSV of `rows` rows (a realistic CRM export, ~190 bytes a row) in the
 * built renderer in Chromium: the file is picked, read and parsed in the import worker with
 * progress, then handed to the API in chunks (csv:begin, csv:append… awaited one by one,
 * csv:finish), as the app does. With `ipcCopy` the stand-in append structured-clones each chunk on
 * the main thread, which is what Electron's IPC serialisation costs. Figures: time from picking
 * the file to the dataset shown, and the longest task on the main thread meanwhile (target
 * < 100 ms: the window never freezes).
 *
 * benchMainUpload measures the other end: the main process receiving the same chunks and parsing
 * them as they arrive (CsvUploads), against reading the whole file into memory (what main did before), each in a
 * fresh process so its peak RSS is its own.
 */

/** ImportFigures are the results of one run. */
export interface ImportFigures {
  rows: number;
  /** Whether csv:append copied each chunk on the main thread, as Electron's IPC serialisation does. */
  ipcCopy: boolean;
  bytes: number;
  /** How many csv:append calls carried the file. */
  chunks: number;
  /** From setting the file to the row count on screen. */
  importMs: number;
  /** Long tasks (> 50 ms) on the main thread during the import. */
  longTasks: number;
  /** The longest of them, 0 when there was none. */
  longestTaskMs: number;
  /** The longest delay of a 10 ms timer: about the longest main-thread task, below 50 ms too. */
  maxLagMs: number;
}

const uploadStub = (ipcCopy: boolean) => `{
  csv: {
    begin: async ({ size }) => { window.__upload = { size, received: 0, chunks: 0 }; return { uploadId: 'bench' }; },
    append: async ({ offset, bytes }) => {
      const copy = ${ipcCopy ? 'structuredClone(bytes)' : 'bytes'};
      const u = window.__upload;
      if (offset !== u.received) throw new Error('out of order');
      u.received += copy.length;
      u.chunks++;
      return { received: u.received };
    },
    finish: async () => {
      const u = window.__upload;
      if (u.received !== u.size) throw new Error('short');
      return { datasetId: 'bench', name: 'contacts.csv', headers: ['conversation_id'], rowCount: window.__scanRows ?? 0, delimiter: ',', encoding: 'utf-8', warnings: [], problems: [], sample: [[String(u.chunks)]] };
    },
    abort: async () => null,
  },
}`;

/**
 * benchRendererImport runs the import benchmark once. With `ipcCopy` the stand-in csv:append
 * structured-clones each chunk on the main thread, which is what handing it to Electron's
 * ipcRenderer.invoke costs; without it the figure is the renderer's own work alone.
 */
export async function benchRendererImport(rows = 1_000_000, ipcCopy = true): Promise<ImportFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'renderer-import-'));
  const file = join(dir, 'contacts.csv');
  const bench = await startRendererBench();
  try {
    const bytes = await makeCsvFile(file, rows);
    const page = await bench.open(`window.__scanRows = ${rows};` + stubApi(uploadStub(ipcCopy)));
    await page.getByTestId('dropzone').waitFor();
    const since = await pageNow(page);
    const t0 = Date.now();
    await page.getByTestId('csv-input').setInputFiles(file);
    await page.getByTestId('row-count').waitFor({ timeout: 600_000 });
    const importMs = Date.now() - t0;
    const lt = await longTasks(page, since);
    const chunks = (await page.evaluate('window.__upload.chunks')) as number;
    return { rows, ipcCopy, bytes, chunks, importMs, longTasks: lt.count, longestTaskMs: Math.round(lt.longestMs), maxLagMs: lt.maxLagMs };
  } finally {
    await bench.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** MainFigures are one main-process measurement: how the file arrived, how long it took, the peak RSS. */
export interface MainFigures {
  mode: 'upload' | 'load';
  rows: number;
  ms: number;
  peakRssBytes: number;
  /** The longest single call (an append, or the whole load): how long main's event loop was busy at once. */
  longestCallMs: number;
}

/**
 * receive runs in the child: `upload` feeds the file to ContactsImports chunk by chunk (each chunk a
 * fresh buffer, as IPC delivers it), written to a workspace folder as it arrives; `load` is the
 * baseline of what main did before: read the file whole and keep every row in memory.
 */
async function receive(mode: 'upload' | 'load', path: string): Promise<MainFigures> {
  const t0 = performance.now();
  let longest = 0;
  let rows: number;
  if (mode === 'load') {
    const bytes = await readFile(path);
    rows = parseCsvBytes(bytes).records.length;
    longest = performance.now() - t0;
  } else {
    const workspace = await mkdtemp(join(tmpdir(), 'main-import-'));
    const uploads = new ContactsImports(workspace);
    const file = await open(path);
    try {
      const { size } = await file.stat();
      const { uploadId } = await uploads.begin('contacts.csv', size);
      for (let at = 0; at < size; ) {
        const chunk = new Uint8Array(Math.min(UPLOAD_CHUNK, size - at));
        const { bytesRead } = await file.read(chunk, 0, chunk.length, at);
        const t = performance.now();
        await uploads.append(uploadId, at, chunk.subarray(0, bytesRead));
        longest = Math.max(longest, performance.now() - t);
        at += bytesRead;
      }
      const t = performance.now();
      rows = (await uploads.finish(uploadId)).rowCount;
      longest = Math.max(longest, performance.now() - t);
    } finally {
      await file.close();
      await rm(workspace, { recursive: true, force: true });
    }
  }
  const ms = performance.now() - t0;
  return { mode, rows, ms: Math.round(ms), peakRssBytes: process.resourceUsage().maxRSS * 1024, longestCallMs: Math.round(longest) };
}

/** benchMainUpload measures main receiving a `rows`-row file in chunks and loading it whole, each in a fresh process. */
export async function benchMainUpload(rows = 1_000_000): Promise<MainFigures[]> {
  const dir = await mkdtemp(join(tmpdir(), 'main-upload-'));
  const file = join(dir, 'contacts.csv');
  try {
    await makeCsvFile(file, rows);
    const out: MainFigures[] = [];
    for (const mode of ['upload', 'load'] as const) {
      const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), 'main', mode, file], { stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      const code = await new Promise<number | null>((r) => child.on('exit', r));
      if (code !== 0) throw new Error(`main ${mode} exited with ${code}`);
      out.push(JSON.parse(text) as MainFigures);
    }
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\/bench\//, '/bench/'))) {
  if (process.argv[2] === 'main') {
    const [mode, path] = process.argv.slice(3) as ['upload' | 'load', string];
    process.stdout.write(`${JSON.stringify(await receive(mode, path))}\n`);
  } else {
    const rows = Number(process.argv[2] ?? 1_000_000);
    const what = process.argv[3] ?? 'all';
    if (what === 'all' || what === 'renderer') {
      console.log(JSON.stringify(await benchRendererImport(rows, false)));
      console.log(JSON.stringify(await benchRendererImport(rows, true)));
    }
    if (what === 'all' || what === 'main') for (const f of await benchMainUpload(rows)) console.log(JSON.stringify(f));
  }
}
