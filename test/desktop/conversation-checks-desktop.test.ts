import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addConversation } from '../../electron/core/sandbox/sim-state';
import type { ConversationSeed } from '../../electron/core/sandbox/simulator';
import type { MockServer } from '../mock-server/mock-server';
import { mockApiKey, startMockServer } from '../mock-server/mock-server';
import type { Desktop } from './desktop-harness';
import { bootDesktop, csvBytes, importCsv } from './desktop-harness';

/**
 * The desktop backend, through the IPC handlers the window calls: conversations checked before
 * sending by default (validation and preview say which rows are skipped or take the fallback), rows
 * judged by what they will send, and a phone campaign that keeps one resolution from the preview to
 * the test send to the run, with the number in the status rows.
 */

const BOT = '6f1c9a2e-1b3d-4c5e-8f70-0a1b2c3d4e5f';
const fallback = { template: { name: 'we_miss_you', variables: { body: ['{{name}}'] } } };
const forty: ConversationSeed[] = Array.from({ length: 40 }, (_, i) => ({ id: `c-${i + 1}`, botId: BOT, number: `4479111230${String(i).padStart(2, '0')}`, active: (i + 1) % 5 !== 0 }));

function ctaSpec(extra: object = {}) {
  return {
    name: 'New arrivals',
    provider: { kind: 'wassist', baseUrl: 'https://backend.wassist.app' },
    recipient: { conversationId: '{{conversation_id}}' },
    message: { type: 'cta', cta: { body: 'Hi {{name}}, new arrivals.', buttonText: 'Shop', url: '{{link}}' } },
    throttle: { concurrency: 4, perSecond: 500 },
    retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 2_000 },
    ...extra,
  };
}

let mock: MockServer;
let desk: Desktop;

beforeEach(async () => {
  mock = await startMockServer({ kind: 'wassist', conversations: forty });
  desk = bootDesktop();
  await desk.api.profiles.save({ id: 'w1', name: 'Wassist', provider: { kind: 'wassist', baseUrl: mock.url } });
  await desk.api.keys.set({ profileId: 'w1', key: mockApiKey });
});

afterEach(async () => {
  await desk.close();
  await mock.close();
});

const posts = () => mock.requests.filter((q) => q.method === 'POST');

describe('the desktop checks conversations before sending, by default', () => {
  it('validation and preview show which rows are skipped before anything is sent; the run skips them with the reason', async () => {
    const { api } = desk;
    const rows = forty.map((c, i) => [c.id, `N${i + 1}`, `https://shop.test/p/${i + 1}`]);
    const data = await importCsv(api, { name: 'ids.csv', bytes: csvBytes(['conversation_id', 'name', 'link'], rows) });
    const spec = ctaSpec();
    const report = await api.campaign.validate({ datasetId: data.datasetId, spec, profileId: 'w1' });
    expect(report).toMatchObject({ rowCount: 40, sendable: 40, invalidRows: 0, routes: { message: 32, fallback: 0, skipped: 8 } });
    expect(report.routes?.skips.map((s) => s.row)).toEqual([5, 10, 15, 20, 25, 30, 35, 40]);
    expect(report.routeNote).toContain('40 conversations checked in 3 requests');
    const inactive = await api.campaign.preview({ datasetId: data.datasetId, spec, profileId: 'w1', row: 5 });
    expect(inactive).toMatchObject({ skipped: true, recipient: 'c-5' });
    expect(inactive.route).toMatch(/^Skipped: conversation is inactive/);
    expect(posts()).toHaveLength(0);
    const { campaignId } = await api.campaign.start({ datasetId: data.datasetId, spec, profileId: 'w1', skipInvalid: false });
    expect((await desk.finished(campaignId)).totals).toMatchObject({ sent: 32, skipped: 8, failed: 0 });
    expect(posts()).toHaveLength(32);
    const page = await api.campaign.rows({ campaignId, offset: 4, limit: 1, status: 'skipped' });
    expect(page.rows[0]).toMatchObject({ row: 25, recipient: 'c-25', status: 'skipped' });
  });

  it('judges each row by what it will send: a broken link in an inactive conversation takes the fallback, in an active one it blocks', async () => {
    const { api } = desk;
    const rows = [
      ['c-1', 'Ana', 'https://shop.test/p/1'],
      ['c-5', 'Cat', 'not a link'],
    ];
    const data = await importCsv(api, { name: 'ids.csv', bytes: csvBytes(['conversation_id', 'name', 'link'], rows) });
    const spec = ctaSpec({ fallback });
    await api.profiles.save({ id: 'nokey', name: 'No key yet', provider: { kind: 'wassist', baseUrl: mock.url } });
    const before = await api.campaign.validate({ datasetId: data.datasetId, spec, profileId: 'nokey' });
    expect(before).toMatchObject({ sendable: 2, invalidRows: 0, errorCount: 0, conditionalRows: 1 });
    expect(before.problems).toContainEqual(expect.objectContaining({ row: 2, field: 'message.cta.url', severity: 'warning', reason: expect.stringMatching(/^if the conversation is active: /) }));
    const after = await api.campaign.validate({ datasetId: data.datasetId, spec, profileId: 'w1' });
    expect(after).toMatchObject({ sendable: 2, invalidRows: 0, errorCount: 0, routes: { message: 1, fallback: 1 } });
    expect(after.conditionalRows).toBeUndefined();
    const cat = await api.campaign.preview({ datasetId: data.datasetId, spec, profileId: 'w1', row: 2 });
    expect(cat).toMatchObject({ variant: 'fallback', problems: [] });
    const blocked = await importCsv(api, { name: 'ids2.csv', bytes: csvBytes(['conversation_id', 'name', 'link'], [...rows, ['c-2', 'Ben', 'nope']]) });
    const refused = await api.campaign.validate({ datasetId: blocked.datasetId, spec, profileId: 'w1' });
    expect(refused).toMatchObject({ invalidRows: 1, errorCount: 1 });
    expect(refused.problems).toContainEqual(expect.objectContaining({ row: 3, field: 'message.cta.url', column: 'link', severity: 'error' }));
    const err = (await api.campaign.start({ datasetId: blocked.datasetId, spec, profileId: 'w1', skipInvalid: false }).catch((e: unknown) => e)) as { problems?: unknown[] };
    expect(err.problems).toEqual([expect.objectContaining({ row: 3, field: 'message.cta.url' })]);
    expect(posts()).toHaveLength(0);
  });
});

describe('a phone campaign keeps one resolution and shows the number', () => {
  const phoneSpec = (extra: object = {}) => ({
    ...ctaSpec(),
    recipient: { phone: '{{phone}}', botId: BOT, defaultCountry: 'GB' },
    message: { type: 'text', text: { body: 'Hi {{name}}' } },
    ...extra,
  });

  it('preview, test send and run use the conversation the preview found, though the agent lists a newer one for the number in between', async () => {
    const { api } = desk;
    const data = await importCsv(api, { name: 'phones.csv', bytes: csvBytes(['phone', 'name'], [['07911 123000', 'Ana'], ['07911 123001', 'Ben']]) });
    const spec = phoneSpec();
    const shown = await api.campaign.preview({ datasetId: data.datasetId, spec, profileId: 'w1', row: 1 });
    expect(shown).toMatchObject({ recipient: 'c-1', phone: '+447911123000' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    addConversation(mock.state, { id: 'c-1-newer', botId: BOT, number: '447911123000' });
    const tested = await api.campaign.testSend({ datasetId: data.datasetId, spec, profileId: 'w1', row: 1 });
    expect(tested).toMatchObject({ status: 'sent', recipient: 'c-1', phone: '+447911123000', variant: 'message' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    addConversation(mock.state, { id: 'c-1-newest', botId: BOT, number: '447911123000' }); // later than the test message too
    const { campaignId } = await api.campaign.start({ datasetId: data.datasetId, spec, profileId: 'w1', skipInvalid: false });
    await desk.finished(campaignId);
    expect(mock.delivered('c-1')).toHaveLength(2); // the test message and the campaign's
    expect(mock.delivered('c-1-newer')).toHaveLength(0);
    expect(mock.delivered('c-1-newest')).toHaveLength(0);
    const page = await api.campaign.rows({ campaignId, offset: 0, limit: 2 });
    expect(page.rows.map((r) => [r.recipient, r.phone, r.status])).toEqual([
      ['c-1', '+447911123000', 'sent'],
      ['c-2', '+447911123001', 'sent'],
    ]);
  });

  it('in the sandbox: the number is in the status rows from the start, and one conversation per number throughout', async () => {
    const { api } = desk;
    const many = Array.from({ length: 12 }, (_, i) => [`07911 1234${String(i).padStart(2, '0')}`, `N${i}`]);
    const data = await importCsv(api, { name: 'many.csv', bytes: csvBytes(['phone', 'name'], many) });
    const spec = { ...phoneSpec({ fallback }), provider: { kind: 'sandbox', latencyMs: 0, seed: 11 } };
    const shown = await api.campaign.preview({ datasetId: data.datasetId, spec, profileId: 'sandbox', row: 3 });
    const tested = await api.campaign.testSend({ datasetId: data.datasetId, spec, profileId: 'sandbox', row: 3 });
    expect(tested.recipient).toBe(shown.recipient);
    const { campaignId } = await api.campaign.start({ datasetId: data.datasetId, spec, profileId: 'sandbox', skipInvalid: false });
    await desk.finished(campaignId);
    const page = await api.campaign.rows({ campaignId, offset: 0, limit: 12 });
    expect(page.rows[2]).toMatchObject({ recipient: shown.recipient, phone: '+447911123402' });
    expect(page.rows.every((r, i) => r.phone === `+4479111234${String(i).padStart(2, '0')}`)).toBe(true);
  });
});
