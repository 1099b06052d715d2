import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setMessageStatus } from '../../electron/core/sandbox/simulator';
import type { ConversationSeed } from '../../electron/core/sandbox/simulator';
import type { MockServer, MockServerOptions } from '../mock-server/mock-server';
import { mockApiKey, startMockServer } from '../mock-server/mock-server';
import type { Workspace } from './cli-harness';
import { csv, readReport, workspace } from './cli-harness';

const BOT = '6f1c9a2e-1b3d-4c5e-8f70-0a1b2c3d4e5f';
const OTHER_BOT = '0b9d8c7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e';
const key = { CAMPAIGN_API_KEY: mockApiKey };
const CONTRACT = ['row', 'recipient', 'status', 'message_id', 'attempts', 'http_status', 'error', 'sent_at'];
const EXTRAS = ['variant', 'delivery_status', 'delivery_status_at', 'clicks', 'first_click_at', 'replied_at', 'reply_text', 'opted_out_at', 'opt_out_word'];

/** The agent's conversations, numbers written as the API might (digits only, or E.164), plus fillers so listing takes pages. */
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

function phoneSpec(baseUrl: string, extra: object = {}) {
  return {
    provider: { kind: 'wassist', baseUrl },
    recipient: { phone: '{{phone}}', botId: BOT, defaultCountry: 'GB' },
    message: { type: 'text', text: { body: 'Hi {{name}}, your order shipped.' } },
    throttle: { concurrency: 2, perSecond: 200 },
    retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50, timeoutMs: 2_000 },
    ...extra,
  };
}

const fallback = { template: { name: 'order_update', variables: { body: ['{{name}}'] } } };

let ws: Workspace;
let mock: MockServer;

async function restart(options: Partial<MockServerOptions> = {}): Promise<void> {
  await mock.close();
  mock = await startMockServer({ kind: 'wassist', conversations, ...options });
}

beforeEach(async () => {
  ws = await workspace();
  mock = await startMockServer({ kind: 'wassist', conversations, wassist: { maxPageSize: 3 } });
});

afterEach(async () => {
  await mock.close();
  await ws.cleanup();
});

const posts = () => mock.requests.filter((q) => q.method === 'POST');
const listings = () => mock.requests.filter((q) => q.method === 'GET' && q.path.startsWith('/api/v1/conversations/?'));

describe('campaign send with phone-number recipients (Wassist mock)', () => {
  it('finds each number in mixed formats across several pages, sends once per number, and skips the rest with reasons', async () => {
    const contacts = await ws.file('contacts.csv', csv(header, mixed));
    const spec = await ws.file('c.campaign.json', phoneSpec(mock.url));
    const report = `${ws.dir}/report.csv`;
    const r = await ws.run(['send', contacts, '--spec', spec, '--report', report], key);
    expect(r.stderr).toContain('1 duplicate number (sent once)');
    expect(r.code).toBe(0);
    // 12 conversations of the agent in pages of 3 (the mock caps `limit`), each page asked with botId/offset/limit.
    expect(listings().length).toBeGreaterThanOrEqual(4);
    expect(listings()[0]?.path).toBe(`/api/v1/conversations/?botId=${BOT}&offset=0&limit=100`);
    expect(listings().every((q) => q.headers['x-api-key'] === mockApiKey)).toBe(true);
    expect(posts().map((q) => q.path).sort()).toEqual([
      '/api/v1/conversations/c-ana/messages/',
      '/api/v1/conversations/c-ben/messages/',
      '/api/v1/conversations/c-us/messages/',
    ]);
    const { header: h, rows } = await readReport(report);
    // The number each row was resolved by comes after the input columns (the input has a `phone` of its own).
    expect(h).toEqual([...CONTRACT, ...header, 'phone (wassist)', ...EXTRAS]);
    expect(rows.map((o) => [o.recipient, o['phone (wassist)'], o.status, o.variant])).toEqual([
      ['c-ana', '+447911123456', 'sent', 'message'],
      ['c-ben', '+447911123457', 'sent', 'message'],
      ['c-cat', '+447911123458', 'skipped', ''],
      ['c-us', '+14155550123', 'sent', 'message'],
      ['', '+447911123459', 'skipped', ''],
      ['', '+447911123456', 'skipped', ''],
    ]);
    expect(rows[2]?.error).toMatch(/inactive.*24-hour window/);
    expect(rows[4]?.error).toBe(`no conversation with +447911123459 for agent ${BOT}`);
    expect(rows[5]?.error).toBe('duplicate of row 1 (+447911123456): the number gets the message once');
    expect(rows[0]?.phone).toBe('07911 123456');
  });

  it('reads bare-array list answers too', async () => {
    await restart({ wassist: { listShape: 'array', maxPageSize: 5 } });
    const contacts = await ws.file('contacts.csv', csv(header, mixed.slice(0, 4)));
    const spec = await ws.file('c.campaign.json', phoneSpec(mock.url));
    const r = await ws.run(['send', contacts, '--spec', spec], key);
    expect(r.code).toBe(0);
    expect(listings().length).toBe(4); // 5 + 5 + 2, then an empty page
    expect(posts().map((q) => q.path.split('/')[4]).sort()).toEqual(['c-ana', 'c-ben', 'c-us']);
  });

  it('sends the fallback template to inactive conversations and says which rows take it', async () => {
    const contacts = await ws.file('contacts.csv', csv(header, mixed.slice(0, 3)));
    const spec = await ws.file('c.campaign.json', phoneSpec(mock.url, { fallback }));
    const dry = await ws.run(['send', contacts, '--spec', spec, '--dry-run'], key);
    expect(dry.code).toBe(0);
    expect(dry.stderr).toContain('Rows taking the fallback template: 3');
    expect(dry.stderr).toContain('3 messages would be sent (1 with the fallback template)');
    expect(posts()).toHaveLength(0);
    const report = `${ws.dir}/r.csv`;
    const r = await ws.run(['send', contacts, '--spec', spec, '--report', report], key);
    expect(r.code).toBe(0);
    const toCat = posts().find((q) => q.path === '/api/v1/conversations/c-cat/messages/');
    expect(toCat?.body).toEqual({ type: 'template', template: { name: 'order_update', variables: { body: ['Cat'] } } });
    const { rows } = await readReport(report);
    expect(rows.map((o) => [o.status, o.variant])).toEqual([
      ['sent', 'message'],
      ['sent', 'message'],
      ['sent', 'fallback'],
    ]);
  });

  it('skips inactive conversations when told to, even with a fallback', async () => {
    const contacts = await ws.file('contacts.csv', csv(header, mixed.slice(0, 3)));
    const spec = await ws.file('c.campaign.json', phoneSpec(mock.url, { fallback, onInactive: 'skip' }));
    const r = await ws.run(['send', contacts, '--spec', spec], key);
    expect(r.code).toBe(0);
    expect(posts().map((q) => q.path.split('/')[4]).sort()).toEqual(['c-ana', 'c-ben']);
  });

  it('sends a template message to inactive conversations as it is (only free-form messages need an active one)', async () => {
    const contacts = await ws.file('contacts.csv', csv(header, mixed.slice(2, 3)));
    const spec = await ws.file('c.campaign.json', phoneSpec(mock.url, { message: { type: 'template', template: { name: 'hello' } } }));
    expect((await ws.run(['send', contacts, '--spec', spec], key)).code).toBe(0);
    expect(posts().map((q) => q.path)).toEqual(['/api/v1/conversations/c-cat/messages/']);
  });

  it('refuses invalid numbers before any request, naming row, field, column and reason (exit 2)', async () => {
    const bad = [...mixed.slice(0, 2), ['12345', 'Shorty', '1'], ['call me', 'Words', '1'], ['', 'Nobody', '1']];
    const contacts = await ws.file('contacts.csv', csv(header, bad));
    const spec = await ws.file('c.campaign.json', phoneSpec(mock.url));
    const r = await ws.run(['send', contacts, '--spec', spec], key);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('row 3, recipient.phone (column "phone"): "12345"');
    expect(r.stderr).toContain('row 4, recipient.phone (column "phone"): "call me" is not a phone number');
    expect(r.stderr).toContain('row 5, recipient.phone (column "phone"): missing value: column "phone" is empty');
    expect(mock.requests).toHaveLength(0);
  });

  it('validate lists duplicates and, with a key, where each row goes', async () => {
    const contacts = await ws.file('contacts.csv', csv(header, mixed));
    const spec = await ws.file('c.campaign.json', phoneSpec(mock.url, { fallback }));
    const offline = await ws.run(['validate', contacts, '--spec', spec]);
    expect(offline.code).toBe(0);
    expect(offline.stderr).toContain('row 6, recipient.phone (column "phone"): duplicate of row 1 (+447911123456)');
    expect(offline.stderr).toContain('set CAMPAIGN_API_KEY to look them up now');
    expect(mock.requests).toHaveLength(0);
    const online = await ws.run(['validate', contacts, '--spec', spec], key);
    expect(online.stderr).toContain('Routing: 3 get the message, 1 get the fallback template (inactive conversation), 2 skipped');
    expect(posts()).toHaveLength(0);
  });

  it('stops with exit 3 when the key is refused while listing, sending nothing and never printing the key', async () => {
    const contacts = await ws.file('contacts.csv', csv(header, mixed));
    const spec = await ws.file('c.campaign.json', phoneSpec(mock.url));
    const r = await ws.run(['send', contacts, '--spec', spec], { CAMPAIGN_API_KEY: 'sk_wrong_canary_123' });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('Stopped: listing the conversations');
    expect(posts()).toHaveLength(0);
    expect(r.stderr + r.stdout).not.toContain('sk_wrong_canary_123');
  });
});

describe('conversation-id campaigns with a fallback', () => {
  it('checks each conversation with GET and sends the fallback to inactive ones', async () => {
    const contacts = await ws.file('contacts.csv', csv(['conversation_id', 'name'], [['c-ana', 'Ana'], ['c-cat', 'Cat'], ['c-missing', 'Mo'], ['c-ana', 'Ana 2']]));
    const spec = await ws.file('c.campaign.json', { ...phoneSpec(mock.url, { fallback }), recipient: { conversationId: '{{conversation_id}}' } });
    const report = `${ws.dir}/r.csv`;
    const r = await ws.run(['send', contacts, '--spec', spec, '--report', report], key);
    expect(r.code).toBe(0);
    const gets = mock.requests.filter((q) => q.method === 'GET').map((q) => q.path).sort();
    expect(gets).toEqual(['/api/v1/conversations/c-ana/', '/api/v1/conversations/c-cat/', '/api/v1/conversations/c-missing/']);
    const { rows } = await readReport(report);
    expect(rows.map((o) => [o.recipient, o.status, o.variant])).toEqual([
      ['c-ana', 'sent', 'message'],
      ['c-cat', 'sent', 'fallback'],
      ['c-missing', 'skipped', ''],
      ['c-ana', 'sent', 'message'],
    ]);
    expect(rows[2]?.error).toBe('no conversation c-missing');
  });
});

describe('campaign status (engagement)', () => {
  it('reads each message status after sending, prints the funnel and shows it in the report', async () => {
    const contacts = await ws.file('contacts.csv', csv(header, mixed.slice(0, 4)));
    const spec = await ws.file('c.campaign.json', phoneSpec(mock.url, { fallback }));
    const sent = `${ws.dir}/sent.csv`;
    expect((await ws.run(['send', contacts, '--spec', spec, '--report', sent, '--delivery-status'], key)).code).toBe(0);
    let { rows } = await readReport(sent);
    expect(rows.map((o) => o.delivery_status)).toEqual(['sent', 'sent', 'sent', 'sent']);
    const ids = rows.map((o) => o.message_id);
    setMessageStatus(mock.state, ids[0] as string, 'read');
    setMessageStatus(mock.state, ids[1] as string, 'delivered');
    setMessageStatus(mock.state, ids[2] as string, 'failed');
    const gets = mock.requests.length;
    const report = `${ws.dir}/status.csv`;
    const r = await ws.run(['status', contacts, '--spec', spec, '--report', report], key);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Engagement of 4 sent messages, as of \d{4}-\d\d-\d\d \d\d:\d\d UTC:$/m);
    expect(r.stdout).toContain('  Sent       4\n  Delivered  2  50.0% of sent\n  Read       1  25.0% of sent · 50.0% of delivered\n');
    expect(r.stdout).toContain('  Clicked    –  no click data: only messages with a link button count clicks\n  Replied    0  0.0% of sent · 0.0% of read\n');
    expect(r.stdout).toContain('  Failed     1\n');
    expect(r.stderr).toMatch(/Read 4 conversations in 4 requests/);
    const reads = mock.requests.slice(gets);
    expect(reads.every((q) => q.method === 'GET' && /^\/api\/v1\/conversations\/c-[a-z]+\/messages\/\?limit=100&offset=0$/.test(q.path))).toBe(true);
    expect(reads).toHaveLength(4);
    ({ rows } = await readReport(report));
    expect(rows.map((o) => [o.delivery_status, o.variant])).toEqual([
      ['read', 'message'],
      ['delivered', 'message'],
      ['failed', 'fallback'],
      ['sent', 'message'],
    ]);
    for (const o of rows) expect(Number.isNaN(Date.parse(o.delivery_status_at ?? ''))).toBe(false);
    // report re-exports with the statuses kept in the campaign folder
    const again = `${ws.dir}/again.csv`;
    expect((await ws.run(['report', contacts, '--spec', spec, '--report', again])).code).toBe(0);
    expect((await readReport(again)).rows).toEqual(rows);
  });

  it('refuses a campaign that never ran', async () => {
    const contacts = await ws.file('contacts.csv', csv(header, mixed.slice(0, 1)));
    const spec = await ws.file('c.campaign.json', phoneSpec(mock.url));
    const r = await ws.run(['status', contacts, '--spec', spec], key);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no campaign has run yet');
  });
});

describe('AI actions', () => {
  it('triggers the agent with a per-row prompt through the same throttle, journal and report', async () => {
    const contacts = await ws.file('contacts.csv', csv(header, mixed.slice(0, 3)));
    const spec = await ws.file('c.campaign.json', phoneSpec(mock.url, { action: 'trigger', message: { prompt: 'Thank {{name}} for the order.' } }));
    const report = `${ws.dir}/r.csv`;
    const r = await ws.run(['send', contacts, '--spec', spec, '--report', report], key);
    expect(r.code).toBe(0);
    expect(posts().map((q) => [q.path, q.body])).toEqual(
      expect.arrayContaining([
        ['/api/v1/conversations/c-ana/trigger/', { prompt: 'Thank Ana for the order.' }],
        ['/api/v1/conversations/c-ben/trigger/', { prompt: 'Thank Ben for the order.' }],
      ]),
    );
    expect(posts()).toHaveLength(2);
    const { rows } = await readReport(report);
    expect(rows.map((o) => o.status)).toEqual(['sent', 'sent', 'skipped']);
    expect(rows[0]?.message_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(mock.delivered('c-ana')[0]?.message.role).toBe('assistant');
  });

  it('sets credits per row from a column, as whole numbers on the wire', async () => {
    const contacts = await ws.file('contacts.csv', csv(header, mixed.slice(0, 4)));
    const spec = await ws.file('c.campaign.json', phoneSpec(mock.url, { action: 'setCredits', message: { credits: '{{credits}}' } }));
    const r = await ws.run(['send', contacts, '--spec', spec], key);
    expect(r.code).toBe(0);
    // credits need no active conversation: Cat's inactive one gets them too
    expect(posts().map((q) => [q.path.split('/')[4], q.body]).sort()).toEqual([
      ['c-ana', { credits: 10 }],
      ['c-ben', { credits: 20 }],
      ['c-cat', { credits: 30 }],
      ['c-us', { credits: 40 }],
    ]);
    expect(mock.state.conversations.get('c-cat')?.credits).toBe(30);
  });

  it('refuses a credits cell that is not a whole number, naming row and field (exit 2)', async () => {
    const contacts = await ws.file('contacts.csv', csv(header, [mixed[0] as string[], ['07911 123457', 'Ben', 'ten']]));
    const spec = await ws.file('c.campaign.json', phoneSpec(mock.url, { action: 'setCredits', message: { credits: '{{credits}}' } }));
    const r = await ws.run(['send', contacts, '--spec', spec], key);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/row 2, message\.credits.*whole number/);
    expect(mock.requests).toHaveLength(0);
  });
});

describe('the sandbox', () => {
  it('runs a phone-number campaign with no account', async () => {
    const many = Array.from({ length: 24 }, (_, i) => [`07911 1234${String(i).padStart(2, '0')}`, `N${i}`, '1']);
    const contacts = await ws.file('contacts.csv', csv(header, many));
    const spec = await ws.file('c.campaign.json', {
      ...phoneSpec('https://unused.invalid', { fallback }),
      provider: { kind: 'sandbox', latencyMs: 0, seed: 7 },
    });
    const report = `${ws.dir}/r.csv`;
    const r = await ws.run(['send', contacts, '--spec', spec, '--report', report, '--delivery-status']);
    expect(r.code).toBe(0);
    const { rows } = await readReport(report);
    expect(rows.every((o) => o.status === 'sent')).toBe(true);
    expect(rows.some((o) => o.variant === 'fallback')).toBe(true);
    expect(rows.every((o) => o.delivery_status !== '')).toBe(true);
  });
});

describe('engagement of a plain conversation-id campaign', () => {
  it('--delivery-status adds the engagement columns at the end of the report', async () => {
    const contacts = await ws.file('contacts.csv', csv(['conversation_id', 'name'], [['c-ana', 'Ana'], ['c-ben', 'Ben']]));
    const spec = await ws.file('c.campaign.json', { ...phoneSpec(mock.url), recipient: { conversationId: '{{conversation_id}}' } });
    const report = `${ws.dir}/r.csv`;
    expect((await ws.run(['send', contacts, '--spec', spec, '--report', report, '--delivery-status'], key)).code).toBe(0);
    const { header: h, rows } = await readReport(report);
    expect(h).toEqual([...CONTRACT, 'conversation_id', 'name', ...EXTRAS]);
    expect(rows.map((o) => [o.variant, o.delivery_status])).toEqual([
      ['message', 'sent'],
      ['message', 'sent'],
    ]);
  });
});
