import type { RowOutcome, RowStatus } from '../../../shared/engine/events';
import { rowStatuses } from '../../../shared/engine/events';
import type { RowOutcomes } from '../ports';
import type { JournalRecord } from './journal-codec';
import type { ParsedLine } from './journal-line';
import { isoOf } from './iso-time';
import type { StoreColumns } from './row-columns';
import { BIG, grown, newTextColumn, NONE, setAttempts, setHttp, setTime, textColumns } from './row-columns';

/**
 * RowStore keeps the latest state of every row of a campaign in columns indexed by row number:
 * typed arrays for the status, attempts, HTTP status and time sent, byte arenas for the recipient,
 * message id and error (string-column.ts; errors repeat, so rows share them). A million rows take
 * about 85 MB instead of the ~400 MB of a Map of RowOutcome objects, and nothing in it is an object
 * the garbage collector has to walk. The journal keeps one (file-journal.ts), the journal reader
 * builds one for past campaigns, and a snapshot saves one to disk (row-snapshot.ts).
 *
 * Every record reads back exactly as written: a time sent that is not in the engine's own ISO form
 * (a provider's) is kept as text, attempts or an HTTP status beyond 16 bits in a side table, and
 * what a row's uploads answered (only rows that attach files and are not settled have any) in
 * another.
 */

/** MAX_ROW is the highest row number a store takes: far beyond any CSV, low enough that a bad number cannot ask for gigabytes. */
export const MAX_ROW = 1 << 27;

export class RowStore implements RowOutcomes {
  #c: StoreColumns;
  #size = 0;
  #maxRow = 0;
  readonly #counts = new Float64Array(rowStatuses.length);

  /** `capacity` is the number of rows expected (the store grows past it when needed). */
  constructor(capacity = 1024) {
    const n = Math.min(MAX_ROW, Math.max(16, capacity)) + 1;
    this.#c = {
      status: new Uint8Array(n),
      attempts: new Uint16Array(n),
      http: new Uint16Array(n),
      sentAt: new Float64Array(n).fill(Number.NaN),
      text: {
        recipient: newTextColumn('recipient', n),
        messageId: newTextColumn('messageId', n),
        error: newTextColumn('error', n),
        sentAtText: newTextColumn('sentAtText', n),
        startedAt: newTextColumn('startedAt', n),
      },
      bigAttempts: new Map(),
      bigHttp: new Map(),
      uploads: new Map(),
    };
  }

  /** of builds a store from outcomes (the last one of a row wins). */
  static of(outcomes: Iterable<RowOutcome>): RowStore {
    const store = new RowStore();
    for (const o of outcomes) store.set(o);
    return store;
  }

  /** restore rebuilds a store from a snapshot's columns. */
  static restore(columns: StoreColumns): RowStore {
    const store = new RowStore(0);
    store.#c = columns;
    const s = columns.status;
    for (let row = 1; row < s.length; row++) {
      const code = s[row] as number;
      if (code === 0) continue;
      store.#size++;
      store.#maxRow = row;
      store.#counts[code - 1] = (store.#counts[code - 1] as number) + 1;
    }
    return store;
  }

  /** columns are the store's arrays, for a snapshot (read-only). */
  columns(): Readonly<StoreColumns> {
    return this.#c;
  }

  /** byteSize is the memory the store's columns hold (side tables left out). */
  byteSize(): number {
    const c = this.#c;
    return c.status.byteLength + c.attempts.byteLength + c.http.byteLength + c.sentAt.byteLength + textColumns.reduce((n, t) => n + c.text[t].byteSize(), 0);
  }

  get size(): number {
    return this.#size;
  }

  /** maxRow is the highest row recorded (0 when none is). */
  get maxRow(): number {
    return this.#maxRow;
  }

  /** set records a row's latest state (only the fields of a journal record are kept). */
  set(o: JournalRecord): void {
    const code = rowStatuses.indexOf(o.status) + 1;
    if (code === 0) throw new TypeError(`row ${o.row}: unknown status ${String(o.status)}`);
    const row = this.#setStatus(o.row, code);
    const c = this.#c;
    setAttempts(c, row, o.attempts);
    setHttp(c, row, o.httpStatus);
    setTime(c, row, o.sentAt);
    c.text.startedAt.set(row, o.attemptStartedAt);
    c.text.recipient.set(row, o.recipient);
    c.text.messageId.set(row, o.messageId);
    c.text.error.set(row, o.error);
    if (o.uploads !== undefined && o.uploads.length > 0) c.uploads.set(row, o.uploads);
    else c.uploads.delete(row);
  }

  /** setParsed records a journal line read in place (journal-line.ts): the same as set() with the record it holds. */
  setParsed(p: ParsedLine, bytes: Buffer): void {
    const row = this.#setStatus(p.row, p.status);
    const c = this.#c;
    setAttempts(c, row, p.attempts);
    setHttp(c, row, p.httpStatus);
    setTime(c, row, p.sentAt);
    c.text.startedAt.set(row, p.attemptStartedAt);
    c.text.recipient.setBytes(row, bytes, p.recipientFrom, p.recipientTo);
    if (p.messageIdFrom < 0) c.text.messageId.set(row, undefined);
    else c.text.messageId.setBytes(row, bytes, p.messageIdFrom, p.messageIdTo);
    if (p.errorFrom < 0) c.text.error.set(row, undefined);
    else c.text.error.setBytes(row, bytes, p.errorFrom, p.errorTo);
    c.uploads.delete(row); // a line read in place has none
  }

  /** #setStatus gives `row` status `code` (1 + index in rowStatuses), keeping the counts, and returns the row. */
  #setStatus(row: number, code: number): number {
    if (!Number.isInteger(row) || row < 1 || row > MAX_ROW) throw new RangeError(`row number ${row} is out of range (1 to ${MAX_ROW})`);
    this.#ensure(row);
    const c = this.#c;
    const old = c.status[row] as number;
    const counts = this.#counts;
    if (old === 0) this.#size++;
    else counts[old - 1] = (counts[old - 1] as number) - 1;
    counts[code - 1] = (counts[code - 1] as number) + 1;
    c.status[row] = code;
    if (row > this.#maxRow) this.#maxRow = row;
    return row;
  }

  get(row: number): JournalRecord | undefined {
    const c = this.#c;
    const code = c.status[row] ?? 0;
    if (code === 0) return undefined;
    const attempts = c.attempts[row] as number;
    const o: JournalRecord = {
      row,
      status: rowStatuses[code - 1] as RowStatus,
      recipient: c.text.recipient.get(row) ?? '',
      attempts: attempts === BIG ? (c.bigAttempts.get(row) as number) : attempts,
    };
    const messageId = c.text.messageId.get(row);
    if (messageId !== undefined) o.messageId = messageId;
    const http = c.http[row] as number;
    if (http === BIG) o.httpStatus = c.bigHttp.get(row) as number;
    else if (http !== NONE) o.httpStatus = http;
    const error = c.text.error.get(row);
    if (error !== undefined) o.error = error;
    const sentAt = c.sentAt[row] as number;
    const sentAtText = Number.isNaN(sentAt) ? c.text.sentAtText.get(row) : isoOf(sentAt);
    if (sentAtText !== undefined) o.sentAt = sentAtText;
    const started = c.text.startedAt.get(row);
    if (started !== undefined) o.attemptStartedAt = started;
    const uploads = c.uploads.get(row);
    if (uploads !== undefined) o.uploads = structuredClone(uploads);
    return o;
  }

  has(row: number): boolean {
    return (this.#c.status[row] ?? 0) !== 0;
  }

  statusOf(row: number): RowStatus | undefined {
    const code = this.#c.status[row] ?? 0;
    return code === 0 ? undefined : rowStatuses[code - 1];
  }

  count(status: RowStatus): number {
    return this.#counts[rowStatuses.indexOf(status)] ?? 0;
  }

  *rows(statuses?: readonly RowStatus[]): MapIterator<number> {
    const s = this.#c.status;
    const max = this.#maxRow;
    if (statuses === undefined) {
      for (let row = 1; row <= max; row++) if (s[row] !== 0) yield row;
      return;
    }
    const wanted = new Uint8Array(rowStatuses.length + 1);
    for (const st of statuses) wanted[rowStatuses.indexOf(st) + 1] = 1;
    for (let row = 1; row <= max; row++) if (wanted[s[row] as number] === 1) yield row;
  }

  *values(): MapIterator<RowOutcome> {
    for (const row of this.rows()) yield this.get(row) as RowOutcome;
  }

  keys(): MapIterator<number> {
    return this.rows();
  }

  *entries(): MapIterator<[number, RowOutcome]> {
    for (const row of this.rows()) yield [row, this.get(row) as RowOutcome];
  }

  [Symbol.iterator](): MapIterator<[number, RowOutcome]> {
    return this.entries();
  }

  forEach(callback: (value: RowOutcome, key: number, map: ReadonlyMap<number, RowOutcome>) => void, thisArg?: unknown): void {
    for (const [row, o] of this.entries()) callback.call(thisArg, o, row, this);
  }

  attemptsOf(row: number): number | undefined {
    if (!this.has(row)) return undefined;
    const attempts = this.#c.attempts[row] as number;
    return attempts === BIG ? (this.#c.bigAttempts.get(row) as number) : attempts;
  }

  recipientOf(row: number): string | undefined {
    return this.has(row) ? (this.#c.text.recipient.get(row) ?? '') : undefined;
  }

  sentAtOf(row: number): number | undefined {
    if (!this.has(row)) return undefined;
    const ms = this.#c.sentAt[row] as number;
    if (!Number.isNaN(ms)) return ms;
    const text = this.#c.text.sentAtText.get(row);
    // A provider's own form of time: Date reads what it can.
    const parsed = text === undefined ? Number.NaN : Date.parse(text);
    return Number.isNaN(parsed) ? undefined : parsed;
  }

  #ensure(row: number): void {
    const c = this.#c;
    if (row < c.status.length) return;
    const n = Math.min(MAX_ROW, Math.max(row, c.status.length * 2)) + 1;
    c.status = grown(c.status, new Uint8Array(n));
    c.attempts = grown(c.attempts, new Uint16Array(n));
    c.http = grown(c.http, new Uint16Array(n));
    c.sentAt = grown(c.sentAt, new Float64Array(n).fill(Number.NaN));
    for (const t of textColumns) c.text[t].grow(n);
  }
}
