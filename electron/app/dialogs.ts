import type { BrowserWindow, OpenDialogOptions, SaveDialogOptions } from 'electron';
import type { Dialogs, OpenKind, SaveKind } from '../desktop/ports';

/**
 * The file dialogs, run in main: the renderer asks for "open a CSV" or "save the report" and
 * never names a path. The options are plain data (tested); electronDialogs is the few lines that
 * show them with Electron's dialog module.
 */

/** openDialogOptions: one file, of the kind asked for. */
export function openDialogOptions(kind: OpenKind): OpenDialogOptions {
  return kind === 'csv'
    ? { title: 'Import contacts', properties: ['openFile'], filters: [{ name: 'CSV or text', extensions: ['csv', 'txt', 'tsv'] }, { name: 'All files', extensions: ['*'] }] }
    : { title: 'Open campaign', properties: ['openFile'], filters: [{ name: 'Campaign', extensions: ['json'] }] };
}

/** saveDialogOptions: a suggested file name and the matching filter. */
export function saveDialogOptions(kind: SaveKind, suggestedName: string): SaveDialogOptions {
  const properties: SaveDialogOptions['properties'] = ['createDirectory', 'showOverwriteConfirmation'];
  if (kind === 'report') return { title: 'Export delivery report', defaultPath: suggestedName, filters: [{ name: 'CSV', extensions: ['csv'] }], properties };
  if (kind === 'optouts') return { title: 'Export the opt-out list', defaultPath: suggestedName, filters: [{ name: 'CSV', extensions: ['csv'] }], properties };
  return { title: 'Save campaign', defaultPath: suggestedName, filters: [{ name: 'Campaign', extensions: ['json'] }], properties };
}

/** DialogModule is the part of Electron's dialog used here. */
export interface DialogModule {
  showOpenDialog(win: BrowserWindow, options: OpenDialogOptions): Promise<{ canceled: boolean; filePaths: string[] }>;
  showSaveDialog(win: BrowserWindow, options: SaveDialogOptions): Promise<{ canceled: boolean; filePath?: string }>;
}

/** electronDialogs shows the dialogs attached to the main window (none without a window). */
export function electronDialogs(dialog: DialogModule, getWindow: () => BrowserWindow | null): Dialogs {
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
      const r = await dialog.showSaveDialog(win, saveDialogOptions(kind, suggestedName));
      return r.canceled || r.filePath === undefined || r.filePath === '' ? null : r.filePath;
    },
  };
}
