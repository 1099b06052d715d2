/**
 * How long a run has left, with the rows that wait for their quiet hours (waiting-rows.ts) counted
 * where they go: not now, but once their window opens. Rows ready now go at the current rate; then
 * the waiting rows are walked opening by opening, earliest first: a group starts no earlier than
 * its opening (or than the rows before it are done, if that is later) and takes its rows at the
 * same rate. One computation for every front end: the engine's snapshot (the CLI's progress line,
 * a window that reloads) and the desktop's status stream both ask estimateEta.
 *
 * The waiting rows are kept as a count per opening (OpeningCounts), not per row: a million rows
 * waiting for a few openings cost a few entries, and an estimate walks those entries only.
 */

/** Opening is when some waiting rows may go (ms, to the minute) and how many wait for it. */
export interface Opening {
  at: number;
  rows: number;
}

/** WaitingOpenings are the rows waiting for their quiet hours: how many, and by opening, earliest first. */
export interface WaitingOpenings {
  rows: number;
  openings: readonly Opening[];
}

const MINUTE = 60_000;

/**
 * OpeningCounts counts waiting rows per opening, earliest first. Openings are taken to the minute
 * (rounded up: never earlier than the row may go), which quiet-hours windows are anyway, so the
 * list stays as short as the distinct openings (a few per time zone), however many rows wait.
 */
export class OpeningCounts {
  readonly #list: Opening[] = [];
  #rows = 0;

  /** add counts one row waiting until `at`. */
  add(at: number): void {
    const key = Math.ceil(at / MINUTE) * MINUTE;
    const i = this.#find(key);
    const o = this.#list[i];
    if (o !== undefined && o.at === key) o.rows++;
    else this.#list.splice(i, 0, { at: key, rows: 1 }); // a new opening: rare, however many rows
    this.#rows++;
  }

  /** remove uncounts one row that waited until `at` (as given to add). */
  remove(at: number): void {
    const key = Math.ceil(at / MINUTE) * MINUTE;
    const i = this.#find(key);
    const o = this.#list[i];
    if (o === undefined || o.at !== key) return;
    this.#rows--;
    if (--o.rows === 0) this.#list.splice(i, 1);
  }

  /** view is the counts as they are now (not a copy: read it at once, do not keep it). */
  view(): WaitingOpenings {
    return { rows: this.#rows, openings: this.#list };
  }

  /** find is the index of the first opening at or after `key` (binary search). */
  #find(key: number): number {
    let lo = 0;
    let hi = this.#list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.#list[mid] as Opening).at < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * etaSeconds is how long until the last row is done: `ready` rows from `now` at `perSecond`, then
 * each opening's rows from no earlier than that opening. With no rate yet (0) it is null, unless
 * rows wait: then at least until the last opening (the time to send them is not known yet).
 */
export function etaSeconds(now: number, ready: number, perSecond: number, openings: readonly Opening[]): number | null {
  const last = openings.at(-1);
  if (!(perSecond > 0)) return last === undefined ? null : Math.max(0, last.at - now) / 1000;
  let at = now + (ready / perSecond) * 1000;
  for (const o of openings) at = Math.max(at, o.at) + (o.rows / perSecond) * 1000;
  return (at - now) / 1000;
}

/** EtaInput is what a run's ETA is made of (see estimateEta). */
export interface EtaInput {
  now: number;
  /** Rows not settled yet: pending (the waiting ones included) and in flight. */
  left: number;
  /** Rows settled per second lately (0: not known). */
  perSecond: number;
  /**
   * The same rate as it was when the last row settled. Once only waiting rows are left nothing is
   * sent, and the rate now falls to 0 within its window (10 s): this one is what the waiting rows
   * will go at, so a campaign whose last rows wait until tomorrow keeps its estimate of sending them.
   */
  lastPerSecond: number;
  /** The rows waiting for their quiet hours, by opening. */
  waiting?: WaitingOpenings | undefined;
}

/** estimateEta is a run's ETA in seconds (see etaSeconds): the one computation every front end shows. */
export function estimateEta(e: EtaInput): number | null {
  const openings = e.waiting?.openings ?? [];
  const ready = Math.max(0, e.left - (e.waiting?.rows ?? 0));
  const rate = ready === 0 && openings.length > 0 && e.lastPerSecond > 0 ? e.lastPerSecond : e.perSecond;
  return etaSeconds(e.now, ready, rate, openings);
}

/** WaitingNow is the waiting rows a front end shows: per opening (for the ETA) and when the first is due (ms). */
export interface WaitingNow extends WaitingOpenings {
  until: number;
}

/**
 * waitingLine is the waiting rows as the window shows them: how many, and when the first goes
 * (ISO 8601). The snapshot and every status batch take their `waiting` from it, so the two agree.
 */
export function waitingLine(w: { rows: number; until: number }): { rows: number; until: string } {
  return { rows: w.rows, until: new Date(w.until).toISOString() };
}
