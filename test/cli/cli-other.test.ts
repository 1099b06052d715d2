import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mockApiKey, startMockServer } from '../mock-server/mock-server';
import type { Workspace } from './cli-harness';
import { csv, readReport, workspace } from './cli-harness';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const key = { CAMPAIGN_API_KEY: mockApiKey };
let ws: Workspace;

beforeEach(async () => {
  ws = await workspace();
});
afterEach(async () => {
  await ws.cleanup();
});

describe('campaign send (Pingback and generic mocks)', () => {
  it('stops on Pingback 403 (plan limit) with exit 3; the rest stays pending', async () => {
    const mock = await startMockServer({ kind: 'pingback', planLimit: 4, conversations: [{ id: 'c3d4e5f6-a7b8-9012-cdef-123456789012' }] });
    try {
      const rows = Array.from({ length: 20 }, (_, i) => ['c3d4e5f6-a7b8-9012-cdef-123456789012', `Hi #${i}`]);
      const contacts = await ws.file('c.csv', csv(['conversation_id', 'text'], rows));
      const spec = await ws.file('p.campaign.json', {
        provider: { kind: 'pingback', baseUrl: mock.url },
        recipient: { conversationId: '{{conversation_id}}' },
        message: { content: '{{text}}' },
        throttle: { concurrency: 1, perSecond: 100 },
      });
      const r = await ws.run(['send', contacts, '--spec', spec, '--report', `${ws.dir}/r.csv`], key);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('monthly message limit');
      expect(mock.requests).toHaveLength(5); // 4 accepted, the 5th refused, none after
      expect(mock.requests.every((q) => q.path === '/api/v1/conversations/c3d4e5f6-a7b8-9012-cdef-123456789012/messages')).toBe(true);
      const { rows: out } = await readReport(`${ws.dir}/r.csv`);
      expect(out.filter((o) => o.status === 'sent')).toHaveLength(4);
      expect(out.filter((o) => o.status === 'pending')).toHaveLength(16);
    } finally {
      await mock.close();
    }
  });

  it('generic API: an empty recipient creates a conversation, recorded in the report', async () => {
    const mock = await startMockServer({ kind: 'generic', basePath: '/v1', conversations: [{ id: 'con_known1' }] });
    try {
      const contacts = await ws.file('c.csv', csv(['conversation_id', 'name'], [['con_known1', 'Ana'], ['', 'Ben']]));
      const spec = await ws.file('g.campaign.json', {
        provider: { kind: 'generic', baseUrl: mock.url },
        recipient: { conversationId: '{{conversation_id}}' },
        message: { sender_id: 'usr_1', sender_type: 'agent', text: 'Hello {{name}}' },
      });
      const r = await ws.run(['send', contacts, '--spec', spec, '--report', `${ws.dir}/r.csv`], key);
      expect(r.code).toBe(0);
      const bodies = mock.requests.map((q) => q.body as Record<string, unknown>);
      expect(bodies.find((b) => b.text === 'Hello Ana')?.conversation_id).toBe('con_known1');
      expect('conversation_id' in (bodies.find((b) => b.text === 'Hello Ben') ?? {})).toBe(false);
      const { rows: out } = await readReport(`${ws.dir}/r.csv`);
      expect(out[0]?.recipient).toBe('con_known1');
      expect(out[1]?.recipient).toMatch(/^con_/);
      expect(out[1]?.recipient).not.toBe('con_known1');
    } finally {
      await mock.close();
    }
  });
});

describe('campaign input errors (exit 2, no stack trace)', () => {
  it('names an unknown column with a suggestion', async () => {
    const contacts = await ws.file('c.csv', csv(['conversation_id', 'first_name'], [['c1', 'Ana']]));
    const spec = await ws.file('s.campaign.json', {
      provider: { kind: 'sandbox' },
      recipient: { conversationId: '{{conversation_id}}' },
      message: { type: 'text', text: { body: 'Hi {{firstname}}' } },
    });
    const r = await ws.run(['validate', contacts, '--spec', spec]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/message\.text\.body.*firstname.*first_name/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('names a malformed campaign file and a missing CSV', async () => {
    const spec = await ws.file('bad.campaign.json', '{"provider": {"kind": "sandbox"}, "message": ');
    const contacts = await ws.file('c.csv', 'a\n1\n');
    const r1 = await ws.run(['validate', contacts, '--spec', spec]);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toContain('not valid JSON');
    const good = await ws.file('good.campaign.json', { provider: { kind: 'sandbox' }, recipient: { conversationId: '{{a}}' }, message: { type: 'text', text: { body: 'x' } } });
    const r2 = await ws.run(['validate', `${ws.dir}/missing.csv`, '--spec', good]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('missing.csv');
  });

  it('names a broken CSV by line', async () => {
    const spec = await ws.file('s.campaign.json', { provider: { kind: 'sandbox' }, recipient: { conversationId: '{{id}}' }, message: { type: 'text', text: { body: 'x' } } });
    const contacts = await ws.file('c.csv', 'id,name\n1,"Ana\n2,Ben\n');
    const r = await ws.run(['send', contacts, '--spec', spec]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/line 2/);
  });

  it('rejects unknown options and commands with usage errors', async () => {
    expect((await ws.run(['send', 'x.csv', '--spec', 'y', '--bogus'])).code).toBe(2);
    expect((await ws.run(['launch', 'x.csv'])).code).toBe(2);
    expect((await ws.run(['preview', 'x.csv', '--spec', 'y', '--row', '0'])).stderr).toContain('--row');
  });
});

describe('the campaign bin', () => {
  it('runs the README sample campaign in the sandbox with no account', async () => {
    const report = join(ws.dir, 'report.csv');
    const { stderr } = await run(
      process.execPath,
      [join(root, 'bin/campaign.js'), 'send', join(root, 'resources/sample-contacts.csv'), '--spec', join(root, 'resources/sample-sandbox.campaign.json'), '--report', report, '--state', ws.stateDir],
      { cwd: ws.dir, env: { ...process.env, CAMPAIGN_API_KEY: '' }, timeout: 60_000 },
    );
    expect(stderr).toContain('Done: sent 20');
    const { rows } = await readReport(report);
    expect(rows).toHaveLength(20);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
  }, 60_000);

  it('exits 2 with a readable message from the real process', async () => {
    const err = await run(process.execPath, [join(root, 'bin/campaign.js'), 'validate', 'nope.csv', '--spec', 'nope.json'], { cwd: ws.dir }).catch((e: { code: number; stderr: string }) => e);
    expect('code' in err && err.code).toBe(2);
    expect('stderr' in err && err.stderr).toContain('nope.json');
  }, 30_000);
});
