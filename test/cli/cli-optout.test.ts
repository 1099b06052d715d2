import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MockServer } from '../mock-server/mock-server';
import { mockApiKey, startMockServer } from '../mock-server/mock-server';
import type { Workspace } from './cli-harness';
import { csv, readReport, workspace } from './cli-harness';

/**
 * The opt-out list through the real CLI against the strict Wassist mock: the list's own commands,
 * and that a recipient on it never reaches the wire (send, resume, phone numbers written another
 * way), unless the campaign says in the open that it ignores the list.
 */

const BOT = '6f1c9a2e-1b3d-4c5e-8f70-0a1b2c3d4e5f';
const key = { CAMPAIGN_API_KEY: mockApiKey };
const header = ['conversation_id', 'name', 'email'];
const rows = [
  ['conv-1', 'Ana', 'ana@example.com'],
  ['conv-2', 'Ben', 'ben@example.com'],
  ['conv-3', 'Cat', 'CAT@example.com'],
];

function spec(baseUrl: string, extra: object = {}) {
  return {
    name: 'Spring sale',
    provider: { kind: 'wassist', baseUrl },
    recipient: { conversationId: '{{conversation_id}}' },
    message: { type: 'template', template: { name: 'spring_sale', variables: { body: ['{{name}}'] } } },
    throttle: { concurrency: 1, perSecond: 100 },
    retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 20, timeoutMs: 2_000 },
    ...extra,
  };
}

let ws: Workspace;
let mock: MockServer;
const posted = () => mock.requests.filter((q) => q.method === 'POST').map((q) => q.path.split('/')[4]);

beforeEach(async () => {
  ws = await workspace();
  mock = await startMockServer({
    kind: 'wassist',
    conversations: [
      { id: 'conv-1', number: '447911123456', botId: BOT },
      { id: 'conv-2', number: '447911123457', botId: BOT },
      { id: 'conv-3', number: '447911123458', botId: BOT },
    ],
  });
});
afterEach(async () => {
  await mock.close();
  await ws.cleanup();
});

describe('campaign optout', () => {
  it('adds, lists, searches, removes, exports and imports the list', async () => {
    const add = await ws.run(['optout', 'add', '07911 123456', '+1 415 555 0123', '--country', 'GB', '--reason', 'replied STOP']);
    expect(add.stdout).toBe('Added 2 to the opt-out list. It holds 2 entries.\n');
    expect((await ws.run(['optout', 'add', '+44 7911 123456'])).stdout).toContain('Added 0 to the opt-out list (1 already on it)');
    const list = await ws.run(['optout', 'list']);
    expect(list.stdout).toMatch(/^\+14155550123\tphone\t\d{4}-\d{2}-\d{2}\tadded by hand\treplied STOP$/m);
    expect((await ws.run(['optout', 'list', '--search', '7911'])).stdout.trim().split('\n')).toHaveLength(1);
    const out = `${ws.dir}/optouts.csv`;
    expect((await ws.run(['optout', 'export', out])).stdout).toBe(`Exported 2 entries to ${out}.\n`);
    expect((await readFile(out, 'utf8')).split('\r\n')[0]).toBe('value,kind,opted_out_at,source,reason,origin');
    expect((await ws.run(['optout', 'remove', '07911 123456', '--country', 'GB'])).stdout).toBe('Removed 1 from the opt-out list.\n');
    const unsub = await ws.file('unsubscribed.csv', csv(['customer', 'Mobile number'], [['a', '07911 123456'], ['b', 'n/a'], ['c', '']]));
    const refused = await ws.run(['optout', 'import', unsub, '--column', 'Mobile number', '--country', 'GB']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('row 2, Mobile number (column "Mobile number"): "n/a" is not a phone number: not imported');
    expect(refused.stderr).toContain('Nothing was imported');
    const imported = await ws.run(['optout', 'import', unsub, '--column', 'Mobile number', '--country', 'GB', '--skip-invalid']);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toBe('Imported unsubscribed.csv: 1 added, 0 already on the list, 1 empty cell skipped, 1 invalid row left out (listed above).\n');
    expect((await ws.run(['settings'])).stdout).toBe('Frequency cap: off\nOpt-out list: 2 entries\n');
  });

  it('refuses an import that does not say what its column holds, and a column that is not there', async () => {
    const file = await ws.file('list.csv', csv(['id'], [['x']]));
    expect((await ws.run(['optout', 'import', file, '--column', 'id'])).stderr).toContain('say what column "id" holds: phone');
    expect((await ws.run(['optout', 'import', file, '--column', 'ids', '--kind', 'key'])).stderr).toContain('list.csv has no column "ids": did you mean "id"?');
  });
});

describe('every campaign checks the opt-out list before sending', () => {
  it('a conversation on the list is skipped with the date and source, in validate, preview, send and the report; it never reaches the wire', async () => {
    const contacts = await ws.file('contacts.csv', csv(header, rows));
    const file = await ws.file('c.campaign.json', spec(mock.url));
    await ws.run(['optout', 'add', 'conv-2', '--kind', 'conversation']);
    const today = new Date().toISOString().slice(0, 10);
    const v = await ws.run(['validate', contacts, '--spec', file]);
    expect(v.stdout).toContain('3 rows: 2 ready to send, 1 opted out (skipped)');
    expect(v.stderr).toContain(`row 2, recipient: opted out on ${today} (added by hand): not sent [warning]`);
    expect((await ws.run(['preview', contacts, '--spec', file, '--row', '2'])).stdout).toContain(`Row 2 (line 3) → conv-2: Skipped: opted out on ${today} (added by hand)`);
    const report = `${ws.dir}/report.csv`;
    const sent = await ws.run(['send', contacts, '--spec', file, '--report', report], key);
    expect(sent.code).toBe(0);
    expect(posted()).toEqual(['conv-1', 'conv-3']);
    const out = (await readReport(report)).rows;
    expect(out.map((r) => [r.row, r.status, r.error, r.attempts])).toEqual([
      ['1', 'sent', '', '1'],
      ['2', 'skipped', `opted out on ${today} (added by hand)`, '0'],
      ['3', 'sent', '', '1'],
    ]);
  });

  it('a number on the list is skipped however either side writes it (phone recipients)', async () => {
    const contacts = await ws.file('phones.csv', csv(['phone', 'name'], [['+44 7911 123456', 'Ana'], ['07911 123457', 'Ben']]));
    const file = await ws.file('p.campaign.json', { ...spec(mock.url), recipient: { phone: '{{phone}}', botId: BOT, defaultCountry: 'GB' } });
    await ws.run(['optout', 'add', '00447911123457']);
    const r = await ws.run(['send', contacts, '--spec', file], key);
    expect(r.stderr).toContain('1 opted out (skipped)');
    expect(posted()).toEqual(['conv-1']);
  });

  it('other recipient keys: a campaign names columns to check (audience.optOutColumns), matched without regard to case', async () => {
    const contacts = await ws.file('contacts.csv', csv(header, rows));
    const file = await ws.file('c.campaign.json', spec(mock.url, { audience: { optOutColumns: ['email'] } }));
    await ws.run(['optout', 'add', 'cat@EXAMPLE.com', '--kind', 'key']);
    await ws.run(['send', contacts, '--spec', file], key);
    expect(posted()).toEqual(['conv-1', 'conv-2']);
    const bad = await ws.file('bad.campaign.json', spec(mock.url, { audience: { optOutColumns: ['e-mail'] } }));
    expect((await ws.run(['validate', contacts, '--spec', bad])).stderr).toContain('campaign, audience.optOutColumns[0]: there is no column "e-mail" in the contacts');
  });

  it('on resume, a recipient who opted out since the first run is skipped too', async () => {
    const contacts = await ws.file('contacts.csv', csv(header, rows));
    const file = await ws.file('c.campaign.json', spec(mock.url));
    mock.setFaults({ '/api/v1/conversations/conv-2/messages/': [{ status: 401 }] });
    const first = await ws.run(['send', contacts, '--spec', file], key);
    expect(first.code).toBe(3);
    expect(posted()).toEqual(['conv-1', 'conv-2']); // the 401 was answered without delivering anything
    mock.setFaults(undefined);
    await ws.run(['optout', 'add', 'conv-3', '--kind', 'conversation', '--reason', 'unsubscribed meanwhile']);
    const report = `${ws.dir}/report.csv`;
    const resumed = await ws.run(['send', contacts, '--spec', file, '--report', report], key);
    expect(resumed.stderr).toContain('Resuming campaign');
    expect(posted()).toEqual(['conv-1', 'conv-2', 'conv-2']);
    expect((await readReport(report)).rows.map((r) => [r.status, (r.error ?? '').replace(/\d{4}-\d{2}-\d{2}/, 'DATE')])).toEqual([
      ['sent', ''],
      ['sent', ''],
      ['skipped', 'opted out on DATE (added by hand)'],
    ]);
  });

  it('a campaign that ignores the list says so before sending, in the preview and in the report (opt_out column)', async () => {
    const contacts = await ws.file('contacts.csv', csv(header, rows));
    const file = await ws.file('c.campaign.json', spec(mock.url, { audience: { ignoreOptOuts: 'order receipts the customer asked for' } }));
    await ws.run(['optout', 'add', 'conv-2', '--kind', 'conversation']);
    const preview = await ws.run(['preview', contacts, '--spec', file, '--row', '2']);
    expect(preview.stdout).toMatch(/On the opt-out list: opted out on \d{4}-\d{2}-\d{2} \(added by hand\); sent anyway: the campaign ignores the opt-out list \(order receipts the customer asked for\)/);
    const report = `${ws.dir}/report.csv`;
    const r = await ws.run(['send', contacts, '--spec', file, '--report', report], key);
    expect(r.stderr).toContain('This campaign ignores the opt-out list (audience.ignoreOptOuts): order receipts the customer asked for');
    expect(r.stderr).toContain('1 on the opt-out list sent anyway');
    expect(posted()).toEqual(['conv-1', 'conv-2', 'conv-3']);
    const { header: h, rows: out } = await readReport(report);
    expect(h.at(-1)).toBe('opt_out');
    expect(out.map((x) => x.opt_out === '' ? '' : 'noted')).toEqual(['', 'noted', '']);
    expect(out[1]?.opt_out).toContain('sent anyway: the campaign ignores the opt-out list (order receipts the customer asked for)');
  });

  it('refuses an override without a reason', async () => {
    const contacts = await ws.file('contacts.csv', csv(header, rows));
    const file = await ws.file('c.campaign.json', spec(mock.url, { audience: { ignoreOptOuts: '' } }));
    const r = await ws.run(['send', contacts, '--spec', file], key);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('audience.ignoreOptOuts: give the reason the campaign ignores the opt-out list');
    expect(posted()).toEqual([]);
  });
});
