import type { RowOutcome } from '../../../shared/engine/events';

/**
 * Grouping errors by reason turns ten thousand failed rows into the three things that went wrong.
 * Reasons that differ only by an id, a number or a quoted value ("Conversation not found: 8f2c…")
 * fall in one group; each group keeps a few example rows to jump to.
 */

/** ErrorGroup is one reason rows failed, how many rows and which (the first few). */
export interface ErrorGroup {
  /** The reason with row-specific parts replaced by "…". */
  reason: string;
  /** One full reason as the provider wrote it. */
  example: string;
  status: 'failed' | 'uncertain';
  httpStatus?: number;
  count: number;
  /** The first rows of the group, in row order. */
  rows: number[];
}

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const QUOTED = /"[^"]*"/g;
/** An id: a `prefix_xxxxx` token (con_4f9a2b1) or any token of 4+ characters with a digit in it. */
const ID_LIKE = /\b[a-z]+_[a-z0-9]{5,}\b|\b(?=[a-z0-9-]*\d)[a-z0-9-]{4,}\b/gi;

/** reasonKey normalises an error message so that messages differing only in ids or values compare equal. */
export function reasonKey(error: string): string {
  return error
    .replace(UUID, '…')
    .replace(QUOTED, '…')
    .replace(ID_LIKE, '…')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * groupErrors groups the failed and uncertain rows by normalised reason (and HTTP status), largest
 * group first; each keeps up to `exampleRows` rows.
 */
export function groupErrors(rows: Iterable<RowOutcome>, exampleRows = 5): ErrorGroup[] {
  const groups = new Map<string, ErrorGroup>();
  for (const r of rows) {
    if (r.status !== 'failed' && r.status !== 'uncertain') continue;
    const error = r.error ?? (r.status === 'uncertain' ? 'no answer from the provider' : 'failed');
    const reason = reasonKey(error);
    const key = `${r.status}\u0000${r.httpStatus ?? ''}\u0000${reason}`;
    let g = groups.get(key);
    if (g === undefined) {
      g = { reason, example: error, status: r.status, count: 0, rows: [] };
      if (r.httpStatus !== undefined) g.httpStatus = r.httpStatus;
      groups.set(key, g);
    }
    g.count++;
    if (g.rows.length < exampleRows) g.rows.push(r.row);
  }
  for (const g of groups.values()) g.rows.sort((a, b) => a - b);
  return [...groups.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}
