import { MAX_ROW } from '../state/row-store';

/**
 * RowSet is a set of row numbers kept as a bitmap: the rows of a million-row campaign in 125 KB,
 * where a Set<number> of them held ~21 MB (the rows an earlier run settled, which a resume's lookup
 * skips, are most of a campaign's rows). It reads as any ReadonlySet<number>, rows in ascending order.
 */
export class RowSet implements ReadonlySet<number> {
  #bits = new Uint8Array(64);
  #size = 0;
  #highest = -1;

  /** of is the set of `rows`. */
  static of(rows: Iterable<number>): RowSet {
    const set = new RowSet();
    for (const row of rows) set.add(row);
    return set;
  }

  /** add puts `row` in the set (a RangeError for what is not a row number). */
  add(row: number): this {
    if (!Number.isInteger(row) || row < 0 || row > MAX_ROW) throw new RangeError(`${row} is not a row number`);
    const at = row >>> 3;
    if (at >= this.#bits.length) {
      const grown = new Uint8Array(Math.max(at + 1, this.#bits.length * 2));
      grown.set(this.#bits);
      this.#bits = grown;
    }
    const mask = 1 << (row & 7);
    const byte = this.#bits[at] as number;
    if ((byte & mask) === 0) {
      this.#bits[at] = byte | mask;
      this.#size++;
      if (row > this.#highest) this.#highest = row;
    }
    return this;
  }

  has(row: number): boolean {
    if (!Number.isInteger(row) || row < 0 || row > this.#highest) return false;
    return ((this.#bits[row >>> 3] as number) & (1 << (row & 7))) !== 0;
  }

  get size(): number {
    return this.#size;
  }

  /**
   * bitmap is the set's canonical form: one bit a row (row r is bit r % 8 of byte r / 8), up to the
   * byte of the highest row; empty for an empty set. Two sets of the same rows have the same bitmap.
   */
  bitmap(): Uint8Array {
    return this.#bits.subarray(0, this.#highest < 0 ? 0 : (this.#highest >>> 3) + 1);
  }

  forEach(callback: (value: number, key: number, set: ReadonlySet<number>) => void, thisArg?: unknown): void {
    for (const row of this) callback.call(thisArg, row, row, this);
  }

  *[Symbol.iterator](): SetIterator<number> {
    const bits = this.#bits;
    const end = this.#highest < 0 ? 0 : (this.#highest >>> 3) + 1;
    for (let at = 0; at < end; at++) {
      const byte = bits[at] as number;
      if (byte === 0) continue;
      for (let b = 0; b < 8; b++) if ((byte & (1 << b)) !== 0) yield at * 8 + b;
    }
  }

  keys(): SetIterator<number> {
    return this[Symbol.iterator]();
  }

  values(): SetIterator<number> {
    return this[Symbol.iterator]();
  }

  *entries(): SetIterator<[number, number]> {
    for (const row of this) yield [row, row];
  }
}
