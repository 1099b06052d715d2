import type { BrowserWindow, MessageBoxOptions, OpenDialogOptions, SaveDialogOptions } from 'electron';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../core/vault/ports';
import type { DialogModule } from './dialogs';
import { confirmSendOptions, electronDialogs, storedFolders } from './dialogs';
import { saveFileName } from './save-name';

describe('saveFileName: a name from the renderer becomes a plain file name of the right kind', () => {
  it.each([
    ['Spring promo.campaign.json', 'Spring promo.campaign.json'],
    ['Spring promo', 'Spring promo.campaign.json'],
    ['promo.json', 'promo.campaign.json'],
    ['~/.bashrc', 'bashrc.campaign.json'],
    ['../../.profile', 'profile.campaign.json'],
    ['/etc/cron.d/job', 'job.campaign.json'],
    ['C:\\Users\\me\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\run.cmd', 'run.cmd.campaign.json'],
    ['..', 'campaign.campaign.json'],
    ['', 'campaign.campaign.json'],
    ['   ', 'campaign.campaign.json'],
    ['CON', '_CON.campaign.json'],
    ['nul.campaign.json', '_nul.campaign.json'],
    ['a\u0000b\nc\u202ed.campaign.json', 'a b c d.campaign.json'],
    ['what?*<>|":.campaign.json', 'what.campaign.json'],
    ['trailing dots... ', 'trailing dots.campaign.json'],
  ])('campaign %j -> %j', (suggested, expected) => {
    expect(saveFileName('campaign', suggested)).toBe(expected);
  });

  it.each([
    ['Spring promo-report.csv', 'Spring promo-report.csv'],
    ['Spring promo-report.xlsx', 'Spring promo-report.xlsx'],
    ['Spring promo-report.XLSX', 'Spring promo-report.xlsx'],
    ['~/.bashrc', 'bashrc.csv'],
    ['report.exe', 'report.exe.csv'],
    ['../x.campaign.json', 'x.campaign.json.csv'],
  ])('report %j -> %j', (suggested, expected) => {
    expect(saveFileName('report', suggested)).toBe(expected);
  });

  it('caps the length and never leaves a folder part', () => {
    const name = saveFileName('campaign', `${'a/'.repeat(50)}${'é'.repeat(500)}`);
    expect(name).toBe(`${'é'.repeat(120)}.campaign.json`);
    for (const s of ['a/b', 'a\\b', '../..', '/', '\\\\server\\share\\x']) expect(saveFileName('report', s)).not.toMatch(/[\\/]/);
  });
});

/** recordingDialog is Electron's dialog module as a recorder that answers what the test says. */
function recordingDialog(answers: { open?: string | undefined; save?: string | undefined; response?: number } = {}) {
  const opens: OpenDialogOptions[] = [];
  const saves: SaveDialogOptions[] = [];
  const boxes: MessageBoxOptions[] = [];
  const module: DialogModule = {
    showOpenDialog: async (_w: BrowserWindow, o: OpenDialogOptions) => {
      opens.push(o);
      return answers.open === undefined ? { canceled: true, filePaths: [] } : { canceled: false, filePaths: [answers.open] };
    },
    showSaveDialog: async (_w, o) => {
      saves.push(o);
      return answers.save === undefined ? { canceled: true } : { canceled: false, filePath: answers.save };
    },
    showMessageBox: async (_w, o) => {
      boxes.push(o);
      return { response: answers.response ?? 0 };
    },
  };
  return { module, opens, saves, boxes };
}

const win = {} as BrowserWindow;

describe('electronDialogs', () => {
  it('puts the reduced name in Documents, then in the folder last saved to', async () => {
    const docs = join('/home', 'me', 'Documents');
    const settings = new MemoryStore();
    const first = recordingDialog({ save: join('/home', 'me', 'exports', 'mine.csv') });
    const dialogs = electronDialogs(first.module, () => win, storedFolders(docs, settings));
    expect(await dialogs.chooseSavePath('report', '../../.bashrc')).toBe(join('/home', 'me', 'exports', 'mine.csv'));
    expect(first.saves[0]).toMatchObject({ defaultPath: join(docs, 'bashrc.csv'), filters: [{ extensions: ['csv'] }] });

    // A restart keeps the folder: the store is the settings file.
    const second = recordingDialog();
    const again = electronDialogs(second.module, () => win, storedFolders(docs, settings));
    expect(await again.chooseSavePath('campaign', '/etc/passwd')).toBeNull();
    expect(second.saves[0]).toMatchObject({ defaultPath: join('/home', 'me', 'exports', 'passwd.campaign.json'), filters: [{ extensions: ['json'] }] });
    expect(await again.chooseSavePath('report', 'x.xlsx')).toBeNull();
    expect(second.saves[1]?.filters).toEqual([{ name: 'Excel workbook', extensions: ['xlsx'] }]);
  });

  it('ignores a remembered folder that is not an absolute path', async () => {
    const settings = new MemoryStore();
    settings.set('lastSaveFolder', '../../etc');
    const d = recordingDialog();
    await electronDialogs(d.module, () => win, storedFolders('/docs', settings)).chooseSavePath('campaign', 'a');
    expect(d.saves[0]?.defaultPath).toBe(join('/docs', 'a.campaign.json'));
  });

  it('asks for a folder to back up into, one the person may create there, and answers it (null when cancelled)', async () => {
    const folder = join('/media', 'usb', 'campaign-backup');
    const picked = recordingDialog({ open: folder });
    expect(await electronDialogs(picked.module, () => win, storedFolders('/d', new MemoryStore())).chooseOpenPath('backup-folder')).toBe(folder);
    expect(picked.opens[0]?.properties).toEqual(['openDirectory', 'createDirectory']);
    const cancelled = recordingDialog();
    expect(await electronDialogs(cancelled.module, () => win, storedFolders('/d', new MemoryStore())).chooseOpenPath('backup-folder')).toBeNull();
  });

  it('confirms a send only when the person picks the second button; Cancel is the default', async () => {
    const c = { action: 'send' as const, test: false, campaignName: 'Spring promo', profileName: 'Wassist live', recipients: 1234 };
    const no = recordingDialog({ response: 0 });
    expect(await electronDialogs(no.module, () => win, storedFolders('/d', new MemoryStore())).confirmSend(c)).toBe(false);
    const yes = recordingDialog({ response: 1 });
    expect(await electronDialogs(yes.module, () => win, storedFolders('/d', new MemoryStore())).confirmSend(c)).toBe(true);
    expect(yes.boxes[0]).toMatchObject({ defaultId: 0, cancelId: 0, buttons: ['Cancel', 'Send to 1,234 recipients'] });
    // Without a window nobody can agree, so nothing is confirmed.
    expect(await electronDialogs(yes.module, () => null, storedFolders('/d', new MemoryStore())).confirmSend(c)).toBe(false);
  });

  it('names the action, the campaign, the profile and the number of recipients', () => {
    const o = confirmSendOptions({ action: 'setCredits', test: false, campaignName: 'Top-up', profileName: 'Client A', recipients: 2 });
    expect(o.message).toBe('Set the credits with “Top-up” to 2 recipients?');
    expect(o.detail).toContain('Profile: Client A');
    const t = confirmSendOptions({ action: 'trigger', test: true, campaignName: '', profileName: 'P', recipients: 1 });
    expect(t.message).toBe('Trigger the agent with this campaign to 1 recipient now, as a test?');
    expect(t.buttons).toEqual(['Cancel', 'Trigger test']);
  });
});
