import { InputError } from '../problems';
import type { CsvEncoding } from './decode';
import { CsvStreamDecoder, countNewlines, invalidUtf8Warning, replacementWarning } from './decode';
import { SAMPLE_CHARS, detectDelimiter, detectNewline, isBlankRow } from './detect';
import {
  emptyFileError,
  fieldCountProblem,
  missingHeaderError,
  readHeader,
  rowTooLongError,
  unterminatedQuoteError,
} from './header';
import { createTokenizer } from './tokenizer';
import type { CsvTokenizer, Newline } from './tokenizer';
import type { CsvOptions, CsvRow, Delimiter } from './types';

/**
 * CsvStreamParser is the whole CSV import, fed in chunks: bytes (decoded by CsvStreamDecoder)
 * or text, in pieces of any size. The in-memory parse pushes a whole file slice by slice, the
 * Node reader pushes chunks from disk and a Worker can push chunks of a File, so all three
 * detect, check and number rows the same way (the rows never depend on where the input was cut).
 * Every push returns the rows it completed, as plain arrays.
 *
 * What it adds to papaparse's tokenizer: delimiter and line-break detection on the first
 * SAMPLE_CHARS of text; the header checks; skipping blank lines; the 1-based physical line where
 * each row starts; removing the '\r' that CRLF leaves on a row's last field (only where that field
 * was not quoted, so a quoted value ending in '\r' keeps it); field-count problems; and turning an
 * unclosed quote into an InputError that names the line where the quote opened.
 */
export class CsvStreamParser {
  /** Warnings so far (an encoding guess); the list only grows. */
  readonly warnings: string[] = [];

  private readonly options: CsvOptions;
  private decoder: CsvStreamDecoder | undefined;
  private tokenizer: CsvTokenizer | undefined;
  private chosenDelimiter: Delimiter | undefined;
  private newline: Newline = '\n';
  private header: string[] | undefined;
  /** Text not parsed yet: the start of a row that the next chunk continues. */
  private pending = '';
  /** Text that arrived while `pending` was one long unfinished row (see run). */
  private parked: string[] = [];
  private parkedLength = 0;
  /** Physical line where `pending` starts. */
  private line = 1;
  private dataRows = 0;
  private started = false;
  /** Line 1 was blank: an error unless the whole file is (then it is an empty file). */
  private blankFirstLine = false;
  /** A U+FFFD has been warned about (once is enough). */
  private sawReplacement = false;

  constructor(options: CsvOptions = {}) {
    this.options = options;
  }

  /** headers are the column names, once the header row has been read. */
  get headers(): string[] | undefined {
    return this.header;
  }

  /** delimiter is the one in use, once the first SAMPLE_CHARS of text (or the whole file) have arrived. */
  get delimiter(): Delimiter | undefined {
    return this.chosenDelimiter;
  }

  /** encoding is how the bytes are read ('utf-8' for text pushed as text). */
  get encoding(): CsvEncoding {
    return this.decoder?.encoding ?? 'utf-8';
  }

  /** pushBytes decodes and parses the next chunk of the file; `bytes` may be reused afterwards. */
  pushBytes(bytes: Uint8Array): CsvRow[] {
    this.decoder ??= new CsvStreamDecoder();
    return this.pushText(this.noteBadByte(this.decoder.push(bytes)));
  }

  /** pushText parses the next piece of text; throws InputError for a header mistake. */
  pushText(text: string): CsvRow[] {
    if (!this.started) {
      if (text === '') return [];
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (!this.sawReplacement) this.noteReplacement(text);
    if (this.tokenizer === undefined) {
      this.pending += text;
      if (this.pending.length < SAMPLE_CHARS) return [];
      this.setUp(this.pending.slice(0, SAMPLE_CHARS), false);
      return this.run('', false);
    }
    return this.run(text, false);
  }

  /** end parses the last row; throws InputError for an empty file, a header mistake or an unclosed quote. */
  end(): CsvRow[] {
    let rows: CsvRow[] = [];
    if (this.decoder !== undefined) {
      const text = this.noteBadByte(this.decoder.end());
      if (text !== '') rows = this.pushText(text);
    }
    if (this.tokenizer === undefined) this.setUp(this.pending, true);
    const last = this.run('', true);
    if (this.header === undefined) throw emptyFileError();
    for (const r of last) rows.push(r);
    return rows;
  }

  private setUp(sample: string, complete: boolean): void {
    this.newline = detectNewline(sample);
    this.chosenDelimiter = this.options.delimiter ?? detectDelimiter(sample, complete, this.newline);
    this.tokenizer = createTokenizer(this.chosenDelimiter, this.newline);
  }

  /**
   * noteReplacement warns once about U+FFFD, the character a decoder writes for bytes it could not
   * read: text decoded with the wrong encoding (UTF-8 forced on a Windows-1252 file) shows "J�rgen".
   */
  private noteReplacement(text: string): void {
    const at = text.indexOf('\uFFFD');
    if (at < 0) return;
    this.sawReplacement = true;
    let line = this.line + countNewlines(this.pending) + countNewlines(text, at);
    for (const t of this.parked) line += countNewlines(t);
    this.warnings.push(replacementWarning(line));
  }

  /** noteBadByte turns the decoder's first bad byte into a warning naming its line. */
  private noteBadByte(text: string): string {
    const at = this.decoder?.badByteAt ?? -1;
    if (at >= 0) {
      let line = this.line + countNewlines(this.pending) + countNewlines(text, at);
      for (const t of this.parked) line += countNewlines(t);
      this.warnings.push(invalidUtf8Warning(line));
    }
    return text;
  }

  private run(text: string, final: boolean): CsvRow[] {
    // A row still unfinished after LONG_ROW characters (a quote that is never closed swallows the
    // rest of the file) is re-parsed only once the text after it has doubled, not on every
    // chunk, so such a file costs linear time, not quadratic.
    if (this.pending.length >= LONG_ROW || this.parked.length > 0) {
      this.parked.push(text);
      this.parkedLength += text.length;
      // Bound what one unfinished row may hold, or a file whose first quote never closes would be
      // kept whole in memory (a 2 GB import, twice over as text).
      if (this.pending.length + this.parkedLength > MAX_ROW_CHARS) throw rowTooLongError(this.dataRows + 1, this.line, MAX_ROW_CHARS);
      if (!final && this.parkedLength < this.pending.length) return [];
      text = this.parked.join('');
      this.parked = [];
      this.parkedLength = 0;
    }
    const input = this.pending + text;
    const tokenizer = this.tokenizer;
    if (tokenizer === undefined) throw new Error('CsvStreamParser: run before setUp');
    const { rows, errors, cursor } = tokenizer.tokenize(input, final);
    const end = final ? input.length : cursor;
    const startLine = this.line;
    const nl = this.newline;
    // Each complete row ends with one line break; if the parsed text has no others, no row spans
    // two lines and lines need not be counted row by row.
    const oneLineEach = countChar(input, nl, end) === (final ? rows.length - 1 : rows.length);
    // Whether a quoted value may end in '\r' ('\r"' occurs); only then is a CRLF row looked at closely.
    let crQuoteSeen: boolean | undefined;
    // Offset in `input` of the current row, tracked once crQuoteSeen.
    let offset = -1;
    const unclosed = final ? errors.find((e) => e.code === 'MissingQuotes') : undefined;
    const out: CsvRow[] = [];
    try {
      for (const fields of rows) {
        const span = oneLineEach ? 1 : 1 + countInFields(fields, nl);
        const lastIndex = fields.length - 1;
        const last = fields[lastIndex] ?? '';
        if (nl === '\n' && last.charCodeAt(last.length - 1) === 13) {
          crQuoteSeen ??= input.indexOf('\r"') !== -1;
          if (crQuoteSeen && offset < 0) offset = lineStart(input, this.line - startLine, nl);
          const quoted =
            crQuoteSeen &&
            lastFieldQuoted(input.slice(offset, lineEnd(input, offset, span, nl)), last, this.chosenDelimiter ?? ',');
          if (!quoted) fields[lastIndex] = last.slice(0, -1);
        }
        if (offset >= 0) offset = lineEnd(input, offset, span, nl) + 1;
        this.accept(fields, this.line, out);
        this.line += span;
      }
    } catch (err) {
      // A quote left open swallows the rest of the file into one row, which may well make a bad
      // header; the open quote is the mistake to report.
      if (unclosed === undefined || !(err instanceof InputError)) throw err;
    }
    this.pending = final ? '' : input.slice(end);
    if (unclosed !== undefined) {
      // papaparse's index is just past the opening quote.
      const line = startLine + countChar(input, nl, Math.max(0, unclosed.index - 1));
      throw unterminatedQuoteError(this.header === undefined ? 0 : this.dataRows, line);
    }
    return out;
  }

  private accept(fields: string[], line: number, out: CsvRow[]): void {
    const header = this.header;
    if (header !== undefined) {
      if (isBlankRow(fields)) return;
      const row = ++this.dataRows;
      if (fields.length === header.length) out.push({ row, line, fields });
      else out.push({ row, line, fields, problem: fieldCountProblem(row, line, fields.length, header.length) });
      return;
    }
    // Before the header: line 1 blank (or only whitespace) means the header row is missing.
    const blankLine = isBlankRow(fields) && (fields.length === 1 || this.chosenDelimiter === '\t');
    if (this.blankFirstLine || (line === 1 && blankLine)) {
      this.blankFirstLine = true;
      if (isBlankRow(fields)) return;
      throw missingHeaderError(line);
    }
    this.header = readHeader(fields, line);
  }
}

/** MAX_ROW_CHARS is the longest row the parser holds while waiting for its end (a cell of a few MB is fine). */
export const MAX_ROW_CHARS = 64 * 1024 * 1024;

/** LONG_ROW is the length of unfinished row after which run() parks text instead of re-parsing. */
const LONG_ROW = 1 << 20;

/** countChar counts `ch` in `text` before `end`. */
function countChar(text: string, ch: string, end: number): number {
  let n = 0;
  let i = text.indexOf(ch);
  while (i !== -1 && i < end) {
    n++;
    i = text.indexOf(ch, i + 1);
  }
  return n;
}

/** countInFields counts line breaks inside a row's (quoted) fields. */
function countInFields(fields: readonly string[], nl: Newline): number {
  let n = 0;
  for (const f of fields) if (f.includes(nl)) n += countChar(f, nl, f.length);
  return n;
}

/** lineStart is the offset where the line `lines` line breaks into `text` starts. */
function lineStart(text: string, lines: number, nl: Newline): number {
  return lines === 0 ? 0 : lineEnd(text, 0, lines, nl) + 1;
}

/** lineEnd is the offset of the line break ending the row that starts at `offset` and spans `span` lines. */
function lineEnd(text: string, offset: number, span: number, nl: Newline): number {
  let at = offset - 1;
  for (let k = 0; k < span; k++) {
    at = text.indexOf(nl, at + 1);
    if (at === -1) return text.length;
  }
  return at;
}

/**
 * lastFieldQuoted tells whether the raw row `raw` (without its line break) ends with `value` as a
 * quoted field: an opening quote, the value with quotes doubled, a closing quote, then only
 * whitespace that is not the delimiter (papaparse allows that before the line break).
 */
function lastFieldQuoted(raw: string, value: string, delimiter: Delimiter): boolean {
  let e = raw.length;
  while (e > 0) {
    const c = raw.charAt(e - 1);
    if (c === delimiter || c.trim() !== '') break;
    e--;
  }
  const tail = `${value.replaceAll('"', '""')}"`;
  const start = e - tail.length;
  return start >= 1 && raw.startsWith(tail, start) && raw.charAt(start - 1) === '"';
}
