import type { FileHandle } from 'node:fs/promises';
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { crc32 } from 'node:zlib';
import type { RowOutcome } from '../../../shared/engine/events';
import type { Journal, RowOutcomes } from '../ports';
import { atomicWriteFile, removeTempFiles, syncDir, writeFully } from './atomic-write';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './data-dir';
import type { CommitHooks, CommitStats } from './group-commit';
import { GroupCommit } from './group-commit';
import { encodeRecord, pickOutcome } from './journal-codec';
import type { JournalScan } from './journal-reader';
import { scanJournal } from './journal-reader';
import { snapshotPathOf, writeSnapshot } from './row-snapshot';
import type { RowStore } from './row-store';

/** FileJournalOptions tune a FileJournal; the defaults are what production uses. */
export interface FileJournalOptions {
  /** Sync records in batches (default true). false syncs every record on its own: only to measure the difference. */
  groupCommit?: boolean;
  /**
   * Rewrite the log on open as one record per row when it holds more than `compactRatio` records
   * per row (default 3; 0 never compacts) and at least `compactMinRecords` records (default 1,000).
   */
  compactRatio?: number;
  compactMinRecords?: number;
  /** How many rows the campaign has: the row store makes room for them up front instead of growing. */
  rows?: number;
  /** Crash points for tests. */
  hooks?: CommitHooks;
}

/**
 * FileJournal is the durable Journal: an append-only file of checksummed lines (journal-codec.ts),
 * one per state change, synced in groups (group-commit.ts). `record` resolves only once its line
 * is on disk, so the engine may mark a row `in-flight` and only then send it: after a crash the
 * row is found `in-flight` and is not blindly sent again.
 *
 * It keeps the latest state of each row in a RowStore (row-store.ts: typed arrays, ~85 bytes a
 * row), which the engine reads row by row (`outcomes`). Opening reads the rows from the snapshot
 * saved at the last compaction (row-snapshot.ts) plus the records appended since, or else the whole
 * log, drops a torn last record left by a crash, and, when the log has grown much longer than the
 * number of rows, rewrites it. When a run ends, `compact` rewrites the log as one record per row
 * and saves the snapshot, so the next open is quick. One process at a time: the campaign lock
 * (lock.ts) guards the files.
 */
export class FileJournal implements Journal {
  /** The journal file. */
  readonly path: string;
  readonly #rows: RowStore;
  readonly #fh: FileHandle;
  readonly #commit: GroupCommit;
  /** Records in the file when it was opened. */
  readonly #opened: number;
  /** Whether the snapshot on disk describes the file as it was opened. */
  readonly #snapshotted: boolean;
  #appended = 0;
  #closing: Promise<void> | undefined;

  private constructor(path: string, rows: RowStore, state: { records: number; snapshotted: boolean }, fh: FileHandle, options: FileJournalOptions) {
    this.path = path;
    this.#rows = rows;
    this.#opened = state.records;
    this.#snapshotted = state.snapshotted;
    this.#fh = fh;
    const sink = {
      write: (data: string) => wrapIo(path, 'write', writeFully(fh, data)),
      sync: () => wrapIo(path, 'sync', fh.datasync()),
    };
    const commitOptions: { maxBatch?: number; hooks?: CommitHooks } = {};
    if (options.groupCommit === false) commitOptions.maxBatch = 1;
    if (options.hooks !== undefined) commitOptions.hooks = options.hooks;
    this.#commit = new GroupCommit(sink, commitOptions);
  }

  /**
   * open opens (or creates) the journal at `path`, recovering from a crash: a torn last record is
   * cut off; damage anywhere else throws JournalCorruptError naming the line.
   */
  static async open(path: string, options: FileJournalOptions = {}): Promise<FileJournal> {
    await mkdir(dirname(path), { recursive: true, mode: PRIVATE_DIR_MODE });
    await removeTempFiles(path);
    await removeTempFiles(snapshotPathOf(path));
    const scan = await scanJournal(path, options.rows === undefined ? {} : { capacity: options.rows });
    const state = { records: scan.records, snapshotted: scan.snapshotBytes > 0 && scan.snapshotBytes === scan.validBytes };
    if (shouldCompact(scan, options)) {
      await compactFile(path, scan.latest);
      state.records = scan.latest.size;
      state.snapshotted = true;
    } else if (scan.validBytes < scan.fileBytes) {
      await truncateTornTail(path, scan.validBytes);
    }
    const fh = await open(path, 'a', PRIVATE_FILE_MODE);
    // A new file is only durable once its directory entry is.
    if (scan.fileBytes === 0) await syncDir(dirname(path));
    return new FileJournal(path, scan.latest, state, fh, options);
  }

  /** load returns the latest state of every row recorded (by earlier runs and this one), in row order, as objects (for tests and small journals). */
  async load(): Promise<RowOutcome[]> {
    return [...this.#rows.values()];
  }

  /** outcomes is the latest state per row (earlier runs' and this one's), read row by row, not copied. */
  outcomes(): RowOutcomes {
    return this.#rows;
  }

  /** record appends one row state; resolves once it is synced to disk. */
  async record(outcome: RowOutcome): Promise<void> {
    if (this.#closing !== undefined) throw new Error(`campaign journal ${this.path} is closed`);
    const picked = pickOutcome(outcome);
    const line = encodeRecord(picked);
    // Updated in append order, which is file order: what is in memory is what a reload would find.
    this.#rows.set(picked);
    this.#appended++;
    return this.#commit.append(line);
  }

  /** stats counts records and syncs since open. */
  stats(): CommitStats {
    return this.#commit.stats();
  }

  /** close waits for pending records to be synced, then closes the file. Safe to call twice. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#commit.flushed();
      await this.#fh.close();
    })();
    return this.#closing;
  }

  /**
   * compact closes the journal and rewrites the log as one record per row, in row order, with the
   * rows' snapshot beside it: both atomically (a crash leaves the old file or the new one, and a
   * snapshot is only ever used with the log it was made from). Nothing is rewritten when the log
   * already is that (a re-run that recorded nothing), nor after a failed write or sync: what the
   * file holds is then known only to the file, and the next open reads it. Resolves whether it rewrote.
   */
  async compact(): Promise<boolean> {
    await this.close();
    if (this.#commit.failed) return false;
    const snapshotted = this.#snapshotted || this.#rows.size === 0; // an empty log needs no snapshot
    if (this.#appended === 0 && this.#opened === this.#rows.size && snapshotted) return false;
    await compactFile(this.path, this.#rows);
    return true;
  }
}

function shouldCompact(scan: JournalScan, options: FileJournalOptions): boolean {
  const ratio = options.compactRatio ?? 3;
  if (ratio <= 0) return false;
  return scan.records >= (options.compactMinRecords ?? 1_000) && scan.records > ratio * scan.latest.size;
}

/** compactFile replaces the log at `path` with one record per row of `rows`, then saves their snapshot. */
async function compactFile(path: string, rows: RowStore): Promise<void> {
  const mark = { bytes: 0, crc: 0, records: rows.size };
  function* lines(): Generator<Buffer> {
    const PER_CHUNK = 4_096;
    let text = '';
    let n = 0;
    for (const o of rows.values()) {
      text += encodeRecord(o);
      if (++n % PER_CHUNK === 0) {
        yield chunk(text);
        text = '';
      }
    }
    if (text !== '') yield chunk(text);
  }
  function chunk(text: string): Buffer {
    const bytes = Buffer.from(text, 'utf8');
    mark.crc = crc32(bytes, mark.crc);
    mark.bytes += bytes.length;
    return bytes;
  }
  await atomicWriteFile(path, lines());
  await writeSnapshot(snapshotPathOf(path), rows, mark);
}
async function truncateTornTail(path: string, length: number): Promise<void> {
  const fh = await open(path, 'r+');
  try {
    await fh.truncate(length);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function wrapIo<T>(path: string, op: string, p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
    throw new Error(`could not ${op} the campaign journal ${path} (${code}); the campaign must stop`, { cause: e });
  }
}
