import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { z } from 'zod';
import { atomicWriteFile } from './atomic-write';
import type { StoreColumns, TextColumn } from './row-columns';
import { sharesOf, textColumns } from './row-columns';
import { RowStore } from './row-store';
import { PAGE_BYTES, StringColumn } from './string-column';

/**
 * The row snapshot (`journal.snapshot` next to `journal.log`): a RowStore saved as it is in memory,
 * written when the journal is compacted, so that opening a campaign of a million rows reads ~85 MB
 * of arrays instead of parsing a million JSON lines (seconds). The journal stays the write-ahead
 * record and the truth: the snapshot names the journal it was made from (its length and CRC-32), is
 * used only when the journal still begins with exactly those bytes, and records appended after them
 * are read from the journal on top of it. A snapshot that is missing, damaged (its own CRC-32 fails)
 * or out of date is ignored, and the journal is read whole, as it always could be.
 *
 * Layout: `CSNAP01\n`, the header's length (u32 LE), the header (JSON: what follows, in order, and
 * the side tables), the sections (each array's bytes as the machine holds them, little-endian
 * only), then the CRC-32 of everything before it (u32 LE).
 */

const MAGIC = Buffer.from('CSNAP01\n', 'latin1');

/** snapshotPathOf is where the snapshot of the journal at `journalPath` lives. */
export function snapshotPathOf(journalPath: string): string {
  return journalPath.replace(/\.log$/, '') + '.snapshot';
}

/** JournalMark names the journal bytes a snapshot was made from. */
export interface JournalMark {
  bytes: number;
  crc: number;
  /** Records (lines) in those bytes. */
  records: number;
}

const pairs = <T extends z.ZodType>(v: T) => z.array(z.tuple([z.number().int(), v]));
const headerSchema = z.strictObject({
  version: z.literal(1),
  length: z.number().int().min(1),
  journal: z.strictObject({ bytes: z.number().int().min(0), crc: z.number().int().min(0), records: z.number().int().min(0) }),
  sections: z.array(z.strictObject({ name: z.string(), bytes: z.number().int().min(0) })),
  /** Per text column: the bytes used in each of its pages, and its values too long for a page. */
  text: z.record(z.enum(textColumns), z.strictObject({ used: z.array(z.number().int().min(0)), long: pairs(z.string()) })),
  bigAttempts: pairs(z.number()),
  bigHttp: pairs(z.number()),
  /** What the uploads of rows not settled answered (absent in snapshots made before files could be attached). */
  uploads: pairs(z.array(z.record(z.string(), z.json()))).optional(),
});
type Header = z.infer<typeof headerSchema>;

function bytesOf(a: ArrayBufferView): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** writeSnapshot saves `store` atomically as the snapshot of the journal `mark` describes. */
export async function writeSnapshot(path: string, store: RowStore, mark: JournalMark): Promise<void> {
  const c = store.columns();
  const length = store.maxRow + 1;
  const sections: { name: string; data: Buffer }[] = [
    { name: 'status', data: bytesOf(c.status.subarray(0, length)) },
    { name: 'attempts', data: bytesOf(c.attempts.subarray(0, length)) },
    { name: 'http', data: bytesOf(c.http.subarray(0, length)) },
    { name: 'sentAt', data: bytesOf(c.sentAt.subarray(0, length)) },
  ];
  for (const t of textColumns) {
    sections.push({ name: `${t}.at`, data: bytesOf(c.text[t].at.subarray(0, length)) });
    for (const [i, page] of c.text[t].usedPages().entries()) sections.push({ name: `${t}.page${i}`, data: page });
  }
  const header: Header = {
    version: 1,
    length,
    journal: mark,
    sections: sections.map((s) => ({ name: s.name, bytes: s.data.length })),
    text: Object.fromEntries(textColumns.map((t) => [t, { used: [...c.text[t].used], long: [...c.text[t].long] }])) as Header['text'],
    bigAttempts: [...c.bigAttempts],
    bigHttp: [...c.bigHttp],
    uploads: [...c.uploads],
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const size = Buffer.alloc(4);
  size.writeUInt32LE(json.length);
  async function* chunks(): AsyncGenerator<Uint8Array> {
    let crc = 0;
    for (const part of [MAGIC, size, json, ...sections.map((s) => s.data)]) {
      crc = crc32(part, crc);
      yield part;
    }
    const tail = Buffer.alloc(4);
    tail.writeUInt32LE(crc);
    yield tail;
  }
  await atomicWriteFile(path, chunks());
}

/**
 * readSnapshot loads the snapshot at `path` when it is whole and was made from the first bytes of
 * the open journal `journal` (`journalBytes` long now); undefined otherwise. `capacity` is the
 * number of rows to make room for.
 */
export async function readSnapshot(path: string, journal: FileHandle, journalBytes: number, capacity = 0): Promise<{ store: RowStore; mark: JournalMark } | undefined> {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) return undefined; // a big-endian machine reads the journal instead
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const reader = new SectionReader(fh);
    const magic = await reader.bytes(Buffer.alloc(MAGIC.length));
    if (magic === undefined || !magic.equals(MAGIC)) return undefined;
    const size = await reader.bytes(Buffer.alloc(4));
    if (size === undefined || size.readUInt32LE() > 1 << 30) return undefined;
    const json = await reader.bytes(Buffer.alloc(size.readUInt32LE()));
    if (json === undefined) return undefined;
    const parsed = headerSchema.safeParse(JSON.parse(json.toString('utf8')));
    if (!parsed.success) return undefined;
    const h = parsed.data;
    if (h.journal.bytes > journalBytes || (await crcOf(journal, h.journal.bytes)) !== h.journal.crc) return undefined;
    const columns = await readColumns(reader, h, Math.max(h.length, capacity + 1));
    if (columns === undefined) return undefined;
    const crc = reader.crc;
    const tail = await reader.raw(Buffer.alloc(4));
    if (tail === undefined || tail.readUInt32LE() !== crc || !(await reader.atEnd())) return undefined;
    return { store: RowStore.restore(columns), mark: h.journal };
  } catch {
    return undefined;
  } finally {
    await fh.close();
  }
}

async function readColumns(reader: SectionReader, h: Header, n: number): Promise<StoreColumns | undefined> {
  let at = 0;
  /** section reads the next section, which must be `name` and fit `into`. */
  const section = async (name: string, into: ArrayBufferView): Promise<number | undefined> => {
    const s = h.sections[at];
    if (s === undefined || s.name !== name || s.bytes > into.byteLength) return undefined;
    at++;
    return (await reader.bytes(bytesOf(into).subarray(0, s.bytes))) === undefined ? undefined : s.bytes;
  };
  const status = new Uint8Array(n);
  const attempts = new Uint16Array(n);
  const http = new Uint16Array(n);
  const sentAt = new Float64Array(n).fill(Number.NaN);
  for (const [name, into] of [['status', status], ['attempts', attempts], ['http', http], ['sentAt', sentAt]] as const) {
    if ((await section(name, into)) === undefined) return undefined;
  }
  const text: Partial<Record<TextColumn, StringColumn>> = {};
  for (const t of textColumns) {
    const saved = h.text[t];
    if (saved === undefined) return undefined;
    const positions = new Uint32Array(n);
    if ((await section(`${t}.at`, positions)) === undefined) return undefined;
    const pages: Buffer[] = [];
    for (const [i, used] of saved.used.entries()) {
      if (used > PAGE_BYTES) return undefined;
      const page = Buffer.allocUnsafe(used);
      if ((await section(`${t}.page${i}`, page)) !== used) return undefined;
      pages.push(page);
    }
    text[t] = StringColumn.restore(positions, pages, saved.used, new Map(saved.long), sharesOf(t));
  }
  if (at !== h.sections.length) return undefined;
  return { status, attempts, http, sentAt, text: text as Record<TextColumn, StringColumn>, bigAttempts: new Map(h.bigAttempts), bigHttp: new Map(h.bigHttp), uploads: new Map(h.uploads ?? []) };
}

/** SectionReader reads a file front to back, keeping the CRC-32 of what it read. */
class SectionReader {
  crc = 0;
  #position = 0;
  constructor(private readonly fh: FileHandle) {}

  /** bytes fills `into` and adds it to the CRC; undefined when the file ends first. */
  async bytes(into: Buffer): Promise<Buffer | undefined> {
    const got = await this.raw(into);
    if (got !== undefined) this.crc = crc32(got, this.crc);
    return got;
  }

  /** atEnd tells whether everything has been read. */
  async atEnd(): Promise<boolean> {
    return (await this.fh.read(Buffer.alloc(1), 0, 1, this.#position)).bytesRead === 0;
  }

  /** raw fills `into` without adding it to the CRC. */
  async raw(into: Buffer): Promise<Buffer | undefined> {
    let filled = 0;
    while (filled < into.length) {
      const { bytesRead } = await this.fh.read(into, filled, Math.min(into.length - filled, 1 << 24), this.#position);
      if (bytesRead === 0) return undefined;
      filled += bytesRead;
      this.#position += bytesRead;
    }
    return into;
  }
}

/** crcOf is the CRC-32 of the first `length` bytes of an open file. */
export async function crcOf(fh: FileHandle, length: number): Promise<number> {
  const chunk = Buffer.allocUnsafe(1 << 20);
  let crc = 0;
  for (let at = 0; at < length; ) {
    const { bytesRead } = await fh.read(chunk, 0, Math.min(chunk.length, length - at), at);
    if (bytesRead === 0) return -1;
    crc = crc32(chunk.subarray(0, bytesRead), crc);
    at += bytesRead;
  }
  return crc;
}
