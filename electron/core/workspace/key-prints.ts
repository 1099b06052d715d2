/**
 * Key hashes, and KeyPrints: the sorted 64-bit fingerprints of every key on the opt-out list. The
 * key filter rules most rows out; for the few it cannot (the recipients on the list, and a few in a
 * thousand by chance), a binary search here says exactly whether the key is on the list, without a
 * query. Two keys of a list of a million share a fingerprint with a chance near one in 10^7, and
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

/** KeyPrints is a sorted set of fingerprints. */
export class KeyPrints {
  readonly prints: BigUint64Array;

  /** `bytes` as stored (a copy is made: SQLite's buffer may not be aligned for 64-bit access). */
  constructor(bytes: Uint8Array) {
    const copy = new Uint8Array(bytes);
    this.prints = new BigUint64Array(copy.buffer, 0, copy.length / 8);
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

  /** with is this set plus `keys`. */
  with(keys: Iterable<string>): KeyPrints {
    const added: bigint[] = [];
    for (const k of keys) added.push(fingerprint(k));
    const all = new BigUint64Array(this.prints.length + added.length);
    all.set(this.prints);
    all.set(added, this.prints.length);
    return KeyPrints.#from(all);
  }

  /** without is this set less `keys`. */
  without(keys: Iterable<string>): KeyPrints {
    const gone = new Set<bigint>();
    for (const k of keys) gone.add(fingerprint(k));
    return KeyPrints.#from(this.prints.filter((p) => !gone.has(p)));
  }

  /** has tells whether a key with hashes (h1, h2) is in the set. */
  has(h1: number, h2: number): boolean {
    const want = (BigInt(h1) << 32n) | BigInt(h2);
    const p = this.prints;
    let lo = 0;
    let hi = p.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = p[mid] as bigint;
      if (v === want) return true;
      if (v < want) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
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
