import type { BrowserWindow, MessageBoxOptions, OpenDialogOptions, SaveDialogOptions } from 'electron';
import { dirname, isAbsolute, join } from 'node:path';
import type { Dialogs, OpenKind, SaveKind, SendConfirmation } from '../desktop/ports';
import type { KeyValueStore } from '../core/vault/ports';
import { acceptedExtensions } from '../../shared/attachments/file-types';
import { saveFileName } from './save-name';

/**
 * The dialogs, run in main: the renderer asks for "open a CSV", "save the report" or "start the
 * campaign" and never names a path or answers for the person. The options are plain data (tested);
 * electronDialogs is the few lines that show them with Electron's dialog module.
 */

/** openDialogOptions: one file (or, for the files a column names and for a backup, one folder), of the kind asked for. */
export function openDialogOptions(kind: OpenKind): OpenDialogOptions {
  switch (kind) {
    case 'csv':
      return { title: 'Import contacts', properties: ['openFile'], filters: [{ name: 'CSV or text', extensions: ['csv', 'txt', 'tsv'] }, { name: 'All files', extensions: ['*'] }] };
    case 'campaign':
      return { title: 'Open campaign', properties: ['openFile'], filters: [{ name: 'Campaign', extensions: ['json'] }] };
    case 'attachment':
      return { title: 'Attach a file', properties: ['openFile'], filters: [{ name: 'Documents, images, audio, video', extensions: acceptedExtensions() }] };
    case 'attachment-folder':
      return { title: 'Choose the folder with the files the column names', properties: ['openDirectory'] };
    case 'backup-folder':
      // createDirectory: a backup usually goes into a new folder, made on the spot (macOS needs the flag).
      return { title: 'Back up the workspace into…', buttonLabel: 'Back up here', properties: ['openDirectory', 'createDirectory'] };
  }
}

/** saveDialogOptions: `defaultPath` (a folder main chose and a name saveFileName reduced) and the matching filter. */
export function saveDialogOptions(kind: SaveKind, defaultPath: string): SaveDialogOptions {
  const properties: SaveDialogOptions['properties'] = ['createDirectory', 'showOverwriteConfirmation'];
  if (kind === 'campaign') return { title: 'Save campaign', defaultPath, filters: [{ name: 'Campaign', extensions: ['json'] }], properties };
  if (kind === 'optouts') return { title: 'Export the opt-out list', defaultPath, filters: [{ name: 'CSV', extensions: ['csv'] }], properties };
  const filters = defaultPath.toLowerCase().endsWith('.xlsx') ? [{ name: 'Excel workbook', extensions: ['xlsx'] }] : [{ name: 'CSV', extensions: ['csv'] }];
  return { title: 'Export delivery report', defaultPath, filters, properties };
}

const ACTIONS: Record<SendConfirmation['action'], { verb: string; button: string }> = {
  send: { verb: 'Send the message of', button: 'Send' },
  trigger: { verb: 'Trigger the agent with', button: 'Trigger' },
  setCredits: { verb: 'Set the credits with', button: 'Set credits' },
};

/**
 * confirmSendOptions is the native question asked before anything goes out. It names the action,
 * the campaign, the profile (which account pays and is written to) and how many recipients; the
 * safe answer (Cancel) is the default and what Escape or closing the box gives.
 */
export function confirmSendOptions(c: SendConfirmation): MessageBoxOptions {
  const a = ACTIONS[c.action];
  const who = c.recipients === 1 ? '1 recipient' : `${c.recipients.toLocaleString('en-US')} recipients`;
  const name = c.campaignName.trim() === '' ? 'this campaign' : `“${c.campaignName.trim().slice(0, 120)}”`;
  // A scheduled start is agreed to now: nobody is asked when it falls due.
  const when = c.scheduledAt === undefined ? '' : ` at ${new Date(c.scheduledAt).toLocaleString()}`;
  return {
    type: 'question',
    title: c.test ? 'Send a test' : c.scheduledAt !== undefined ? 'Schedule the campaign' : 'Start the campaign',
    message: c.test ? `${a.verb} ${name} to ${who} now, as a test?` : `${a.verb} ${name} to ${who}${when}?`,
    detail: `Profile: ${c.profileName.slice(0, 120)}\n${c.attachments === undefined ? '' : `${c.attachments.slice(0, 400)}\n`}This goes out for real and cannot be undone.${when === '' ? '' : ' It starts by itself at that time while the app is running (or when it is next opened); you can change or cancel it until then.'}`,
    buttons: ['Cancel', c.test ? `${a.button} test` : c.scheduledAt !== undefined ? 'Schedule' : `${a.button} to ${who}`],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  };
}

/** DialogModule is the part of Electron's dialog used here. */
export interface DialogModule {
  showOpenDialog(win: BrowserWindow, options: OpenDialogOptions): Promise<{ canceled: boolean; filePaths: string[] }>;
  showSaveDialog(win: BrowserWindow, options: SaveDialogOptions): Promise<{ canceled: boolean; filePath?: string }>;
  showMessageBox(win: BrowserWindow, options: MessageBoxOptions): Promise<{ response: number }>;
}

/** SaveFolders is where save dialogs open: the folder last saved to (remembered), else Documents. */
export interface SaveFolders {
  /** The user's Documents folder (app.getPath('documents')). */
  documents: string;
  /** The folder last saved to, if remembered. */
  last(): string | undefined;
  remember(dir: string): void;
}

/** storedFolders remembers the last folder in the settings store (so it survives a restart). */
export function storedFolders(documents: string, settings: KeyValueStore): SaveFolders {
  return {
    documents,
    last: () => {
      const dir = settings.get(LAST_SAVE_DIR);
      return typeof dir === 'string' && isAbsolute(dir) ? dir : undefined;
    },
    remember: (dir) => settings.set(LAST_SAVE_DIR, dir),
  };
}

const LAST_SAVE_DIR = 'lastSaveFolder';

/**
 * electronDialogs shows the dialogs attached to the main window. Without a window no file is
 * chosen and nothing is confirmed: nothing goes out unless a person said yes.
 */
export function electronDialogs(dialog: DialogModule, getWindow: () => BrowserWindow | null, folders: SaveFolders): Dialogs {
  return {
    async chooseOpenPath(kind) {
      const win = getWindow();
      if (win === null) return null;
      const r = await dialog.showOpenDialog(win, openDialogOptions(kind));
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    async chooseSavePath(kind, suggestedName) {
      const win = getWindow();
      if (win === null) return null;
      const defaultPath = join(folders.last() ?? folders.documents, saveFileName(kind, suggestedName));
      const r = await dialog.showSaveDialog(win, saveDialogOptions(kind, defaultPath));
      if (r.canceled || r.filePath === undefined || r.filePath === '') return null;
      folders.remember(dirname(r.filePath));
      return r.filePath;
    },
    async confirmSend(c) {
      const win = getWindow();
      if (win === null) return false;
      const r = await dialog.showMessageBox(win, confirmSendOptions(c));
      return r.response === 1;
    },
  };
}

/**
 * imageHostOptions asks whether the preview may load images from `host`: loading them tells that
 * server the person's address and that the campaign was previewed. Not loading is the default.
 */
export function imageHostOptions(host: string): MessageBoxOptions {
  return {
    type: 'question',
    title: 'Load preview images',
    message: `Load preview images from ${host.slice(0, 200)}?`,
    detail: 'The app fetches them for the preview only. That server will see your internet address. You are asked once per server until the app restarts.',
    buttons: ['Don’t load', 'Load images'],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  };
}

/** imageHostQuestion asks imageHostOptions' question attached to the main window (no window: no images). */
export function imageHostQuestion(dialog: DialogModule, getWindow: () => BrowserWindow | null): (host: string) => Promise<boolean> {
  return async (host) => {
    const win = getWindow();
    if (win === null) return false;
    return (await dialog.showMessageBox(win, imageHostOptions(host))).response === 1;
  };
}
