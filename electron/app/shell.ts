import type { CampaignSpec } from '../../shared/campaign/schema';
import type { StatusBatch } from '../../shared/ipc/contract';
import type { DesktopBackendHandle } from '../core/desktop/backend';
import { createDesktopBackend } from '../core/desktop/backend';
import type { Dialogs } from '../core/desktop/ports';
import { connect } from '../core/campaign-runner';
import type { Clock, Transport } from '../core/ports';
import { systemClock } from '../core/ports';
import { CampaignStore } from '../core/state/campaign-store';
import type { KeyValueStore, SafeStorageLike } from '../core/vault/ports';
import { KeyVault } from '../core/vault/vault';
import type { BatchTimer } from '../ipc/batch-timer';
import { realTimer } from '../ipc/batch-timer';
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
  transportFor?: (spec: CampaignSpec, clock: Clock) => Transport;
  clock?: Clock;
  timer?: BatchTimer;
}

export interface Shell {
  backend: DesktopBackendHandle;
  vault: KeyVault;
  log: Logger;
  /** Removes the IPC handlers. */
  dispose(): void;
}

/** defaultTransportFor: the runner's connection (the sandbox in process, anything else over HTTP). */
export function defaultTransportFor(spec: CampaignSpec, clock: Clock): Transport {
  return connect(spec, clock).transport;
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
  const backend = createDesktopBackend({
    vault,
    campaigns: new CampaignStore({ dataDir: d.dataDir }),
    dialogs: d.dialogs,
    samplesDir: d.samplesDir,
    openLink: d.openLink,
    emit: send,
    clock: d.clock ?? systemClock,
    timer: d.timer ?? realTimer,
    transportFor: d.transportFor ?? defaultTransportFor,
    log,
  });
  const unregister = registerIpcHandlers(d.ipcMain, createIpcHandlers(backend, log), createSenderCheck(d.getWindow, d.entry), log);
  return { backend, vault, log, dispose: unregister };
}
