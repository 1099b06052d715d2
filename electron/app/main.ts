import { BrowserWindow, Menu, Notification, app, dialog, ipcMain, safeStorage, screen, session, shell } from 'electron';
import Store from 'electron-store';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { defaultDataDir } from '../core/state/data-dir';
import { electronDialogs } from './dialogs';
import { createOpenExternal } from './external';
import { menuTemplate } from './menu';
import { cspHeader } from './security';
import type { Shell } from './shell';
import { createShell } from './shell';
import { createMainWindow, hardenAllWebContents, hardenSession } from './window';
import { captureWindowState, restoreWindowState } from './window-state';

// The composition root: the only code that touches Electron. Every decision it applies lives in
// a tested module (security.ts, window.ts, shell.ts, menu.ts, window-state.ts); this file only
// connects them to the real app, in order.

const here = dirname(fileURLToPath(import.meta.url));
const devServerUrl = app.isPackaged ? undefined : process.env.VITE_DEV_SERVER_URL;
const entry = devServerUrl ?? pathToFileURL(join(app.getAppPath(), 'dist', 'renderer', 'index.html')).href;

app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let mainWindow: BrowserWindow | null = null;
  let wiring: Shell | undefined;
  const settings = new Store<Record<string, unknown>>({ name: 'settings' });

  const logDir = app.getPath('logs');
  mkdirSync(logDir, { recursive: true });
  const logSink = (line: string) => {
    appendFileSync(join(logDir, 'main.log'), `${line}\n`, { mode: 0o600 });
    if (!app.isPackaged) console.log(line);
  };

  const focus = () => {
    if (mainWindow === null) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  };
  app.on('second-instance', focus);

  const openWindow = (log: Shell['log']) => {
    const state = restoreWindowState(settings.get('window'), screen.getAllDisplays().map((d) => d.workArea));
    mainWindow = createMainWindow({
      BrowserWindow,
      entry,
      preloadPath: join(here, 'preload.cjs'),
      state,
      saveState: (win) => settings.set('window', captureWindowState(win)),
      log,
    });
    mainWindow.on('closed', () => (mainWindow = null));
  };

  void app.whenReady().then(() => {
    // Set once the shell's logger exists; only called later, when a page asks to open a link.
    let openLink: (url: string) => Promise<void> = async () => undefined;
    wiring = createShell({
      ipcMain,
      safeStorage,
      settings: { get: (k) => settings.get(k), set: (k, v) => settings.set(k, v), delete: (k) => settings.delete(k) },
      platform: process.platform,
      dataDir: defaultDataDir(),
      samplesDir: app.isPackaged ? join(process.resourcesPath, 'samples') : join(app.getAppPath(), 'resources'),
      dialogs: electronDialogs(dialog, () => mainWindow),
      openLink: (url) => openLink(url),
      logSink,
      getWindow: () => mainWindow,
      entry,
      // A scheduled campaign that starts (or cannot) says so even when the window is hidden.
      notify: (title, body) => {
        if (Notification.isSupported()) new Notification({ title, body }).show();
      },
    });
    const log = wiring.log;
    // The one call of shell.openExternal: createOpenExternal hands it only http(s) URLs that the
    // URL parser accepted, normalised (security.ts externalUrl). Reviewed in scripts/electronegativity.mjs.
    openLink = createOpenExternal((url) => shell.openExternal(url), log);
    hardenSession(session.defaultSession, cspHeader(devServerUrl), log);
    hardenAllWebContents(app, entry, (url) => void openLink(url).catch(() => undefined), log);
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        menuTemplate({
          platform: process.platform,
          appName: app.name,
          dev: !app.isPackaged,
          send: (command) => mainWindow?.webContents.send('app:command', command),
          showAbout: () => app.showAboutPanel(),
        }),
      ),
    );
    log.info(`started ${app.name} ${app.getVersion()} (Electron ${process.versions.electron ?? '?'})`);
    openWindow(log);
    app.on('activate', () => {
      if (mainWindow === null) openWindow(log);
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Stop sending before quitting: rows in flight finish and are recorded, the rest stay pending
  // for the next start of the same campaign.
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting || wiring === undefined) return;
    event.preventDefault();
    quitting = true;
    void wiring.backend
      .shutdown()
      .catch((e: unknown) => wiring?.log.error('shutdown failed', e))
      .finally(() => app.quit());
  });
}
