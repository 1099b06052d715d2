/**
 * Key hashes, and KeyPrints: sorted 64-bit fingerprints of the keys on the opt-out list. The
 * key filter rules most rows out; for the few it cannot (the recipients on the list, and a few in a
 * thousand by chance), a binary search in the key's bucket of fingerprints (read from the database
 * once, the first time a key of that bucket is asked about) says exactly whether the key is on the
 * list. Two keys of a list of a million share a fingerprint with a chance near one in 10^7, and
 * even then the entry's details come from the database, so a row is never skipped for another's
 * entry: the database is asked for the entry of every key it answers yes for. The fingerprints live
 * in the database with the filter and change in the same transactions.
 */

/**
 * hashKey is the key filter's hash of `prefix + value` (FNV-1a, 32 bits), without building the
 * string: of its length and its last 16 characters only, which is where ids differ (a UUID's last
 * block, a number's digits) and halves the work for a UUID. Keys that share them are only a
 * "maybe" for the filter; the fingerprints, of every character, tell them apart.
 */
export function hashKey(prefix: string, value: string): number {
  const n = value.length;
  let h = Math.imul(0x811c9dc5 ^ (prefix.length + n), 0x01000193);
  for (let i = 0; i < prefix.length; i++) h = Math.imul(h ^ prefix.charCodeAt(i), 0x01000193);
  for (let i = n > 16 ? n - 16 : 0; i < n; i++) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** fullHash is FNV-1a (32 bits) of every character of `prefix + value`. */
export function fullHash(prefix: string, value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < prefix.length; i++) h = Math.imul(h ^ prefix.charCodeAt(i), 0x01000193);
  for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** hashKey2 is a second, independent 32-bit hash of every character of `prefix + value` (other seed and multiplier). */
export function hashKey2(prefix: string, value: string): number {
  let h = 0x050c5d1f;
  for (let i = 0; i < prefix.length; i++) h = Math.imul(h ^ prefix.charCodeAt(i), 0x5bd1e995);
  for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 0x5bd1e995);
  return h >>> 0;
}

/** fingerprint is a key's 64-bit fingerprint: two independent hashes of every character. */
export function fingerprint(key: string): bigint {
  return (BigInt(fullHash('', key)) << 32n) | BigInt(hashKey2('', key));
}

/**
 * The fingerprints are kept in buckets by their top 8 bits (256 buckets: about 31 KB each for a
 * million entries), each a row of its own. A change rewrites only the buckets of the keys it adds or
 * removes (a recipient who opts out by reply rewrote all 8 MB of a million fingerprints), and a check
 * reads the buckets its maybes fall in, one after another: each one's memory is SQLite's and then
 * ours for a moment, where one 8 MB value was three new copies at once, and new memory is what
 * reading it cost (a third of the time the check of a million rows added to validation).
 */
export const BUCKETS = 256;

/** bucketOfHash is the bucket of a key whose fullHash is `h1` (the fingerprint's top 32 bits). */
export function bucketOfHash(h1: number): number {
  return h1 >>> 24;
}

/** bucketOf is a fingerprint's bucket. */
export function bucketOf(print: bigint): number {
  return Number(print >> 56n);
}

/** HI and LO are where a fingerprint's top and bottom 32 bits lie in the 32-bit view of its 64 (the processor's byte order). */
const HI = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

/** KeyPrints is a sorted set of fingerprints (a bucket's, or every one while the index is built). */
export class KeyPrints {
  readonly prints: BigUint64Array;
  /** The same fingerprints as 32-bit halves: a check compares numbers, not BigInts (which it would have to make). */
  readonly #halves: Uint32Array;

  /** `bytes` as stored, taken over: read in place, copied only when not aligned for 64-bit access. */
  constructor(bytes: Uint8Array) {
    const own = bytes.byteOffset % 8 === 0 ? bytes : new Uint8Array(bytes);
    this.prints = new BigUint64Array(own.buffer, own.byteOffset, own.length / 8);
    this.#halves = new Uint32Array(own.buffer, own.byteOffset, own.length / 4);
  }

  /** of makes the set of `keys`' fingerprints. */
  static of(keys: Iterable<string>): KeyPrints {
    const list: bigint[] = [];
    for (const k of keys) list.push(fingerprint(k));
    return KeyPrints.#from(BigUint64Array.from(list));
  }

  /** bytes is the set as stored. */
  get bytes(): Uint8Array {
    return new Uint8Array(this.prints.buffer, this.prints.byteOffset, this.prints.byteLength);
  }

  /** with is this set plus `prints`. */
  with(prints: readonly bigint[]): KeyPrints {
    const all = new BigUint64Array(this.prints.length + prints.length);
    all.set(this.prints);
    all.set(prints, this.prints.length);
    return KeyPrints.#from(all);
  }

  /** without is this set less `prints`. */
  without(prints: readonly bigint[]): KeyPrints {
    const gone = new Set(prints);
    return KeyPrints.#from(this.prints.filter((p) => !gone.has(p)));
  }

  /** has tells whether a key with hashes (h1, h2) is in the set. */
  has(h1: number, h2: number): boolean {
    const w = this.#halves;
    let lo = 0;
    let hi = (w.length >>> 1) - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const top = w[2 * mid + HI] as number;
      const bottom = w[2 * mid + LO] as number;
      if (top === h1 && bottom === h2) return true;
      if (top < h1 || (top === h1 && bottom < h2)) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  /** buckets are the set's fingerprints bucket by bucket (each bucket's a run of the sorted set), the empty ones left out. */
  *buckets(): Generator<[number, KeyPrints]> {
    const p = this.prints;
    let start = 0;
    while (start < p.length) {
      const bucket = bucketOf(p[start] as bigint);
      let end = start + 1;
      while (end < p.length && bucketOf(p[end] as bigint) === bucket) end++;
      yield [bucket, new KeyPrints(new Uint8Array(p.slice(start, end).buffer))];
      start = end;
    }
  }

  /** from sorts and drops repeats. */
  static #from(all: BigUint64Array): KeyPrints {
    all.sort();
    let n = 0;
    for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[n - 1]) all[n++] = all[i] as bigint;
    const kept = all.slice(0, n);
    return new KeyPrints(new Uint8Array(kept.buffer));
  }
}
