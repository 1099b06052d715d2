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
   * restore rebuilds a column from what a snapshot kept: the positions, the pages (each at least as
   * long as the bytes used in it) with the bytes used in each, and the long values.
   */
  static restore(at: Uint32Array, pages: Buffer[], used: number[], long: Map<number, string>, share = 0): StringColumn {
    const c = new StringColumn(0, share);
    c.at = at;
    for (const [i, page] of pages.entries()) {
      if (page.length < (used[i] as number) || page.length > PAGE_BYTES) throw new RangeError('StringColumn.restore: a page does not fit');
      c.pages.push(page);
      c.used.push(used[i] as number);
    }
    for (const [row, v] of long) c.long.set(row, v);
    return c;
  }

  /** byteSize is the memory the column holds: its positions and pages (long values left out). */
  byteSize(): number {
    return this.at.byteLength + this.pages.reduce((n, p) => n + p.length, 0);
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
   * setBytes gives row `row` the value whose UTF-8 bytes are `src[from, to)` (a journal line read
   * without making a string of it): the same as set(row, src.toString('utf8', from, to)).
   */
  setBytes(row: number, src: Buffer, from: number, to: number): void {
    if (this.shares > 0 || to - from > LONG) {
      this.set(row, src.toString('utf8', from, to));
      return;
    }
    this.long.delete(row);
    const length = to - from;
    const [page, start] = this.#room(length);
    const h = writeVarint(page, start, length);
    // Byte by byte: for the few dozen bytes of an id, a native copy costs more than the loop.
    if (length <= 64) for (let i = 0; i < length; i++) page[start + h + i] = src[from + i] as number;
    else src.copy(page, start + h, from, to);
    this.at[row] = this.#commit(page, start, h, length, this.at[row] ?? 0);
  }

  /**
   * #append writes `value` at the end of the last page and returns its position; when it equals the
   * value at `current`, nothing is kept and `current` is returned.
   */
  #append(value: string, current: number): number {
    // At most 3 bytes a UTF-16 unit.
    const [page, start] = this.#room(value.length * 3);
    const head = value.length < 0x80 / 3 ? 1 : varintSize(value.length * 3);
    const length = page.write(value, start + head, 'utf8');
    const h = varintSize(length);
    if (h !== head) page.copyWithin(start + h, start + head, start + head + length);
    writeVarint(page, start, length);
    return this.#commit(page, start, h, length, current);
  }

  /**
   * #room is the last page and where its free space starts, with room for `bytes` and their length.
   * The first page starts small and doubles (a copy; positions stay valid) up to PAGE_BYTES, so a
   * store of a few rows costs kilobytes; later pages are PAGE_BYTES from the start.
   */
  #room(bytes: number): [Buffer, number] {
    const need = bytes + 3;
    const index = this.pages.length - 1;
    if (index >= 0) {
      const page = this.pages[index] as Buffer;
      const used = this.used[index] as number;
      if (used + need <= page.length) return [page, used];
      if (page.length < PAGE_BYTES && used + need <= PAGE_BYTES) {
        const bigger = Buffer.allocUnsafe(Math.min(PAGE_BYTES, Math.max(page.length * 2, used + need)));
        page.copy(bigger, 0, 0, used);
        this.pages[index] = bigger;
        return [bigger, used];
      }
    }
    if (this.pages.length >= MAX_PAGES) throw new RangeError('StringColumn: more than 4 GB of text');
    this.pages.push(Buffer.allocUnsafe(this.pages.length === 0 ? Math.max(4_096, need + 1) : PAGE_BYTES));
    // Offset 0 of page 0 stands for "no value".
    this.used.push(this.pages.length === 1 ? 1 : 0);
    return [this.pages[index + 1] as Buffer, this.used[index + 1] as number];
  }

  /** #commit keeps the value just written at `start` of the last page, unless it equals the one at `current`; returns the row's position. */
  #commit(page: Buffer, start: number, head: number, length: number, current: number): number {
    if (current !== 0 && this.#equals(current, page, start + head, length)) return current;
    const index = this.pages.length - 1;
    this.used[index] = start + head + length;
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
    if (stored !== length) return false;
    if (length > 64) return page.compare(bytes, from, from + length, offset, offset + length) === 0;
    for (let i = 0; i < length; i++) if (page[offset + i] !== bytes[from + i]) return false;
    return true;
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
