import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setMessageStatus } from '../../electron/core/sandbox/simulator';
import type { ConversationSeed } from '../../electron/core/sandbox/simulator';
import { scanJournal } from '../../electron/core/state/journal-reader';
import type { MockServer } from '../mock-server/mock-server';
import { mockApiKey, startMockServer } from '../mock-server/mock-server';
import type { Desktop } from './desktop-harness';
import { bootDesktop, csvBytes, filesUnder, importCsv, readReport } from './desktop-harness';

const BOT = '6f1c9a2e-1b3d-4c5e-8f70-0a1b2c3d4e5f';
const OTHER_BOT = '0b9d8c7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e';
const CONTRACT = ['row', 'recipient', 'status', 'message_id', 'attempts', 'http_status', 'error', 'sent_at'];
const EXTRAS = ['variant', 'delivery_status', 'delivery_status_at', 'clicks', 'first_click_at', 'replied_at', 'reply_text', 'opted_out_at', 'opt_out_word'];

/** The agent's conversations, numbers as the API might write them, plus fillers so listing takes pages. */
const conversations: ConversationSeed[] = [
  { id: 'c-ana', botId: BOT, number: '447911123456' },
  { id: 'c-ben', botId: BOT, number: '+447911123457' },
  { id: 'c-cat', botId: BOT, number: '447911123458', active: false },
  { id: 'c-us', botId: BOT, number: '14155550123' },
  { id: 'c-dan-other-bot', botId: OTHER_BOT, number: '447911123459' },
  ...Array.from({ length: 8 }, (_, i) => ({ id: `c-filler-${i}`, botId: BOT, number: `4479111230${10 + i}` })),
];

const header = ['phone', 'name', 'credits'];
const mixed = [
  ['07911 123456', 'Ana', '10'],
  ['+44 7911 123457', 'Ben', '20'],
  ['0044 7911 123458', 'Cat', '30'],
  ['+1 (415) 555-0123', 'Uma', '40'],
  ['07911 123459', 'Dan', '50'],
  ['+44 (7911) 123-456', 'Ana again', '60'],
];
const fallback = { template: { name: 'order_update', variables: { body: ['{{name}}'] } } };

function phoneSpec(extra: object = {}) {
  return {
    name: 'Order update',
    provider: { kind: 'wassist', baseUrl: 'https://backend.wassist.app' },
    recipient: { phone: '{{phone}}', botId: BOT, defaultCountry: 'GB' },
    message: { type: 'text', text: { body: 'Hi {{name}}, your order shipped.' } },
    throttle: { concurrency: 2, perSecond: 200 },
    retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50, timeoutMs: 2_000 },
    ...extra,
  };
}

let mock: MockServer;
let desk: Desktop;

beforeEach(async () => {
  mock = await startMockServer({ kind: 'wassist', conversations, wassist: { maxPageSize: 3 } });
  desk = bootDesktop();
});

afterEach(async () => {
  await desk.close();
  await mock.close();
});

const posts = () => mock.requests.filter((q) => q.method === 'POST');

/** withProfile saves a Wassist profile pointing at the mock, with `key`. */
async function withProfile(key = mockApiKey): Promise<string> {
  await desk.api.profiles.save({ id: 'w1', name: 'Wassist', provider: { kind: 'wassist', baseUrl: mock.url } });
  await desk.api.keys.set({ profileId: 'w1', key });
  return 'w1';
}

describe('a Wassist phone-number campaign in the desktop app, through the IPC handlers', () => {
  it('goes from CSV bytes to the exported report: lookup, fallback rows, skips with reasons, delivery status refresh', async () => {
    const { api, dialogs, dir } = desk;
    const profileId = await withProfile();
    const data = await importCsv(api, { name: 'contacts.csv', bytes: csvBytes(header, mixed) });
    const spec = phoneSpec({ fallback });

    const report = await api.campaign.validate({ datasetId: data.datasetId, spec, profileId });
    expect(report).toMatchObject({ rowCount: 6, sendable: 6, invalidRows: 0, duplicateRows: 1 });
    expect(report.problems).toContainEqual(expect.objectContaining({ row: 6, field: 'recipient.phone', severity: 'warning' }));
    expect(report.routes).toMatchObject({ message: 3, fallback: 1, skipped: 2, fallbackRows: [3] });
    expect(report.routes?.skips).toEqual([
      { row: 5, conversationId: '', reason: `no conversation with +447911123459 for agent ${BOT}` },
      { row: 6, conversationId: '', reason: 'duplicate of row 1 (+447911123456): the number gets the message once' },
    ]);
    expect(report.routeNote).toContain('1 get the fallback template');
    const listed = mock.requests.length;
    expect(listed).toBeGreaterThanOrEqual(4); // 12 conversations of the agent in pages of 3

    // The preview of the inactive row shows the fallback template, addressed to the conversation found by number.
    const cat = await api.campaign.preview({ datasetId: data.datasetId, spec, profileId, row: 3 });
    expect(cat).toMatchObject({ variant: 'fallback', recipient: 'c-cat' });
    expect(cat.skipped).toBeUndefined();
    expect(cat.request).toEqual({
      method: 'POST',
      url: `${mock.url}/api/v1/conversations/c-cat/messages/`,
      body: { type: 'template', template: { name: 'order_update', variables: { body: ['Cat'] } } },
    });
    expect(cat.route).toMatch(/inactive.*fallback template/);
    const ana = await api.campaign.preview({ datasetId: data.datasetId, spec, profileId, row: 1 });
    expect(ana).toMatchObject({ variant: 'message', recipient: 'c-ana', request: { url: `${mock.url}/api/v1/conversations/c-ana/messages/`, body: { type: 'text', text: { body: 'Hi Ana, your order shipped.' } } } });
    const dan = await api.campaign.preview({ datasetId: data.datasetId, spec, profileId, row: 5 });
    expect(dan).toMatchObject({ skipped: true });
    expect(dan.route).toContain('no conversation with +447911123459');
    // Editing the message needs no second lookup: the conversations are kept per CSV, profile and recipient.
    await api.campaign.validate({ datasetId: data.datasetId, spec: phoneSpec({ fallback, message: { type: 'text', text: { body: 'Hello {{name}}' } } }), profileId });
    expect(mock.requests.length).toBe(listed);

    const { campaignId } = await api.campaign.start({ datasetId: data.datasetId, spec, profileId, skipInvalid: false });
    const last = await desk.finished(campaignId);
    expect(last.totals).toEqual({ total: 6, pending: 0, inFlight: 0, sent: 4, failed: 0, skipped: 2, uncertain: 0 });
    expect(posts().map((q) => q.path.split('/')[4]).sort()).toEqual(['c-ana', 'c-ben', 'c-cat', 'c-us']);
    expect(posts().find((q) => q.path.includes('c-cat'))?.body).toEqual({ type: 'template', template: { name: 'order_update', variables: { body: ['Cat'] } } });

    const page = await api.campaign.rows({ campaignId, offset: 0, limit: 10 });
    expect(page.rows.map((r) => [r.row, r.status, r.recipient, r.phone, r.variant ?? ''])).toEqual([
      [1, 'sent', 'c-ana', '+447911123456', 'message'],
      [2, 'sent', 'c-ben', '+447911123457', 'message'],
      [3, 'sent', 'c-cat', '+447911123458', 'fallback'],
      [4, 'sent', 'c-us', '+14155550123', 'message'],
      [5, 'skipped', '', '+447911123459', ''],
      [6, 'skipped', '', '+447911123456', ''],
    ]);
    expect(await api.campaign.engagement({ campaignId })).toMatchObject({ published: true, variants: { message: 3, fallback: 1 }, stages: [{ stage: 'sent', count: 4 }, { stage: 'delivered', count: null, note: 'not read yet' }, {}, {}, {}] });

    // The phones move on; a refresh reads each conversation once, at the polite pace, and keeps the statuses.
    const ids = page.rows.map((r) => r.messageId ?? '');
    setMessageStatus(mock.state, ids[0] as string, 'read');
    setMessageStatus(mock.state, ids[1] as string, 'delivered');
    setMessageStatus(mock.state, ids[2] as string, 'failed');
    const before = mock.requests.length;
    const status = await api.campaign.refreshEngagement({ campaignId });
    expect(status).toMatchObject({ campaignId, unreadable: [], failed: 1, refresh: { state: 'idle', done: 4, total: 4 } });
    expect(status.stages.map((x) => x.count)).toEqual([4, 2, 1, null, 0]);
    expect(Number.isNaN(Date.parse(status.checkedAt ?? ''))).toBe(false);
    const reads = mock.requests.slice(before);
    expect(reads).toHaveLength(4);
    expect(reads.every((q) => q.method === 'GET' && /^\/api\/v1\/conversations\/c-[a-z]+\/messages\/\?limit=100&offset=0$/.test(q.path))).toBe(true);
    expect(await api.campaign.engagement({ campaignId })).toMatchObject({ stages: status.stages, checkedAt: status.checkedAt });
    const after = await api.campaign.rows({ campaignId, offset: 0, limit: 3 });
    expect(after.rows.map((r) => r.deliveryStatus)).toEqual(['read', 'delivered', 'failed']);

    dialogs.answer(join(dir, 'report.csv'));
    expect(await api.campaign.exportReport({ campaignId, format: 'csv' })).toEqual({ saved: true, fileName: 'report.csv' });
    const exported = readReport(join(dir, 'report.csv'));
    expect(exported.header).toEqual([...CONTRACT, ...header, 'phone (wassist)', ...EXTRAS]);
    expect(exported.rows.map((o) => [o.recipient, o['phone (wassist)'], o.status, o.variant, o.delivery_status])).toEqual([
      ['c-ana', '+447911123456', 'sent', 'message', 'read'],
      ['c-ben', '+447911123457', 'sent', 'message', 'delivered'],
      ['c-cat', '+447911123458', 'sent', 'fallback', 'failed'],
      ['c-us', '+14155550123', 'sent', 'message', 'sent'],
      ['', '+447911123459', 'skipped', '', ''],
      ['', '+447911123456', 'skipped', '', ''],
    ]);
    expect(exported.rows[4]?.error).toBe(`no conversation with +447911123459 for agent ${BOT}`);
    expect(exported.rows[0]?.phone).toBe('07911 123456');

    // The key reached the wire and nothing else: no answer, event, log line or file holds it.
    expect(mock.requests.every((q) => q.headers['x-api-key'] === mockApiKey)).toBe(true);
    expect(JSON.stringify([desk.ipcMain.answers, desk.events])).not.toContain(mockApiKey);
    expect(desk.lines.join('\n')).not.toContain(mockApiKey);
    for (const file of filesUnder(dir)) expect(readFileSync(file).includes(mockApiKey), file).toBe(false);
  });

  it('without a key, validation says the conversations are looked up when sending, and the preview shows where the id goes', async () => {
    const { api } = desk;
    await api.profiles.save({ id: 'w1', name: 'Wassist', provider: { kind: 'wassist', baseUrl: mock.url } });
    const data = await importCsv(api, { name: 'contacts.csv', bytes: csvBytes(header, mixed.slice(0, 3)) });
    const spec = phoneSpec({ fallback });
    const report = await api.campaign.validate({ datasetId: data.datasetId, spec, profileId: 'w1' });
    expect(report.routes).toBeUndefined();
    expect(report.routeNote).toMatch(/looked up when sending/);
    const shown = await api.campaign.preview({ datasetId: data.datasetId, spec, profileId: 'w1', row: 3 });
    expect(shown).toMatchObject({ variant: 'message', recipient: '+447911123458' });
    expect(shown.request.url).toBe(`${mock.url}/api/v1/conversations/{conversation}/messages/`);
    expect(shown.route).toMatch(/looked up when sending.*fallback template/);
    expect(mock.requests).toHaveLength(0);
    await expect(api.campaign.start({ datasetId: data.datasetId, spec, profileId: 'w1', skipInvalid: false })).rejects.toThrow(/API key/);
  });

  it('a refused key while listing stops before anything is sent or recorded, and the message never holds the key', async () => {
    const { api } = desk;
    const canary = 'wsk_live_CANARY_refused_4711';
    const profileId = await withProfile(canary);
    const data = await importCsv(api, { name: 'contacts.csv', bytes: csvBytes(header, mixed) });
    const report = await api.campaign.validate({ datasetId: data.datasetId, spec: phoneSpec(), profileId });
    expect(report.routeNote).toMatch(/Could not look the conversations up: listing the conversations/);
    const err = (await api.campaign.start({ datasetId: data.datasetId, spec: phoneSpec(), profileId, skipInvalid: false }).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/Could not look the conversations up/);
    expect(posts()).toHaveLength(0);
    expect(await api.campaign.history()).toEqual([]);
    expect(JSON.stringify([desk.ipcMain.answers, desk.lines])).not.toContain(canary);
  });

  it('sets credits per row from a column, as a campaign like any other (inactive conversations too)', async () => {
    const { api } = desk;
    const profileId = await withProfile();
    const data = await importCsv(api, { name: 'credits.csv', bytes: csvBytes(header, mixed.slice(0, 4)) });
    const spec = phoneSpec({ action: 'setCredits', message: { credits: '{{credits}}' } });
    const report = await api.campaign.validate({ datasetId: data.datasetId, spec, profileId });
    expect(report.routes).toMatchObject({ message: 4, fallback: 0, skipped: 0 });
    const shown = await api.campaign.preview({ datasetId: data.datasetId, spec, profileId, row: 3 });
    expect(shown.request).toEqual({ method: 'POST', url: `${mock.url}/api/v1/conversations/c-cat/credits/`, body: { credits: 30 } });
    const tested = await api.campaign.testSend({ datasetId: data.datasetId, spec, profileId, row: 1 });
    expect(tested).toMatchObject({ row: 1, status: 'sent', recipient: 'c-ana' });
    expect(mock.state.conversations.get('c-ana')?.credits).toBe(10);

    const { campaignId } = await api.campaign.start({ datasetId: data.datasetId, spec, profileId, skipInvalid: false });
    const last = await desk.finished(campaignId);
    expect(last.totals).toMatchObject({ total: 4, sent: 4 });
    expect(posts().slice(1).map((q) => [q.path.split('/')[4], q.body]).sort()).toEqual([
      ['c-ana', { credits: 10 }],
      ['c-ben', { credits: 20 }],
      ['c-cat', { credits: 30 }],
      ['c-us', { credits: 40 }],
    ]);
    expect(mock.state.conversations.get('c-cat')?.credits).toBe(30);
  });

  it('refuses a credits cell that is not a whole number, naming row and field, before any request', async () => {
    const { api } = desk;
    const profileId = await withProfile();
    const data = await importCsv(api, { name: 'credits.csv', bytes: csvBytes(header, [mixed[0] as string[], ['07911 123457', 'Ben', 'ten']]) });
    const spec = phoneSpec({ action: 'setCredits', message: { credits: '{{credits}}' } });
    const err = (await api.campaign.start({ datasetId: data.datasetId, spec, profileId, skipInvalid: false }).catch((e: unknown) => e)) as { problems: unknown[] };
    expect(err.problems).toEqual([expect.objectContaining({ row: 2, field: 'message.credits', severity: 'error' })]);
    expect(mock.requests).toHaveLength(0);
  });

  it('triggers the agent with a per-row prompt; test-send routes the row like the campaign does', async () => {
    const { api } = desk;
    const profileId = await withProfile();
    const data = await importCsv(api, { name: 'c.csv', bytes: csvBytes(header, mixed.slice(0, 3)) });
    const spec = phoneSpec({ action: 'trigger', message: { prompt: 'Thank {{name}} for the order.' } });
    const skipped = await api.campaign.testSend({ datasetId: data.datasetId, spec, profileId, row: 3 });
    expect(skipped).toMatchObject({ row: 3, status: 'skipped', recipient: 'c-cat' });
    expect(skipped.error).toMatch(/inactive/);
    const { campaignId } = await api.campaign.start({ datasetId: data.datasetId, spec, profileId, skipInvalid: false });
    expect((await desk.finished(campaignId)).totals).toMatchObject({ sent: 2, skipped: 1 });
    expect(posts().map((q) => [q.path, q.body])).toEqual(
      expect.arrayContaining([['/api/v1/conversations/c-ana/trigger/', { prompt: 'Thank Ana for the order.' }]]),
    );
    expect(posts()).toHaveLength(2);
  });
});

describe('engagement of a plain conversation-id campaign', () => {
  it('can be read and exported too, with the engagement columns at the end of the report', async () => {
    const { api, dialogs, dir } = desk;
    const profileId = await withProfile();
    const data = await importCsv(api, { name: 'ids.csv', bytes: csvBytes(['conversation_id', 'name'], [['c-ana', 'Ana'], ['c-ben', 'Ben']]) });
    const spec = { ...phoneSpec(), recipient: { conversationId: '{{conversation_id}}' } };
    const { campaignId } = await api.campaign.start({ datasetId: data.datasetId, spec, profileId, skipInvalid: false });
    await desk.finished(campaignId);
    // Checked first (two conversations: one GET each), as Wassist asks before a non-template message.
    expect(mock.requests.filter((q) => q.method === 'GET').map((q) => q.path).sort()).toEqual(['/api/v1/conversations/c-ana/', '/api/v1/conversations/c-ben/']);
    expect((await api.campaign.engagement({ campaignId })).stages.map((x) => x.count)).toEqual([2, null, null, null, null]);
    const page = await api.campaign.rows({ campaignId, offset: 0, limit: 2 });
    setMessageStatus(mock.state, page.rows[0]?.messageId ?? '', 'delivered');
    expect((await api.campaign.refreshEngagement({ campaignId })).stages.map((x) => x.count)).toEqual([2, 1, 0, null, 0]);
    dialogs.answer(join(dir, 'r.csv'));
    await api.campaign.exportReport({ campaignId, format: 'csv' });
    const exported = readReport(join(dir, 'r.csv'));
    expect(exported.header).toEqual([...CONTRACT, 'conversation_id', 'name', ...EXTRAS]);
    expect(exported.rows.map((o) => [o.variant, o.delivery_status])).toEqual([
      ['message', 'delivered'],
      ['message', 'sent'],
    ]);
  });
});

describe('a campaign the provider stops part way', () => {
  it('ends with the rows the stop left behind shown pending, exactly as the journal has them', async () => {
    const { api, dir } = desk;
    await withProfile('wsk_wrong_key_0000');
    const data = await importCsv(api, {
      name: 'ids.csv',
      bytes: csvBytes(['conversation_id', 'name'], Array.from({ length: 12 }, (_, i) => [`c-filler-${i % 8}`, `N${i}`])),
    });
    // Not checked first, so the refusal comes from the sends themselves.
    const spec = { ...phoneSpec(), recipient: { conversationId: '{{conversation_id}}' }, checkConversations: false, throttle: { concurrency: 4, perSecond: 1000 } };
    const { campaignId } = await api.campaign.start({ datasetId: data.datasetId, spec, profileId: 'w1', skipInvalid: false });
    const last = await desk.finished(campaignId);
    expect(last.notices.map((n) => n.type)).toContain('finished');
    const scan = await scanJournal(join(dir, 'data', 'campaigns', campaignId, 'journal.log'));
    const seen = new Map<number, string>();
    for (const b of desk.events) for (const r of b.rows) seen.set(r.row, r.status);
    for (const [row, o] of scan.latest) expect(seen.get(row) ?? 'pending', `row ${row}`).toBe(o.status);
    expect(last.totals.inFlight).toBe(0);
    expect(last.totals.pending).toBe(12 - last.totals.failed - last.totals.sent);
    expect(await api.campaign.snapshot({ campaignId })).toMatchObject({ finishReason: 'stopped', totals: last.totals });
  });
});

describe('the sandbox', () => {
  it('runs a phone-number campaign with a fallback and refreshes its engagement, with no account', async () => {
    const { api } = desk;
    const many = Array.from({ length: 16 }, (_, i) => [`07911 1234${String(i).padStart(2, '0')}`, `N${i}`, '1']);
    const data = await importCsv(api, { name: 'many.csv', bytes: csvBytes(header, many) });
    const spec = { ...phoneSpec({ fallback }), provider: { kind: 'sandbox', latencyMs: 0, seed: 7 } };
    const report = await api.campaign.validate({ datasetId: data.datasetId, spec, profileId: 'sandbox' });
    expect(report.routes?.message ?? 0).toBeGreaterThan(0);
    expect(report.routes?.fallback ?? 0).toBeGreaterThan(0);
    const { campaignId } = await api.campaign.start({ datasetId: data.datasetId, spec, profileId: 'sandbox', skipInvalid: false });
    const last = await desk.finished(campaignId);
    expect(last.totals).toMatchObject({ total: 16, sent: 16 });
    const status = await api.campaign.refreshEngagement({ campaignId });
    expect(status.stages[0]).toMatchObject({ stage: 'sent', count: 16 });
    expect(status.variants.fallback).toBeGreaterThan(0);
    expect(status).toMatchObject({ published: true, unchecked: 0, notFound: 0, refresh: { state: 'idle', done: 16, total: 16 } });
  });
});
