import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import type { AppCommand } from '../../shared/ipc/contract';
import { openDialogOptions, saveDialogOptions } from './dialogs';
import { menuTemplate } from './menu';

function items(template: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions[] {
  const menu = template.find((m) => m.label === label || m.role === label);
  return (menu?.submenu ?? []) as MenuItemConstructorOptions[];
}

function click(item: MenuItemConstructorOptions | undefined): void {
  (item?.click as (() => void) | undefined)?.();
}

describe('application menu', () => {
  for (const platform of ['linux', 'win32', 'darwin']) {
    it(`File items send their command to the renderer (${platform})`, () => {
      const sent: AppCommand[] = [];
      const template = menuTemplate({ platform, appName: 'Campaign Sender', send: (c) => sent.push(c), showAbout: () => undefined, dev: false });
      const file = items(template, '&File');
      for (const label of ['Import CSV…', 'Open campaign…', 'Save campaign…', 'Export report…']) click(file.find((i) => i.label === label));
      expect(sent).toEqual(['import-csv', 'open-campaign', 'save-campaign', 'export-report']);
      expect(template.map((m) => m.label ?? m.role)).toEqual([...(platform === 'darwin' ? ['Campaign Sender'] : []), '&File', '&Edit', '&View', 'help']);
    });
  }

  it('offers developer tools only in unpackaged builds', () => {
    const roles = (dev: boolean) => items(menuTemplate({ platform: 'linux', appName: 'x', send: () => undefined, showAbout: () => undefined, dev }), '&View').map((i) => i.role);
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(true)).toContain('toggleDevTools');
  });
});

describe('dialogs', () => {
  it('open one file of the right kind and suggest a name when saving', () => {
    expect(openDialogOptions('csv').properties).toEqual(['openFile']);
    expect(openDialogOptions('campaign').filters?.[0]?.extensions).toEqual(['json']);
    expect(saveDialogOptions('report', 'x-report.csv')).toMatchObject({ defaultPath: 'x-report.csv', filters: [{ extensions: ['csv'] }] });
    expect(saveDialogOptions('report', 'x-report.xlsx')).toMatchObject({ defaultPath: 'x-report.xlsx', filters: [{ name: 'Excel workbook', extensions: ['xlsx'] }] });
  });
});
