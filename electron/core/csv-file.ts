import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { InputError } from '../../shared/problems';
import type { Problem } from '../../shared/problems';
import type { CsvEncoding } from '../../shared/csv/decode';
import { csvError } from '../../shared/csv/header';
import { CsvStreamParser } from '../../shared/csv/stream';
import type { CsvOptions, CsvRecord, CsvRow, Delimiter } from '../../shared/csv/types';

/**
 * The CSV import for a file on disk (the CLI, the main process): a thin adapter that reads the
 * file in chunks and feeds shared/csv's CsvStreamParser, so it never holds the whole file or all
 * its rows, and finds exactly what parseCsvBytes finds for the same bytes.
 */

/** CHUNK_BYTES is how much is read from disk at a time. */
export const CHUNK_BYTES = 256 * 1024;

/**
 * SLICE_BYTES is how much is parsed at a time (CHUNK_BYTES is a multiple). Measured on a million
 * rows: parsing 1 MB at a time costs twice the CPU of 64 KB. A big batch of rows is still alive
 * when the young generation is collected, so it gets promoted, and V8 may then decide that every
 * row array is long-lived and allocate all of them in the old generation (three times slower
 * overall). Reading bigger pieces than that from disk saves system calls.
 */
export const SLICE_BYTES = 64 * 1024;

/** CsvFileReader is an open CSV file whose header has been read and checked. */
export interface CsvFileReader {
  headers: string[];
  delimiter: Delimiter;
  /** How the bytes are read; may turn to 'windows-1252' during the first pass over a file that is not UTF-8. */
  encoding: CsvEncoding;
  /** Warnings so far; a pass over the records may add one (bytes that are not UTF-8). */
  warnings: string[];
  /** Streams records; a row whose field count is wrong is yielded with its problem attached. */
  records(): AsyncIterable<CsvRecord & { problem?: Problem }>;
  /**
   * batches streams the same records a chunk at a time: less overhead per row than records()
   * when a caller handles a million. Throws InputError for an unclosed quote (at the end) or a
   * file that changed since it was opened.
   */
  batches(): AsyncIterable<CsvRow[]>;
  close(): Promise<void>;
}

/**
 * openCsvFile opens `path`, detects its encoding and delimiter (unless `options.delimiter`) and
 * reads and checks the header row. Throws InputError when the file cannot be read, is empty, or
 * its header is missing or bad. Each call to records() or batches() reads the file again from
 * the start, so the CLI can validate every row and then send.
 */
export async function openCsvFile(path: string, options: CsvOptions = {}): Promise<CsvFileReader> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw new InputError([csvError(0, `cannot read ${path}: ${describe(err)}`)]);
  }
  try {
    // Only as far as the header row; the rows read on the way are read again by each pass.
    const first = new CsvStreamParser(options);
    const buffer = new Uint8Array(SLICE_BYTES);
    let position = 0;
    while (first.headers === undefined) {
      const bytesRead = await read(handle, path, buffer, position);
      if (bytesRead === 0) {
        first.end();
        break;
      }
      position += bytesRead;
      first.pushBytes(buffer.subarray(0, bytesRead));
    }
    const headers = first.headers ?? [];
    const delimiter = first.delimiter ?? ',';
    return new DiskCsvReader(handle, path, headers, delimiter, first.encoding, first.warnings, { ...options, delimiter });
  } catch (err) {
    await handle.close();
    throw err;
  }
}

class DiskCsvReader implements CsvFileReader {
  readonly warnings: string[];
  private closed = false;

  constructor(
    private readonly handle: FileHandle,
    private readonly path: string,
    readonly headers: string[],
    readonly delimiter: Delimiter,
    public encoding: CsvEncoding,
    warnings: readonly string[],
    private readonly options: CsvOptions,
  ) {
    this.warnings = [...warnings];
  }

  records(): AsyncIterable<CsvRow> {
    // Hand-rolled over batches(): an async generator yielding row by row costs several promise
    // hops per row, which for a million rows is a third of the parse time.
    return { [Symbol.asyncIterator]: () => rowsOf(this.pass()) };
  }

  batches(): AsyncIterable<CsvRow[]> {
    return { [Symbol.asyncIterator]: () => this.pass() };
  }

  private async *pass(): AsyncGenerator<CsvRow[]> {
    if (this.closed) throw new Error('CsvFileReader: records() after close()');
    const parser = new CsvStreamParser(this.options);
    const buffer = new Uint8Array(CHUNK_BYTES);
    let position = 0;
    let checked = false;
    const batch = (rows: CsvRow[]): CsvRow[] => {
      this.note(parser);
      if (!checked && parser.headers !== undefined) {
        checked = true;
        if (parser.headers.join('\n') !== this.headers.join('\n')) {
          throw new InputError([csvError(0, `${this.path} changed while it was being read; import it again`)]);
        }
      }
      return rows;
    };
    // Two buffers: the next chunk is read from disk while the rows of this one are parsed and
    // handed out, so the caller's work and the disk overlap instead of taking turns.
    let buffers = [buffer, new Uint8Array(CHUNK_BYTES)] as const;
    let pending = read(this.handle, this.path, buffers[0], position);
    for (;;) {
      const bytesRead = await pending;
      const current = buffers[0];
      position += bytesRead;
      if (bytesRead === 0) {
        const rows = batch(parser.end());
        if (rows.length > 0) yield rows;
        return;
      }
      buffers = [buffers[1], current];
      pending = read(this.handle, this.path, buffers[0], position);
      // An unread rejection while rows are handed out must not count as unhandled; it is awaited above.
      pending.catch(() => undefined);
      for (let at = 0; at < bytesRead; at += SLICE_BYTES) {
        const rows = batch(parser.pushBytes(current.subarray(at, Math.min(bytesRead, at + SLICE_BYTES))));
        if (rows.length > 0) yield rows;
      }
    }
  }

  private note(parser: CsvStreamParser): void {
    // Only ever turns to windows-1252 (a later pass starts as UTF-8 again until the bad byte).
    if (parser.encoding === 'windows-1252') this.encoding = parser.encoding;
    for (const w of parser.warnings) if (!this.warnings.includes(w)) this.warnings.push(w);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }
}

/** rowsOf iterates the rows of a stream of batches, settling each row's promise at once when its batch is in hand. */
function rowsOf(batches: AsyncGenerator<CsvRow[]>): AsyncIterator<CsvRow> {
  let batch: CsvRow[] = [];
  let i = 0;
  const next = async (): Promise<IteratorResult<CsvRow>> => {
    while (i >= batch.length) {
      const r = await batches.next();
      if (r.done === true) return { done: true, value: undefined };
      batch = r.value;
      i = 0;
    }
    return { done: false, value: batch[i++] as CsvRow };
  };
  return {
    next: () => (i < batch.length ? Promise.resolve({ done: false, value: batch[i++] as CsvRow }) : next()),
    return: async () => {
      batch = [];
      await batches.return(undefined);
      return { done: true, value: undefined };
    },
  };
}

async function read(handle: FileHandle, path: string, buffer: Uint8Array, position: number): Promise<number> {
  try {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    return bytesRead;
  } catch (err) {
    throw new InputError([csvError(0, `cannot read ${path}: ${describe(err)}`)]);
  }
}

function describe(err: unknown): string {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a folder, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}
