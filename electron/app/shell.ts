import { join } from 'node:path';
import type { StatusBatch } from '../../shared/ipc/contract';
import type { Connector } from '../core/campaign/connection';
import { createConnector } from '../core/campaign/connection';
import { CampaignService } from '../core/campaign/service';
import type { Clock } from '../core/ports';
import { systemClock } from '../core/ports';
import { CampaignStore } from '../core/state/campaign-store';
import type { KeyValueStore, SafeStorageLike } from '../core/vault/ports';
import { KeyVault } from '../core/vault/vault';
import type { DesktopBackendHandle } from '../desktop/backend';
import { createDesktopBackend } from '../desktop/backend';
import type { BatchTimer } from '../desktop/batch-timer';
import { realTimer } from '../desktop/batch-timer';
import type { Dialogs } from '../desktop/ports';
import type { IpcMainLike } from '../ipc/handlers';
import { createIpcHandlers, registerIpcHandlers } from '../ipc/handlers';
import type { LogSink, Logger } from '../ipc/log';
import { Redactor, createLogger } from '../ipc/log';
import type { TrustedWindow } from '../ipc/sender-check';
import { createSenderCheck } from '../ipc/sender-check';

/**
 * The main process's objects, wired: vault, campaign store, backend, IPC handlers behind the
 * sender check, and the status stream to the window. main.ts calls this with Electron's objects
 * once the app is ready; tests call it with fakes and drive it through the preload API, so the
 * wiring the app runs is the wiring that is tested.
 */

/** ShellWindow is the main window as the shell uses it: for the sender check and to send events. */
export interface ShellWindow extends TrustedWindow {
  readonly webContents: TrustedWindow['webContents'] & { send(channel: string, payload: unknown): void };
}

export interface ShellDeps {
  ipcMain: IpcMainLike;
  safeStorage: SafeStorageLike;
  /** The settings store (electron-store): profiles, encrypted keys, window state. */
  settings: KeyValueStore;
  platform: string;
  /** The folder holding the sample CSV and campaign. */
  samplesDir: string;
  /** Where campaigns (journals) live: the same folder as the CLI's. */
  dataDir: string;
  dialogs: Dialogs;
  /** Opens a checked http(s) URL in the system browser (see external.ts). */
  openLink(url: string): Promise<void>;
  logSink: LogSink;
  /** The main window, or null when there is none. */
  getWindow(): ShellWindow | null;
  /** The URL the window loads: messages are accepted only from that page. */
  entry: string;
  /** Opens connections to providers; default HTTP, and the sandbox in process (tests inject fakes). */
  connect?: Connector;
  clock?: Clock;
  timer?: BatchTimer;
  /** Refresh recent campaigns' engagement by itself while the app runs (default true; tests that count requests turn it off). */
  autoRefresh?: boolean;
  /** Shows a system notification (a scheduled campaign started); optional. */
  notify?: (title: string, body: string) => void;
}

export interface Shell {
  backend: DesktopBackendHandle;
  vault: KeyVault;
  log: Logger;
  /** Removes the IPC handlers. */
  dispose(): void;
}

/** createShell wires the main process. */
export function createShell(d: ShellDeps): Shell {
  const redactor = new Redactor();
  const log = createLogger(d.logSink, redactor);
  const vault = new KeyVault({
    safeStorage: d.safeStorage,
    store: d.settings,
    platform: d.platform,
    onSecret: (key) => redactor.add(key),
    warn: (message) => log.info(message),
  });
  const send = (batch: StatusBatch) => {
    const win = d.getWindow();
    if (win !== null && !win.isDestroyed()) win.webContents.send('campaign:event', batch);
  };
  const clock = d.clock ?? systemClock;
  const contactsDir = join(d.dataDir, 'contacts');
  const service = new CampaignService({ store: new CampaignStore({ dataDir: d.dataDir }), connect: d.connect ?? createConnector(clock, { sandboxDir: join(d.dataDir, 'sandbox') }), clock, contactsDir });
  const backend = createDesktopBackend({
    vault,
    settings: d.settings,
    service,
    contactsDir,
    dialogs: d.dialogs,
    samplesDir: d.samplesDir,
    openLink: d.openLink,
    emit: send,
    timer: d.timer ?? realTimer,
    autoRefresh: d.autoRefresh ?? true,
    log,
    ...(d.notify === undefined ? {} : { notify: d.notify }),
  });
  const unregister = registerIpcHandlers(d.ipcMain, createIpcHandlers(backend, log), createSenderCheck(d.getWindow, d.entry), log);
  return { backend, vault, log, dispose: unregister };
}
