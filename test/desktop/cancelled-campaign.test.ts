import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JsonFileStore } from '../fakes/electron-store';
import type { FaultRule } from '../mock-server/faults';
import type { MockServer } from '../mock-server/mock-server';
import { mockApiKey, startMockServer } from '../mock-server/mock-server';
import type { Desktop } from './desktop-harness';
import { bootDesktop, csvBytes, importCsv } from './desktop-harness';

/**
 * A campaign the person cancelled is not an interrupted one: the history says "cancelled" (rows left
 * unsent), the start-up notice of interruptions leaves it out (the person stopped it on purpose),
 * and the history still offers Resume, as before, which finishes it with every row sent once. A
 * quit of the app mid-run stays an interruption, also for a cancelled campaign resumed later.
 */

const ids = ['k-1', 'k-2', 'k-3', 'k-4', 'k-5', 'k-6'];
const contacts = csvBytes(['conversation_id', 'name'], ids.map((id, i) => [id, `Name ${i + 1}`]));
const profileId = 'client-a';

let home: string;
let mock: MockServer;
const booted: Desktop[] = [];
/** Called when a message reaches the server, with its conversation (the test cancels or quits there). */
let arrived: (conversation: string) => void = () => undefined;

const hook: FaultRule = (req) => {
  const m = /^\/api\/v1\/conversations\/([^/]+)\/messages\/$/.exec(req.path);
  if (req.method === 'POST' && m !== null) arrived(m[1] as string);
  return undefined;
};

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'cancel-desktop-'));
  mock = await startMockServer({ kind: 'wassist', conversations: ids.map((id) => ({ id })), faults: hook });
});

afterEach(async () => {
  arrived = () => undefined;
  for (const d of booted.splice(0)) await d.close();
  await mock.close();
  await rm(home, { recursive: true, force: true });
});

function boot(): Desktop {
  const desk = bootDesktop({ dataDir: join(home, 'data'), settings: new JsonFileStore(join(home, 'settings.json')) });
  booted.push(desk);
  return desk;
}

async function quit(desk: Desktop): Promise<void> {
  await desk.close();
  booted.splice(booted.indexOf(desk), 1);
}

const spec = {
  name: 'Autumn promo',
  provider: { kind: 'wassist', baseUrl: 'https://backend.wassist.app' },
  recipient: { conversationId: '{{conversation_id}}' },
  message: { type: 'text', text: { body: 'Hi {{name}}' } },
  checkConversations: false,
  // One at a time, so the cancel lands at a known row.
  throttle: { concurrency: 1, perSecond: 500 },
};

/** cancelAtThird starts the campaign and presses Cancel while the third message is on the wire. */
async function cancelAtThird(desk: Desktop): Promise<string> {
  await desk.api.profiles.save({ id: profileId, name: 'Client A', provider: { kind: 'wassist', baseUrl: mock.url } });
  await desk.api.keys.set({ profileId, key: mockApiKey });
  const data = await importCsv(desk.api, { name: 'contacts.csv', bytes: contacts });
  let campaignId = '';
  arrived = (conversation) => {
    if (conversation === 'k-3') void desk.api.campaign.cancel({ campaignId });
  };
  const started = await desk.api.campaign.start({ datasetId: data.datasetId, spec, profileId, skipInvalid: false });
  campaignId = started.campaignId;
  const last = await desk.finished(campaignId);
  arrived = () => undefined;
  expect(last.finishReason).toBe('cancelled');
  return campaignId;
}

const posts = () => mock.requests.filter((q) => q.method === 'POST').length;

describe('a cancelled campaign in the history', () => {
  it('says "cancelled", is not told about on start-up, and the history still resumes it after a restart', async () => {
    const first = boot();
    const campaignId = await cancelAtThird(first);
    // The message on the wire when Cancel was pressed finished; the rest stayed unsent.
    expect(posts()).toBe(3);
    const [cancelled] = await first.api.campaign.history();
    expect(cancelled).toMatchObject({ campaignId, state: 'cancelled', totals: { sent: 3, pending: 3 } });
    expect(await first.api.campaign.interrupted({})).toEqual([]);
    await quit(first);

    const desk = boot();
    expect((await desk.api.campaign.history()).map((h) => h.state)).toEqual(['cancelled']);
    expect(await desk.api.campaign.snapshot({ campaignId })).toMatchObject({ state: 'finished', finishReason: 'cancelled' });
    // The start-up notice leaves it out; the history (which asks for the dismissed ones too) offers Resume.
    expect(await desk.api.campaign.interrupted({})).toEqual([]);
    expect(await desk.api.campaign.interrupted({ includeDismissed: true })).toMatchObject([{ campaignId, dismissed: true, profileName: 'Client A' }]);

    await desk.api.campaign.resumeInterrupted({ campaignId });
    expect(desk.dialogs.confirmations.map((c) => c.recipients)).toEqual([3]);
    expect((await desk.finished(campaignId)).totals).toMatchObject({ sent: 6, pending: 0 });
    expect(ids.map((id) => mock.delivered(id).length)).toEqual([1, 1, 1, 1, 1, 1]);
    expect((await desk.api.campaign.history()).map((h) => h.state)).toEqual(['finished']);
  });

  it('a cancelled campaign resumed, then the app quit mid-run, is interrupted: told about on start-up', async () => {
    const first = boot();
    const campaignId = await cancelAtThird(first);
    await quit(first);
    const second = boot();
    let quitting: Promise<void> | undefined;
    arrived = (conversation) => {
      if (conversation === 'k-5') quitting = second.shell.backend.shutdown();
    };
    await second.api.campaign.resumeInterrupted({ campaignId });
    const last = await second.finished(campaignId);
    expect(quitting, 'the app did not quit mid-run').toBeDefined();
    await quitting;
    arrived = () => undefined;
    expect(last.totals).toMatchObject({ sent: 5, pending: 1 });
    await quit(second);

    const desk = boot();
    expect((await desk.api.campaign.history()).map((h) => h.state)).toEqual(['interrupted']);
    expect(await desk.api.campaign.interrupted({})).toMatchObject([{ campaignId, dismissed: false }]);
  });
});
