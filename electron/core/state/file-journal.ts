import type { FileHandle } from 'node:fs/promises';
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RowOutcome } from '../../../shared/engine/events';
import type { Journal } from '../ports';
import { atomicWriteFile, removeTempFiles, syncDir, writeFully } from './atomic-write';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './data-dir';
import type { CommitHooks, CommitStats } from './group-commit';
import { GroupCommit } from './group-commit';
import { encodeRecord, pickOutcome } from './journal-codec';
import type { JournalScan } from './journal-reader';
import { scanJournal } from './journal-reader';

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
  /** Crash points for tests. */
  hooks?: CommitHooks;
}

/**
 * FileJournal is the durable Journal: an append-only file of checksummed lines (journal-codec.ts),
 * one per state change, synced in groups (group-commit.ts). `record` resolves only once its line
 * is on disk, so the engine may mark a row `in-flight` and only then send it: after a crash the
 * row is found `in-flight` and is not blindly sent again.
 *
 * Opening reads the whole log (in chunks), drops a torn last record left by a crash, and, when the
 * log has grown much longer than the number of rows, rewrites it atomically with one record per row.
 * It keeps the latest state of each row in memory, which is what `load` returns.
 * One process at a time: the campaign lock (lock.ts) guards the file.
 */
export class FileJournal implements Journal {
  /** The journal file. */
  readonly path: string;
  private readonly latest: Map<number, RowOutcome>;
  private readonly fh: FileHandle;
  private readonly commit: GroupCommit;
  private closing: Promise<void> | undefined;

  private constructor(path: string, latest: Map<number, RowOutcome>, fh: FileHandle, options: FileJournalOptions) {
    this.path = path;
    this.latest = latest;
    this.fh = fh;
    const sink = {
      write: (data: string) => wrapIo(path, 'write', writeFully(fh, data)),
      sync: () => wrapIo(path, 'sync', fh.datasync()),
    };
    const commitOptions: { maxBatch?: number; hooks?: CommitHooks } = {};
    if (options.groupCommit === false) commitOptions.maxBatch = 1;
    if (options.hooks !== undefined) commitOptions.hooks = options.hooks;
    this.commit = new GroupCommit(sink, commitOptions);
  }

  /**
   * open opens (or creates) the journal at `path`, recovering from a crash: a torn last record is
   * cut off; damage anywhere else throws JournalCorruptError naming the line.
   */
  static async open(path: string, options: FileJournalOptions = {}): Promise<FileJournal> {
    await mkdir(dirname(path), { recursive: true, mode: PRIVATE_DIR_MODE });
    await removeTempFiles(path);
    const scan = await scanJournal(path);
    if (shouldCompact(scan, options)) {
      await atomicWriteFile(path, compactedLines(scan.latest));
    } else if (scan.validBytes < scan.fileBytes) {
      await truncateTornTail(path, scan.validBytes);
    }
    const fh = await open(path, 'a', PRIVATE_FILE_MODE);
    // A new file is only durable once its directory entry is.
    if (scan.fileBytes === 0) await syncDir(dirname(path));
    return new FileJournal(path, scan.latest, fh, options);
  }

  /** load returns the latest state of every row recorded (by earlier runs and this one), in row order. */
  async load(): Promise<RowOutcome[]> {
    return [...this.latest.values()].sort((a, b) => a.row - b.row).map((o) => ({ ...o }));
  }

  /** record appends one row state; resolves once it is synced to disk. */
  async record(outcome: RowOutcome): Promise<void> {
    if (this.closing !== undefined) throw new Error(`campaign journal ${this.path} is closed`);
    const picked = pickOutcome(outcome);
    const line = encodeRecord(picked);
    // Updated in append order, which is file order: what is in memory is what a reload would find.
    this.latest.set(picked.row, picked);
    return this.commit.append(line);
  }

  /** rows is the latest state per row, read-only and not copied (for totals). */
  rows(): ReadonlyMap<number, Readonly<RowOutcome>> {
    return this.latest;
  }

  /** stats counts records and syncs since open. */
  stats(): CommitStats {
    return this.commit.stats();
  }

  /** close waits for pending records to be synced, then closes the file. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.commit.flushed();
      await this.fh.close();
    })();
    return this.closing;
  }
}

function shouldCompact(scan: JournalScan, options: FileJournalOptions): boolean {
  const ratio = options.compactRatio ?? 3;
  if (ratio <= 0) return false;
  return scan.records >= (options.compactMinRecords ?? 1_000) && scan.records > ratio * scan.latest.size;
}

function* compactedLines(latest: Map<number, RowOutcome>): Generator<string> {
  const rows = [...latest.values()].sort((a, b) => a.row - b.row);
  const PER_CHUNK = 4_096;
  for (let i = 0; i < rows.length; i += PER_CHUNK) {
    yield rows
      .slice(i, i + PER_CHUNK)
      .map((o) => encodeRecord(o))
      .join('');
  }
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
