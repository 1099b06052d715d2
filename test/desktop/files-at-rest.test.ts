import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { workspace } from '../cli/cli-harness';
import type { Desktop } from './desktop-harness';
import { bootDesktop, csvBytes, importCsv } from './desktop-harness';

/**
 * What a campaign leaves on disk: folders 0700 and files 0600 (the user's alone), and no message
 * bodies, only what the README says (recipient ids, message ids, statuses, errors, the campaign
 * file's own template). Real folders, stat'ed.
 */

const BODY_CANARY = 'BODY-CANARY-6e1f9b';

function walk(dir: string): { dirs: string[]; files: string[] } {
  const out = { dirs: [dir], files: [] as string[] };
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      const sub = walk(p);
      out.dirs.push(...sub.dirs);
      out.files.push(...sub.files);
    } else out.files.push(p);
  }
  return out;
}

function expectPrivate(root: string): void {
  const { dirs, files } = walk(root);
  expect(files.length).toBeGreaterThanOrEqual(2);
  for (const d of dirs) expect(statSync(d).mode & 0o777, d).toBe(0o700);
  for (const f of files) expect(statSync(f).mode & 0o777, f).toBe(0o600);
}

let desk: Desktop | undefined;
afterEach(async () => {
  await desk?.close();
  desk = undefined;
});

const spec = {
  name: 'At rest',
  provider: { kind: 'sandbox', latencyMs: 0 },
  recipient: { conversationId: '{{id}}' },
  message: { type: 'text', text: { body: 'Hello {{secret}}' } },
  throttle: { concurrency: 4, perSecond: 1000 },
};

describe.runIf(process.platform !== 'win32')('campaign data on disk', () => {
  it('desktop: every folder 0700, every file 0600, even where an older version left 0755; no message body outside the imported contacts', async () => {
    // The folder an older version left, there before the app starts (it opens the workspace at once: its scheduled starts).
    const dir = mkdtempSync(join(tmpdir(), 'desktop-'));
    const data = join(dir, 'data');
    mkdirSync(data, { mode: 0o755 });
    chmodSync(data, 0o755);
    desk = bootDesktop({}, dir);
    const csv = await importCsv(desk.api, { name: 'c.csv', bytes: csvBytes(['id', 'secret'], [['c-1', `${BODY_CANARY}-1`], ['c-2', `${BODY_CANARY}-2`]]) });
    const { campaignId } = await desk.api.campaign.start({ datasetId: csv.datasetId, spec, profileId: 'sandbox', skipInvalid: false });
    expect((await desk.finished(campaignId)).totals.sent).toBe(2);
    expectPrivate(data);
    // The workspace keeps the contacts file as imported (to resume and export without importing it
    // again): its cells are there, and nowhere else.
    const contactsDir = join(data, 'contacts');
    expect(walk(contactsDir).files.map((f) => readFileSync(f, 'utf8'))).toEqual([expect.stringContaining(BODY_CANARY)]);
    for (const f of walk(data).files.filter((x) => !x.startsWith(contactsDir))) expect(readFileSync(f, 'utf8'), f).not.toContain(BODY_CANARY);
    const journal = readFileSync(join(data, 'campaigns', campaignId, 'journal.log'), 'utf8');
    expect(journal).toContain('"recipient":"c-1"');
  });

  it('CLI: the same for the state folder it creates, its engagement database included', async () => {
    const ws = await workspace();
    try {
      const contacts = await ws.file('c.csv', `id,secret\r\nc-1,${BODY_CANARY}\r\n`);
      const file = await ws.file('c.campaign.json', spec);
      const r = await ws.run(['send', contacts, '--spec', file]);
      expect(r.code).toBe(0);
      // Reading the engagement creates its database (recipients' replies and opt-outs): private too.
      const id = (await ws.run(['list'])).stdout.split('\n')[1]?.split(/\s+/)[0] ?? '';
      expect((await ws.run(['status', '--campaign', id])).code).toBe(0);
      expect(readdirSync(ws.stateDir)).toContain('engagement.db');
      expectPrivate(ws.stateDir);
      for (const f of walk(ws.stateDir).files) expect(readFileSync(f, 'utf8')).not.toContain(BODY_CANARY);
    } finally {
      await ws.cleanup();
    }
  });
});
