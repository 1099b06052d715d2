import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMockServer } from '../mock-server/mock-server';
import type { Workspace } from './cli-harness';
import { csv, readReport, workspace } from './cli-harness';

/**
 * `campaign status` prints the engagement funnel the desktop draws, for the sandbox sample (its
 * world kept in the workspace, so `status` in a later process finds what `send` sent and the
 * simulated recipients go on acting), and says plainly when a provider publishes none of it.
 */

const resources = fileURLToPath(new URL('../../resources', import.meta.url));
const sample = [join(resources, 'sample-contacts.csv'), '--spec', join(resources, 'sample-sandbox.campaign.json')];
const CONTRACT = ['row', 'recipient', 'status', 'message_id', 'attempts', 'http_status', 'error', 'sent_at'];
const INPUT = ['conversation_id', 'first_name', 'last_name', 'phone', 'email', 'city', 'order_id', 'promo_url'];
const ENGAGEMENT = ['delivery_status', 'delivery_status_at', 'clicks', 'first_click_at', 'replied_at', 'reply_text', 'opted_out_at', 'opt_out_word'];

let ws: Workspace;
beforeEach(async () => {
  ws = await workspace();
});
afterEach(async () => {
  await ws.cleanup();
});

/** stageOf reads one stage's count from the printed funnel. */
function stageOf(stdout: string, label: string): number {
  const m = new RegExp(`^  ${label}\\s+(\\d+)`, 'm').exec(stdout);
  if (m === null) throw new Error(`no ${label} line in:\n${stdout}`);
  return Number(m[1]);
}

describe('campaign status of the sandbox sample', () => {
  it('prints the funnel in a later process, which fills in as the simulated recipients act, and writes the columns after the input ones', { timeout: 90_000 }, async () => {
    const sent = await ws.run(['send', ...sample]);
    expect(sent.stderr).toContain('Done: sent 20');
    const report = join(ws.dir, 'status.csv');
    const first = await ws.run(['status', ...sample, '--report', report]);
    expect(first.code).toBe(0);
    // How it stands first (as for any provider), then the funnel.
    expect(first.stdout).toMatch(/^State: finished: nothing is left to send\.\nEngagement of 20 sent messages, as of /m);
    expect(first.stderr).toMatch(/Read 20 conversations in \d+ requests/);
    const { header, rows } = await readReport(report);
    expect(header).toEqual([...CONTRACT, ...INPUT, 'variant', ...ENGAGEMENT]);
    expect(rows.filter((r) => r.delivery_status !== '')).toHaveLength(20);
    // The recipients act over the next minute or so: a later status sees more, never less.
    let later = first;
    for (let i = 0; i < 12 && stageOf(later.stdout, 'Replied') === 0; i++) {
      await new Promise((r) => setTimeout(r, 5_000));
      later = await ws.run(['status', ...sample]);
    }
    expect(stageOf(later.stdout, 'Replied')).toBeGreaterThan(0);
    expect(stageOf(later.stdout, 'Read')).toBeGreaterThanOrEqual(stageOf(first.stdout, 'Read'));
    expect(stageOf(later.stdout, 'Delivered')).toBeGreaterThanOrEqual(stageOf(later.stdout, 'Read'));
    expect(later.stdout).toMatch(/Reply time: .*\(median /);
    // By its id, with no campaign file: the same funnel, read again.
    const id = (await ws.run(['list'])).stdout.split('\n')[1]?.split(/\s+/)[0] ?? '';
    const byId = await ws.run(['status', '--campaign', id]);
    expect(byId.code).toBe(0);
    expect(byId.stdout).toContain(`Campaign ${id}: `);
    expect(byId.stdout).toMatch(/Engagement of 20 sent messages, as of /);
    expect(stageOf(byId.stdout, 'Replied')).toBeGreaterThanOrEqual(stageOf(later.stdout, 'Replied'));
  });
});

describe('campaign status of an API that publishes no engagement', () => {
  it('says so instead of printing zeros, asks the provider nothing, and exits 0', async () => {
    const mock = await startMockServer({ kind: 'pingback', conversations: [{ id: 'c3d4e5f6-a7b8-9012-cdef-123456789012' }] });
    try {
      const contacts = await ws.file('contacts.csv', csv(['conversation_id', 'name'], [['c3d4e5f6-a7b8-9012-cdef-123456789012', 'Ana']]));
      const spec = await ws.file('p.campaign.json', { provider: { kind: 'pingback', baseUrl: mock.url }, recipient: { conversationId: '{{conversation_id}}' }, message: { content: 'Hi {{name}}' } });
      const env = { CAMPAIGN_API_KEY: 'mock-key-0123456789abcdef' };
      expect((await ws.run(['send', contacts, '--spec', spec], env)).code).toBe(0);
      const before = mock.requests.length;
      const r = await ws.run(['status', contacts, '--spec', spec], env);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('  Sent       1\n  Delivered  –  not published by Pingback\n  Read       –  not published by Pingback\n');
      expect(r.stdout).toContain("Pingback's API publishes no delivery, read, click or reply data, so only what was sent is known.");
      expect(r.stdout).not.toMatch(/\b0\.0%/);
      expect(mock.requests.length).toBe(before);
    } finally {
      await mock.close();
    }
  });
});
