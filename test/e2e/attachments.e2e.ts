import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from './harness';
import type { Suite } from './steps';
import { checkScreen, csvOf, importFile, stat, startSuite, text } from './steps';

/**
 * Attaching files in the app, in Chromium against the real main-process handlers (a sandbox profile
 * simulating Pingback): the Message step's Attachments card picks a file and a folder through main's
 * dialogs, the live preview and the Preview step show each file and the uploads that go first, and
 * main's send confirmation says what is attached.
 */

const conv = (i: number) => `c3d4e5f6-a7b8-4012-8def-${String(i).padStart(12, '0')}`;
const profile = { id: 'pingback-sandbox', name: 'Pingback sandbox', provider: { kind: 'sandbox', simulate: 'pingback', latencyMs: 10, failureRate: 0 } };

let suite: Suite;
let app: App;
let contacts: string;
let folder: string;

beforeAll(async () => {
  suite = await startSuite('attachments');
  contacts = await suite.file('contacts.csv', csvOf(['conversation_id', 'name', 'invoice'], [[conv(1), 'Ana', 'ana.pdf'], [conv(2), 'Ben', 'ben.pdf']]));
  folder = join(suite.work, 'invoices');
  await mkdir(folder);
  await writeFile(join(folder, 'ana.pdf'), '%PDF-1.4 ana');
  await writeFile(join(folder, 'ben.pdf'), '%PDF-1.4 ben');
  await suite.file('terms.pdf', '%PDF-1.4 terms and conditions');
  app = await suite.open();
  await app.page.evaluate((p) => (globalThis as unknown as { api: { profiles: { save(p: unknown): Promise<unknown> } } }).api.profiles.save(p), profile);
  await app.page.reload();
});

afterAll(async () => {
  await suite?.close();
});

describe('attaching files to a Pingback message', () => {
  it('picks a file for everyone and a folder for a file per contact; the previews show them and the uploads', async () => {
    const { page } = app;
    await importFile(page, contacts);
    await page.getByTestId('import-continue').click();
    await page.getByTestId('profile-select').selectOption(profile.id);
    await page.getByTestId('attachments-card').waitFor();

    app.dialogs.opens.push(join(suite.work, 'terms.pdf'));
    await page.getByTestId('attach-file').click();
    await expect.poll(() => text(page, 'attached-file')).toContain('terms.pdf');
    await page.getByTestId('attach-column').selectOption('invoice');
    app.dialogs.opens.push(folder);
    await page.getByTestId('attach-folder').click();
    await expect.poll(() => text(page, 'attach-folder-note')).toContain('found in the folder “invoices”');
    await expect.poll(async () => page.getByTestId('preview-attachment').allTextContents()).toEqual([expect.stringMatching(/terms\.pdf.*29 B · application\/pdf/), expect.stringMatching(/ana\.pdf.*12 B · application\/pdf/)]);
    expect(await checkScreen(page, 'attachments-map')).toEqual([]);

    await page.getByTestId('map-continue').click();
    await expect.poll(() => stat(page, 'stat-sendable')).toBe('2');
    await page.getByTestId('toggle-request').click();
    const request = await text(page, 'request-body');
    expect(request).toContain(`POST https://sandbox.invalid/api/v1/conversations/${conv(1)}/upload\n  multipart/form-data, file: terms.pdf`);
    expect(request).toContain('"url": "<url of upload 2: ana.pdf>"');
    expect(await checkScreen(page, 'attachments-preview')).toEqual([]);

    await page.getByTestId('preview-continue').click();
    await page.getByTestId('start-button').click();
    await page.getByTestId('confirm-send').click();
    await expect.poll(() => stat(page, 'count-sent'), { timeout: 15_000 }).toBe('2');
    expect(app.dialogs.confirmations.at(-1)?.attachments).toBe('Each message attaches terms.pdf (29 B), a file per row from column "invoice", uploaded first to its conversation at sandbox.invalid.');
  });
});
