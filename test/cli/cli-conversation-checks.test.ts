import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addConversation } from '../../electron/core/sandbox/sim-state';
import type { ConversationSeed } from '../../electron/core/sandbox/simulator';
import type { MockServer } from '../mock-server/mock-server';
import { mockApiKey, startMockServer } from '../mock-server/mock-server';
import type { Workspace } from './cli-harness';
import { csv, readReport, workspace } from './cli-harness';

/**
 * Wassist's document: "Check conversation status first! You can only send regular (non-template)
 * messages to active conversations." Every free-form campaign checks before sending, by default,
 * through the real CLI against the strict mock (which refuses a CTA to an inactive conversation with
 * HTTP 400, as Wassist does).
 */

const BOT = '6f1c9a2e-1b3d-4c5e-8f70-0a1b2c3d4e5f';
const key = { CAMPAIGN_API_KEY: mockApiKey };
const fallback = { template: { name: 'we_miss_you', variables: { body: ['{{name}}'] } } };

/** 40 conversations of the agent, every fifth inactive (8 of 40), as issue 10 measured. */
const forty: ConversationSeed[] = Array.from({ length: 40 }, (_, i) => ({ id: `c-${i + 1}`, botId: BOT, active: (i + 1) % 5 !== 0 }));
const rows = forty.map((c, i) => [c.id, `N${i + 1}`, `https://shop.test/p/${i + 1}`]);
const header = ['conversation_id', 'name', 'link'];

function ctaSpec(baseUrl: string, extra: object = {}) {
  return {
    provider: { kind: 'wassist', baseUrl },
    recipient: { conversationId: '{{conversation_id}}' },
    message: { type: 'cta', cta: { body: 'Hi {{name}}, new arrivals.', buttonText: 'Shop', url: '{{link}}' } },
    throttle: { concurrency: 4, perSecond: 500 },
    retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 2_000 },
    ...extra,
  };
}

let ws: Workspace;
let mock: MockServer;

beforeEach(async () => {
  ws = await workspace();
  mock = await startMockServer({ kind: 'wassist', conversations: forty });
});

afterEach(async () => {
  await mock.close();
  await ws.cleanup();
});

const posts = () => mock.requests.filter((q) => q.method === 'POST');
const reads = () => mock.requests.filter((q) => q.method === 'GET');

describe('a CTA campaign to conversation ids checks each conversation first, by default', () => {
  it('skips the 8 inactive of 40 with the reason instead of 8 refused POSTs, in 3 read requests instead of 40', async () => {
    const contacts = await ws.file('contacts.csv', csv(header, rows));
    const spec = await ws.file('c.campaign.json', ctaSpec(mock.url));
    const report = `${ws.dir}/r.csv`;
    const r = await ws.run(['send', contacts, '--spec', spec, '--report', report], key);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Checked 40 conversations in 3 requests: 2 list pages');
    expect(r.stderr).toContain('Routing: 32 get the message, 8 skipped');
    // One GET (learning the agent), then the agent's active and inactive conversations, one page each.
    expect(reads().map((q) => q.path)).toEqual([
      '/api/v1/conversations/c-1/',
      `/api/v1/conversations/?botId=${BOT}&active=true&offset=0&limit=100`,
      `/api/v1/conversations/?botId=${BOT}&active=false&offset=0&limit=100`,
    ]);
    expect(posts()).toHaveLength(32);
    expect(posts().some((q) => /c-(5|10|15|20|25|30|35|40)\//.test(q.path))).toBe(false);
    const { rows: out } = await readReport(report);
    expect(out.filter((o) => o.status === 'skipped').map((o) => o.row)).toEqual(['5', '10', '15', '20', '25', '30', '35', '40']);
    expect(out[4]).toMatchObject({ recipient: 'c-5', attempts: '0', http_status: '' });
    expect(out[4]?.error).toMatch(/^conversation is inactive \(outside the 24-hour window\)/);
  });

  it('opting out ("checkConversations": false) sends without reading, and the inactive ones fail with the API’s 400', async () => {
    const contacts = await ws.file('contacts.csv', csv(header, rows));
    const spec = await ws.file('c.campaign.json', ctaSpec(mock.url, { checkConversations: false }));
    const report = `${ws.dir}/r.csv`;
    const r = await ws.run(['send', contacts, '--spec', spec, '--report', report], key);
    expect(r.code).toBe(1);
    expect(reads()).toHaveLength(0);
    expect(posts()).toHaveLength(40);
    const { rows: out } = await readReport(report);
    expect(out.filter((o) => o.status === 'failed').map((o) => o.http_status)).toEqual(Array(8).fill('400'));
  });

  it('validate and preview say which rows are skipped or take the fallback before anything is sent', async () => {
    const contacts = await ws.file('contacts.csv', csv(header, rows.slice(0, 10)));
    const spec = await ws.file('c.campaign.json', ctaSpec(mock.url, { fallback }));
    const v = await ws.run(['validate', contacts, '--spec', spec], key);
    expect(v.code).toBe(0);
    expect(v.stderr).toContain('Routing: 8 get the message, 2 get the fallback template (inactive conversation), 0 skipped');
    expect(v.stderr).toContain('Rows taking the fallback template: 5, 10');
    const before = reads().length;
    const p = await ws.run(['preview', contacts, '--spec', spec, '--row', '5'], key);
    expect(p.code).toBe(0);
    expect(reads().slice(before).map((q) => q.path)).toEqual(['/api/v1/conversations/c-5/']); // the row's conversation alone
    expect(p.stdout).toContain('Row 5 (line 6) → c-5: The conversation is inactive (outside the 24-hour window): this row gets the fallback template.');
    expect(p.stdout).toContain(`POST ${mock.url}/api/v1/conversations/c-5/messages/`);
    expect(posts()).toHaveLength(0);
  });

  it('refuses a campaign whose check the key fails (exit 3), sending nothing', async () => {
    const contacts = await ws.file('contacts.csv', csv(header, rows.slice(0, 5)));
    const spec = await ws.file('c.campaign.json', ctaSpec(mock.url));
    const r = await ws.run(['send', contacts, '--spec', spec], { CAMPAIGN_API_KEY: 'sk_refused_canary_99' });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('Stopped: reading conversation c-1');
    expect(posts()).toHaveLength(0);
    expect(r.stderr + r.stdout).not.toContain('sk_refused_canary_99');
  });
});

describe('each row is judged by what it will actually send', () => {
  const broken = [
    ['c-1', 'Ana', 'https://shop.test/p/1'],
    ['c-5', 'Cat', 'not a link'], // inactive: takes the fallback template, which is fine
    ['c-2', 'Ben', 'https://shop.test/p/2'],
  ];

  it('a broken link in an inactive conversation does not block: before the lookup it depends, after it the row takes the fallback', async () => {
    const contacts = await ws.file('contacts.csv', csv(header, broken));
    const spec = await ws.file('c.campaign.json', ctaSpec(mock.url, { fallback }));
    const offline = await ws.run(['validate', contacts, '--spec', spec]);
    expect(offline.code).toBe(0);
    expect(offline.stderr).toMatch(/row 2, message\.cta\.url \(column "link"\): if the conversation is active: .*\(an inactive one gets the fallback template\) \[warning\]/);
    expect(offline.stdout).toContain('1 whose message is judged once its conversation is looked up');
    expect(mock.requests).toHaveLength(0);
    const online = await ws.run(['validate', contacts, '--spec', spec], key);
    expect(online.code).toBe(0);
    expect(online.stderr).not.toContain('message.cta.url');
    const report = `${ws.dir}/r.csv`;
    const r = await ws.run(['send', contacts, '--spec', spec, '--report', report], key);
    expect(r.code).toBe(0);
    expect(posts().find((q) => q.path.includes('/c-5/'))?.body).toEqual({ type: 'template', template: { name: 'we_miss_you', variables: { body: ['Cat'] } } });
    expect((await readReport(report)).rows.map((o) => [o.status, o.variant])).toEqual([
      ['sent', 'message'],
      ['sent', 'fallback'],
      ['sent', 'message'],
    ]);
  });

  it('a broken link in an active conversation blocks the campaign, naming row, field and column, and nothing is sent', async () => {
    const contacts = await ws.file('contacts.csv', csv(header, [...broken, ['c-3', 'Dan', 'also not a link']]));
    const spec = await ws.file('c.campaign.json', ctaSpec(mock.url, { fallback }));
    const r = await ws.run(['send', contacts, '--spec', spec], key);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/row 4, message\.cta\.url \(column "link"\): .*URL/);
    expect(r.stderr).not.toMatch(/row 2, message\.cta\.url/);
    expect(r.stderr).toContain('Nothing was sent');
    expect(posts()).toHaveLength(0);
    const skipping = await ws.run(['send', contacts, '--spec', spec, '--skip-invalid', '--report', `${ws.dir}/r.csv`], key);
    expect(skipping.code).toBe(0);
    const out = (await readReport(`${ws.dir}/r.csv`)).rows;
    expect(out.map((o) => o.status)).toEqual(['sent', 'sent', 'sent', 'skipped']);
    expect(out[3]?.error).toMatch(/^invalid: message\.cta\.url/);
  });

  it('a broken fallback for an inactive conversation blocks too, naming the fallback field', async () => {
    const contacts = await ws.file('contacts.csv', csv(header, [['c-5', '', 'https://shop.test/p/5']]));
    const spec = await ws.file('c.campaign.json', ctaSpec(mock.url, { fallback }));
    const r = await ws.run(['send', contacts, '--spec', spec], key);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/row 1, fallback\.template\.variables\.body\[0\] \(column "name"\): missing value/);
    expect(posts()).toHaveLength(0);
  });
});

describe('numbers written with the country code but no +', () => {
  const DE = { phone: '{{phone}}', botId: BOT, defaultCountry: 'DE' };
  const crm = [
    ['4915112345678', 'Ana'], // the agent has +4915112345678
    ['4915112345679', 'Ben'], // the agent has +494915112345679 (the German reading)
    ['4915112345670', 'Cat'], // the agent has both
    ['4915112345671', 'Dan'], // the agent has neither
  ];

  async function setUpAgent(): Promise<void> {
    await mock.close();
    mock = await startMockServer({
      kind: 'wassist',
      conversations: [
        { id: 'c-ana', botId: BOT, number: '4915112345678' },
        { id: 'c-ben', botId: BOT, number: '494915112345679' },
        { id: 'c-cat-1', botId: BOT, number: '4915112345670' },
        { id: 'c-cat-2', botId: BOT, number: '+494915112345670' },
      ],
    });
  }

  it('resolves each to the reading the agent has a conversation with, says so, and names both numbers when that cannot decide', async () => {
    await setUpAgent();
    const contacts = await ws.file('contacts.csv', csv(['phone', 'name'], crm));
    const spec = await ws.file('c.campaign.json', { ...ctaSpec(mock.url), recipient: DE, message: { type: 'text', text: { body: 'Hi {{name}}' } } });
    const offline = await ws.run(['validate', contacts, '--spec', spec]);
    expect(offline.stderr).toContain('row 1, recipient.phone (column "phone"): "4915112345678" can be read as +4915112345678 or, in DE, as +494915112345678');
    const preview = await ws.run(['preview', contacts, '--spec', spec, '--row', '2'], key);
    expect(preview.stdout).toContain('Row 2 (line 3) → c-ben (+494915112345679)');
    expect(preview.stdout).toContain('"4915112345679" is read as +494915112345679: the agent has a conversation with it, none with +4915112345679');
    const report = `${ws.dir}/r.csv`;
    const r = await ws.run(['send', contacts, '--spec', spec, '--report', report], key);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('row 3, recipient.phone (column "phone"): "4915112345670" can be read as +4915112345670 or as +494915112345670 (a number in DE), and agent');
    expect(r.stderr).toContain('row 4, recipient.phone (column "phone"): no conversation with +4915112345671 or +494915112345671');
    expect(posts().map((q) => q.path.split('/')[4]).sort()).toEqual(['c-ana', 'c-ben']);
    const { rows: out } = await readReport(report);
    expect(out.map((o) => [o.recipient, o.status, o['phone (wassist)']])).toEqual([
      ['c-ana', 'sent', '+4915112345678'],
      ['c-ben', 'sent', '+494915112345679'],
      ['', 'skipped', ''],
      ['', 'skipped', ''],
    ]);
    expect(out[2]?.error).toContain('write it with + and the country code');
  });
});

describe('one resolution for the whole campaign', () => {
  it('a resumed run sends an uncertain row into the conversation it was tried in, though the agent now lists a newer one for the number', async () => {
    await mock.close();
    mock = await startMockServer({ kind: 'wassist', conversations: [{ id: 'c-ana', botId: BOT, number: '447911123456' }, { id: 'c-ben', botId: BOT, number: '447911123457' }] });
    // Ana's send never answers, and her conversation's messages cannot be read: the row stays uncertain.
    mock.setFaults((q) => (q.path === '/api/v1/conversations/c-ana/messages/' ? (q.method === 'POST' ? { action: 'hang' } : { status: 500 }) : undefined));
    const contacts = await ws.file('contacts.csv', csv(['phone', 'name'], [['07911 123456', 'Ana'], ['07911 123457', 'Ben']]));
    const spec = await ws.file('c.campaign.json', {
      ...ctaSpec(mock.url),
      recipient: { phone: '{{phone}}', botId: BOT, defaultCountry: 'GB' },
      message: { type: 'text', text: { body: 'Hi {{name}}' } },
      retry: { attempts: 1, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 300 },
    });
    const first = await ws.run(['send', contacts, '--spec', spec, '--report', `${ws.dir}/first.csv`], key);
    expect(first.code).toBe(1);
    expect((await readReport(`${ws.dir}/first.csv`)).rows.map((o) => [o.recipient, o.status])).toEqual([
      ['c-ana', 'uncertain'],
      ['c-ben', 'sent'],
    ]);
    mock.setFaults(undefined);
    await new Promise((resolve) => setTimeout(resolve, 5));
    addConversation(mock.state, { id: 'c-ana-new', botId: BOT, number: '+447911123456' }); // newer, active: a fresh lookup picks it
    const before = posts().length;
    const again = await ws.run(['send', contacts, '--spec', spec, '--resend-uncertain', '--report', `${ws.dir}/again.csv`], key);
    expect(again.code).toBe(0);
    expect(posts().slice(before).map((q) => q.path)).toEqual(['/api/v1/conversations/c-ana/messages/']);
    expect(mock.delivered('c-ana-new')).toHaveLength(0);
    expect((await readReport(`${ws.dir}/again.csv`)).rows.map((o) => [o.recipient, o.status, o['phone (wassist)']])).toEqual([
      ['c-ana', 'sent', '+447911123456'],
      ['c-ben', 'sent', '+447911123457'],
    ]);
  });
});
