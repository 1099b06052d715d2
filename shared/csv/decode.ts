import { completeLength, decodeLossy } from './utf8';

/**
 * Turning CSV bytes into text. Spreadsheets write UTF-8 with or without a BOM, "Unicode text"
 * (UTF-16 with a BOM, usually tab-delimited), or, on Western Windows, windows-1252. The same
 * streaming decoder serves a whole file in memory, the Node reader (chunks from disk) and a
 * Web Worker (chunks of a File), so all three read the same bytes the same way.
 */

/** CsvEncoding is how the bytes were read. */
export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** DecodedText is a whole file decoded. */
export interface DecodedText {
  text: string;
  encoding: CsvEncoding;
  /** Whether the file started with a byte order mark (it is not part of `text`). */
  bom: boolean;
  warnings: string[];
}

/** invalidUtf8Warning is the warning for a file whose first byte that is not UTF-8 is on `line`. */
export function invalidUtf8Warning(line: number): string {
  return (
    `line ${line}: the file is not valid UTF-8, so bytes that are not UTF-8 were read as windows-1252 ` +
    `(Western European); check accented letters, or save the file as "CSV UTF-8" and import it again`
  );
}

/** replacementWarning is the warning for text holding U+FFFD (unreadable bytes), first on `line`. */
export function replacementWarning(line: number): string {
  return (
    `line ${line}: the text holds "\uFFFD" where a letter could not be read, so the file was probably saved in another ` +
    `encoding: choose the one it was saved in (Windows-1252 for most files from Excel on Windows), or save it as "CSV UTF-8"`
  );
}

type Mode = 'start' | 'utf-8' | 'utf-16le' | 'utf-16be';

/** Decoder is the part of TextDecoder used here (its type is spelled differently in Node's and DOM typings). */
interface Decoder {
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}

/**
 * CsvStreamDecoder decodes a file pushed in chunks of any size. It detects the encoding from the
 * first bytes (a BOM, or the NUL bytes of UTF-16 without one), never splits a character between
 * chunks, and reads bytes that are not UTF-8 as windows-1252 (see decodeLossy). The text it returns
 * does not include the BOM.
 */
export class CsvStreamDecoder {
  /** How the bytes are being read; becomes 'windows-1252' at the first byte that is not UTF-8. */
  encoding: CsvEncoding = 'utf-8';
  bom = false;
  /**
   * Offset, in the text returned by the latest push or end, of the first byte of the file that was
   * not UTF-8; -1 when that call did not meet it (including when an earlier call already had).
   */
  badByteAt = -1;

  private mode: Mode = 'start';
  private head: Uint8Array = new Uint8Array(0);
  private carry: Uint8Array = new Uint8Array(0);
  private utf16: Decoder | undefined;
  private readonly strict: Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private lossy = false;

  /** push decodes the next chunk; the caller may reuse `bytes` afterwards. */
  push(bytes: Uint8Array): string {
    this.badByteAt = -1;
    if (this.mode === 'start') {
      const head = concat(this.head, bytes);
      if (head.length < 3) {
        this.head = head;
        return '';
      }
      this.head = new Uint8Array(0);
      return this.decode(this.detect(head), false);
    }
    return this.decode(bytes, false);
  }

  /** end decodes whatever the last chunk left incomplete; a cut-off character is read as windows-1252. */
  end(): string {
    this.badByteAt = -1;
    if (this.mode === 'start') {
      const head = this.head;
      this.head = new Uint8Array(0);
      return this.decode(this.detect(head), true);
    }
    return this.decode(new Uint8Array(0), true);
  }

  private detect(head: Uint8Array): Uint8Array {
    const [b0, b1, b2] = head;
    if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return this.start('utf-8', true, head.subarray(3));
    if (b0 === 0xff && b1 === 0xfe) return this.start('utf-16le', true, head.subarray(2));
    if (b0 === 0xfe && b1 === 0xff) return this.start('utf-16be', true, head.subarray(2));
    // No BOM: a CSV never starts with NUL, so "x\0" or "\0x" is UTF-16 saved without one.
    if (b0 !== undefined && b1 !== undefined && b0 !== 0 && b1 === 0) return this.start('utf-16le', false, head);
    if (b0 === 0 && b1 !== undefined && b1 !== 0) return this.start('utf-16be', false, head);
    return this.start('utf-8', false, head);
  }

  private start(mode: 'utf-8' | 'utf-16le' | 'utf-16be', bom: boolean, rest: Uint8Array): Uint8Array {
    this.mode = mode;
    this.encoding = mode;
    this.bom = bom;
    if (mode !== 'utf-8') this.utf16 = new TextDecoder(mode, { ignoreBOM: true });
    return rest;
  }

  private decode(bytes: Uint8Array, final: boolean): string {
    if (this.utf16) return this.utf16.decode(bytes, { stream: !final });
    const data = this.carry.length > 0 ? concat(this.carry, bytes) : bytes;
    const cut = final ? data.length : completeLength(data);
    // Copy: the caller may reuse `bytes` for its next read.
    this.carry = cut < data.length ? data.slice(cut) : new Uint8Array(0);
    const ready = data.subarray(0, cut);
    try {
      return this.strict.decode(ready);
    } catch {
      const { text, firstBad } = decodeLossy(ready);
      if (!this.lossy && firstBad >= 0) {
        this.lossy = true;
        this.encoding = 'windows-1252';
        this.badByteAt = firstBad;
      }
      return text;
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** countNewlines is how many '\n' `text` has before `end`; line numbers are 1 + this. */
export function countNewlines(text: string, end: number = text.length): number {
  let n = 0;
  let i = text.indexOf('\n');
  while (i !== -1 && i < end) {
    n++;
    i = text.indexOf('\n', i + 1);
  }
  return n;
}

/**
 * decodeCsvBytes decodes a whole file. Bytes that are not UTF-8 do not fail the import: they are
 * read as windows-1252 and a warning names the line of the first one.
 */
export function decodeCsvBytes(bytes: Uint8Array): DecodedText {
  const decoder = new CsvStreamDecoder();
  const first = decoder.push(bytes);
  let bad = decoder.badByteAt;
  const last = decoder.end();
  if (bad < 0 && decoder.badByteAt >= 0) bad = first.length + decoder.badByteAt;
  const text = first + last;
  const warnings = bad >= 0 ? [invalidUtf8Warning(1 + countNewlines(text, bad))] : [];
  return { text, encoding: decoder.encoding, bom: decoder.bom, warnings };
}
