import { describe, expect, it } from 'vitest';
import { KeyFilter } from './key-filter';
import { hashKey } from './key-prints';

describe('KeyFilter', () => {
  const added = Array.from({ length: 20_000 }, (_, i) => `c:conv-${i}`);
  const absent = Array.from({ length: 20_000 }, (_, i) => `c:other-${i}`);
  const filter = KeyFilter.sized(added.length);
  for (const k of added) filter.add(k);

  it('never says "certainly not" of a key it was given, and rules out nearly every other key', () => {
    expect(added.every((k) => filter.mightHave(k))).toBe(true);
    const maybes = absent.filter((k) => filter.mightHave(k)).length;
    expect(maybes / absent.length).toBeLessThan(0.01);
  });

  it('answers a run of hashes at once exactly as key by key, and its bits survive storing', () => {
    // As read back from the database: its own bytes, once aligned and once not (then copied).
    const unaligned = (bytes: Uint8Array) => {
      const out = new Uint8Array(bytes.length + 1).subarray(1);
      out.set(bytes);
      return out;
    };
    const copies = [new KeyFilter(Buffer.from(filter.bits), Buffer.from(filter.gate), filter.hashes), new KeyFilter(unaligned(filter.bits), unaligned(filter.gate), filter.hashes)];
    for (const stored of copies) {
      const keys = [...added.slice(0, 300), ...absent.slice(0, 300)];
      const hashes = new Uint32Array(keys.map((k) => hashKey(k.slice(0, 2), k.slice(2))));
      const out = new Uint8Array(keys.length);
      stored.mightHaveEach(hashes, keys.length, out);
      expect([...out]).toEqual(keys.map((k) => (filter.mightHave(k) ? 1 : 0)));
      expect(out.slice(0, 300).every((b) => b === 1)).toBe(true);
    }
  });
});
