import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { CSV_CHUNK_MAX } from '../shared/ipc/contract';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBridgeApi } from '../electron/app/preload-api';
import { createShell } from '../electron/app/shell';
import { APP_ENTRY } from '../shared/security/app-origin';
import { FakeDialogs } from '../test/fakes/electron-dialog';
import { eventFrom, FakeIpcMain, FakeIpcRenderer, fakeTrustedWindow } from '../test/fakes/electron-ipc';
import { FakeSafeStorage } from '../test/fakes/electron-safe-storage';
import { JsonFileStore } from '../test/fakes/electron-store';

/**
 * One import-memory measurement in a fresh process (run with --expose-gc): boot the desktop main
 * process (createShell with the test fakes for Electron, over the in-memory IPC and the preload's
 * bridge), then either import `csv` the way the renderer does (csv:begin, csv:append in 4 MiB chunks, csv:finish) or, for the baseline, do
 * nothing. Main's resident memory is sampled every 10 ms; prints JSON.
 */

const [mode, csv] = process.argv.slice(2) as ['import' | 'idle', string];
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

const dir = mkdtempSync(join(tmpdir(), 'import-memory-'));
const ipcMain = new FakeIpcMain();
const trusted = fakeTrustedWindow(APP_ENTRY);
const renderer = new FakeIpcRenderer(ipcMain, eventFrom(trusted));
const shell = createShell({
  ipcMain,
  safeStorage: new FakeSafeStorage(),
  settings: new JsonFileStore(join(dir, 'config.json')),
  platform: 'linux',
  dataDir: join(dir, 'data'),
  samplesDir: fileURLToPath(new URL('../resources', import.meta.url)),
  dialogs: new FakeDialogs(),
  openLink: async () => undefined,
  logSink: () => undefined,
  getWindow: () => ({ isDestroyed: () => false, webContents: { ...trusted.webContents, send: () => undefined } }),
  entry: APP_ENTRY,
});
const bridge = buildBridgeApi(renderer) as unknown as { csv: Record<string, (r: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>> };
/** call is one request over the bridge, as the window's API makes it (the answer unwrapped). */
async function call<T>(name: string, request: unknown): Promise<T> {
  const f = bridge.csv[name];
  if (f === undefined) throw new Error(`no csv.${name} on the bridge`);
  const r = await f(request);
  if (!r.ok) throw new Error(r.error?.message ?? 'failed');
  return r.value as T;
}
gc();
const before = process.memoryUsage().rss;
let peak = before;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 10);
const t0 = performance.now();
let rows = 0;
if (mode === 'import') {
  const file = await open(csv, 'r');
  try {
    const size = (await file.stat()).size;
    const { uploadId } = await call<{ uploadId: string }>('begin', { name: basename(csv), size });
    const buf = new Uint8Array(CSV_CHUNK_MAX);
    for (let at = 0; at < size; ) {
      const { bytesRead } = await file.read(buf, 0, buf.length, at);
      await call('append', { uploadId, offset: at, bytes: buf.slice(0, bytesRead) });
      at += bytesRead;
    }
    const imported = await call<{ rowCount: number }>('finish', { uploadId });
    rows = imported.rowCount;
  } finally {
    await file.close();
  }
}
const ms = performance.now() - t0;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
gc();
const after = process.memoryUsage().rss;
await shell.backend.shutdown();
shell.dispose();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({ mode, before, peak, after, ms, rows })}\n`);
