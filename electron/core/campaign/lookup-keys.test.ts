import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCampaign } from '../../../shared/campaign/schema';
import { providers } from '../../../shared/providers/index';
import { systemClock } from '../ports';
import { CampaignStore } from '../state/campaign-store';
import { createConnector } from './connection';
import { settledKey } from './lookup-keys';
import { CampaignService } from './service';

/**
 * A resume looks up only the rows its earlier run did not settle, and the service keeps the lookup
 * by those rows: the same rows must find it again, other rows must not.
 */

describe('settledKey', () => {
  it('is empty for no rows', () => {
    expect(settledKey(new Set())).toBe('');
  });

  it('tells apart sets of the same size', () => {
    expect(settledKey(new Set([1, 2, 3]))).not.toBe(settledKey(new Set([1, 2, 4])));
    // Across a byte of the bitmap, and past the highest row of the other set.
    expect(settledKey(new Set([1, 2, 3, 4, 5, 6, 7, 8]))).not.toBe(settledKey(new Set([1, 2, 3, 4, 5, 6, 7, 9])));
    expect(settledKey(new Set([1, 2]))).not.toBe(settledKey(new Set([1, 2_000_000])));
  });

  it('is the same for the same rows added in another order', () => {
    const rows = Array.from({ length: 5_000 }, (_, i) => 1 + i * 3);
    expect(settledKey(new Set([...rows].reverse()))).toBe(settledKey(new Set(rows)));
  });

  it('is equal exactly when the sets are equal', () => {
    const rows = fc.uniqueArray(fc.integer({ min: 1, max: 300 }), { maxLength: 40 });
    fc.assert(
      fc.property(rows, rows, fc.integer(), (a, b, seed) => {
        const shuffled = [...a].sort((x, y) => ((x * 31 + seed) % 97) - ((y * 31 + seed) % 97));
        expect(settledKey(new Set(shuffled))).toBe(settledKey(new Set(a)));
        const same = a.length === b.length && a.every((r) => b.includes(r));
        expect(settledKey(new Set(a)) === settledKey(new Set(b))).toBe(same);
      }),
    );
  });

  it('refuses what is not a row number', () => {
    expect(() => settledKey(new Set([1, 2.5]))).toThrow(RangeError);
    expect(() => settledKey(new Set([-1]))).toThrow(RangeError);
  });
});

describe('a lookup kept by the rows an earlier run settled', () => {
  let dir: string;
  let service: CampaignService;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lookup-keys-'));
    await writeFile(join(dir, 'contacts.csv'), 'conversation_id,name\r\nc-1,Ana\r\nc-2,Bo\r\nc-3,Cy\r\n');
    service = new CampaignService({ store: new CampaignStore({ dataDir: join(dir, 'data') }), connect: createConnector(systemClock), clock: systemClock });
  });
  afterEach(async () => {
    await service.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('is found again for the same rows in another order, and read again for other rows as many', async () => {
    // A free-form Wassist message: its conversations are checked before sending.
    const spec = parseCampaign(
      { provider: { kind: 'sandbox', simulate: 'wassist', latencyMs: 0, seed: 7 }, recipient: { conversationId: '{{conversation_id}}' }, message: { type: 'text', text: { body: 'Hi {{name}}' } } },
      providers,
    );
    const campaign = await service.open({ path: join(dir, 'contacts.csv') }, { spec, apiKey: '' });
    try {
      const first = await campaign.lookUp({ settled: new Set([1, 2]) });
      expect([...(first?.resolution.byId?.keys() ?? [])]).toEqual(['c-3']);
      expect(await campaign.lookUp({ settled: new Set([2, 1]) })).toBe(first);
      const other = await campaign.lookUp({ settled: new Set([1, 3]) });
      expect(other).not.toBe(first);
      expect([...(other?.resolution.byId?.keys() ?? [])]).toEqual(['c-2']);
    } finally {
      await campaign.close();
    }
  });
});
