import { stat } from 'node:fs/promises';
import type { RowOutcomes } from '../ports';
import { scanJournal } from './journal-reader';

/**
 * PastJournals reads the rows of campaigns that are not sending in this process (the history, a
 * status table, a report), keeping the last one read while its journal file stays as it was: paging
 * through a million-row campaign reads its journal (or snapshot) once, not once a page. One campaign
 * is kept (~85 MB at a million rows), the one being looked at.
 */
export class PastJournals {
  #last: { path: string; size: number; mtimeMs: number; rows: Promise<RowOutcomes> } | undefined;

  /** forget drops what is held (a campaign read here is about to run, and keeps its own rows). */
  forget(): void {
    this.#last = undefined;
  }

  /** read is the latest state of every row recorded in the journal at `path`. */
  async read(path: string): Promise<RowOutcomes> {
    const st = await stat(path).catch(() => undefined);
    const size = st?.size ?? -1;
    const mtimeMs = st?.mtimeMs ?? -1;
    const last = this.#last;
    if (last !== undefined && last.path === path && last.size === size && last.mtimeMs === mtimeMs) return last.rows;
    // Dropped before reading, so the one held and the one read are never both in memory.
    this.#last = undefined;
    const rows = scanJournal(path).then((s) => s.latest);
    this.#last = { path, size, mtimeMs, rows };
    rows.catch(() => {
      if (this.#last?.rows === rows) this.#last = undefined;
    });
    return rows;
  }
}
