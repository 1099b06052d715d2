/**
 * StringColumn keeps one short string per row (a conversation id, a message id, an error) as UTF-8
 * bytes in pages of a byte arena, with one 32-bit position per row: about the string's length plus
 * five bytes a row, where a million JavaScript strings would cost some 50 bytes each more and be
 * walked by every garbage collection. Values are never changed in place: setting a row to another
 * value appends it, so a row may share its bytes with another (see `share`).
 *
 * A position packs the page (high bits) and the offset in it (low bits); 0 means no value, so
 * offset 0 of page 0 is never used. Each value is a varint length followed by its bytes. A value
 * too long for a page (none of ours is) is kept as a plain string instead.
 */

const PAGE_BITS = 22;
/** PAGE_BYTES is the size of one page (4 MB): growing the arena never copies what is already stored. */
export const PAGE_BYTES = 1 << PAGE_BITS;
const OFFSET_MASK = PAGE_BYTES - 1;
const MAX_PAGES = 1 << (32 - PAGE_BITS);
/** A value longer than this is kept as a plain string. */
const LONG = PAGE_BYTES >> 4;

export class StringColumn {
  /** Position of each row's value (see the file comment); grows with the rows. */
  at: Uint32Array;
  /** The pages; every page but the last is full up to `used` of its own. */
  readonly pages: Buffer[] = [];
  /** Bytes used in each page. */
  readonly used: number[] = [];
  /** Values too long for a page, by row. */
  readonly long = new Map<number, string>();
  /** How many recent values are remembered, so rows with the same value share its bytes (0: no sharing). */
  readonly shares: number;
  #recent = new Map<string, number>();

  constructor(capacity: number, share = 0) {
    this.at = new Uint32Array(capacity);
    this.shares = share;
  }

  /**
   * restore rebuilds a column from what a snapshot kept: the positions, the pages (each PAGE_BYTES
   * long, so appending can go on in the last one) with the bytes used in each, and the long values.
   */
  static restore(at: Uint32Array, pages: Buffer[], used: number[], long: Map<number, string>, share = 0): StringColumn {
    const c = new StringColumn(0, share);
    c.at = at;
    for (const [i, page] of pages.entries()) {
      if (page.length !== PAGE_BYTES) throw new RangeError('StringColumn.restore: a page must be PAGE_BYTES long');
      c.pages.push(page);
      c.used.push(used[i] as number);
    }
    for (const [row, v] of long) c.long.set(row, v);
    return c;
  }

  /** usedPages are the pages cut to what they hold, for a snapshot. */
  usedPages(): Buffer[] {
    return this.pages.map((p, i) => p.subarray(0, this.used[i]));
  }

  /** grow makes room for rows up to `capacity - 1`. */
  grow(capacity: number): void {
    if (capacity <= this.at.length) return;
    const at = new Uint32Array(capacity);
    at.set(this.at);
    this.at = at;
  }

  /** get is row `row`'s value, if it has one. */
  get(row: number): string | undefined {
    const pos = this.at[row] ?? 0;
    if (pos === 0) return this.long.get(row);
    const page = this.pages[pos >>> PAGE_BITS] as Buffer;
    let offset = pos & OFFSET_MASK;
    let length = 0;
    let shift = 0;
    for (;;) {
      const b = page[offset++] as number;
      length |= (b & 0x7f) << shift;
      if (b < 0x80) break;
      shift += 7;
    }
    return page.toString('utf8', offset, offset + length);
  }

  /** set gives row `row` the value `value` (undefined: none). Setting the value it has costs no space. */
  set(row: number, value: string | undefined): void {
    if (value === undefined) {
      this.at[row] = 0;
      this.long.delete(row);
      return;
    }
    if (value.length > LONG) {
      this.at[row] = 0;
      this.long.set(row, value);
      return;
    }
    this.long.delete(row);
    const shared = this.shares > 0 ? this.#recent.get(value) : undefined;
    if (shared !== undefined) {
      this.at[row] = shared;
      return;
    }
    const pos = this.#append(value, this.at[row] ?? 0);
    this.at[row] = pos;
    if (this.shares > 0) {
      if (this.#recent.size >= this.shares) this.#recent = new Map();
      this.#recent.set(value, pos);
    }
  }

  /**
   * #append writes `value` at the end of the last page and returns its position; when it equals the
   * value at `current`, nothing is kept and `current` is returned.
   */
  #append(value: string, current: number): number {
    // At most 3 bytes a UTF-16 unit, plus a varint of up to 3 bytes (LONG < 2^21).
    const room = value.length * 3 + 3;
    let index = this.pages.length - 1;
    if (index < 0 || (this.used[index] as number) + room > PAGE_BYTES) {
      if (this.pages.length >= MAX_PAGES) throw new RangeError('StringColumn: more than 4 GB of text');
      this.pages.push(Buffer.allocUnsafe(PAGE_BYTES));
      // Offset 0 of page 0 stands for "no value".
      this.used.push(this.pages.length === 1 ? 1 : 0);
      index++;
    }
    const page = this.pages[index] as Buffer;
    const start = this.used[index] as number;
    const head = value.length < 0x80 / 3 ? 1 : varintSize(value.length * 3);
    const length = page.write(value, start + head, 'utf8');
    let h = varintSize(length);
    if (h !== head) {
      page.copyWithin(start + h, start + head, start + head + length);
    }
    h = writeVarint(page, start, length);
    if (current !== 0 && this.#equals(current, page, start + h, length)) return current;
    this.used[index] = start + h + length;
    return (index << PAGE_BITS) | start;
  }

  #equals(pos: number, bytes: Buffer, from: number, length: number): boolean {
    const page = this.pages[pos >>> PAGE_BITS] as Buffer;
    let offset = pos & OFFSET_MASK;
    let stored = 0;
    let shift = 0;
    for (;;) {
      const b = page[offset++] as number;
      stored |= (b & 0x7f) << shift;
      if (b < 0x80) break;
      shift += 7;
    }
    return stored === length && page.compare(bytes, from, from + length, offset, offset + length) === 0;
  }
}

function varintSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : 3;
}

function writeVarint(page: Buffer, at: number, n: number): number {
  let i = at;
  while (n >= 0x80) {
    page[i++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  page[i++] = n;
  return i - at;
}
