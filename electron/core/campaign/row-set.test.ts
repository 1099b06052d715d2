import { describe, expect, it } from 'vitest';
import { settledKey } from './lookup-keys';
import { RowSet } from './row-set';

describe('RowSet', () => {
  it('answers as a Set of the same rows: membership, size, and every row once in ascending order', () => {
    const rows = [70, 3, 9, 3, 1_000_003, 8, 64, 0, 70];
    const set = RowSet.of(rows);
    const plain = new Set(rows);
    expect(set.size).toBe(plain.size);
    for (let r = -2; r < 1_000_010; r += r < 100 ? 1 : 997) expect(set.has(r)).toBe(plain.has(r));
    expect(set.has(1_000_003)).toBe(true);
    expect(set.has(2.5)).toBe(false);
    expect([...set]).toEqual([...plain].sort((a, b) => a - b));
    expect([...set.entries()].slice(0, 2)).toEqual([
      [0, 0],
      [3, 3],
    ]);
    const seen: number[] = [];
    set.forEach((row, key, owner) => {
      expect(key).toBe(row);
      expect(owner).toBe(set);
      seen.push(row);
    });
    expect(seen).toEqual([...set.keys()]);
  });

  it('refuses what is not a row number', () => {
    expect(() => new RowSet().add(-1)).toThrow(RangeError);
    expect(() => new RowSet().add(1.5)).toThrow(RangeError);
    expect(() => new RowSet().add(2 ** 31)).toThrow(RangeError);
  });

  it('names the same rows with the same lookup key as a Set does, whatever the order they came in', () => {
    const rows = Array.from({ length: 5_000 }, (_, i) => (i * 7919) % 20_011);
    expect(settledKey(RowSet.of(rows))).toBe(settledKey(new Set(rows)));
    expect(settledKey(RowSet.of([...rows].reverse()))).toBe(settledKey(new Set(rows)));
    expect(settledKey(RowSet.of([1, 2, 3]))).not.toBe(settledKey(RowSet.of([1, 2, 4])));
    expect(settledKey(new RowSet())).toBe('');
    // The bitmap ends at the highest row's byte, however far the set grew before.
    const grown = RowSet.of([5, 900_000]);
    expect(settledKey(grown)).toBe(settledKey(new Set([5, 900_000])));
  });
});
