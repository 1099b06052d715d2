import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/main';
import type { Desktop } from './desktop-harness';
import { bootDesktop, csvBytes, importCsv } from './desktop-harness';

/**
 * "Back up workspace…" in the desktop app (`workspace:backup`): main asks for a folder in its own
 * dialog and copies the workspace there, as `campaign backup` does. The folder is a workspace of
 * its own: the command line (`--state`) and a second app started on it show the same campaigns,
 * rows, report, engagement and opt-out list. Cancelling copies nothing; a folder inside the
 * workspace, or one that cannot be made, is refused in words the window shows as they are.
 */

const desks: Desktop[] = [];
let scratch: string | undefined;
afterEach(async () => {
  for (const d of desks.splice(0)) await d.close();
  if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  scratch = undefined;
});

function boot(overrides: Parameters<typeof bootDesktop>[0] = {}): Desktop {
  const desk = bootDesktop(overrides);
  desks.push(desk);
  return desk;
}

const spec = {
  name: 'Spring promo',
  provider: { kind: 'sandbox', simulate: 'wassist', latencyMs: 0, failureRate: 0, seed: 5 },
  recipient: { conversationId: '{{conversation_id}}' },
  message: { type: 'text', text: { body: 'Hi {{name}}' } },
};
const contacts = csvBytes(['conversation_id', 'name'], [['c-1', 'Ana'], ['c-2', 'Ben'], ['c-3', 'Cat'], ['c-4', 'Dan']]);

/** sendAndRead sends the campaign from `desk`, reads its engagement once, and puts a number on the opt-out list. */
async function sendAndRead(desk: Desktop): Promise<string> {
  const data = await importCsv(desk.api, { name: 'contacts.csv', bytes: contacts });
  const { campaignId } = await desk.api.campaign.start({ datasetId: data.datasetId, spec, profileId: 'sandbox', skipInvalid: false });
  await desk.finished(campaignId);
  await desk.api.campaign.refreshEngagement({ campaignId });
  await desk.api.optout.add({ values: ['+44 7911 123456'], kind: 'phone', reason: 'asked by email' });
  return campaignId;
}

/** cli runs `campaign <args> --state <state>` in this process. */
async function cli(args: string[], state: string): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const io = { env: {}, stdout: { write: (t: string) => (stdout += t) }, stderr: { write: () => true } };
  const code = await main([...args, '--state', state], io);
  return { code, stdout };
}

/** seen is what a person can see of a workspace's campaign through an app's window. */
async function seen(desk: Desktop, campaignId: string) {
  const reportPath = join(desk.dir, `report-${desks.indexOf(desk)}.csv`);
  desk.dialogs.answer(reportPath);
  await desk.api.campaign.exportReport({ campaignId, format: 'csv' });
  const { stages } = await desk.api.campaign.engagement({ campaignId });
  return {
    history: await desk.api.campaign.history(),
    rows: await desk.api.campaign.rows({ campaignId, offset: 0, limit: 100 }),
    report: await readFile(reportPath, 'utf8'),
    stages,
    optOuts: await desk.api.optout.list({ offset: 0, limit: 100 }),
  };
}

describe('backing up the workspace from the desktop app', () => {
  it('copies a workspace that the command line and a second app read with the same history', { timeout: 60_000 }, async () => {
    const desk = boot();
    const campaignId = await sendAndRead(desk);
    scratch = await mkdtemp(join(tmpdir(), 'desktop-backup-'));
    const folder = join(scratch, 'backup of spring');
    desk.dialogs.answer(folder);
    expect(await desk.api.workspace.backup()).toEqual({ folder, engagement: true, campaigns: 1, contactsFiles: 1, sandboxWorlds: 1 });
    expect(desk.dialogs.asked.at(-1)).toEqual({ kind: 'backup-folder' });
    expect((await readdir(folder)).sort()).toEqual(['campaigns', 'contacts', 'engagement.db', 'sandbox', 'workspace.db']);

    // The command line, pointed at the backup, lists and reports the campaign as it does the original.
    const original = join(desk.dir, 'data');
    const list = await cli(['list'], original);
    expect(list.stdout).toContain('Spring promo');
    expect(await cli(['list'], folder)).toEqual(list);
    const optOuts = await cli(['optout', 'list'], original);
    expect(optOuts.stdout).toMatch(/^\+447911123456\tphone\t.*asked by email/m);
    expect(await cli(['optout', 'list'], folder)).toEqual(optOuts);

    // A second app on the backup as its workspace shows what the first one shows.
    const before = await seen(desk, campaignId);
    expect(before.rows.total).toBe(4);
    expect(before.stages[0]).toMatchObject({ stage: 'sent', count: 4 });
    const restored = boot({ dataDir: folder });
    expect(await seen(restored, campaignId)).toEqual(before);
  });

  it('copies nothing when the person cancels the folder dialog', async () => {
    const desk = boot();
    const files = await readdir(desk.dir);
    desk.dialogs.answer(null);
    expect(await desk.api.workspace.backup()).toBeNull();
    expect(desk.dialogs.asked).toEqual([{ kind: 'backup-folder' }]);
    expect(await readdir(desk.dir)).toEqual(files);
  });

  it('refuses the workspace itself or a folder inside it, naming it, and copies nothing', async () => {
    const desk = boot();
    const workspace = join(desk.dir, 'data');
    const inside = join(workspace, 'backups', 'today');
    desk.dialogs.answer(inside, workspace);
    await expect(desk.api.workspace.backup()).rejects.toThrow(`Choose another folder: ${inside} is inside the workspace (${workspace}); back up into a folder outside it.`);
    expect(existsSync(join(workspace, 'backups'))).toBe(false);
    await expect(desk.api.workspace.backup()).rejects.toThrow(`${workspace} is the workspace itself`);
  });

  it('says plainly when the folder cannot be made, instead of a generic failure', async () => {
    const desk = boot();
    scratch = await mkdtemp(join(tmpdir(), 'desktop-backup-'));
    const file = join(scratch, 'notes.txt');
    await writeFile(file, 'not a folder');
    desk.dialogs.answer(join(file, 'backup'));
    await expect(desk.api.workspace.backup()).rejects.toThrow(`The workspace could not be copied into ${join(file, 'backup')}: part of that path is a file, not a folder. Choose another folder.`);
  });
});
