import { existsSync, statSync } from 'node:fs';
import { appendFile, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { addClick, addUserMessage } from '../../electron/core/sandbox/sim-state';
import { setMessageStatus } from '../../electron/core/sandbox/simulator';
import type { Sent } from '../engagement/engagement-harness';
import { sendCampaign } from '../engagement/engagement-harness';
import type { Workspace } from './cli-harness';
import { runCampaign, workspace } from './cli-harness';

/**
 * `campaign backup <folder>` through the real CLI: a folder used as the workspace (`--state`)
 * shows every campaign as the original does, its engagement funnel (replies, reads, clicks,
 * opt-outs) and the opt-out list included, whether the backup was taken by another process while
 * the workspace was in use or through the service's own connections.
 */

let sent: Sent | undefined;
let ws: Workspace | undefined;
let scratch: string | undefined;
afterEach(async () => {
  await sent?.close();
  await ws?.cleanup();
  if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  sent = ws = scratch = undefined;
});

/** cli runs `campaign <args> --state <state>` with no key in its environment. */
const cli = (args: string[], state: string) => runCampaign([...args, '--state', state], tmpdir(), {});

function stageOf(stdout: string, label: string): number {
  const m = new RegExp(`^  ${label}\\s+(\\d+)`, 'm').exec(stdout);
  if (m === null) throw new Error(`no ${label} line in:\n${stdout}`);
  return Number(m[1]);
}

describe('campaign backup of a workspace with a sent campaign and its engagement', () => {
  it('restores the funnel and the opt-out list, backed up by another process while in use or through the service itself', { timeout: 60_000 }, async () => {
    // The replies' opt-outs go to the workspace's own list (not the harness's collector).
    sent = await sendCampaign(['c-a', 'c-b', 'c-c', 'c-d'], { deps: { optOuts: undefined } });
    const s = sent;
    const our = (c: string) => s.ours.get(c) as string;
    setMessageStatus(s.mock.state, our('c-a'), 'read');
    addClick(s.mock.state, our('c-a'));
    addUserMessage(s.mock.state, 'c-a', 'Thanks, looks great');
    setMessageStatus(s.mock.state, our('c-b'), 'delivered');
    setMessageStatus(s.mock.state, our('c-c'), 'read');
    addUserMessage(s.mock.state, 'c-c', 'STOP');
    await s.refresh();
    s.service.audience.add(['+1 415 555 0123'], { kind: 'phone', reason: 'asked by email' });
    // The service keeps both databases open: what it wrote may still be in their write-ahead logs only.
    scratch = await mkdtemp(join(tmpdir(), 'campaign-backup-'));
    const byCli = join(scratch, 'by-cli');
    const backedUp = await cli(['backup', byCli], s.dataDir);
    expect(backedUp.code).toBe(0);
    expect(backedUp.stderr).toContain('the engagement database, 1 campaign');
    expect(backedUp.stderr).toContain('API keys are not part of a backup');
    const inProcess = join(scratch, 'in-process');
    expect(await s.service.audience.backup(inProcess)).toEqual({ engagement: true, campaigns: 1, contactsFiles: 0, sandboxWorlds: 0 });

    const status = await cli(['status', '--campaign', s.id], s.dataDir);
    const list = await cli(['optout', 'list'], s.dataDir);
    expect(stageOf(status.stdout, 'Replied')).toBe(2);
    expect(stageOf(status.stdout, 'Clicked')).toBe(1);
    expect(stageOf(status.stdout, 'Opted out')).toBe(1);
    expect(list.stdout).toMatch(/^c-c\tconversation\t.*\tdetected from a reply\treplied "STOP"/m);
    expect(list.stdout).toMatch(/^\+14155550123\tphone\t.*asked by email/m);
    for (const backup of [byCli, inProcess]) {
      expect(await cli(['status', '--campaign', s.id], backup)).toEqual(status);
      expect(await cli(['optout', 'list'], backup)).toEqual(list);
      if (process.platform !== 'win32') {
        for (const db of ['engagement.db', 'workspace.db']) expect(statSync(join(backup, db)).mode & 0o777, db).toBe(0o600);
      }
    }
  });
});

const resources = fileURLToPath(new URL('../../resources', import.meta.url));
const sample = [join(resources, 'sample-contacts.csv'), '--spec', join(resources, 'sample-sandbox.campaign.json')];

describe('campaign backup of a sandbox campaign', () => {
  it("keeps the sandbox's world in whole lines, so the restored campaign's messages are still found", { timeout: 60_000 }, async () => {
    ws = await workspace();
    expect((await ws.run(['send', ...sample])).stderr).toContain('Done: sent 20');
    const id = (await ws.run(['list'])).stdout.split('\n')[1]?.split(/\s+/)[0] ?? '';
    const original = await ws.run(['status', '--campaign', id]);
    expect(original.stdout).not.toMatch(/not found in/);
    // A world caught mid-append: the copy ends at its last whole line.
    const [world = ''] = await readdir(join(ws.stateDir, 'sandbox'));
    const kept = await readFile(join(ws.stateDir, 'sandbox', world), 'utf8');
    await appendFile(join(ws.stateDir, 'sandbox', world), '{"c":{"id":"torn-');
    const backup = join(ws.dir, 'backup');
    const backedUp = await ws.run(['backup', backup]);
    expect(backedUp.stderr).toContain('1 campaign, 0 imported contacts files, 1 sandbox world');
    expect(await readFile(join(backup, 'sandbox', world), 'utf8')).toBe(kept);
    const restored = await cli(['status', '--campaign', id], backup);
    expect(restored.code).toBe(0);
    expect(restored.stdout).not.toMatch(/not found in/);
    expect(stageOf(restored.stdout, 'Sent')).toBe(20);
    // The simulated recipients go on acting: the restored funnel is never behind the original.
    expect(stageOf(restored.stdout, 'Delivered')).toBeGreaterThanOrEqual(stageOf(original.stdout, 'Delivered'));
  });
});

describe('campaign backup of a fresh workspace', () => {
  it('works without an engagement database, and creates none on either side', async () => {
    ws = await workspace();
    expect((await ws.run(['optout', 'add', '+44 7911 123456'])).code).toBe(0);
    const backup = join(ws.dir, 'backup');
    const backedUp = await ws.run(['backup', backup]);
    expect(backedUp.code).toBe(0);
    expect(backedUp.stderr).toContain('no engagement database (none read yet), 0 campaigns');
    expect(existsSync(join(ws.stateDir, 'engagement.db'))).toBe(false);
    expect(existsSync(join(backup, 'engagement.db'))).toBe(false);
    expect(await cli(['optout', 'list'], backup)).toEqual(await ws.run(['optout', 'list']));
    expect((await cli(['list'], backup)).stdout).toBe('No campaigns in this workspace yet.\n');
  });

  it('refuses a folder inside the workspace, naming it, and copies nothing', async () => {
    ws = await workspace();
    const inside = join(ws.stateDir, 'backup');
    const r = await ws.run(['backup', inside]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${inside} is inside the workspace`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(inside)).toBe(false);
  });
});
