import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CampaignSpec } from '../../../shared/campaign/schema';
import { parseCampaign } from '../../../shared/campaign/schema';
import { providers } from '../../../shared/providers';
import type { RowOutcome } from '../../../shared/engine/events';
import type { CampaignMetaInput } from './campaign-meta';
import { CampaignStore } from './campaign-store';
import { CampaignLockedError } from './lock';

const spec: CampaignSpec = {
  name: 'Spring sale',
  provider: { kind: 'pingback', baseUrl: 'https://api.pingback.live' },
  recipient: { conversationId: '{{conversation_id}}' },
  message: { content: 'Hi {{first_name}}' },
  throttle: { concurrency: 4, perSecond: 20 },
  retry: { attempts: 5, baseDelayMs: 1000, maxDelayMs: 60000, timeoutMs: 30000, pauseAfterFailures: 20 },
};
const input: CampaignMetaInput = { csvFileName: 'contacts.csv', csvHash: 'ab'.repeat(32), providerKind: 'pingback', rowCount: 5, spec };

let dataDir: string;
let clock: number;
let store: CampaignStore;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'campaign-store-'));
  clock = Date.parse('2025-03-01T10:00:00Z');
  store = new CampaignStore({ dataDir, now: () => clock });
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function sent(row: number): RowOutcome {
  return { row, status: 'sent', recipient: `c${row}`, attempts: 1, messageId: `m${row}` };
}

describe('CampaignStore', () => {
  it('creates the campaign folder with meta.json, journal and lock', async () => {
    const c = await store.open('abc123', input);
    expect(c.dir).toBe(join(dataDir, 'campaigns', 'abc123'));
    expect((await readdir(c.dir)).sort()).toEqual(['journal.log', 'lock', 'meta.json']);
    const meta = JSON.parse(await readFile(join(c.dir, 'meta.json'), 'utf8')) as Record<string, unknown>;
    expect(meta).toEqual({
      id: 'abc123',
      name: 'Spring sale',
      createdAt: '2025-03-01T10:00:00.000Z',
      updatedAt: '2025-03-01T10:00:00.000Z',
      csvFileName: 'contacts.csv',
      csvHash: 'ab'.repeat(32),
      providerKind: 'pingback',
      rowCount: 5,
      spec: JSON.parse(JSON.stringify(spec)),
    });
    await c.close();
    expect((await readdir(c.dir)).sort()).toEqual(['journal.log', 'meta.json']);
  });

  it('keeps every campaign-file field, so an action or fallback campaign reopens as the same campaign', async () => {
    const raw = {
      name: 'Credits',
      provider: { kind: 'wassist', baseUrl: 'https://backend.wassist.app' },
      recipient: { conversationId: '{{conversation_id}}' },
      action: 'setCredits',
      message: { credits: '{{credits}}' },
      throttle: { concurrency: 2, perSecond: 5 },
    };
    const parsed = parseCampaign(raw, providers);
    const c = await store.open('credits', { ...input, providerKind: 'wassist', spec: parsed });
    await c.close();
    const meta = JSON.parse(await readFile(join(c.dir, 'meta.json'), 'utf8')) as { spec: unknown };
    expect(parseCampaign(meta.spec, providers)).toEqual(parsed);
  });

  it('keeps the files a campaign attaches and a conversation check turned off, so it reopens as the same campaign', async () => {
    const raws = [
      { ...spec, files: ['brochure.pdf', '{{invoice_file}}'] },
      {
        name: 'No checks',
        provider: { kind: 'wassist', baseUrl: 'https://backend.wassist.app' },
        recipient: { conversationId: '{{conversation_id}}' },
        message: { type: 'text', text: { body: 'Hi {{name}}' } },
        checkConversations: false,
        throttle: { concurrency: 2, perSecond: 5 },
      },
    ];
    for (const [i, raw] of raws.entries()) {
      const parsed = parseCampaign(raw, providers);
      const c = await store.open(`kept${i}`, { ...input, providerKind: parsed.provider.kind, spec: parsed });
      await c.close();
      const meta = JSON.parse(await readFile(join(c.dir, 'meta.json'), 'utf8')) as { spec: unknown };
      expect(parseCampaign(meta.spec, providers)).toEqual(parsed);
    }
  });

  it('never writes anything but the documented fields (no API key riding along)', async () => {
    const leaky = { ...input, apiKey: 'sk-canary-777', spec: { ...spec, apiKey: 'sk-canary-777' } } as CampaignMetaInput;
    const c = await store.open('leaky', leaky);
    await c.journal.record(sent(1));
    await c.close();
    for (const f of await readdir(c.dir)) expect(await readFile(join(c.dir, f), 'utf8')).not.toContain('canary');
  });

  it('resumes a campaign: the journal and createdAt survive closing and reopening', async () => {
    const first = await store.open('abc', input);
    await first.journal.record(sent(1));
    await first.journal.record({ row: 2, status: 'in-flight', recipient: 'c2', attempts: 1 });
    await first.close();
    clock += 60_000;
    const again = await store.open('abc', input);
    expect((await again.journal.load()).map((o) => [o.row, o.status])).toEqual([
      [1, 'sent'],
      [2, 'in-flight'],
    ]);
    expect(again.meta.createdAt).toBe('2025-03-01T10:00:00.000Z');
    expect(again.meta.updatedAt).toBe('2025-03-01T10:01:00.000Z');
    await again.close();
  });

  it('refuses to open a campaign that is open already, and reopens it once closed', async () => {
    const c = await store.open('abc', input);
    await expect(store.open('abc', input)).rejects.toBeInstanceOf(CampaignLockedError);
    await expect(new CampaignStore({ dataDir }).open('abc', input)).rejects.toThrow(/already running/);
    await c.close();
    await (await store.open('abc', input)).close();
  });

  it('releases the lock when the journal cannot be opened', async () => {
    const c = await store.open('abc', input);
    await c.journal.record(sent(1));
    await c.close();
    await writeFile(join(c.dir, 'journal.log'), 'garbage\nmore garbage\n');
    await expect(store.open('abc', input)).rejects.toThrow(/journal.log is damaged at line 1/);
    expect(await readdir(c.dir)).not.toContain('lock');
  });

  it('lists campaigns newest first with their totals', async () => {
    const older = await store.open('older', { ...input, name: 'Older one', rowCount: 3 });
    await older.journal.record(sent(1));
    await older.journal.record({ row: 2, status: 'failed', recipient: 'c2', attempts: 5, httpStatus: 400, error: 'bad' });
    await older.close();
    clock += 1_000;
    const newer = await store.open('newer', input);
    await newer.journal.record(sent(1));
    await newer.journal.record({ row: 2, status: 'in-flight', recipient: 'c2', attempts: 1 });

    const list = await store.list();
    expect(list.map((s) => [s.meta.id, s.meta.name, s.running])).toEqual([
      ['newer', 'Spring sale', true],
      ['older', 'Older one', false],
    ]);
    expect(list[0]?.totals).toEqual({ total: 5, pending: 3, inFlight: 1, sent: 1, failed: 0, skipped: 0, uncertain: 0 });
    expect(list[1]?.totals).toEqual({ total: 3, pending: 1, inFlight: 0, sent: 1, failed: 1, skipped: 0, uncertain: 0 });

    await newer.close();
    const closed = await store.get('newer');
    expect(closed?.running).toBe(false);
    expect(closed?.meta.totals).toEqual(list[0]?.totals);
  });

  it('reads totals from the journal of a campaign that crashed (no totals saved)', async () => {
    const c = await store.open('crashed', input);
    await c.journal.record(sent(1));
    await c.journal.record(sent(2));
    await c.journal.close();
    // The process died without close(): meta.json has no totals, and its lock is gone (stale).
    await rm(join(c.dir, 'lock'));
    const other = new CampaignStore({ dataDir });
    const summary = await other.get('crashed');
    expect(summary?.meta.totals).toBeUndefined();
    expect(summary?.running).toBe(false);
    expect(summary?.totals).toEqual({ total: 5, pending: 3, inFlight: 0, sent: 2, failed: 0, skipped: 0, uncertain: 0 });
    await c.close();
  });

  it('reports a damaged journal in the list instead of failing it', async () => {
    const c = await store.open('damaged', input);
    await c.close();
    // A crash left no totals, and the journal is damaged.
    const meta = JSON.parse(await readFile(join(c.dir, 'meta.json'), 'utf8')) as Record<string, unknown>;
    delete meta.totals;
    await writeFile(join(c.dir, 'meta.json'), JSON.stringify(meta));
    await writeFile(join(c.dir, 'journal.log'), 'x\ny\n');
    const [summary] = await store.list();
    expect(summary?.problem).toMatch(/damaged at line 1/);
    expect(summary?.totals).toEqual({ total: 5, pending: 5, inFlight: 0, sent: 0, failed: 0, skipped: 0, uncertain: 0 });
  });

  it('get returns undefined for unknown or malformed ids, and list skips folders without meta', async () => {
    expect(await store.list()).toEqual([]);
    expect(await store.get('nope')).toBeUndefined();
    expect(await store.get('../../etc')).toBeUndefined();
    await expect(store.open('../escape', input)).rejects.toThrow(/not a campaign id/);
    await (await store.open('real', input)).close();
    await rm(join(dataDir, 'campaigns', 'real', 'meta.json'));
    expect(await store.list()).toEqual([]);
  });

  it('resolveId resumes the latest run and makes a new one when fresh', async () => {
    expect(await store.resolveId('base')).toBe('base');
    await (await store.open('base', input)).close();
    expect(await store.resolveId('base')).toBe('base');
    const fresh = await store.resolveId('base', { fresh: true });
    expect(fresh).toBe('base-2');
    await (await store.open(fresh, input)).close();
    expect(await store.resolveId('base')).toBe('base-2');
  });
});
