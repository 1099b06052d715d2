import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MockServer } from '../mock-server/mock-server';
import { mockApiKey, startMockServer } from '../mock-server/mock-server';
import type { Desktop } from './desktop-harness';
import { bootDesktop, csvBytes, importCsv } from './desktop-harness';

/**
 * Main asks the person itself (a native dialog, faked here) before anything goes out: a page that
 * calls campaign:start or testSend directly, skipping the renderer's own confirmation, still
 * sends nothing unless the person agreed. The strict mock server counts every request.
 */

let mock: MockServer;
let desk: Desktop;

beforeEach(async () => {
  mock = await startMockServer({ kind: 'wassist', conversations: ['c-1', 'c-2', 'c-3'].map((id) => ({ id, botId: 'b', number: null })) });
  desk = bootDesktop();
  await desk.api.profiles.save({ id: 'w1', name: 'Client A (live)', provider: { kind: 'wassist', baseUrl: mock.url } });
  await desk.api.keys.set({ profileId: 'w1', key: mockApiKey });
});

afterEach(async () => {
  await desk.close();
  await mock.close();
});

const spec = (extra: object = {}) => ({
  name: 'Spring promo',
  provider: { kind: 'wassist', baseUrl: 'https://backend.wassist.app' },
  recipient: { conversationId: '{{conversation_id}}' },
  message: { type: 'text', text: { body: 'Hi {{name}}' } },
  throttle: { concurrency: 2, perSecond: 200 },
  retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 2, timeoutMs: 2_000 },
  ...extra,
});

async function load(rows: string[][]) {
  return importCsv(desk.api, { name: 'contacts.csv', bytes: csvBytes(['conversation_id', 'name', 'credits'], rows) });
}

describe('the confirmation main owns', () => {
  it('refused: neither a campaign nor a test send reaches the provider, not even a lookup', async () => {
    desk.dialogs.refuseSends();
    const data = await load([['c-1', 'Ana', '5'], ['c-2', 'Ben', '6'], ['', 'Nobody', '7']]);
    const withLookup = spec({ onInactive: 'skip' });
    await expect(desk.api.campaign.start({ datasetId: data.datasetId, spec: withLookup, profileId: 'w1', skipInvalid: true })).rejects.toThrow('Nothing was sent: the campaign was not confirmed.');
    await expect(desk.api.campaign.testSend({ datasetId: data.datasetId, spec: spec(), profileId: 'w1', row: 1 })).rejects.toThrow('The test was not sent');
    await expect(desk.api.campaign.start({ datasetId: data.datasetId, spec: spec({ action: 'setCredits', message: { credits: '{{credits}}' } }), profileId: 'w1', skipInvalid: true })).rejects.toThrow(/not confirmed/);
    await expect(desk.api.campaign.start({ datasetId: data.datasetId, spec: spec({ action: 'trigger', message: { prompt: 'Say hi to {{name}}' } }), profileId: 'w1', skipInvalid: true })).rejects.toThrow(/not confirmed/);
    expect(mock.requests).toEqual([]);
    expect(await desk.api.campaign.history()).toEqual([]);
    // The person was asked each time, with the profile, the action and the rows that would go out.
    expect(desk.dialogs.confirmations).toEqual([
      { action: 'send', test: false, campaignName: 'Spring promo', profileName: 'Client A (live)', recipients: 2 },
      { action: 'send', test: true, campaignName: 'Spring promo', profileName: 'Client A (live)', recipients: 1 },
      { action: 'setCredits', test: false, campaignName: 'Spring promo', profileName: 'Client A (live)', recipients: 2 },
      { action: 'trigger', test: false, campaignName: 'Spring promo', profileName: 'Client A (live)', recipients: 2 },
    ]);
  });

  it('agreed: the campaign goes out as before', async () => {
    const data = await load([['c-1', 'Ana', '5'], ['c-2', 'Ben', '6']]);
    const tested = await desk.api.campaign.testSend({ datasetId: data.datasetId, spec: spec(), profileId: 'w1', row: 2 });
    expect(tested).toMatchObject({ row: 2, status: 'sent' });
    const { campaignId } = await desk.api.campaign.start({ datasetId: data.datasetId, spec: spec(), profileId: 'w1', skipInvalid: false });
    expect((await desk.finished(campaignId)).totals).toMatchObject({ total: 2, sent: 2 });
    expect(mock.requests.filter((q) => q.method === 'POST').map((q) => q.path)).toEqual([
      '/api/v1/conversations/c-2/messages/',
      '/api/v1/conversations/c-1/messages/',
      '/api/v1/conversations/c-2/messages/',
    ]);
    expect(desk.dialogs.confirmations.map((c) => [c.test, c.recipients])).toEqual([
      [true, 1],
      [false, 2],
    ]);
  });
});
