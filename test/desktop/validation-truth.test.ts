import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MockServer } from '../mock-server/mock-server';
import { mockApiKey, startMockServer } from '../mock-server/mock-server';
import type { Desktop } from './desktop-harness';
import { bootDesktop, csvBytes, importCsv } from './desktop-harness';

/**
 * What campaign:validate tells the renderer so that every number on screen is what will happen
 * (issue 14, items 3 and 4): what an earlier run of the same campaign settled and what a resume
 * sends, and a failed lookup of the conversations as data naming the field to fix.
 */

const BOT = '6f1c9a2e-1b3d-4c5e-8f70-0a1b2c3d4e5f';
let desk: Desktop;
let mock: MockServer | undefined;

beforeEach(() => {
  desk = bootDesktop();
});
afterEach(async () => {
  await desk.close();
  await mock?.close();
  mock = undefined;
});

const rows = [
  ['c-1', 'Ana'],
  ['c-2', 'Ben'],
  ['', 'No id'],
  ['c-4', 'Dee'],
];

function sandboxSpec(perSecond: number) {
  return {
    name: 'Truth',
    provider: { kind: 'sandbox', simulate: 'wassist', latencyMs: 0, failureRate: 0 },
    recipient: { conversationId: '{{conversation_id}}' },
    message: { type: 'text', text: { body: 'Hi {{name}}' } },
    throttle: { concurrency: 1, perSecond },
  };
}

describe('campaign:validate, about an earlier run', () => {
  it('says nothing of an earlier run before there is one, then what it settled and what a resume sends', async () => {
    const { api } = desk;
    const data = await importCsv(api, { name: 'c.csv', bytes: csvBytes(['conversation_id', 'name'], rows) });
    const spec = sandboxSpec(1);
    const before = await api.campaign.validate({ datasetId: data.datasetId, spec, profileId: 'sandbox' });
    expect(before).toMatchObject({ sendable: 3, invalidRows: 1 });
    expect(before.earlierRun).toBeUndefined();

    // One message goes out at once; at 1/s the next waits a second: cancel in between.
    const { campaignId } = await api.campaign.start({ datasetId: data.datasetId, spec, profileId: 'sandbox', skipInvalid: true });
    await new Promise<void>((resolve) => {
      const off = api.campaign.onEvent((b) => {
        if (b.campaignId === campaignId && b.totals.sent >= 1) {
          off();
          resolve();
        }
      });
    });
    await api.campaign.cancel({ campaignId });
    const end = await desk.finished(campaignId);
    const after = await api.campaign.validate({ datasetId: data.datasetId, spec, profileId: 'sandbox' });
    expect(after.earlierRun).toEqual({ campaignId, sent: end.totals.sent, failed: 0, skipped: end.totals.skipped, uncertain: 0, toSend: 3 - end.totals.sent });

    // Resuming sends exactly what it said, then nothing is left.
    // The finished run lets go of its journal a moment after its last batch.
    let resumed: { campaignId: string } | undefined;
    while (resumed === undefined) {
      resumed = await api.campaign.start({ datasetId: data.datasetId, spec, profileId: 'sandbox', skipInvalid: true }).catch(async (e: unknown) => {
        if (!/still sending|another window/.test((e as Error).message)) throw e;
        await new Promise((r) => setTimeout(r, 20));
        return undefined;
      });
    }
    expect(resumed.campaignId).toBe(campaignId);
    const finishes = () => desk.events.filter((b) => b.campaignId === campaignId && b.state === 'finished');
    await expect.poll(() => finishes().length, { timeout: 10_000 }).toBe(2);
    expect(finishes()[1]?.totals).toMatchObject({ sent: 3, skipped: 1, pending: 0 });
    const done = await api.campaign.validate({ datasetId: data.datasetId, spec, profileId: 'sandbox' });
    expect(done.earlierRun).toMatchObject({ sent: 3, skipped: 1, toSend: 0 });
    // Another campaign (the message changed) has no earlier run.
    const other = await api.campaign.validate({ datasetId: data.datasetId, spec: { ...spec, message: { type: 'text', text: { body: 'Hello {{name}}' } } }, profileId: 'sandbox' });
    expect(other.earlierRun).toBeUndefined();
  });
});

describe('campaign:validate and campaign:preview, when the lookup fails', () => {
  async function phoneCampaign(botId: string, key: string) {
    mock = await startMockServer({ kind: 'wassist', conversations: [{ id: 'c-ana', botId: BOT, number: '447911123456' }] });
    const { api } = desk;
    await api.profiles.save({ id: 'w1', name: 'Wassist', provider: { kind: 'wassist', baseUrl: mock.url } });
    await api.keys.set({ profileId: 'w1', key });
    const data = await importCsv(api, { name: 'c.csv', bytes: csvBytes(['phone', 'name'], [['07911 123456', 'Ana']]) });
    const spec = { provider: { kind: 'wassist', baseUrl: mock.url }, recipient: { phone: '{{phone}}', botId, defaultCountry: 'GB' }, message: { type: 'text', text: { body: 'Hi {{name}}' } } };
    return { data, spec };
  }

  it('names the agent id when the provider refuses it', async () => {
    const { data, spec } = await phoneCampaign('my-bot', mockApiKey);
    const report = await desk.api.campaign.validate({ datasetId: data.datasetId, spec, profileId: 'w1' });
    expect(report.lookupError).toEqual({ message: expect.stringMatching(/^Could not look the conversations up/), field: 'recipient.botId' });
    expect(report.routes).toBeUndefined();
    const shown = await desk.api.campaign.preview({ datasetId: data.datasetId, spec, profileId: 'w1', row: 1 });
    expect(shown.lookupError).toMatchObject({ field: 'recipient.botId' });
  });

  it('names no field when the key is refused, and looks up fine with a good agent and key', async () => {
    const refused = await phoneCampaign(BOT, 'wrong-key-123456');
    const report = await desk.api.campaign.validate({ datasetId: refused.data.datasetId, spec: refused.spec, profileId: 'w1' });
    expect(report.lookupError?.message).toMatch(/Could not look the conversations up/);
    expect(report.lookupError?.field).toBeUndefined();
    await desk.api.keys.set({ profileId: 'w1', key: mockApiKey });
    const fine = await desk.api.campaign.validate({ datasetId: refused.data.datasetId, spec: refused.spec, profileId: 'w1' });
    expect(fine.lookupError).toBeUndefined();
    expect(fine.routes).toMatchObject({ message: 1, skipped: 0 });
  });
});
