import type { JsonObject } from '../../../shared/json';
import { msOfIso } from './iso-time';
import { StringColumn } from './string-column';

/**
 * The columns a RowStore (row-store.ts) keeps its rows in, and how one field of a row is written
 * into them: a value that fits its typed array goes there, anything else into a side table or a
 * text column, so every record reads back exactly as written. The snapshot (row-snapshot.ts) saves
 * and restores the same columns.
 */

/** NONE in `http` is a row without an HTTP status. */
export const NONE = 0;
/** BIG in `attempts` or `http` says the value is in the side table (`bigAttempts`, `bigHttp`). */
export const BIG = 0xffff;

/** The text columns: `sentAtText` holds a time sent that is not in the engine's own ISO form. */
export const textColumns = ['recipient', 'messageId', 'error', 'sentAtText', 'startedAt'] as const;
export type TextColumn = (typeof textColumns)[number];

/** StoreColumns are a store's arrays and side tables, for the snapshot to save and restore. */
export interface StoreColumns {
  /** 0: never recorded; otherwise 1 + the index of the status in rowStatuses. */
  status: Uint8Array;
  attempts: Uint16Array;
  /** 0: none; BIG: in `bigHttp`. */
  http: Uint16Array;
  /** NaN: none (or in `text.sentAtText`). */
  sentAt: Float64Array;
  text: Record<TextColumn, StringColumn>;
  bigAttempts: Map<number, number>;
  bigHttp: Map<number, number>;
  /** What the uploads of a row not settled yet answered (JournalRecord.uploads). */
  uploads: Map<number, JsonObject[]>;
}

/** sharesOf is how many recent values a text column remembers: errors repeat ("HTTP 503…", a skip reason), so rows with the same one share its bytes. */
export function sharesOf(name: TextColumn): number {
  return name === 'error' ? 256 : 0;
}

/** newTextColumn makes an empty text column `name` for `capacity` rows. */
export function newTextColumn(name: TextColumn, capacity: number): StringColumn {
  return new StringColumn(capacity, sharesOf(name));
}

/** grown copies a typed array into a larger one. */
export function grown<T extends Uint8Array | Uint16Array | Float64Array>(old: T, to: T): T {
  to.set(old);
  return to;
}

/** setAttempts keeps a count below BIG in the column, anything else aside. */
export function setAttempts(c: StoreColumns, row: number, value: number): void {
  if (Number.isInteger(value) && value >= 0 && value < BIG) {
    c.attempts[row] = value;
    c.bigAttempts.delete(row);
  } else {
    c.attempts[row] = BIG;
    c.bigAttempts.set(row, value);
  }
}

/** setHttp keeps a status from 1 to BIG - 1 in the column (0: none), anything else aside. */
export function setHttp(c: StoreColumns, row: number, value: number | undefined): void {
  c.bigHttp.delete(row);
  if (value === undefined) c.http[row] = NONE;
  else if (Number.isInteger(value) && value >= 1 && value < BIG) c.http[row] = value;
  else {
    c.http[row] = BIG;
    c.bigHttp.set(row, value);
  }
}

/** setTime keeps an ISO time that Date reads and writes back unchanged as a number, any other text aside. */
export function setTime(c: StoreColumns, row: number, text: string | undefined): void {
  const ms = text === undefined ? undefined : msOfIso(text);
  if (ms !== undefined) {
    c.sentAt[row] = ms;
    c.text.sentAtText.set(row, undefined);
  } else {
    c.sentAt[row] = Number.NaN;
    c.text.sentAtText.set(row, text);
  }
}
