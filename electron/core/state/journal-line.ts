import { crc32 } from 'node:zlib';
import { rowStatuses } from '../../../shared/engine/events';

/**
 * Reading a journal line fast. A crash leaves a journal of two records a row (a million rows: two
 * million lines) that the next run must read before it sends anything; JSON.parse, the schema and
 * a string per field made that ten seconds and more. A line exactly as encodeRecord writes it (its
 * checksum, then pickOutcome's fields in pickOutcome's order as JSON.stringify writes them) is read
 * here from its bytes, in place: numbers as numbers, and for each text where its bytes are, so the
 * row store copies them without a string being made. Anything else (a character JSON had to escape,
 * another order of fields, a damaged line) is refused, and the caller reads that line the general
 * way (decodeLine), which accepts what the schema accepts and says what is wrong.
 */

/** ParsedLine is one record read in place; reused from line to line. Text is `[from, to)` of the line's buffer, -1 when absent. */
export class ParsedLine {
  row = 0;
  /** 1 + the index of the status in rowStatuses. */
  status = 0;
  attempts = 0;
  httpStatus: number | undefined;
  recipientFrom = 0;
  recipientTo = 0;
  messageIdFrom = -1;
  messageIdTo = -1;
  errorFrom = -1;
  errorTo = -1;
  sentAt: string | undefined;
  attemptStartedAt: string | undefined;
}

const key = (k: string) => Buffer.from(k, 'latin1');
const ROW = key('{"row":');
const STATUS = key(',"status":"');
const RECIPIENT = key(',"recipient":"');
const ATTEMPTS = key(',"attempts":');
const MESSAGE_ID = key(',"messageId":"');
const HTTP_STATUS = key(',"httpStatus":');
const ERROR = key(',"error":"');
const SENT_AT = key(',"sentAt":"');
const STARTED_AT = key(',"attemptStartedAt":"');
const STATUS_WORDS = rowStatuses.map((s) => key(`${s}"`));
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SPACE = 0x20;

/**
 * parseLine reads the record line `buf[start, end)` (no newline) into `out`; false when the line is
 * not in encodeRecord's exact form or its checksum does not match (read it with decodeLine then).
 */
export function parseLine(buf: Buffer, start: number, end: number, out: ParsedLine): boolean {
  if (end - start < 10 || buf[start + 8] !== SPACE) return false;
  let sum = 0;
  for (let i = start; i < start + 8; i++) {
    const c = buf[i] as number;
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
    if (d < 0) return false;
    sum = sum * 16 + d;
  }
  const body = start + 9;
  if (crc32(buf.subarray(body, end)) !== sum) return false;
  return new BodyReader(buf, body, end).read(out);
}

/** BodyReader walks the JSON of one record; every method returns false (or -1) as soon as the form is not the expected one. */
class BodyReader {
  #at: number;
  constructor(
    private readonly buf: Buffer,
    start: number,
    private readonly end: number,
  ) {
    this.#at = start;
  }

  read(out: ParsedLine): boolean {
    const row = this.#literal(ROW) ? this.#integer(false) : -1;
    if (row < 1 || !this.#literal(STATUS)) return false;
    out.row = row;
    out.status = 0;
    for (let i = 0; i < STATUS_WORDS.length; i++) {
      if (this.#literal(STATUS_WORDS[i] as Buffer)) {
        out.status = i + 1;
        break;
      }
    }
    if (out.status === 0 || !this.#literal(RECIPIENT)) return false;
    out.recipientFrom = this.#at;
    out.recipientTo = this.#string();
    if (out.recipientTo < 0 || !this.#literal(ATTEMPTS)) return false;
    out.attempts = this.#integer(false);
    if (out.attempts < 0) return false;
    out.messageIdFrom = out.messageIdTo = out.errorFrom = out.errorTo = -1;
    out.httpStatus = out.sentAt = out.attemptStartedAt = undefined;
    if (this.#literal(MESSAGE_ID)) {
      out.messageIdFrom = this.#at;
      if ((out.messageIdTo = this.#string()) < 0) return false;
    }
    if (this.#literal(HTTP_STATUS)) {
      const negative = this.buf[this.#at] === 0x2d;
      if (negative) this.#at++;
      const n = this.#integer(negative);
      if (n < 0) return false;
      out.httpStatus = negative ? -n : n;
    }
    if (this.#literal(ERROR)) {
      out.errorFrom = this.#at;
      if ((out.errorTo = this.#string()) < 0) return false;
    }
    if (this.#literal(SENT_AT)) {
      const from = this.#at;
      const to = this.#string();
      if (to < 0) return false;
      out.sentAt = this.buf.toString('utf8', from, to);
    }
    if (this.#literal(STARTED_AT)) {
      const from = this.#at;
      const to = this.#string();
      if (to < 0) return false;
      out.attemptStartedAt = this.buf.toString('utf8', from, to);
    }
    return this.#at === this.end - 1 && this.buf[this.#at] === 0x7d;
  }

  /** #literal steps over `bytes` when they come next (compared in JavaScript: a native compare costs more for a few bytes). */
  #literal(bytes: Buffer): boolean {
    const at = this.#at;
    if (at + bytes.length > this.end) return false;
    for (let i = 0; i < bytes.length; i++) if (this.buf[at + i] !== bytes[i]) return false;
    this.#at = at + bytes.length;
    return true;
  }

  /** #integer reads digits as JSON writes a safe integer (no leading zero; `nonZero`: not 0 either); -1 when they are not. */
  #integer(nonZero: boolean): number {
    const from = this.#at;
    let n = 0;
    while (this.#at < this.end) {
      const d = (this.buf[this.#at] as number) - 0x30;
      if (d < 0 || d > 9) break;
      n = n * 10 + d;
      this.#at++;
    }
    const digits = this.#at - from;
    if (digits === 0 || digits > 15 || (digits > 1 && this.buf[from] === 0x30) || (nonZero && n === 0)) return -1;
    return n;
  }

  /** #string steps over a string's bytes and its closing quote, returning where the bytes end; -1 for anything JSON escaped. */
  #string(): number {
    for (let i = this.#at; i < this.end; i++) {
      const c = this.buf[i] as number;
      if (c === QUOTE) {
        this.#at = i + 1;
        return i;
      }
      if (c === BACKSLASH || c < 0x20) return -1;
    }
    return -1;
  }
}
