import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MockServer } from '../mock-server/mock-server';
import { mockApiKey, startMockServer } from '../mock-server/mock-server';
import type { Workspace } from './cli-harness';
import { csv, readReport, workspace } from './cli-harness';

const header = ['conversation_id', 'first_name', 'order_id', 'promo_url'];
const rows = [
  ['conv-1', 'Ana', 'ORD-1', 'https://shop.test/p/1'],
  ['conv-2', 'Ben', 'ORD-2', 'https://shop.test/p/2'],
  ['conv-3', '', 'ORD-3', 'https://shop.test/p/3'],
];
const key = { CAMPAIGN_API_KEY: mockApiKey };

function wassistSpec(baseUrl: string, extra: object = {}) {
  return {
    provider: { kind: 'wassist', baseUrl },
    recipient: { conversationId: '{{conversation_id}}' },
    message: {
      type: 'cta',
      cta: { body: 'Hi {{first_name|there}}, order {{order_id}} ships today.', buttonText: 'Track', url: '{{promo_url}}' },
    },
    throttle: { concurrency: 2, perSecond: 50 },
    retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50, timeoutMs: 2_000 },
    ...extra,
  };
}

let ws: Workspace;
let mock: MockServer;
/** The messages sent (the conversations are checked with GETs first: Wassist asks for it). */
const posts = () => mock.requests.filter((q) => q.method === 'POST');

beforeEach(async () => {
  ws = await workspace();
  mock = await startMockServer({
    kind: 'wassist',
    conversations: ['conv-1', 'conv-2', 'conv-3'].map((id) => ({ id })),
  });
});

afterEach(async () => {
  await mock.close();
  await ws.cleanup();
});

describe('campaign send (Wassist mock)', () => {
  it('sends every row, writes the report in contract order, and exits 0', async () => {
    const contacts = await ws.file('contacts.csv', csv(header, rows));
    const spec = await ws.file('c.campaign.json', wassistSpec(mock.url));
    const report = `${ws.dir}/report.csv`;
    const r = await ws.run(['send', contacts, '--spec', spec, '--report', report], key);
    expect(r.stderr).toContain('Done: sent 3');
    expect(r.code).toBe(0);
    expect(posts().map((q) => q.path).sort()).toEqual(['/api/v1/conversations/conv-1/messages/', '/api/v1/conversations/conv-2/messages/', '/api/v1/conversations/conv-3/messages/']);
    expect(mock.requests.every((q) => q.headers['x-api-key'] === mockApiKey)).toBe(true);
    const { header: h, rows: out } = await readReport(report);
    expect(h).toEqual(['row', 'recipient', 'status', 'message_id', 'attempts', 'http_status', 'error', 'sent_at', ...header]);
    expect(out.map((o) => [o.row, o.recipient, o.status, o.attempts, o.http_status])).toEqual([
      ['1', 'conv-1', 'sent', '1', '201'],
      ['2', 'conv-2', 'sent', '1', '201'],
      ['3', 'conv-3', 'sent', '1', '201'],
    ]);
    for (const o of out) {
      expect(o.message_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(Number.isNaN(Date.parse(o.sent_at ?? ''))).toBe(false);
    }
    expect(out[2]?.first_name).toBe('');
  });

  it('preview --json prints exactly the body that send posts for that row', async () => {
    const contacts = await ws.file('contacts.csv', csv(header, rows));
    const spec = await ws.file('c.campaign.json', wassistSpec(mock.url));
    const preview = await ws.run(['preview', contacts, '--spec', spec, '--row', '3', '--json']);
    expect(preview.code).toBe(0);
    await ws.run(['send', contacts, '--spec', spec], key);
    const posted = posts().find((q) => q.path.includes('/conv-3/'));
    expect(posted?.rawBody).toBeDefined();
    expect(JSON.parse(preview.stdout)).toEqual(JSON.parse(posted?.rawBody ?? 'null'));
    expect(JSON.parse(preview.stdout).cta.body).toBe('Hi there, order ORD-3 ships today.');
  });

  it('refuses to send anything when a row is invalid, naming row, field and reason (exit 2)', async () => {
    const bad = [...rows, ['', 'Dan', 'ORD-4', 'https://shop.test/p/4'], ['conv-5', 'Eve', 'ORD-5', 'not a url']];
    const contacts = await ws.file('contacts.csv', csv(header, bad));
    const spec = await ws.file('c.campaign.json', wassistSpec(mock.url));
    const r = await ws.run(['send', contacts, '--spec', spec], key);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/row 4, recipient\.conversationId.*conversation_id/);
    expect(r.stderr).toMatch(/row 5, message\.cta\.url.*http\(s\) URL/);
    expect(r.stderr).toContain('Nothing was sent');
    expect(mock.requests).toHaveLength(0);
  });

  it('--skip-invalid sends the valid rows and reports the others as skipped with the reason', async () => {
    const bad = [...rows, ['conv-1', 'Eve', 'ORD-5', 'not a url']];
    const contacts = await ws.file('contacts.csv', csv(header, bad));
    const spec = await ws.file('c.campaign.json', wassistSpec(mock.url));
    const report = `${ws.dir}/r.csv`;
    const r = await ws.run(['send', contacts, '--spec', spec, '--skip-invalid', '--report', report], key);
    expect(r.code).toBe(0);
    expect(posts()).toHaveLength(3);
    const { rows: out } = await readReport(report);
    expect(out[3]).toMatchObject({ row: '4', status: 'skipped', attempts: '0' });
    expect(out[3]?.error).toContain('message.cta.url');
  });

  it('stops at once on a rejected key (exit 3) and leaves the rest pending', async () => {
    const many = Array.from({ length: 30 }, (_, i) => [`conv-${(i % 3) + 1}`, `N${i}`, `O${i}`, 'https://shop.test/p']);
    const contacts = await ws.file('contacts.csv', csv(header, many));
    // Not checked first, so the refusal comes from the sends themselves.
    const spec = await ws.file('c.campaign.json', wassistSpec(mock.url, { checkConversations: false }));
    const report = `${ws.dir}/r.csv`;
    const r = await ws.run(['send', contacts, '--spec', spec, '--report', report], { CAMPAIGN_API_KEY: 'wrong-key' });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('Stopped');
    expect(mock.requests.length).toBeLessThanOrEqual(2); // at most the requests already in flight (concurrency 2)
    const { rows: out } = await readReport(report);
    expect(out.filter((o) => o.status === 'pending').length).toBeGreaterThanOrEqual(28);
    expect(r.stderr + r.stdout).not.toContain('wrong-key');
  });

  it('fails a row the API refuses with its own message (exit 1)', async () => {
    const contacts = await ws.file('contacts.csv', csv(header, [...rows, ['conv-404', 'Zed', 'ORD-9', 'https://shop.test/p/9']]));
    const spec = await ws.file('c.campaign.json', wassistSpec(mock.url, { checkConversations: false }));
    const report = `${ws.dir}/r.csv`;
    const r = await ws.run(['send', contacts, '--spec', spec, '--report', report], key);
    expect(r.code).toBe(1);
    const { rows: out } = await readReport(report);
    expect(out[3]).toMatchObject({ status: 'failed', http_status: '404', attempts: '1' });
    expect(out[3]?.error).not.toBe('');
    expect(r.stderr).toContain('Failed rows');
  });

  it('re-running the same command resumes: nothing already sent is sent again; --fresh starts over', async () => {
    const contacts = await ws.file('contacts.csv', csv(header, rows));
    const spec = await ws.file('c.campaign.json', wassistSpec(mock.url));
    expect((await ws.run(['send', contacts, '--spec', spec], key)).code).toBe(0);
    expect(posts()).toHaveLength(3);
    const again = await ws.run(['send', contacts, '--spec', spec], key);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('Resuming campaign');
    expect(posts()).toHaveLength(3);
    expect((await ws.run(['send', contacts, '--spec', spec, '--fresh'], key)).code).toBe(0);
    expect(posts()).toHaveLength(6);
  });

  it('--dry-run sends nothing', async () => {
    const contacts = await ws.file('contacts.csv', csv(header, rows));
    const spec = await ws.file('c.campaign.json', wassistSpec(mock.url));
    const r = await ws.run(['send', contacts, '--spec', spec, '--dry-run'], key);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('3 messages would be sent');
    expect(posts()).toHaveLength(0);
  });

  it('never writes or prints the API key', async () => {
    const canary = 'sk_canary_7f3a9c2e1b';
    await mock.close();
    mock = await startMockServer({ kind: 'wassist', apiKey: canary, conversations: [{ id: 'conv-1' }, { id: 'conv-2' }] });
    const contacts = await ws.file('contacts.csv', csv(header, [...rows.slice(0, 2), ['conv-x', 'X', 'O', 'https://shop.test']]));
    const spec = await ws.file('c.campaign.json', wassistSpec(mock.url, { checkConversations: false }));
    const r = await ws.run(['send', contacts, '--spec', spec, '--report', `${ws.dir}/r.csv`], { CAMPAIGN_API_KEY: canary });
    expect(r.code).toBe(1);
    expect(mock.requests.every((q) => q.headers['x-api-key'] === canary)).toBe(true);
    expect(r.stdout + r.stderr).not.toContain(canary);
    expect(await ws.writtenText()).not.toContain(canary);
  });

  it('report re-exports the delivery report from the journal', async () => {
    const contacts = await ws.file('contacts.csv', csv(header, rows));
    const spec = await ws.file('c.campaign.json', wassistSpec(mock.url));
    await ws.run(['send', contacts, '--spec', spec, '--report', `${ws.dir}/first.csv`], key);
    const r = await ws.run(['report', contacts, '--spec', spec, '--report', `${ws.dir}/again.csv`]);
    expect(r.code).toBe(0);
    expect((await readReport(`${ws.dir}/again.csv`)).rows).toEqual((await readReport(`${ws.dir}/first.csv`)).rows);
  });
});
