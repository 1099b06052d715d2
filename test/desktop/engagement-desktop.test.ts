import { afterEach, describe, expect, it } from 'vitest';
import type { Desktop } from './desktop-harness';
import { bootDesktop, csvBytes, importCsv } from './desktop-harness';

/**
 * The desktop's automatic engagement refresh (`autoRefresh`): on, a finished campaign's funnel is
 * read by the app itself a few seconds after it starts, and the view says how long it goes on; off,
 * nothing is read until someone asks.
 */

const desks: Desktop[] = [];
afterEach(async () => {
  for (const d of desks.splice(0)) await d.close();
});

async function sendSandbox(desk: Desktop): Promise<string> {
  const data = await importCsv(desk.api, { name: 'ids.csv', bytes: csvBytes(['conversation_id', 'name'], [['c-1', 'Ana'], ['c-2', 'Ben'], ['c-3', 'Cat']]) });
  const spec = { provider: { kind: 'sandbox', latencyMs: 0, seed: 3 }, recipient: { conversationId: '{{conversation_id}}' }, message: { type: 'text', text: { body: 'Hi {{name}}' } } };
  const { campaignId } = await desk.api.campaign.start({ datasetId: data.datasetId, spec, profileId: 'sandbox', skipInvalid: false });
  await desk.finished(campaignId);
  return campaignId;
}

describe('the automatic engagement refresh', () => {
  it('reads a finished campaign by itself when on, and not at all when off', { timeout: 30_000 }, async () => {
    const on = bootDesktop({ autoRefresh: true });
    const off = bootDesktop();
    desks.push(on, off);
    const [a, b] = await Promise.all([sendSandbox(on), sendSandbox(off)]);
    await expect.poll(async () => (await on.api.campaign.engagement({ campaignId: a })).checkedAt, { timeout: 20_000, interval: 500 }).toBeDefined();
    const view = await on.api.campaign.engagement({ campaignId: a });
    expect(view.schedule).toMatchObject({ everyMinutes: 1 / 3 });
    expect(view.stages[0]).toMatchObject({ stage: 'sent', count: 3 });
    const quiet = await off.api.campaign.engagement({ campaignId: b });
    expect(quiet.checkedAt).toBeUndefined();
    expect(quiet.schedule).toBeUndefined();
    expect(quiet.refresh.state).toBe('idle');
  });
});
