import { KeyFilter } from './key-filter';
import { bucketOf, bucketOfHash, BUCKETS, fingerprint, KeyPrints } from './key-prints';
import type { WorkspaceDb } from './workspace-db';

/**
 * The opt-out list's index: the key filter (key-filter.ts: its blocks and gate) in one row of the workspace database,
 * and the fingerprints (key-prints.ts) in a row per bucket, changed inside the list's own
 * transactions so the index and the entries never disagree, whatever moment a crash picks.
 */

/** KeyIndex is what a matcher checks keys against: the filter rules most out, the fingerprints answer exactly. */
export interface KeyIndex {
  filter: KeyFilter;
  prints: PrintBuckets;
}

/** IndexRow is the filter as stored. */
export interface IndexRow {
  /** Entries the filter was sized for. */
  capacity: number;
  hashes: number;
  /** Entries removed since the filter was built (their bits are still set). */
  stale: number;
  bits: Uint8Array;
  gate: Uint8Array;
}

const NO_PRINTS = new Uint8Array(0);

/**
 * PrintBuckets are the fingerprints as a check needs them: a bucket is read the first time a key of
 * it is asked about (a key the filter could not rule out), then kept: a small campaign reads a few,
 * a large one all 256.
 */
export class PrintBuckets {
  readonly #load: (bucket: number) => Uint8Array | undefined;
  readonly #sets: (KeyPrints | undefined)[] = new Array<KeyPrints | undefined>(BUCKETS).fill(undefined);

  constructor(load: (bucket: number) => Uint8Array | undefined) {
    this.#load = load;
  }

  /** has tells whether the key whose fullHash is `h1` and hashKey2 `h2` is on the list. */
  has(h1: number, h2: number): boolean {
    const bucket = bucketOfHash(h1);
    let set = this.#sets[bucket];
    if (set === undefined) {
      set = new KeyPrints(this.#load(bucket) ?? NO_PRINTS);
      this.#sets[bucket] = set;
    }
    return set.has(h1, h2);
  }
}

/** readIndexRow reads the stored filter (undefined while the list was never written). */
export function readIndexRow(ws: WorkspaceDb): IndexRow | undefined {
  return ws.db.prepare('SELECT capacity, hashes, stale, bits, gate FROM opt_out_filter WHERE id = 1').get() as IndexRow | undefined;
}

/**
 * readIndex is the index as committed: the filter now, the buckets as they are asked for (a bucket
 * read later may hold a change made since, which only makes its answer newer). Undefined while the
 * list is empty and was never written. A list with entries but no index (a workspace the previous
 * schema wrote: its migration drops the old index) has its index built first.
 */
export function readIndex(ws: WorkspaceDb): KeyIndex | undefined {
  let f = readIndexRow(ws);
  if (f === undefined ? hasEntries(ws) : f.gate.length === 0) {
    ws.transaction(() => {
      const again = readIndexRow(ws);
      if (again === undefined || again.gate.length === 0) rebuildIndex(ws);
    });
    f = readIndexRow(ws);
  }
  if (f === undefined) return undefined;
  const bucket = ws.db.prepare('SELECT prints FROM opt_out_prints WHERE bucket = ?').pluck();
  return { filter: new KeyFilter(f.bits, f.gate, f.hashes), prints: new PrintBuckets((b) => bucket.get(b) as Uint8Array | undefined) };
}

function hasEntries(ws: WorkspaceDb): boolean {
  return ws.db.prepare('SELECT EXISTS (SELECT 1 FROM opt_outs) AS e').pluck().get() === 1;
}

function count(ws: WorkspaceDb): number {
  return (ws.db.prepare('SELECT COUNT(*) AS n FROM opt_outs').get() as { n: number }).n;
}

/** byBucket groups keys' fingerprints by bucket. */
function byBucket(keys: Iterable<string>): Map<number, bigint[]> {
  const groups = new Map<number, bigint[]>();
  for (const k of keys) {
    const p = fingerprint(k);
    const b = bucketOf(p);
    const group = groups.get(b);
    if (group === undefined) groups.set(b, [p]);
    else group.push(p);
  }
  return groups;
}

/** changeBuckets rewrites the buckets in `groups` with `change` (an emptied bucket's row goes). */
function changeBuckets(ws: WorkspaceDb, groups: Map<number, bigint[]>, change: (set: KeyPrints, prints: bigint[]) => KeyPrints): void {
  const read = ws.db.prepare('SELECT prints FROM opt_out_prints WHERE bucket = ?').pluck();
  const put = ws.db.prepare('INSERT OR REPLACE INTO opt_out_prints (bucket, prints) VALUES (?, ?)');
  const drop = ws.db.prepare('DELETE FROM opt_out_prints WHERE bucket = ?');
  for (const [b, prints] of groups) {
    const next = change(new KeyPrints((read.get(b) as Uint8Array | undefined) ?? NO_PRINTS), prints);
    if (next.prints.length === 0) drop.run(b);
    else put.run(b, next.bytes);
  }
}

/** growIndex adds new keys to the index, or rebuilds it bigger when the list outgrew it (inside the caller's transaction). */
export function growIndex(ws: WorkspaceDb, keys: () => Iterable<string>): void {
  const f = readIndexRow(ws);
  if (f === undefined || f.gate.length === 0 || count(ws) > f.capacity) {
    rebuildIndex(ws);
    return;
  }
  const filter = new KeyFilter(f.bits, f.gate, f.hashes);
  const added: string[] = [];
  for (const k of keys()) {
    filter.add(k);
    added.push(k);
  }
  ws.db.prepare('UPDATE opt_out_filter SET bits = ?, gate = ? WHERE id = 1').run(filter.bits, filter.gate);
  changeBuckets(ws, byBucket(added), (set, prints) => set.with(prints));
}

/**
 * shrinkIndex takes removed keys out of the fingerprints (inside the caller's transaction); the
 * filter keeps their bits (a harmless maybe) until a rebuild, which comes when a quarter of its
 * capacity is stale.
 */
export function shrinkIndex(ws: WorkspaceDb, keys: readonly string[], removed: number): void {
  const f = readIndexRow(ws);
  if (f === undefined) return;
  const stale = f.stale + removed;
  if (stale > f.capacity / 4) {
    rebuildIndex(ws);
    return;
  }
  ws.db.prepare('UPDATE opt_out_filter SET stale = ? WHERE id = 1').run(stale);
  changeBuckets(ws, byBucket(keys), (set, prints) => set.without(prints));
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
  ws.db.prepare('INSERT OR REPLACE INTO opt_out_filter (id, capacity, hashes, stale, bits, gate) VALUES (1, ?, ?, 0, ?, ?)').run(capacity, filter.hashes, filter.bits, filter.gate);
  ws.db.prepare('DELETE FROM opt_out_prints').run();
  const put = ws.db.prepare('INSERT INTO opt_out_prints (bucket, prints) VALUES (?, ?)');
  for (const [b, set] of KeyPrints.of(keys).buckets()) put.run(b, set.bytes);
}
