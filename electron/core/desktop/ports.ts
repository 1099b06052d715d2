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
