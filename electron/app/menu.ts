import type { MenuItemConstructorOptions } from 'electron';
import type { AppCommand } from '../../shared/ipc/contract';

/**
 * The application menu as a template (no Electron call here, so it is testable): File commands
 * go to the renderer as `app:command` events, where the same code as the in-app buttons handles
 * them (dialogs then run in main through the API); Edit and View use Electron's roles.
 */

export interface MenuOptions {
  platform: string;
  appName: string;
  /** Sends an application command to the renderer. */
  send(command: AppCommand): void;
  /** Shows the About box (name, version). */
  showAbout(): void;
  /** Developer tools are in the View menu of unpackaged builds only. */
  dev: boolean;
}

/** menuTemplate builds the application menu. */
export function menuTemplate(o: MenuOptions): MenuItemConstructorOptions[] {
  const mac = o.platform === 'darwin';
  const command = (label: string, cmd: AppCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    ...(accelerator !== undefined ? { accelerator } : {}),
    click: () => o.send(cmd),
  });
  const settings = command(mac ? 'Settings…' : 'Provider settings…', 'settings', 'CmdOrCtrl+,');
  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    template.push({
      label: o.appName,
      submenu: [{ role: 'about' }, { type: 'separator' }, settings, { type: 'separator' }, { role: 'services' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }],
    });
  }
  template.push(
    {
      label: '&File',
      submenu: [
        command('Import CSV…', 'import-csv', 'CmdOrCtrl+O'),
        command('Open campaign…', 'open-campaign', 'CmdOrCtrl+Shift+O'),
        command('Save campaign…', 'save-campaign', 'CmdOrCtrl+S'),
        { type: 'separator' },
        command('Export report…', 'export-report', 'CmdOrCtrl+E'),
        ...(mac ? [] : [{ type: 'separator' } as const, settings, { type: 'separator' } as const]),
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { label: '&Edit', submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] },
    {
      label: '&View',
      submenu: [
        ...(o.dev ? [{ role: 'reload' } as const, { role: 'toggleDevTools' } as const, { type: 'separator' } as const] : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'help', submenu: [{ label: `About ${o.appName}`, click: () => o.showAbout() }] },
  );
  return template;
}
