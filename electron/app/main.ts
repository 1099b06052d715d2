import { BrowserWindow, Menu, Notification, app, dialog, ipcMain, protocol, safeStorage, screen, session, shell } from 'electron';
import Store from 'electron-store';
import { chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_ENTRY, APP_SCHEME } from '../../shared/security/app-origin';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, defaultDataDir } from '../core/state/data-dir';
import { APP_SCHEME_PRIVILEGES, appProtocolHandler, createBundleHandler } from './app-protocol';
import { electronDialogs, imageHostQuestion, storedFolders } from './dialogs';
import { createOpenExternal } from './external';
import { rotatingLogSink } from './log-file';
import { createMediaHandler } from './media-protocol';
import { menuTemplate } from './menu';
import { cspHeader } from './security';
import { SETTINGS_STORE_OPTIONS } from './settings-store';
import type { Shell } from './shell';
import { createShell } from './shell';
import { createMainWindow, hardenAllWebContents, hardenSession } from './window';
import { captureWindowState, restoreWindowState } from './window-state';

// The composition root: the only code that touches Electron. Every decision it applies lives in
// a tested module (security.ts, window.ts, shell.ts, menu.ts, window-state.ts, app-protocol.ts,
// media-protocol.ts, dialogs.ts, log-file.ts); this file only connects them to the real app, in order.

const here = dirname(fileURLToPath(import.meta.url));
const devServerUrl = app.isPackaged ? undefined : process.env.VITE_DEV_SERVER_URL;
// The built renderer is served by main from app://bundle/ (app-protocol.ts), not from file://.
const entry = devServerUrl ?? APP_ENTRY;

app.enableSandbox();
// Before the app is ready, once: the app: scheme is standard and secure (a real origin).
protocol.registerSchemesAsPrivileged([...APP_SCHEME_PRIVILEGES]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let mainWindow: BrowserWindow | null = null;
  let wiring: Shell | undefined;
  const settings = new Store<Record<string, unknown>>({ ...SETTINGS_STORE_OPTIONS });
  // The user's alone, also where an older version wrote them with the default modes.
  for (const [path, mode] of [[app.getPath('userData'), PRIVATE_DIR_MODE], [settings.path, PRIVATE_FILE_MODE]] as const) {
    try {
      chmodSync(path, mode);
    } catch {
      // not there yet, or a file system without modes
    }
  }

  const fileSink = rotatingLogSink(app.getPath('logs'));
  const logSink = (line: string) => {
    fileSink(line);
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
      devTools: !app.isPackaged,
      log,
    });
    mainWindow.on('closed', () => (mainWindow = null));
  };

  void app.whenReady().then(() => {
    // Set once the shell's logger exists; only called later, when a page asks to open a link.
    let openLink: (url: string) => Promise<void> = async () => undefined;
    const settingsStore = { get: (k: string) => settings.get(k), set: (k: string, v: unknown) => settings.set(k, v), delete: (k: string) => settings.delete(k) };
    wiring = createShell({
      ipcMain,
      safeStorage,
      settings: settingsStore,
      platform: process.platform,
      dataDir: defaultDataDir(),
      samplesDir: app.isPackaged ? join(process.resourcesPath, 'samples') : join(app.getAppPath(), 'resources'),
      dialogs: electronDialogs(dialog, () => mainWindow, storedFolders(app.getPath('documents'), settingsStore)),
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
    protocol.handle(
      APP_SCHEME,
      appProtocolHandler({
        bundle: createBundleHandler(join(app.getAppPath(), 'dist', 'renderer'), cspHeader()),
        // Preview images: fetched by main with Node's fetch (no cookies), only from hosts the person agreed to.
        media: createMediaHandler({ fetch: (url, init) => fetch(url, init), askHost: imageHostQuestion(dialog, () => mainWindow), log }),
      }),
    );
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
