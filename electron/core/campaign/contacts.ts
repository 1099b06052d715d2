import { basename } from 'node:path';
import type { CsvOptions, CsvRow, Delimiter } from '../../../shared/csv/parse';
import type { CsvFileReader } from '../csv-file';
import { openCsvFile } from '../csv-file';
import { hashFile } from '../state/campaign-id';

/**
 * A campaign's contacts: a CSV file on disk, read pass by pass and never held whole. The CLI
 * names the user's file; the desktop app names its own copy of what the user imported (kept in the
 * workspace), so both read rows the same way. Finding one row (a preview) scans from the top but
 * keeps the block of rows it lands in, so stepping through nearby rows does not scan again.
 */

/** ContactsInput names a contacts file and how to read it. */
export interface ContactsInput {
  path: string;
  /** The name people know the file by (the desktop's copy is named by its hash). Default: the path's file name. */
  name?: string;
  /** SHA-256 (hex) of the file's bytes, when the caller already knows it (the desktop import hashes as it copies). */
  hash?: string;
  options?: CsvOptions;
}

/** BLOCK_ROWS is how many consecutive rows rowAt keeps around the row it found. */
const BLOCK_ROWS = 1_000;

/** ContactsFile is an open contacts file whose header has been read and checked. */
export class ContactsFile {
  readonly path: string;
  readonly name: string;
  /** The reading overrides it was opened with (a forced delimiter). */
  readonly options: CsvOptions;
  readonly #reader: CsvFileReader;
  #hash: Promise<string> | undefined;
  #block: { first: number; rows: CsvRow[]; count?: number } | undefined;

  private constructor(input: ContactsInput, reader: CsvFileReader) {
    this.path = input.path;
    this.name = input.name ?? basename(input.path);
    this.options = input.options ?? {};
    this.#reader = reader;
    if (input.hash !== undefined) this.#hash = Promise.resolve(input.hash);
  }

  /** open reads and checks the header (InputError naming the problem when it cannot). */
  static async open(input: ContactsInput): Promise<ContactsFile> {
    return new ContactsFile(input, await openCsvFile(input.path, input.options ?? {}));
  }

  get headers(): string[] {
    return this.#reader.headers;
  }

  get delimiter(): Delimiter {
    return this.#reader.delimiter;
  }

  get encoding(): string {
    return this.#reader.encoding;
  }

  /** warnings the reader found so far (an encoding guess, say). */
  get warnings(): string[] {
    return this.#reader.warnings;
  }

  /** batches reads every row from the top, a chunk at a time. */
  batches(): AsyncIterable<CsvRow[]> {
    return this.#reader.batches();
  }

  /** records reads every row from the top. */
  records(): AsyncIterable<CsvRow> {
    return this.#reader.records();
  }

  /** hash is the SHA-256 (hex) of the file's bytes: with the campaign, it names the campaign. */
  hash(): Promise<string> {
    this.#hash ??= hashFile(this.path);
    return this.#hash;
  }

  /**
   * rowAt finds data row `row` (1-based). `count` is how many rows the file has when the row is
   * not there (the whole file was read to find out).
   */
  async rowAt(row: number): Promise<{ found?: CsvRow; count: number }> {
    const b = this.#block;
    if (b !== undefined && row >= b.first && row < b.first + b.rows.length) return { found: b.rows[row - b.first] as CsvRow, count: b.first + b.rows.length - 1 };
    if (b?.count !== undefined && row > b.count) return { count: b.count };
    const first = Math.max(1, row - (row % BLOCK_ROWS === 0 ? BLOCK_ROWS : row % BLOCK_ROWS) + 1);
    const rows: CsvRow[] = [];
    let count = 0;
    for await (const batch of this.#reader.batches()) {
      for (const rec of batch) {
        count = rec.row;
        if (rec.row >= first && rows.length < BLOCK_ROWS) rows.push(rec);
      }
      if (rows.length >= BLOCK_ROWS) break;
    }
    const block: { first: number; rows: CsvRow[]; count?: number } = { first, rows };
    if (rows.length < BLOCK_ROWS) block.count = count;
    this.#block = block;
    const found = rows[row - first];
    return found === undefined ? { count } : { found, count };
  }

  close(): Promise<void> {
    return this.#reader.close();
  }
}
