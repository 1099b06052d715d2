import type { Problem } from '../../../shared/problems';
import { CsvStreamParser } from '../../../shared/csv/parse';
import type { CsvRow, Delimiter } from '../../../shared/csv/parse';

/**
 * The first look at a CSV, taken in the import worker while the file is read: the shared
 * incremental parser (shared/csv, the very code main and the command line parse with) is fed the
 * file chunk by chunk, so the worker detects the encoding and delimiter, numbers lines and finds
 * bad rows exactly as main will. Only counts, a sample and the first problems are kept, never all
 * rows, so a file of a million rows costs little more than its bytes. Main's own parse (`csv:load`)
 * stays the authority; this one gives the user progress and something to look at meanwhile, and
 * lets them change the encoding and the delimiter.
 */

/** Encodings the user can choose; `auto` is what the bytes say (BOM, valid UTF-8, else Windows-1252). */
export const encodings = ['auto', 'utf-8', 'utf-16le', 'utf-16be', 'windows-1252'] as const;
export type EncodingChoice = (typeof encodings)[number];
export type Encoding = Exclude<EncodingChoice, 'auto'>;

export const delimiters = [',', ';', '\t', '|'] as const satisfies readonly Delimiter[];
export type { Delimiter };

/** delimiterLabel names a delimiter for people. */
export function delimiterLabel(d: Delimiter): string {
  return d === ',' ? 'Comma (,)' : d === ';' ? 'Semicolon (;)' : d === '\t' ? 'Tab' : 'Pipe (|)';
}

/** encodingLabel names an encoding for people (an unknown name as it is). */
export function encodingLabel(e: string): string {
  const labels: Record<string, string> = { auto: 'Detect automatically', 'utf-8': 'UTF-8', 'utf-16le': 'UTF-16 LE', 'utf-16be': 'UTF-16 BE', 'windows-1252': 'Windows-1252 (Western)' };
  return labels[e] ?? e;
}

/** ScanOptions are the user's overrides; absent means detect. */
export interface ScanOptions {
  encoding?: Encoding;
  delimiter?: Delimiter;
  /** Rows kept for the sample table. */
  sampleRows?: number;
  /** Row problems kept at most. */
  problemLimit?: number;
}

/** ScanResult is everything the import screen shows about a file. */
export interface ScanResult {
  encoding: Encoding;
  /** Whether the encoding was detected (false when the user chose it). */
  encodingDetected: boolean;
  delimiter: Delimiter;
  delimiterDetected: boolean;
  headers: string[];
  rowCount: number;
  sample: string[][];
  /** Rows whose field count differs from the header's, each naming its line. */
  problems: Problem[];
  /** Problems beyond problemLimit are counted, not kept. */
  problemCount: number;
  warnings: string[];
}

/**
 * CsvScanner takes a file chunk by chunk (chunks may cut anywhere, even inside a character) and
 * reports what the import screen shows. A forced encoding is decoded here and handed to the
 * parser as text; otherwise the parser decodes and detects.
 */
export class CsvScanner {
  private readonly parser: CsvStreamParser;
  private readonly decoder: TextDecoder | undefined;
  private rowCount = 0;
  private readonly sample: string[][] = [];
  private readonly problems: Problem[] = [];
  private problemCount = 0;

  constructor(private readonly options: ScanOptions = {}) {
    this.parser = new CsvStreamParser(options.delimiter === undefined ? {} : { delimiter: options.delimiter });
    this.decoder = options.encoding === undefined ? undefined : new TextDecoder(options.encoding);
  }

  /** rows is the number of data rows so far. */
  get rows(): number {
    return this.rowCount;
  }

  /** push parses the next chunk; throws InputError for a header mistake. */
  push(bytes: Uint8Array): void {
    this.take(this.decoder === undefined ? this.parser.pushBytes(bytes) : this.parser.pushText(this.decoder.decode(bytes, { stream: true })));
  }

  /** end parses the rest and returns the result; throws InputError (empty file, header mistake, unclosed quote). */
  end(): ScanResult {
    if (this.decoder !== undefined) this.take(this.parser.pushText(this.decoder.decode()));
    this.take(this.parser.end());
    return {
      encoding: this.options.encoding ?? this.parser.encoding,
      encodingDetected: this.options.encoding === undefined,
      delimiter: this.parser.delimiter ?? this.options.delimiter ?? ',',
      delimiterDetected: this.options.delimiter === undefined,
      headers: this.parser.headers ?? [],
      rowCount: this.rowCount,
      sample: this.sample,
      problems: this.problems,
      problemCount: this.problemCount,
      warnings: [...this.parser.warnings],
    };
  }

  private take(rows: CsvRow[]): void {
    const sampleRows = this.options.sampleRows ?? 20;
    const limit = this.options.problemLimit ?? 100;
    for (const r of rows) {
      this.rowCount++;
      if (this.sample.length < sampleRows) this.sample.push(r.fields);
      if (r.problem !== undefined) {
        this.problemCount++;
        if (this.problems.length < limit) this.problems.push(r.problem);
      }
    }
  }
}

/**
 * scanCsv scans bytes already in memory in chunks of `chunkSize`, reporting the share done (0..1)
 * and the rows so far after each chunk.
 */
export function scanCsv(bytes: Uint8Array, options: ScanOptions = {}, onProgress?: (done: number, rows: number) => void, chunkSize = 1 << 20): ScanResult {
  const scanner = new CsvScanner(options);
  for (let at = 0; at < bytes.length; at += chunkSize) {
    scanner.push(bytes.subarray(at, Math.min(bytes.length, at + chunkSize)));
    onProgress?.(Math.min(1, (at + chunkSize) / Math.max(bytes.length, 1)), scanner.rows);
  }
  return scanner.end();
}

/** utf8Bytes returns bytes main can read as UTF-8: the original when no encoding was forced, else the text re-encoded. */
export function utf8Bytes(bytes: Uint8Array, encoding: Encoding | undefined): Uint8Array {
  if (encoding === undefined) return bytes;
  return new TextEncoder().encode(new TextDecoder(encoding).decode(bytes));
}
