import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MockServer } from '../mock-server/mock-server';
import { mockApiKey, startMockServer } from '../mock-server/mock-server';
import type { Desktop } from './desktop-harness';
import { bootDesktop, csvBytes, importCsv, readReport } from './desktop-harness';

/**
 * Audience safety in the desktop app, through the very preload API the window gets, over the real
 * main-process handlers and the real HTTP transport to the strict Wassist mock: the opt-out list
 * and its Settings channels, test-send, the frequency cap, and "Retry failed rows".
 */

const header = ['conversation_id', 'name'];
const rows = [
  ['conv-1', 'Ana'],
  ['conv-2', 'Ben'],
  ['conv-3', 'Cat'],
];

let mock: MockServer;
let desk: Desktop;
const posted = () => mock.requests.filter((q) => q.method === 'POST').map((q) => q.path.split('/')[4]);

function spec(name: string, extra: object = {}) {
  return {
    name,
    provider: { kind: 'wassist', baseUrl: 'https://backend.wassist.app' },
    recipient: { conversationId: '{{conversation_id}}' },
    message: { type: 'template', template: { name: 'update', variables: { body: ['{{name}}'] } } },
    throttle: { concurrency: 1, perSecond: 200 },
    retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 10, timeoutMs: 2_000, pauseAfterFailures: 0 },
    ...extra,
  };
}

beforeEach(async () => {
  mock = await startMockServer({ kind: 'wassist', conversations: ['conv-1', 'conv-2', 'conv-3', 'conv-4'].map((id) => ({ id })) });
  desk = bootDesktop();
  await desk.api.profiles.save({ id: 'w1', name: 'Wassist', provider: { kind: 'wassist', baseUrl: mock.url } });
  await desk.api.keys.set({ profileId: 'w1', key: mockApiKey });
});
afterEach(async () => {
  await desk.close();
  await mock.close();
});

describe('the opt-out list in the desktop app', () => {
  it('is managed from Settings: add, search, import a column of an uploaded CSV, export, remove', async () => {
    const { api, dialogs, dir } = desk;
    expect(await api.optout.add({ values: ['07911 123456'], kind: 'phone', defaultCountry: 'GB', reason: 'asked by phone' })).toEqual({ added: 1, existing: 0 });
    await expect(api.optout.add({ values: ['0791'], kind: 'phone' })).rejects.toMatchObject({
      problems: [{ field: 'value', reason: '"0791" has no country code: write it as +<country code><number>, or give the country of numbers written without one' }],
    });
    const upload = await importCsv(api, { name: 'unsubscribed.csv', bytes: csvBytes(['who', 'conversation'], [['a', 'conv-9'], ['b', 'conv-8']]) });
    expect(await api.optout.import({ datasetId: upload.datasetId, column: 'conversation' })).toMatchObject({ added: 2, invalid: 0 });
    const page = await api.optout.list({ offset: 0, limit: 10 });
    expect(page).toMatchObject({ total: 3, count: 3 });
    expect(page.entries.find((e) => e.value === 'conv-9')).toMatchObject({ kind: 'conversation', source: 'imported', origin: 'unsubscribed.csv' });
    expect((await api.optout.list({ offset: 0, limit: 10, search: 'by phone' })).entries.map((e) => e.value)).toEqual(['+447911123456']);
    dialogs.answer(join(dir, 'out.csv'));
    expect(await api.optout.export()).toEqual({ saved: true, fileName: 'out.csv', count: 3 });
    expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toContain('+447911123456,phone,');
    expect(await api.optout.remove({ keys: [page.entries.find((e) => e.value === 'conv-8')?.key ?? ''] })).toEqual({ removed: 1 });
    expect(await api.workspace.settings()).toEqual({ frequencyCap: null, optOutCount: 2 });
  });

  it('a recipient on the list is skipped in validate, preview, test-send and send; nothing about it reaches the wire', async () => {
    const { api, dialogs, dir } = desk;
    const data = await importCsv(api, { name: 'contacts.csv', bytes: csvBytes(header, rows) });
    await api.optout.add({ values: ['conv-2'], kind: 'conversation', reason: 'replied STOP' });
    const r = { datasetId: data.datasetId, spec: spec('Sale'), profileId: 'w1' };
    expect(await api.campaign.validate(r)).toMatchObject({ rowCount: 3, sendable: 2, optedOutRows: 1 });
    const preview = await api.campaign.preview({ ...r, row: 2 });
    expect(preview.skipped).toBe(true);
    expect(preview.audience).toMatch(/^Not sent: opted out on \d{4}-\d{2}-\d{2} \(added by hand\)\.$/);
    const test = await api.campaign.testSend({ ...r, row: 2 });
    expect(test).toMatchObject({ row: 2, status: 'skipped', attempts: 0 });
    expect(test.error).toMatch(/^opted out on \d{4}-\d{2}-\d{2} \(added by hand\)$/);
    expect(mock.requests).toEqual([]);
    expect(dialogs.confirmations).toEqual([]); // a suppressed test is answered before anyone is asked to confirm it
    const { campaignId } = await api.campaign.start({ ...r, skipInvalid: false });
    const last = await desk.finished(campaignId);
    expect(last.totals).toMatchObject({ sent: 2, skipped: 1 });
    expect(dialogs.confirmations.map((c) => c.recipients)).toEqual([2]); // the opted-out row is not counted
    expect(posted()).toEqual(['conv-1', 'conv-3']);
    dialogs.answer(join(dir, 'report.csv'));
    // The plain CSV, read as text: the desktop's default export became the workbook on main.
    await api.campaign.exportReport({ campaignId, format: 'csv' });
    expect(readReport(join(dir, 'report.csv')).rows.map((x) => x.status)).toEqual(['sent', 'skipped', 'sent']);
  });

  it('a campaign that ignores the list says so in the validation and the history', async () => {
    const { api } = desk;
    const data = await importCsv(api, { name: 'contacts.csv', bytes: csvBytes(header, rows) });
    await api.optout.add({ values: ['conv-2'], kind: 'conversation' });
    const r = { datasetId: data.datasetId, spec: spec('Receipts', { audience: { ignoreOptOuts: 'receipts they asked for' } }), profileId: 'w1' };
    expect(await api.campaign.validate(r)).toMatchObject({ sendable: 3, overriddenRows: 1, optOutOverride: 'receipts they asked for' });
    expect((await api.campaign.preview({ ...r, row: 2 })).audience).toContain('sent anyway: the campaign ignores the opt-out list (receipts they asked for)');
    const { campaignId } = await api.campaign.start({ ...r, skipInvalid: false });
    await desk.finished(campaignId);
    expect(posted()).toEqual(['conv-1', 'conv-2', 'conv-3']);
    expect((await api.campaign.history())[0]).toMatchObject({ campaignId, optOutOverride: 'receipts they asked for' });
  });
});

describe('the frequency cap in the desktop app', () => {
  it('once set, a recipient a campaign reached is skipped by the next one, with the date of that message', async () => {
    const { api } = desk;
    expect(await api.workspace.setFrequencyCap({ frequencyCap: { messages: 1, hours: 24 } })).toEqual({ frequencyCap: { messages: 1, hours: 24 }, optOutCount: 0 });
    const first = await importCsv(api, { name: 'a.csv', bytes: csvBytes(header, rows.slice(0, 1)) });
    const a = await api.campaign.start({ datasetId: first.datasetId, spec: spec('A'), profileId: 'w1', skipInvalid: false });
    await desk.finished(a.campaignId);
    const second = await importCsv(api, { name: 'b.csv', bytes: csvBytes(header, [['conv-1', 'Ana'], ['conv-4', 'Dan']]) });
    const b = await api.campaign.start({ datasetId: second.datasetId, spec: spec('B'), profileId: 'w1', skipInvalid: false });
    await desk.finished(b.campaignId);
    expect(posted()).toEqual(['conv-1', 'conv-4']);
    const skipped = (await api.campaign.rows({ campaignId: b.campaignId, offset: 0, limit: 10, status: 'skipped' })).rows;
    expect(skipped.map((x) => x.row)).toEqual([1]);
    expect(skipped[0]?.error).toMatch(/^over the frequency cap \(1 message per 24 h\): last messaged on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
  });
});

describe('Retry failed rows', () => {
  it('counts failures by kind, then sends exactly the chosen failed rows as a linked campaign with its own rows and report', async () => {
    const { api, dialogs, dir } = desk;
    const data = await importCsv(api, { name: 'contacts.csv', bytes: csvBytes(header, rows) });
    mock.setFaults((q) => (q.method !== 'POST' ? undefined : q.path.includes('/conv-2/') ? { status: 400 } : q.path.includes('/conv-3/') ? { status: 503 } : undefined));
    const first = await api.campaign.start({ datasetId: data.datasetId, spec: spec('Flaky'), profileId: 'w1', skipInvalid: false });
    await desk.finished(first.campaignId);
    mock.setFaults(undefined);
    expect(await api.campaign.failedRows({ campaignId: first.campaignId })).toEqual({ failed: 2, kinds: [{ kind: '400', count: 1 }, { kind: '503', count: 1 }] });
    mock.requests.length = 0;

    // A retry sends messages: main asks first, in its own dialog, counting only the rows it retries.
    dialogs.refuseSends();
    await expect(api.campaign.retryFailed({ campaignId: first.campaignId, errorKinds: ['5xx'] })).rejects.toThrow('Nothing was sent: the campaign was not confirmed.');
    expect(mock.requests).toEqual([]);
    dialogs.refuseSends(false);
    const retry = await api.campaign.retryFailed({ campaignId: first.campaignId, errorKinds: ['5xx'] });
    expect(dialogs.confirmations.at(-1)).toMatchObject({ test: false, recipients: 1 });
    expect(retry.campaignId).toBe(`${first.campaignId}-retry`);
    const last = await desk.finished(retry.campaignId);
    expect(last.totals).toMatchObject({ total: 1, sent: 1, pending: 0 });
    expect(last.rows.map((x) => x.row)).toEqual([3]);
    expect(posted()).toEqual(['conv-3']);
    expect((await api.campaign.rows({ campaignId: retry.campaignId, offset: 0, limit: 10 })).rows.map((x) => [x.row, x.status])).toEqual([[3, 'sent']]);
    expect((await api.campaign.history()).find((h) => h.campaignId === retry.campaignId)).toMatchObject({ retryOf: first.campaignId, totals: { total: 1, sent: 1 } });
    dialogs.answer(join(dir, 'retry.csv'));
    await api.campaign.exportReport({ campaignId: retry.campaignId, format: 'csv' }); // the plain CSV (the default is the workbook)
    expect(readReport(join(dir, 'retry.csv')).rows.map((x) => [x.row, x.status, x.conversation_id])).toEqual([['3', 'sent', 'conv-3']]);

    // Only the 400 is left; the retry of the retry finds nothing failed, and says so.
    await expect(api.campaign.retryFailed({ campaignId: retry.campaignId })).rejects.toThrow(/No rows failed in campaign .*-retry: nothing to retry\./);
    const again = await api.campaign.retryFailed({ campaignId: first.campaignId });
    expect(again.campaignId).toBe(`${first.campaignId}-retry-2`);
    await desk.finished(again.campaignId);
    expect(posted()).toEqual(['conv-3', 'conv-2', 'conv-3']); // every failed row of the first run: conv-2 and conv-3 again; conv-1 never
  });
});
