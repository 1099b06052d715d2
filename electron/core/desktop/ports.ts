import type { CampaignSpec } from '../../../shared/campaign/schema';
import type { StatusBatch } from '../../../shared/ipc/contract';
import type { Logger } from '../../ipc/log';
import type { BatchTimer } from '../../ipc/batch-timer';
import type { Clock, Transport } from '../ports';
import type { CampaignStore } from '../state/campaign-store';
import type { KeyVault } from '../vault/vault';

/**
 * What the desktop backend needs from outside. The composition root passes Electron's dialogs and
 * shell, the real stores and transports; tests pass fakes (a dialog that "picks" a temp path).
 */

/** FileKind says which dialog to show (its title and file filters). */
export type OpenKind = 'csv' | 'campaign';
export type SaveKind = 'campaign' | 'report';

/**
 * Dialogs let the user pick a file in main: the renderer never names a path. Each resolves with
 * the chosen absolute path, or null when the user cancels.
 */
export interface Dialogs {
  chooseOpenPath(kind: OpenKind): Promise<string | null>;
  chooseSavePath(kind: SaveKind, suggestedName: string): Promise<string | null>;
}

export interface DesktopDeps {
  vault: KeyVault;
  campaigns: CampaignStore;
  dialogs: Dialogs;
  /** Opens an http(s) link in the system browser (refuses anything else with a UserError). */
  openLink(url: string): Promise<void>;
  /** The folder with sample-contacts.csv and sample-sandbox.campaign.json (resources/ in the app). */
  samplesDir: string;
  /** Sends a status batch to the renderer. */
  emit(batch: StatusBatch): void;
  clock: Clock;
  timer: BatchTimer;
  /** The transport for a campaign (HTTP, or the sandbox); tests inject a fake. */
  transportFor(spec: CampaignSpec, clock: Clock): Transport;
  log: Logger;
}
