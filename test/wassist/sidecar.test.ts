import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SIDECAR_FILE, WassistSidecar } from '../../electron/core/wassist/sidecar';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wassist-sidecar-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('WassistSidecar', () => {
  it('refuses a damaged file with a message that says what to do', async () => {
    await writeFile(join(dir, SIDECAR_FILE), '{"version":2}');
    await expect(WassistSidecar.load(dir)).rejects.toThrow(/damaged.*delete it/);
  });

  it('writes nothing but row numbers, variants and statuses', async () => {
    const s = await WassistSidecar.load(dir);
    s.variants.set(3, 'fallback');
    s.delivery.set(1, { messageId: 'm1', status: 'read', at: '2024-01-01T00:00:00.000Z' });
    await s.save();
    expect(JSON.parse(await readFile(join(dir, SIDECAR_FILE), 'utf8'))).toEqual({
      version: 1,
      variants: { 3: 'fallback' },
      delivery: { 1: { messageId: 'm1', status: 'read', at: '2024-01-01T00:00:00.000Z' } },
    });
  });
});
