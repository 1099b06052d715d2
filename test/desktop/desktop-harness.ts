import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import Papa from 'papaparse';
import { buildBridgeApi, installApi } from '../../electron/app/preload-api';
import { APP_ENTRY } from '../../shared/security/app-origin';
import type { Shell, ShellDeps, ShellWindow } from '../../electron/app/shell';
import { createShell } from '../../electron/app/shell';
import type { IpcEventLike } from '../../electron/ipc/sender-check';
import type { Api } from '../../shared/ipc/api';
import type { StatusBatch } from '../../shared/ipc/contract';
export { filesUnder } from '../helpers/files';
import { FakeDialogs } from '../fakes/electron-dialog';
import { FakeIpcMain, FakeIpcRenderer, eventFrom, fakeTrustedWindow } from '../fakes/electron-ipc';
import { FakeSafeStorage } from '../fakes/electron-safe-storage';
import { JsonFileStore } from '../fakes/electron-store';

/**
 * The desktop main process wired by createShell, with fakes for the few Electron objects, driven
 * through the very preload API the window gets (over the in-memory IPC transport). Campaigns go
 * out over the real HTTP transport to whatever base URL a profile names (the mock server here).
 */

const ENTRY = APP_ENTRY;

/** RecordingIpcMain keeps every answer main gives, to look for a key in them. */
class RecordingIpcMain extends FakeIpcMain {
  readonly answers: unknown[] = [];
  override async invoke(event: IpcEventLike, channel: string, payload?: unknown): Promise<unknown> {
    const answer = await super.invoke(event, channel, payload);
    this.answers.push(answer);
    return answer;
  }
}

/** Desktop is one booted main process and the API of its window. */
export interface Desktop {
  dir: string;
  api: Api;
  shell: Shell;
  dialogs: FakeDialogs;
  ipcMain: RecordingIpcMain;
  /** The window main sends to (its webContents carry the trusted frame). */
  win: ShellWindow;
  /** Every status batch the window received. */
  events: StatusBatch[];
  /** Main's log lines. */
  lines: string[];
  /** Resolves with the first batch of campaign `id` in state `finished` (seen from now on). */
  finished(id: string): Promise<StatusBatch>;
  /** Quits the main process; the folder is removed unless `keep` (to boot again over it: an app closed and reopened). */
  close(options?: { keep?: boolean }): Promise<void>;
}

/** installPageApi runs the preload's installApi in a fresh context, as the window's world would, over `bridge`. */
export function installPageApi(bridge: unknown): Api {
  const world: { api?: Api } = {};
  // Run through tsx (bench/scale-desktop.ts), the function's source calls tsx's naming helper.
  runInNewContext(`(${installApi.toString()})(bridge)`, Object.assign(world, { bridge, __name: <T>(f: T) => f }));
  return world.api as Api;
}

/** bootDesktop starts a main process in a temp folder of its own, or in `dir` (one a closed desktop kept). */
export function bootDesktop(overrides: Partial<ShellDeps> = {}, dir = mkdtempSync(join(tmpdir(), 'desktop-'))): Desktop {
  const ipcMain = new RecordingIpcMain();
  const trusted = fakeTrustedWindow(ENTRY);
  const renderer = new FakeIpcRenderer(ipcMain, eventFrom(trusted));
  const events: StatusBatch[] = [];
  const win: ShellWindow = {
    isDestroyed: () => false,
    webContents: { ...trusted.webContents, send: (channel, payload) => renderer.deliver(channel, payload) },
  };
  const lines: string[] = [];
  const dialogs = new FakeDialogs();
  const shell = createShell({
    ipcMain,
    safeStorage: new FakeSafeStorage(),
    settings: new JsonFileStore(join(dir, 'config.json')),
    platform: 'linux',
    dataDir: join(dir, 'data'),
    samplesDir: fileURLToPath(new URL('../../resources', import.meta.url)),
    dialogs,
    openLink: async () => undefined,
    logSink: (line) => lines.push(line),
    getWindow: () => win,
    entry: ENTRY,
    // These tests count the provider's requests: no automatic engagement refresh among them.
    autoRefresh: false,
    ...overrides,
  });
  const api = installPageApi(buildBridgeApi(renderer));
  const waiters: { id: string; resolve: (b: StatusBatch) => void }[] = [];
  api.campaign.onEvent((b) => {
    events.push(b);
    if (b.state !== 'finished') return;
    for (const w of waiters.filter((x) => x.id === b.campaignId)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(b);
    }
  });
  return {
    dir,
    api,
    shell,
    dialogs,
    ipcMain,
    win,
    events,
    lines,
    finished: (id) => {
      const done = events.find((b) => b.campaignId === id && b.state === 'finished');
      if (done !== undefined) return Promise.resolve(done);
      return new Promise((resolve) => waiters.push({ id, resolve }));
    },
    close: async (options) => {
      await shell.backend.shutdown();
      shell.dispose();
      if (options?.keep !== true) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** csvBytes builds CSV bytes from a header and rows (CRLF, quoted as needed). */
export function csvBytes(header: string[], rows: string[][]): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(Papa.unparse([header, ...rows], { newline: '\r\n' }));
}

/** readReport parses a delivery report into header + rows of objects. */
export function readReport(path: string): { header: string[]; rows: Record<string, string>[] } {
  const parsed = Papa.parse<string[]>(readFileSync(path, 'utf8').trimEnd(), { newline: '\r\n' });
  const [header = [], ...rows] = parsed.data;
  return { header, rows: rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? '']))) };
}


/** importCsv imports contacts the way the renderer does (csv:begin, csv:append in pieces, csv:finish). */
export async function importCsv(api: Api, file: { name: string; bytes: Uint8Array; delimiter?: ',' | ';' | '\t' | '|' }, chunk = 64 * 1024) {
  const { uploadId } = await api.csv.begin(file.delimiter === undefined ? { name: file.name, size: file.bytes.length } : { name: file.name, size: file.bytes.length, delimiter: file.delimiter });
  for (let at = 0; at < file.bytes.length; at += chunk) await api.csv.append({ uploadId, offset: at, bytes: file.bytes.slice(at, at + chunk) });
  return api.csv.finish({ uploadId });
}
