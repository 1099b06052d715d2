import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Profile } from '../../shared/ipc/contract';
import { answerOf, pdfBytes, pngBytes, sha256, stepsOf, uploadsTo, writeFiles } from '../attachments/attachment-files';
import { JsonFileStore } from '../fakes/electron-store';
import type { MockServer } from '../mock-server/mock-server';
import { mockApiKey, startMockServer } from '../mock-server/mock-server';
import type { Desktop } from './desktop-harness';
import { bootDesktop, csvBytes, importCsv, readReport } from './desktop-harness';

/**
 * The desktop backend with a Pingback campaign that attaches files, driven through the window's own
 * API, against the strict mock: files come only from picks made in main's dialog (a file; a folder
 * for a column of file names), are checked before anything is sent, shown in the preview, uploaded
 * into each conversation before its message, and a page that tries to name other files gets none.
 */

const conv = (i: number) => `c3d4e5f6-a7b8-4012-8def-${String(i).padStart(12, '0')}`;
const PROFILE = 'pingback-profile';

let mock: MockServer;
let files: string;
const open: Desktop[] = [];

beforeEach(async () => {
  mock = await startMockServer({ kind: 'pingback', conversations: [1, 2, 3].map((i) => ({ id: conv(i) })) });
  files = await mkdtemp(join(tmpdir(), 'desktop-files-'));
});

afterEach(async () => {
  for (const d of open.splice(0)) await d.close();
  await mock.close();
  await rm(files, { recursive: true, force: true });
});

/** boot starts a desktop with a Pingback profile for the mock, its key, and `rows` imported. */
async function boot(header: string[], rows: string[][], overrides: Parameters<typeof bootDesktop>[0] = {}) {
  const desk = bootDesktop(overrides);
  open.push(desk);
  await desk.api.profiles.save({ id: PROFILE, name: 'Pingback', provider: { kind: 'pingback', baseUrl: mock.url } as Profile['provider'] });
  await desk.api.keys.set({ profileId: PROFILE, key: mockApiKey });
  const { datasetId } = await importCsv(desk.api, { name: 'contacts.csv', bytes: csvBytes(header, rows) });
  return { desk, datasetId };
}

function campaign(fileList: string[]) {
  return {
    name: 'Docs',
    provider: { kind: 'pingback', baseUrl: mock.url },
    recipient: { conversationId: '{{conversation_id}}' },
    message: { content: 'Hi {{name}}' },
    files: fileList,
    throttle: { concurrency: 2, perSecond: 50 },
    retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 3_000 },
  };
}

describe('desktop: attaching files to a Pingback campaign', () => {
  it('one picked file for everyone: shown in the preview, said in main’s confirmation, uploaded before each message', async () => {
    const brochure = pdfBytes('brochure');
    await writeFiles(files, { 'brochure.pdf': brochure });
    const { desk, datasetId } = await boot(['conversation_id', 'name'], [[conv(1), 'Ana'], [conv(2), 'Ben']]);
    desk.dialogs.answer(join(files, 'brochure.pdf'));
    const picks = await desk.api.attachments.pick({ kind: 'file' });
    expect(picks).toEqual({ picked: true, name: 'brochure.pdf', files: [{ name: 'brochure.pdf', size: brochure.length, type: 'application/pdf', sizeText: `${brochure.length} B` }], folder: null });
    expect(desk.dialogs.asked.at(-1)).toEqual({ kind: 'attachment' });

    const spec = campaign(['brochure.pdf']);
    const request = { datasetId, spec, profileId: PROFILE };
    expect(await desk.api.campaign.validate(request)).toMatchObject({ errorCount: 0, sendable: 2 });
    const preview = await desk.api.campaign.preview({ ...request, row: 2 });
    expect(preview.attachments).toEqual([{ path: 'brochure.pdf', name: 'brochure.pdf', size: brochure.length, type: 'application/pdf', sizeText: `${brochure.length} B` }]);
    expect(preview.uploads).toEqual([{ method: 'POST', url: `${mock.url}/api/v1/conversations/${conv(2)}/upload`, field: 'file', file: 'brochure.pdf' }]);
    expect(preview.request.body).toEqual({ content: 'Hi Ben', attachments: [{ url: '<url of upload 1: brochure.pdf>' }] });
    expect(mock.requests).toHaveLength(0);

    const { campaignId } = await desk.api.campaign.start({ ...request, skipInvalid: false });
    const last = await desk.finished(campaignId);
    expect(last.totals).toMatchObject({ sent: 2, failed: 0 });
    expect(desk.dialogs.confirmations.at(-1)).toMatchObject({ recipients: 2, attachments: `Each message attaches brochure.pdf (${brochure.length} B), uploaded first to its conversation at 127.0.0.1:${mock.port}.` });
    for (const i of [1, 2]) {
      const steps = stepsOf(mock, conv(i));
      expect(steps.map((s) => s.kind)).toEqual(['upload', 'message']);
      expect(steps[0]).toMatchObject({ file: { filename: 'brochure.pdf', sha256: sha256(brochure) } });
      expect(steps[1]).toMatchObject({ attachments: uploadsTo(mock, conv(i)).map(answerOf) });
    }
  });

  it('a column of file names, found in the folder picked in main’s dialog', async () => {
    await writeFiles(files, { 'ana.pdf': pdfBytes('ana'), 'ben.png': pngBytes(1) });
    const { desk, datasetId } = await boot(['conversation_id', 'name', 'doc'], [[conv(1), 'Ana', 'ana.pdf'], [conv(2), 'Ben', 'ben.png']]);
    desk.dialogs.answer(files);
    expect(await desk.api.attachments.pick({ kind: 'folder' })).toMatchObject({ picked: true, folder: { name: files.split('/').at(-1) } });
    expect(desk.dialogs.asked.at(-1)).toEqual({ kind: 'attachment-folder' });
    const { campaignId } = await desk.api.campaign.start({ datasetId, spec: campaign(['{{doc}}']), profileId: PROFILE, skipInvalid: false });
    expect((await desk.finished(campaignId)).totals).toMatchObject({ sent: 2 });
    expect(uploadsTo(mock, conv(1)).map((u) => [u.filename, u.contentType])).toEqual([['ana.pdf', 'application/pdf']]);
    expect(uploadsTo(mock, conv(2)).map((u) => [u.filename, u.contentType])).toEqual([['ben.png', 'image/png']]);
  });

  it('a page that names files itself gets none: only picks are read, and inside the picked folder only what stays inside', async () => {
    await writeFiles(files, { 'inside.pdf': pdfBytes('inside'), '.hidden.pdf': pdfBytes('hidden') });
    const outside = await mkdtemp(join(tmpdir(), 'desktop-outside-'));
    await writeFile(join(outside, 'secret.pdf'), pdfBytes('secret'));
    await symlink(join(outside, 'secret.pdf'), join(files, 'link.pdf'));
    try {
      const names = [join(outside, 'secret.pdf'), '../secret.pdf', 'secret.pdf', '.hidden.pdf', 'link.pdf', 'inside.pdf'];
      const { desk, datasetId } = await boot(['conversation_id', 'name', 'doc'], names.map((n) => [conv(1), 'X', n]));
      const request = { datasetId, spec: campaign(['{{doc}}']), profileId: PROFILE };
      // Nothing picked: not even a file inside the folder can be attached.
      const before = await desk.api.campaign.validate(request);
      expect(before.invalidRows).toBe(6);
      expect(before.problems.find((p) => p.row === 6)?.reason).toMatch(/no file or folder is picked yet; pick it/);
      // The pick channel takes no path from the page: the dialog (here: cancelled) decides.
      desk.dialogs.answer(null);
      expect(await desk.api.attachments.pick({ kind: 'file', path: join(outside, 'secret.pdf') } as never)).toEqual({ picked: false, files: [], folder: null });

      desk.dialogs.answer(files);
      await desk.api.attachments.pick({ kind: 'folder' });
      const after = await desk.api.campaign.validate(request);
      const reasonOf = (row: number) => after.problems.find((p) => p.row === row && p.field === 'files[0]')?.reason ?? '(no problem)';
      expect(reasonOf(1)).toMatch(/is an absolute path/);
      expect(reasonOf(2)).toMatch(/contains "\.\."/);
      expect(reasonOf(3)).toMatch(/is not there \(files are read in the folder ".*" you picked\)/);
      expect(reasonOf(4)).toMatch(/names a hidden file or folder/);
      expect(reasonOf(5)).toMatch(/is a link that leads out of the folder/);
      expect(reasonOf(6)).toBe('(no problem)');
      expect(after.invalidRows).toBe(5);
      await expect(desk.api.campaign.start({ ...request, skipInvalid: false })).rejects.toThrow();
      expect(mock.requests).toHaveLength(0);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('a picked file that cannot be attached is refused at the pick, saying why', async () => {
    await writeFiles(files, { 'setup.exe': Buffer.from('MZ'), 'fake.pdf': Buffer.from('plain text') });
    const { desk } = await boot(['conversation_id', 'name'], [[conv(1), 'Ana']]);
    desk.dialogs.answer(join(files, 'setup.exe'), join(files, 'fake.pdf'));
    await expect(desk.api.attachments.pick({ kind: 'file' })).rejects.toThrow(/setup.exe cannot be attached: it is a .exe file/);
    await expect(desk.api.attachments.pick({ kind: 'file' })).rejects.toThrow(/fake.pdf cannot be attached: it is named .pdf but is not a PDF/);
    expect(await desk.api.attachments.list()).toEqual({ files: [], folder: null });
  });

  it('an upload refused with a 4xx fails its row, no message; a 5xx is retried; the report says why', async () => {
    await writeFiles(files, { 'brochure.pdf': pdfBytes('brochure') });
    mock.setFaults({
      [`/api/v1/conversations/${conv(1)}/upload`]: [{ status: 422 }],
      [`/api/v1/conversations/${conv(2)}/upload`]: [{ status: 500 }],
    });
    const { desk, datasetId } = await boot(['conversation_id', 'name'], [[conv(1), 'Ana'], [conv(2), 'Ben']]);
    desk.dialogs.answer(join(files, 'brochure.pdf'));
    await desk.api.attachments.pick({ kind: 'file' });
    const { campaignId } = await desk.api.campaign.start({ datasetId, spec: campaign(['brochure.pdf']), profileId: PROFILE, skipInvalid: false });
    expect((await desk.finished(campaignId)).totals).toMatchObject({ sent: 1, failed: 1 });
    expect(stepsOf(mock, conv(1)).map((s) => s.kind)).toEqual(['upload']);
    expect(stepsOf(mock, conv(2)).map((s) => s.kind)).toEqual(['upload', 'upload', 'message']);
    const path = join(desk.dir, 'report.csv');
    desk.dialogs.answer(path);
    await desk.api.campaign.exportReport({ campaignId, format: 'csv' });
    const { rows } = readReport(path);
    expect(rows[0]).toMatchObject({ status: 'failed', http_status: '422', error: 'uploading brochure.pdf: Unprocessable Entity' });
    expect(rows[1]).toMatchObject({ status: 'sent', attempts: '3' });
  });

  it('quit between an upload and its message: booted again on the same workspace, the campaign resumes with the file already uploaded', async () => {
    await writeFiles(files, { 'brochure.pdf': pdfBytes('brochure') });
    const root = await mkdtemp(join(tmpdir(), 'desktop-ws-'));
    const overrides = { dataDir: join(root, 'data'), settings: new JsonFileStore(join(root, 'config.json')) };
    try {
      const header = ['conversation_id', 'name'];
      const rows = [[conv(1), 'Ana']];
      const first = await boot(header, rows, overrides);
      first.desk.dialogs.answer(join(files, 'brochure.pdf'));
      await first.desk.api.attachments.pick({ kind: 'file' });
      // The app quits while the upload is on the wire: the upload completes, its message never starts.
      let quit: Promise<void> | undefined;
      mock.setFaults((req) => {
        if (!req.path.endsWith('/upload')) return undefined;
        quit ??= first.desk.shell.backend.shutdown();
        return { latencyMs: 100 };
      });
      const spec = campaign(['brochure.pdf']);
      const { campaignId } = await first.desk.api.campaign.start({ datasetId: first.datasetId, spec, profileId: PROFILE, skipInvalid: false });
      await first.desk.finished(campaignId);
      await quit;
      expect(stepsOf(mock, conv(1)).map((s) => s.kind)).toEqual(['upload']);
      mock.setFaults(undefined);

      const again = await boot(header, rows, overrides);
      again.desk.dialogs.answer(join(files, 'brochure.pdf'));
      await again.desk.api.attachments.pick({ kind: 'file' });
      const resumed = await again.desk.api.campaign.start({ datasetId: again.datasetId, spec, profileId: PROFILE, skipInvalid: false });
      expect(resumed.campaignId).toBe(campaignId);
      expect((await again.desk.finished(campaignId)).totals).toMatchObject({ sent: 1 });
      expect(stepsOf(mock, conv(1)).map((s) => s.kind)).toEqual(['upload', 'message']);
      expect(mock.delivered(conv(1))[0]?.request.attachments).toEqual(uploadsTo(mock, conv(1)).map(answerOf));
    } finally {
      for (const d of open.splice(0)) await d.close();
      await rm(root, { recursive: true, force: true });
    }
  });

  it('Resume after a restart asks for the files first: nothing is skipped or sent until they are picked again', async () => {
    await writeFiles(files, { 'brochure.pdf': pdfBytes('brochure') });
    const root = await mkdtemp(join(tmpdir(), 'desktop-ws-'));
    const overrides = { dataDir: join(root, 'data'), settings: new JsonFileStore(join(root, 'config.json')) };
    try {
      const header = ['conversation_id', 'name'];
      const rows = [[conv(1), 'Ana'], [conv(2), 'Ben']];
      const first = await boot(header, rows, overrides);
      first.desk.dialogs.answer(join(files, 'brochure.pdf'));
      await first.desk.api.attachments.pick({ kind: 'file' });
      // The app quits after the first message: row 2 is left pending.
      let quit: Promise<void> | undefined;
      mock.setFaults((req) => {
        if (req.path.endsWith('/upload') || quit !== undefined) return undefined;
        quit = first.desk.shell.backend.shutdown();
        return undefined;
      });
      const { campaignId } = await first.desk.api.campaign.start({ datasetId: first.datasetId, spec: campaign(['brochure.pdf']), profileId: PROFILE, skipInvalid: false });
      await first.desk.finished(campaignId);
      await quit;
      mock.setFaults(undefined);
      const before = mock.requests.length;

      const again = await boot(header, rows, overrides);
      await expect(again.desk.api.campaign.resumeInterrupted({ campaignId })).rejects.toThrow(/attach files this app cannot read now.*Attach files/);
      expect(mock.requests.length).toBe(before);
      expect((await again.desk.api.campaign.history()).find((h) => h.campaignId === campaignId)?.totals).toMatchObject({ skipped: 0 });

      again.desk.dialogs.answer(join(files, 'brochure.pdf'));
      await again.desk.api.attachments.pick({ kind: 'file' });
      await again.desk.api.campaign.resumeInterrupted({ campaignId });
      expect((await again.desk.finished(campaignId)).totals).toMatchObject({ sent: 2, skipped: 0 });
      expect(mock.delivered(conv(2))[0]?.request.attachments).toEqual(uploadsTo(mock, conv(2)).map(answerOf));
    } finally {
      for (const d of open.splice(0)) await d.close();
      await rm(root, { recursive: true, force: true });
    }
  });
});
