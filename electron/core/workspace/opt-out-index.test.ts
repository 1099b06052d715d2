import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { conversationKey } from '../../../shared/campaign/recipient-keys';
import { Workspace } from './workspace';
import { DB_FILE } from './workspace-db';

let dir: string;
const clock = () => Date.UTC(2026, 2, 14, 9, 0);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'opt-out-index-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const entries = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => ({ key: conversationKey(`conv-${from + i}`), kind: 'conversation' as const, value: `conv-${from + i}` }));

describe("the opt-out list's index", () => {
  it('answers exactly after a few removals (the filter kept, the fingerprints changed) and after more entries', () => {
    const ws = Workspace.open(dir, clock);
    try {
      ws.optOuts.add(entries(0, 3_000), { source: 'imported' });
      ws.optOuts.remove(entries(0, 100).map((e) => e.key)); // under a quarter: no rebuild
      ws.optOuts.add(entries(5_000, 5_500), { source: 'manual' });
      const m = ws.optOuts.matcher();
      const asked = entries(0, 6_000).map((e) => e.value);
      const onList = m.screen('c:', asked.slice(0, 200));
      expect([...onList]).toEqual(asked.slice(0, 200).map((_, i) => (i >= 100 ? 1 : 0)));
      for (const [i, v] of asked.entries()) expect(m.has('c:', v)).toBe((i >= 100 && i < 3_000) || (i >= 5_000 && i < 5_500));
    } finally {
      ws.close();
    }
  });

  it('a workspace the previous version wrote (its index one blob) still skips its entries: the index is built again on first use', () => {
    const ws = Workspace.open(dir, clock);
    ws.optOuts.add(entries(0, 2_000), { source: 'imported' });
    ws.close();
    // As the previous schema left it: the fingerprints one blob in the filter's row, no gate, no bucket table.
    const old = new Database(join(dir, DB_FILE));
    old.exec("DROP TABLE opt_out_prints; ALTER TABLE opt_out_filter DROP COLUMN gate; ALTER TABLE opt_out_filter ADD COLUMN prints BLOB NOT NULL DEFAULT x'00'");
    old.pragma('user_version = 1');
    old.close();

    const reopened = Workspace.open(dir, clock);
    try {
      const m = reopened.optOuts.matcher();
      expect(m.match(conversationKey('conv-1999'))?.source).toBe('imported');
      expect(m.has('c:', 'conv-2000')).toBe(false);
      expect([...m.screen('c:', ['conv-0', 'conv-x', 'conv-7'])]).toEqual([1, 0, 1]);
    } finally {
      reopened.close();
    }
  });
});
