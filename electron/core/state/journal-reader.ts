import { open } from 'node:fs/promises';
import { decodeLine } from './journal-codec';
import { ParsedLine, parseLine } from './journal-line';
import { readSnapshot, snapshotPathOf } from './row-snapshot';
import { RowStore } from './row-store';

/**
 * JournalCorruptError is a journal that cannot be trusted: a damaged record that is not the last
 * one, so it is not a write cut short by a crash. It names the file and the 1-based line, so a
 * person can look at it; the campaign refuses to run rather than resend rows it lost track of.
 */
export class JournalCorruptError extends Error {
  readonly path: string;
  readonly line: number;
  readonly reason: string;
  constructor(path: string, line: number, reason: string) {
    super(`campaign journal ${path} is damaged at line ${line}: ${reason}`);
    this.name = 'JournalCorruptError';
    this.path = path;
    this.line = line;
    this.reason = reason;
  }
}

/** JournalScan is what reading a journal file found. */
export interface JournalScan {
  /** Latest state of each row (the last record of a row wins). */
  latest: RowStore;
  /** Valid records in the file (more than `latest.size` when rows were recorded several times). */
  records: number;
  /** Bytes at the start of the file whose rows came from the snapshot (row-snapshot.ts), not from parsing them; 0 without one. */
  snapshotBytes: number;
  /** Length of the file up to the end of the last valid record: anything after it is a torn tail. */
  validBytes: number;
  /** Length of the file as found (0 when it does not exist). */
  fileBytes: number;
}

const CHUNK = 1 << 20;
const NEWLINE = 0x0a;

/** ScanOptions: how many rows to make room for (the campaign's row count), so the store need not grow. */
export interface ScanOptions {
  capacity?: number;
}

/**
 * scanJournal reads a journal file and returns the latest state per row. When a snapshot of its
 * first bytes is there (row-snapshot.ts), the rows come from it and only the records appended after
 * it are parsed; otherwise the whole file is, in chunks (a journal of millions of rows is never
 * held as one string). A missing file is an empty journal. The last record may be torn by a crash
 * (cut short, no newline, bad checksum): it is left out and `validBytes` tells where the good part
 * ends. A bad record anywhere else throws JournalCorruptError.
 */
export async function scanJournal(path: string, options: ScanOptions = {}): Promise<JournalScan> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { latest: new RowStore(options.capacity), records: 0, validBytes: 0, fileBytes: 0, snapshotBytes: 0 };
    throw e;
  }
  try {
    const fileBytes = (await fh.stat()).size;
    const snapshot = await readSnapshot(snapshotPathOf(path), fh, fileBytes, options.capacity);
    const scan: JournalScan = {
      latest: snapshot?.store ?? new RowStore(options.capacity),
      records: snapshot?.mark.records ?? 0,
      validBytes: snapshot?.mark.bytes ?? 0,
      fileBytes: snapshot?.mark.bytes ?? 0,
      snapshotBytes: snapshot?.mark.bytes ?? 0,
    };
    await scanRecords(path, fh, scan);
    return scan;
  } finally {
    await fh.close();
  }
}

/** scanRecords parses the records from `scan.fileBytes` to the end of the file into `scan`. */
async function scanRecords(path: string, fh: Awaited<ReturnType<typeof open>>, scan: JournalScan): Promise<void> {
  const chunk = Buffer.allocUnsafe(CHUNK);
  let carry = Buffer.alloc(0);
  let carryStart = scan.fileBytes;
  let lineNo = scan.records;
  let bad: { line: number; reason: string } | undefined;
  const parsed = new ParsedLine();
  for (;;) {
    const { bytesRead } = await fh.read(chunk, 0, CHUNK, scan.fileBytes);
    if (bytesRead === 0) break;
    scan.fileBytes += bytesRead;
    const data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
    const dataStart = carryStart;
    let start = 0;
    for (let nl = data.indexOf(NEWLINE, start); nl !== -1; nl = data.indexOf(NEWLINE, start)) {
      lineNo += 1;
      // A bad record followed by another line is not a torn tail: the file is damaged.
      if (bad !== undefined) throw new JournalCorruptError(path, bad.line, bad.reason);
      if (parseLine(data, start, nl, parsed)) {
        scan.latest.setParsed(parsed, data);
        scan.records += 1;
        scan.validBytes = dataStart + nl + 1;
      } else {
        const decoded = decodeLine(data.subarray(start, nl));
        if (decoded.ok) {
          scan.latest.set(decoded.outcome);
          scan.records += 1;
          scan.validBytes = dataStart + nl + 1;
        } else {
          bad = { line: lineNo, reason: decoded.reason };
        }
      }
      start = nl + 1;
    }
    carryStart = dataStart + start;
    // Copy: `chunk` is reused by the next read.
    carry = Buffer.from(data.subarray(start));
  }
  if (bad !== undefined && carry.length > 0) throw new JournalCorruptError(path, bad.line, bad.reason);
}
