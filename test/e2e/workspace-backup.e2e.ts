import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenKind } from '../../electron/desktop/ports';
import type { App } from './harness';
import { exists } from './harness';
import type { Suite } from './steps';
import { checkScreen, openSample, pageErrors, stat, startSuite, text } from './steps';

/**
 * "Back up workspace…" on the Settings page, in Chromium over the real main process: it says what
 * is copied, that API keys are not, and how to restore; the button waits while the copy runs, then
 * says what was copied and where. A folder inside the workspace is refused in the page's error
 * style; cancelling the folder dialog changes nothing. An app opened on the backup as its data
 * folder lists the campaign the first one sent.
 */

let suite: Suite;
let app: App;
/** Where the backup goes: the data folder of a second app (openApp's `dir`/data). */
let restoredDir: string;

beforeAll(async () => {
  suite = await startSuite('backup');
  restoredDir = join(suite.work, 'restored');
  await mkdir(restoredDir);
  app = await suite.open();
});

afterAll(async () => {
  await suite?.close();
});

describe('backing up the workspace from Settings', () => {
  it('sends the sample campaign through the sandbox', async () => {
    const { page } = app;
    await openSample(page);
    await page.getByTestId('import-continue').click();
    await page.getByTestId('map-continue').click();
    await expect.poll(() => stat(page, 'stat-sendable')).toBe('20');
    await page.getByTestId('preview-continue').click();
    await page.getByTestId('start-button').click();
    await page.getByTestId('confirm-send').click();
    await expect.poll(() => text(page, 'campaign-state'), { timeout: 30_000 }).toContain('Finished');
  });

  it('says what is copied and how to restore, waits while copying, then says what it copied and where', async () => {
    const { page } = app;
    await page.getByTestId('nav-settings').click();
    const card = page.getByTestId('workspace-backup');
    expect(await card.textContent()).toContain('API keys and profiles are not copied');
    expect(await card.textContent()).toContain('--state <folder>');
    // The folder dialog stays open until the test answers it: the button waits meanwhile.
    const folder = join(restoredDir, 'data');
    let answer: (path: string | null) => void = () => undefined;
    const asked: OpenKind[] = [];
    app.dialogs.chooseOpenPath = (kind) => {
      asked.push(kind);
      return new Promise((resolve) => (answer = resolve));
    };
    const button = page.getByTestId('backup-workspace');
    await button.click();
    await expect.poll(() => button.textContent()).toContain('Backing up…');
    expect(await button.isDisabled()).toBe(true);
    expect(asked).toEqual(['backup-folder']);
    answer(folder);
    await expect.poll(() => text(page, 'backup-note')).toBe(`Backed up 1 campaign, 1 contacts file and 1 simulated Sandbox account to ${folder}.`);
    expect(await button.isDisabled()).toBe(false);
    expect((await readdir(folder)).sort()).toEqual(['campaigns', 'contacts', 'sandbox', 'workspace.db']);
    expect(await checkScreen(page, 'settings-backup')).toEqual([]);
  });

  it('keeps the page as it was when the folder dialog is cancelled', async () => {
    const { page } = app;
    const note = await text(page, 'backup-note');
    app.dialogs.chooseOpenPath = () => Promise.resolve(null);
    await page.getByTestId('backup-workspace').click();
    await expect.poll(() => page.getByTestId('backup-workspace').isDisabled()).toBe(false);
    expect(await text(page, 'backup-note')).toBe(note);
    expect(await page.getByTestId('backup-error').count()).toBe(0);
  });

  it('refuses a folder inside the workspace in the page’s error style, and copies nothing', async () => {
    const { page } = app;
    const inside = join(app.dir, 'data', 'backup');
    app.dialogs.chooseOpenPath = () => Promise.resolve(inside);
    await page.getByTestId('backup-workspace').click();
    const error = page.getByTestId('backup-error');
    await error.waitFor();
    expect(await error.getAttribute('role')).toBe('alert');
    expect(await error.textContent()).toContain(`Choose another folder: ${inside} is inside the workspace`);
    expect(await page.getByTestId('backup-note').count()).toBe(0);
    expect(await exists(inside)).toBe(false);
    expect(await checkScreen(page, 'settings-backup-refused')).toEqual([]);
  });

  it('an app opened on the backup lists the campaign sent', async () => {
    const restored = await suite.open({ dir: restoredDir });
    const { page } = restored;
    await page.getByTestId('nav-report').click();
    await expect.poll(() => text(page, 'history'), { timeout: 15_000 }).toContain('Order update (sandbox demo)');
    expect(pageErrors).toEqual([]);
  });
});
