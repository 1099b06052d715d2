import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import type { Shell, ShellWindow } from '../../electron/app/shell';
import { createShell } from '../../electron/app/shell';
import type { Dialogs, OpenKind, SaveKind, SendConfirmation } from '../../electron/desktop/ports';
import { FakeIpcMain, eventFrom, fakeFrame } from '../fakes/electron-ipc';
import { FakeSafeStorage } from '../fakes/electron-safe-storage';
import { JsonFileStore } from '../fakes/electron-store';

/**
 * The browser harness: the BUILT renderer served from 127.0.0.1, in Debian's Chromium driven by
 * playwright-core, talking to the REAL main process (createShell: vault, campaign store, desktop
 * backend, IPC handlers behind the sender check) through a bridge that stands in for Electron's
 * IPC transport. Only what needs a real desktop is faked: the OS keychain (an AES fake), the
 * settings file (a JSON file), and the file dialogs (scripted paths in a temp folder).
 */

const root = fileURLToPath(new URL('../..', import.meta.url));

/** chromiumPath is Debian's Chromium (apt-get install chromium). */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** chromiumArgs are the flags every harness browser runs with (headless, no sandbox in CI containers, no network chatter). */
export const chromiumArgs = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

/** buildRenderer runs `vite build` with the project's config into `outDir` (a temp folder, so dist/ is left alone). */
export async function buildRenderer(outDir: string): Promise<void> {
  await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
}

/** bundlePageBridge bundles page-bridge.ts (and the shared createApi) into one script for addInitScript. */
export async function bundlePageBridge(): Promise<string> {
  const out = await build({
    configFile: false,
    logLevel: 'warn',
    build: { write: false, minify: false, lib: { entry: join(root, 'test/e2e/page-bridge.ts'), formats: ['iife'], name: 'pageBridge' } },
  });
  const first = (Array.isArray(out) ? out[0] : out) as { output: { code?: string }[] };
  const code = first.output[0]?.code;
  if (code === undefined) throw new Error('the page bridge did not bundle');
  return code;
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** serveStatic serves a folder on 127.0.0.1 (a free port); `/` is index.html. */
export async function serveStatic(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const base = resolve(dir);
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(base, path === '/' ? 'index.html' : path));
    if (!file.startsWith(base)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file)
      .then((body) => {
        res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
        res.end(body);
      })
      .catch(() => res.writeHead(404).end('not found'));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

/** launchChromium starts Debian's Chromium headless. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
}

/**
 * ScriptedDialogs stands in for main's dialogs: opens return queued paths, saves go to a temp
 * folder, and the send confirmation says yes unless a test set `sendAnswer` to false.
 */
export class ScriptedDialogs implements Dialogs {
  readonly opens: string[] = [];
  readonly saved: { kind: SaveKind; path: string }[] = [];
  /** The send confirmations main asked for. */
  readonly confirmations: SendConfirmation[] = [];
  /** What the person answers to the send confirmation. */
  sendAnswer = true;
  constructor(private readonly dir: string) {}
  confirmSend(c: SendConfirmation): Promise<boolean> {
    this.confirmations.push({ ...c });
    return Promise.resolve(this.sendAnswer);
  }
  chooseOpenPath(_kind: OpenKind): Promise<string | null> {
    return Promise.resolve(this.opens.shift() ?? null);
  }
  chooseSavePath(kind: SaveKind, suggestedName: string): Promise<string | null> {
    const path = join(this.dir, suggestedName.replace(/[\\/]/g, '_'));
    this.saved.push({ kind, path });
    return Promise.resolve(path);
  }
}

/** App is one running app: the page, the real main-process shell behind it, and where it keeps its files. */
export interface App {
  page: Page;
  context: BrowserContext;
  shell: Shell;
  dialogs: ScriptedDialogs;
  dir: string;
  logs: string[];
  /** Events webContents.send delivered to the page, by channel. */
  sent: { channel: string; payload: unknown }[];
  close(): Promise<void>;
}

function decodeBytes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeBytes);
  if (value !== null && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (typeof v.__bytes === 'string' && Object.keys(v).length === 1) return new Uint8Array(Buffer.from(v.__bytes, 'base64'));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = decodeBytes(x);
    return out;
  }
  return value;
}

/**
 * openApp starts the main-process shell over a fresh temp data folder (or `dir`, the folder of an
 * app closed before: a restart, its settings and data kept, and left in place at close), opens a
 * page on the served renderer, and bridges the two: window.api calls reach the real handlers
 * through the same sender check Electron's IPC would face (the page is the trusted window's main
 * frame), and status batches reach the page in order.
 */
export async function openApp(browser: Browser, url: string, bridge: string, options: { safeStorageBackend?: string; colorScheme?: 'light' | 'dark'; dir?: string } = {}): Promise<App> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'campaign-e2e-')));
  const entry = `${url}/index.html`;
  const ipcMain = new FakeIpcMain();
  const logs: string[] = [];
  const sent: App['sent'] = [];
  const context = await browser.newContext({ viewport: { width: 1320, height: 900 }, colorScheme: options.colorScheme ?? 'light', deviceScaleFactor: 1 });
  const page = await context.newPage();
  let chain: Promise<unknown> = Promise.resolve();
  let closed = false;
  const window: ShellWindow = {
    isDestroyed: () => closed,
    webContents: {
      id: 1,
      mainFrame: fakeFrame(entry, { processId: 1, routingId: 1 }),
      send(channel: string, payload: unknown) {
        sent.push({ channel, payload });
        chain = chain.then(() => (closed ? undefined : page.evaluate(([c, p]) => (globalThis as unknown as { __ipcDeliver(c: string, p: unknown): void }).__ipcDeliver(c, p), [channel, payload] as const).catch(() => undefined)));
      },
    },
  };
  const dialogs = new ScriptedDialogs(dir);
  const shell = createShell({
    ipcMain,
    safeStorage: new FakeSafeStorage({ backend: options.safeStorageBackend ?? 'gnome_libsecret' }),
    settings: new JsonFileStore(join(dir, 'settings.json')),
    platform: 'linux',
    samplesDir: join(root, 'resources'),
    dataDir: join(dir, 'data'),
    dialogs,
    openLink: () => Promise.resolve(),
    logSink: (line) => logs.push(line),
    getWindow: () => window,
    entry,
  });
  const event = eventFrom(window);
  await page.exposeFunction('__ipcInvoke', (channel: string, payload: unknown) => ipcMain.invoke(event, channel, decodeBytes(payload)));
  await page.addInitScript({ content: bridge });
  await page.goto(entry);
  return {
    page,
    context,
    shell,
    dialogs,
    dir,
    logs,
    sent,
    close: async () => {
      closed = true;
      await chain.catch(() => undefined);
      await shell.backend.shutdown().catch(() => undefined);
      shell.dispose();
      await context.close();
      if (options.dir === undefined) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** screensDir is where each step's screenshot goes (test-results/screens/<step>.png). */
export const screensDir = join(root, 'test-results', 'screens');

/**
 * screenshot saves the whole page as test-results/screens/<step>.png. The viewport grows to the
 * page's height first (and shrinks back after), so the sticky navigation is drawn where a person
 * sees it rather than wherever a scrolled capture would leave it.
 */
export async function screenshot(page: Page, step: string): Promise<string> {
  const path = join(screensDir, `${step}.png`);
  const size = page.viewportSize() ?? { width: 1320, height: 900 };
  const height = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollHeight: number } } }).document.documentElement.scrollHeight);
  await page.setViewportSize({ width: size.width, height: Math.max(size.height, Math.min(height, 4000)) });
  await page.screenshot({ path });
  await page.setViewportSize(size);
  return path;
}

/** exists tells whether a file exists. */
export async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
