import { KeyFilter } from './key-filter';
import { KeyPrints } from './key-prints';
import type { WorkspaceDb } from './workspace-db';

/**
 * The opt-out list's index: the key filter and the fingerprints (key-filter.ts, key-prints.ts), in
 * one row of the workspace database, changed inside the list's own transactions so the index and
 * the entries never disagree, whatever moment a crash picks.
 */

/** KeyIndex is what a matcher checks keys against: the filter rules most out, the fingerprints answer exactly. */
export interface KeyIndex {
  filter: KeyFilter;
  prints: KeyPrints;
}

/** IndexRow is the index as stored. */
export interface IndexRow {
  /** Entries the filter was sized for. */
  capacity: number;
  hashes: number;
  /** Entries removed since the filter was built (their bits are still set). */
  stale: number;
  bits: Uint8Array;
  prints: Uint8Array;
}

/** readIndexRow reads the stored index (undefined while the list was never written). */
export function readIndexRow(ws: WorkspaceDb): IndexRow | undefined {
  return ws.db.prepare('SELECT capacity, hashes, stale, bits, prints FROM opt_out_filter WHERE id = 1').get() as IndexRow | undefined;
}

function count(ws: WorkspaceDb): number {
  return (ws.db.prepare('SELECT COUNT(*) AS n FROM opt_outs').get() as { n: number }).n;
}

/** growIndex adds new keys to the index, or rebuilds it bigger when the list outgrew it (inside the caller's transaction). */
export function growIndex(ws: WorkspaceDb, keys: () => Iterable<string>): void {
  const f = readIndexRow(ws);
  if (f === undefined || count(ws) > f.capacity) {
    rebuildIndex(ws);
    return;
  }
  const filter = new KeyFilter(f.bits, f.hashes);
  const added: string[] = [];
  for (const k of keys()) {
    filter.add(k);
    added.push(k);
  }
  ws.db.prepare('UPDATE opt_out_filter SET bits = ?, prints = ? WHERE id = 1').run(filter.bits, new KeyPrints(f.prints).with(added).bytes);
}

/**
 * rebuildIndex makes a new index from every key, with room for a quarter more (inside the caller's
 * transaction). More room would mean fewer false positives but a filter too large for the cache.
 */
export function rebuildIndex(ws: WorkspaceDb): void {
  const keys = ws.db.prepare('SELECT key FROM opt_outs').pluck().all() as string[];
  const capacity = Math.max(1_024, Math.ceil(keys.length * 1.25));
  const filter = KeyFilter.sized(capacity);
  for (const k of keys) filter.add(k);
  ws.db
    .prepare('INSERT OR REPLACE INTO opt_out_filter (id, capacity, hashes, stale, bits, prints) VALUES (1, ?, ?, 0, ?, ?)')
    .run(capacity, filter.hashes, filter.bits, KeyPrints.of(keys).bytes);
}
