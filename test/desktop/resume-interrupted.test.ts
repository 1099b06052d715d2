import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/main';
import { JsonFileStore } from '../fakes/electron-store';
import type { FaultRule } from '../mock-server/faults';
import type { MockServer } from '../mock-server/mock-server';
import { mockApiKey, startMockServer } from '../mock-server/mock-server';
import type { Desktop } from './desktop-harness';
import { bootDesktop, csvBytes, importCsv } from './desktop-harness';

/**
 * Issue 14, item 14, in the desktop backend: the app quits (its backend shuts down) while a message
 * is on the wire, and is started again on the same data folder. Without importing anything, it
 * lists the interrupted campaign with the profile it was sent with, and Resume (after main's own
 * confirmation, counting the rows left) finishes it: the strict mock sees every row exactly once,
 * the one in doubt read back. What stops a resume is said plainly: a removed profile, a missing key,
 * contacts the app never imported (a campaign the command line sent), which an import then allows.
 */

const ids = ['r-1', 'r-2', 'r-3', 'r-4', 'r-5', 'r-6'];
const contacts = csvBytes(['conversation_id', 'name'], ids.map((id, i) => [id, `Name ${i + 1}`]));
/** The same, and a last row without a conversation: the app's campaign skips it (as chosen at its start). */
const withInvalid = csvBytes(['conversation_id', 'name'], [...ids.map((id, i) => [id, `Name ${i + 1}`]), ['', 'Nobody']]);
const inDoubt = '/api/v1/conversations/r-3/messages/';
const profileId = 'client-a';

let home: string;
let mock: MockServer;
const booted: Desktop[] = [];
/** Called when the message in doubt reaches the server (the app quits there). */
let arrived: () => void = () => undefined;

/** lostAnswer: the first POST to r-3 is delivered, then its connection dropped. */
const lostAnswer: FaultRule = (req) => {
  if (req.method !== 'POST' || req.path !== inDoubt || req.pathIndex !== 0) return undefined;
  arrived();
  return { action: 'reset-after' };
};

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'resume-desktop-'));
  mock = await startMockServer({ kind: 'wassist', conversations: ids.map((id) => ({ id })), faults: lostAnswer });
});

afterEach(async () => {
  for (const d of booted.splice(0)) await d.close();
  await mock.close();
  await rm(home, { recursive: true, force: true });
});

/** boot starts the app on the one data folder and settings file of this test (as a restart does). */
function boot(): Desktop {
  const desk = bootDesktop({ dataDir: join(home, 'data'), settings: new JsonFileStore(join(home, 'settings.json')) });
  booted.push(desk);
  return desk;
}

const spec = {
  name: 'Spring promo',
  provider: { kind: 'wassist', baseUrl: 'https://backend.wassist.app' },
  recipient: { conversationId: '{{conversation_id}}' },
  message: { type: 'text', text: { body: 'Hi {{name}}' } },
  // One at a time, so the app quits at a known row.
  throttle: { concurrency: 1, perSecond: 500 },
  retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 5_000 },
};

/** quitMidRun sends the campaign from a first app and quits that app while the message in doubt is on the wire. */
async function quitMidRun(): Promise<string> {
  const desk = boot();
  await desk.api.profiles.save({ id: profileId, name: 'Client A', provider: { kind: 'wassist', baseUrl: mock.url } });
  await desk.api.keys.set({ profileId, key: mockApiKey });
  const data = await importCsv(desk.api, { name: 'contacts.csv', bytes: withInvalid });
  let quitting: Promise<void> | undefined;
  arrived = () => (quitting = desk.shell.backend.shutdown());
  const { campaignId } = await desk.api.campaign.start({ datasetId: data.datasetId, spec, profileId, skipInvalid: true });
  await desk.finished(campaignId);
  expect(quitting, 'the app did not quit mid-run').toBeDefined();
  await quitting;
  arrived = () => undefined;
  await desk.close();
  booted.splice(booted.indexOf(desk), 1);
  return campaignId;
}

const posts = () => mock.requests.filter((q) => q.method === 'POST').map((q) => q.path);

describe('resuming an interrupted campaign in the app, without importing it again', () => {
  it('after a quit mid-run, the next start lists it and Resume finishes it: every row once, the one in doubt read back', async () => {
    const campaignId = await quitMidRun();
    expect(posts()).toHaveLength(3);

    const desk = boot();
    const [interrupted, ...others] = await desk.api.campaign.interrupted({});
    expect(others).toEqual([]);
    expect(interrupted).toMatchObject({ campaignId, name: 'Spring promo', csvName: 'contacts.csv', profileName: 'Client A', dismissed: false });
    expect(interrupted?.blocked).toBeUndefined();
    // The quit left the message in doubt uncertain (its answer was lost), three rows not sent, the invalid one skipped.
    expect(interrupted?.totals).toEqual({ total: 7, sent: 2, uncertain: 1, pending: 3, inFlight: 0, failed: 0, skipped: 1 });

    const resumed = await desk.api.campaign.resumeInterrupted({ campaignId });
    expect(resumed.campaignId).toBe(campaignId);
    // Main asked, counting the rows left to send: the one in doubt is read back, not sent; the
    // invalid row stays skipped, as its start chose, without refusing the resume.
    expect(desk.dialogs.confirmations).toEqual([{ action: 'send', test: false, campaignName: 'Spring promo', profileName: 'Client A', recipients: 3 }]);
    const last = await desk.finished(campaignId);
    expect(last.totals).toMatchObject({ total: 7, sent: 6, skipped: 1, pending: 0, inFlight: 0, uncertain: 0, failed: 0 });
    // The live screen started from the true counts: what the earlier run had settled, then the rest.
    const first = desk.events.find((b) => b.campaignId === campaignId);
    expect(first?.totals.sent).toBeGreaterThanOrEqual(2);
    expect(ids.map((id) => mock.delivered(id).length)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(posts().filter((p) => p === inDoubt)).toHaveLength(1);
    // The message in doubt was looked for in its conversation, once (the other reads check conversations).
    expect(mock.requests.filter((q) => q.method === 'GET' && q.path.endsWith('/messages/')).map((q) => q.path)).toEqual([inDoubt]);

    expect(await desk.api.campaign.interrupted({ includeDismissed: true })).toEqual([]);
    expect((await desk.api.campaign.history()).map((h) => [h.campaignId, h.state])).toEqual([[campaignId, 'finished']]);
    await expect(desk.api.campaign.resumeInterrupted({ campaignId })).rejects.toThrow('"Spring promo" has finished: nothing is left to send.');
  });

  it('Dismiss stops the start-up notice, the history still offers it; a refused confirmation sends nothing', async () => {
    const campaignId = await quitMidRun();
    const desk = boot();
    await desk.api.campaign.dismissInterrupted({ campaignId });
    expect(await desk.api.campaign.interrupted({})).toEqual([]);
    expect(await desk.api.campaign.interrupted({ includeDismissed: true })).toMatchObject([{ campaignId, dismissed: true }]);
    const sent = mock.requests.length;
    desk.dialogs.refuseSends();
    await expect(desk.api.campaign.resumeInterrupted({ campaignId })).rejects.toThrow('Nothing was sent: the campaign was not confirmed.');
    expect(mock.requests.length).toBe(sent);
    expect(desk.dialogs.confirmations.map((c) => c.recipients)).toEqual([3]);
  });

  it('says plainly what stops a resume: the profile removed, then a profile without its key', async () => {
    const campaignId = await quitMidRun();
    const desk = boot();
    await desk.api.profiles.remove({ id: profileId });
    const [gone] = await desk.api.campaign.interrupted({});
    expect(gone?.blocked).toEqual({
      kind: 'profile',
      message: `The profile it was sent with has been removed, and no profile sends to wassist at ${mock.url}. Add a profile for wassist at ${mock.url} with that account's key in Settings to resume it.`,
    });
    await expect(desk.api.campaign.resumeInterrupted({ campaignId })).rejects.toThrow('The profile it was sent with has been removed');
    // A new profile for that account, its key not set yet.
    await desk.api.profiles.save({ id: 'client-a-again', name: 'Client A again', provider: { kind: 'wassist', baseUrl: mock.url } });
    expect((await desk.api.campaign.interrupted({}))[0]?.blocked).toEqual({ kind: 'key', message: '"Client A again" has no API key. Add it in Settings to resume.' });
    await desk.api.keys.set({ profileId: 'client-a-again', key: mockApiKey });
    expect((await desk.api.campaign.interrupted({}))[0]).toMatchObject({ profileName: 'Client A again' });
    expect((await desk.api.campaign.interrupted({}))[0]?.blocked).toBeUndefined();
    await desk.api.campaign.resumeInterrupted({ campaignId });
    expect((await desk.finished(campaignId)).totals).toMatchObject({ sent: 6, pending: 0 });
    expect(ids.map((id) => mock.delivered(id).length)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('a campaign the command line sent resumes once its contacts file is imported (another file is refused)', async () => {
    let sends = 0;
    // The provider refuses the key from the third message on: the command line stops, the rest pending.
    mock.setFaults((req) => (req.method === 'POST' && ++sends > 2 ? { status: 401 } : undefined));
    const file = join(home, 'contacts.csv');
    await writeFile(file, contacts);
    const specFile = join(home, 'c.campaign.json');
    await writeFile(specFile, JSON.stringify({ ...spec, provider: { kind: 'wassist', baseUrl: mock.url } }));
    let stderr = '';
    const io = { env: { CAMPAIGN_API_KEY: mockApiKey }, stdout: { write: () => true }, stderr: { write: (t: string) => (stderr += t) } };
    expect(await main(['send', file, '--spec', specFile, '--state', join(home, 'data')], io)).toBe(3);
    expect(stderr).toContain('Done: sent 2');
    mock.setFaults(undefined);

    const desk = boot();
    await desk.api.profiles.save({ id: profileId, name: 'Client A', provider: { kind: 'wassist', baseUrl: mock.url } });
    await desk.api.keys.set({ profileId, key: mockApiKey });
    const [cli] = await desk.api.campaign.interrupted({});
    expect(cli?.profileName).toBe('Client A');
    expect(cli?.blocked).toEqual({
      kind: 'contacts',
      fileName: 'contacts.csv',
      message: `Its contacts (contacts.csv) are not in this app: it was sent from ${file} by the command line or another copy of the app. Import contacts.csv to resume it.`,
    });
    const campaignId = cli?.campaignId as string;
    await expect(desk.api.campaign.resumeInterrupted({ campaignId })).rejects.toThrow('Import contacts.csv to resume it.');
    const other = await importCsv(desk.api, { name: 'contacts.csv', bytes: csvBytes(['conversation_id', 'name'], [['r-1', 'Someone else']]) });
    await expect(desk.api.campaign.resumeInterrupted({ campaignId, datasetId: other.datasetId })).rejects.toThrow(
      'contacts.csv has other content than the contacts.csv this campaign was sent to.',
    );
    expect(posts()).toHaveLength(3);
    const same = await importCsv(desk.api, { name: 'contacts.csv', bytes: contacts });
    await desk.api.campaign.resumeInterrupted({ campaignId, datasetId: same.datasetId });
    expect(desk.dialogs.confirmations.map((c) => [c.profileName, c.recipients])).toEqual([['Client A', 4]]);
    expect((await desk.finished(campaignId)).totals).toMatchObject({ sent: 6, pending: 0, failed: 0 });
    expect(ids.map((id) => mock.delivered(id).length)).toEqual([1, 1, 1, 1, 1, 1]);
  });
});
