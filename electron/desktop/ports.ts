import type { StatusBatch } from '../../shared/ipc/contract';
import type { CampaignService } from '../core/campaign/service';
import type { KeyValueStore } from '../core/vault/ports';
import type { KeyVault } from '../core/vault/vault';
import type { Logger } from '../ipc/log';
import type { BatchTimer } from './batch-timer';

/**
 * What the desktop backend needs from outside. The composition root passes Electron's dialogs and
 * shell, the real vault and campaign service; tests pass fakes (a dialog that "picks" a temp path).
 */

/**
 * OpenKind and SaveKind say which dialog to show (its title and file filters): `attachment` a file
 * a campaign attaches, `attachment-folder` the folder a column's file names are found in,
 * `backup-folder` the folder a workspace backup goes into (the person may create it in the dialog).
 */
export type OpenKind = 'csv' | 'campaign' | 'attachment' | 'attachment-folder' | 'backup-folder';
export type SaveKind = 'campaign' | 'report' | 'optouts';

/**
 * Dialogs let the user pick a file in main: the renderer never names a path. Each resolves with
 * the chosen absolute path, or null when the user cancels.
 */
export interface Dialogs {
  chooseOpenPath(kind: OpenKind): Promise<string | null>;
  /**
   * chooseSavePath asks where to save. `suggestedName` may come from the renderer: the
   * implementation reduces it to a plain file name in a folder main chooses (see app/save-name.ts).
   */
  chooseSavePath(kind: SaveKind, suggestedName: string): Promise<string | null>;
  /**
   * confirmSend asks the person, in a dialog main owns, whether to let messages (or actions) go
   * out: the renderer's own confirmation can be skipped by a compromised page, this one cannot.
   * Resolves true only when the person agreed.
   */
  confirmSend(c: SendConfirmation): Promise<boolean>;
}

/** SendConfirmation is what the person is asked to agree to before anything goes out. */
export interface SendConfirmation {
  /** What each row does: send the message, trigger the agent, or set the conversation's credits. */
  action: 'send' | 'trigger' | 'setCredits';
  /** A test send of one row, not a campaign. */
  test: boolean;
  campaignName: string;
  profileName: string;
  /** How many rows would go out (rows with errors that are skipped are not counted). */
  recipients: number;
  /** What each message attaches, in words ("Each message attaches brochure.pdf (1.2 MB), ..."), when it attaches files. */
  attachments?: string;
  /** A scheduled start: when it will go out (ISO 8601); the person agrees now, nobody is asked then. */
  scheduledAt?: string;
}

export interface DesktopDeps {
  vault: KeyVault;
  /** The settings store (electron-store): the app remembers there which interruptions the person dismissed. */
  settings: KeyValueStore;
  /** The campaign service over the workspace (the same folder as the CLI's). */
  service: CampaignService;
  /** Where imported contacts files are kept in the workspace (the service reopens them from there). */
  contactsDir: string;
  dialogs: Dialogs;
  /** Opens an http(s) link in the system browser (refuses anything else with a UserError). */
  openLink(url: string): Promise<void>;
  /** The folder with sample-contacts.csv and sample-sandbox.campaign.json (resources/ in the app). */
  samplesDir: string;
  /** Sends a status batch to the renderer. */
  emit(batch: StatusBatch): void;
  timer: BatchTimer;
  /** Refresh recent campaigns' engagement on a schedule while the app runs (engagement-channels.ts). */
  autoRefresh?: boolean;
  log: Logger;
  /** Shows a system notification (a scheduled campaign started, or could not); optional. */
  notify?(title: string, body: string): void;
}
