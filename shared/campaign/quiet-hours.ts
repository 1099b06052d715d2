/**
 * Quiet hours: a campaign sends to a recipient only inside an allowed window of the recipient's
 * local day (`09:00-20:00`; a window may cross midnight: `22:00-06:00`). Where a recipient may live
 * in one of several zones (a country that spans several), the window must hold in every one of
 * them at once. Local time comes from the runtime's IANA data (Intl.DateTimeFormat), read at the
 * instant in question, so daylight-saving changes are honoured instead of assuming fixed offsets.
 * Pure: no Node, no DOM; the campaign service and any front end compute the same instants.
 */

/** QuietWindow is an allowed window of the local day, in minutes after midnight (end exclusive). */
export interface QuietWindow {
  start: number;
  end: number;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
/** How far ahead an opening is looked for: windows repeat daily; a week covers any DST change. */
const HORIZON = 8 * DAY;

/** parseWindow reads `HH:MM-HH:MM` (24-hour clock), or says what is wrong with it. */
export function parseWindow(text: string): QuietWindow | { reason: string } {
  const m = /^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/.exec(text);
  if (m === null) return { reason: `"${text}" is not a window: write it as HH:MM-HH:MM, e.g. "09:00-20:00"` };
  const [h1, m1, h2, m2] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
  for (const [h, min, at] of [[h1, m1, m[1]], [h2, m2, m[3]]] as const) {
    if (h > 24 || min > 59 || (h === 24 && min > 0)) return { reason: `"${at}:${String(min).padStart(2, '0')}" is not a time of day (00:00 to 24:00)` };
  }
  const start = h1 * 60 + m1;
  const end = (h2 * 60 + m2) % 1440;
  if (start % 1440 === end) return { reason: `"${text}" allows no time at all: the window starts where it ends` };
  return { start: start % 1440, end };
}

/** formatMinute writes minutes after midnight as `HH:MM`. */
export function formatMinute(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** formatWindow writes a window as `HH:MM-HH:MM`. */
export function formatWindow(w: QuietWindow): string {
  return `${formatMinute(w.start)}-${formatMinute(w.end)}`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(zone, f);
  }
  return f;
}

/** isKnownZone tells whether the runtime knows `zone` as an IANA time zone (`Europe/Berlin`). */
export function isKnownZone(zone: string): boolean {
  if (zone.trim() === '') return false;
  try {
    formatterOf(zone);
    return true;
  } catch {
    return false;
  }
}

/** offsetOf is how far ahead of UTC the wall clock of `zone` is at instant `t` (ms; whole seconds). */
export function offsetOf(zone: string, t: number): number {
  const parts = formatterOf(zone).formatToParts(t);
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - (t - (((t % 1000) + 1000) % 1000));
}

const mod = (a: number, n: number): number => ((a % n) + n) % n;

/** localMinuteOf is the wall-clock time in `zone` at `t`, in minutes after midnight. */
export function localMinuteOf(zone: string, t: number): number {
  return Math.floor(mod(t + offsetOf(zone, t), DAY) / MINUTE);
}

function inside(w: QuietWindow, msOfDay: number): boolean {
  const s = w.start * MINUTE;
  const e = w.end * MINUTE;
  return s < e ? msOfDay >= s && msOfDay < e : msOfDay >= s || msOfDay < e;
}

/**
 * reach is the first instant after `t` at which the wall clock of `zone` reads `minute`. It adds the
 * wall-clock distance, then corrects by the change of offset on the way (a DST change); a wall time
 * the change skips (02:30 on the spring-forward night) is reached just after the skip.
 */
function reach(zone: string, t: number, minute: number): number {
  const off0 = offsetOf(zone, t);
  let gap = mod(minute * MINUTE - mod(t + off0, DAY), DAY);
  if (gap === 0) gap = DAY;
  const wall = t + off0 + gap;
  const u1 = wall - off0;
  const u2 = wall - offsetOf(zone, u1);
  const fits = [u1, u2].filter((u) => u > t && u + offsetOf(zone, u) === wall);
  return fits.length > 0 ? Math.min(...fits) : Math.max(u1, u2);
}

/**
 * QuietAnswer is a window's answer at an instant: open (until when every zone stays inside), or the
 * next instant it opens in every zone (`at: null`: never within a week, the zones share no hour).
 */
export type QuietAnswer = { open: true; until: number } | { open: false; at: number | null };

/**
 * nextAllowed answers, at `now`, whether the window holds in every one of `zones` and, if not, the
 * first instant it does. It jumps from opening to opening (each zone's next start is a lower bound
 * of the answer), so it costs a few offset readings per zone, not a scan of the minutes.
 */
export function nextAllowed(w: QuietWindow, zones: readonly string[], now: number): QuietAnswer {
  let t = now;
  for (let step = 0; step < 64 * Math.max(1, zones.length) && t - now <= HORIZON; step++) {
    let next = t;
    for (const zone of zones) {
      if (!inside(w, mod(t + offsetOf(zone, t), DAY))) next = Math.max(next, reach(zone, t, w.start));
    }
    if (next === t) {
      let until = Number.POSITIVE_INFINITY;
      for (const zone of zones) until = Math.min(until, reach(zone, t, w.end));
      return t === now ? { open: true, until } : { open: false, at: t };
    }
    t = next;
  }
  return { open: false, at: null };
}

/** QuietWait is when a row outside its window goes, and the words for it. */
export interface QuietWait {
  at: number;
  /** The zone whose wall clock opens the window at `at` (the latest of a country's zones). */
  zone: string;
  /** The intersection of the country's zones was empty: the campaign's zone was used instead. */
  fallback: boolean;
}

/** openingZone is the zone whose wall clock reads the window's start at `at` (else the first). */
export function openingZone(w: QuietWindow, zones: readonly string[], at: number): string {
  return zones.find((z) => localMinuteOf(z, at) === w.start) ?? zones[0] ?? 'UTC';
}

/** utcText writes an instant as `2026-12-02 08:00 UTC`. */
export function utcText(t: number): string {
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** waitText is the preview's wording of a wait: `waits until 09:00 local (Europe/Berlin), 2026-12-02 08:00 UTC`. */
export function waitText(w: QuietWindow, wait: QuietWait, where?: string): string {
  const zone = wait.fallback ? `${wait.zone}, the campaign's zone: no hour of ${formatWindow(w)} holds in every zone of ${where ?? 'the country'}` : wait.zone;
  return `waits until ${formatMinute(w.start)} local (${zone}), ${utcText(wait.at)}`;
}

/** waitNote is the short note a waiting row carries in the journal: `waiting for 09:00 local (Europe/Berlin)`. */
export function waitNote(w: QuietWindow, wait: QuietWait): string {
  return `waiting for ${formatMinute(w.start)} local (${wait.zone})`;
}

/**
 * QuietPlanner answers, for many rows, when each may go: rows are grouped by their zone set (a
 * country), and each set's answer is kept for as long as it holds (until the window closes, or
 * until it opens), so a million rows cost a map lookup each, not a million computations.
 */
export class QuietPlanner {
  readonly window: QuietWindow;
  /** The campaign-wide zone: recipients without a number, and countries whose zones share no hour. */
  readonly zone: string;
  readonly #cache = new Map<string, Answer>();

  constructor(window: QuietWindow, zone: string) {
    this.window = window;
    this.zone = zone;
  }

  /**
   * waitOf is undefined when a recipient in `zones` (named `key` for the cache; none: the campaign's
   * zone) may be messaged at `now`, else when and why it waits: one object per answer, the same for
   * every row it holds for, so a caller can keep what it derives from it.
   */
  waitOf(key: string, zones: readonly string[] | undefined, now: number): QuietWait | undefined {
    let hit = this.#cache.get(key);
    if (hit === undefined || now < hit.from || now >= hit.until) {
      hit = this.#answer(zones !== undefined && zones.length > 0 ? zones : [this.zone], now);
      this.#cache.set(key, hit);
    }
    return hit.wait;
  }

  #answer(zones: readonly string[], now: number): Answer {
    let fallback = false;
    let a = nextAllowed(this.window, zones, now);
    let used = zones;
    if (!a.open && a.at === null) {
      fallback = true;
      used = [this.zone];
      a = nextAllowed(this.window, used, now);
    }
    if (a.open) return { from: now, until: a.until };
    const at = a.at ?? now; // the campaign's own zone always opens within a day
    return { from: now, until: at, wait: { at, zone: openingZone(this.window, used, at), fallback } };
  }
}

/** Answer is one zone set's answer, kept while `now` is in [from, until): no wait, or the same wait object. */
interface Answer {
  from: number;
  until: number;
  wait?: QuietWait;
}
