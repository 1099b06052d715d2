/**
 * The campaign's rate limit, as the provider counts it: at most `perSecond` requests ARRIVING at
 * the provider in any one-second window, evenly spaced.
 *
 * Why count wire times and not grants: a grant is when the queue lets a request go; the request
 * reaches the wire later, after the write-ahead journal record and, for a new connection, the
 * connect. Those delays vary (the first requests of a run wait ~13 ms for their connections, later
 * ones ~0), so limiting grants lets a window of wire times hold more than the limit (we measured 60
 * arrivals in a second at 50/s). The transport reports when each request is written (ports.ts), and
 * WirePacer grants a request only when fewer than `cap` requests are written or about to be within
 * the last `windowMs + marginMs`. Requests granted but not yet written count as written now: they
 * reach the wire at the earliest now. So for any window, take the request in it that was granted
 * last: when it was granted, every other one in the window was counted, hence at most `cap` in it,
 * whatever the journal, a connection set-up or the event loop did between grant and wire.
 *
 * `marginMs` covers what happens after the wire, where we cannot see: the provider stamps a request
 * a little after we write it, and not always equally late (its event loop, the network). A request
 * stamped 10 ms later than the one `cap` before it would otherwise share a window with it. With the
 * clock's millisecond step (clockStepMs) it costs 1.1% of the rate.
 *
 * Even spacing: a schedule of target times `periodMs = (windowMs + marginMs) / cap` apart, so a
 * second's requests do not leave in one burst. It is a schedule and not a timer per request, so a
 * timer that fires late (on a busy machine we saw 10-60 ms) does not push every later request back:
 * while requests wait, the next ones catch up, at most `catchUpMs` of the schedule at once. With
 * nothing waiting the schedule restarts from now, so an idle queue saves up no burst. The catching
 * up has a price we chose to pay: requests bunched after a stall are a second later held by the
 * window until the first of them leaves it, and go bunched again. Spreading them instead would lose
 * the stall's time for good, each time (on a loaded 2-core machine, ~3% of the rate).
 */

/** arrivalMarginMs is how much the provider's stamping of two of our requests may differ from our wire times. */
export const arrivalMarginMs = 10;

/** catchUpMs is how far behind its schedule the pacer may be, while requests wait, and still catch up. */
export const catchUpMs = 250;

/**
 * timerResolutionMs: a timer cannot wait less than a millisecond, so above ~1,000/s the requests
 * due within the next millisecond go together (ten at once at 10,000/s).
 */
const timerResolutionMs = 1;

/** clockStepMs: the engine's clock (Date.now) counts whole milliseconds, so a request stamped t was written before t + 1. */
const clockStepMs = 1;

/** RateWindow: at most `cap` requests in any `windowMs`. */
export interface RateWindow {
  cap: number;
  windowMs: number;
}

/**
 * rateWindow turns `perSecond` into a window. A fractional rate above 1 is rounded down (2.5/s
 * allows 2 in a second: no whole number of requests is 2.5 in every window); below 1 it is one
 * request per `1000 / perSecond` ms.
 */
export function rateWindow(perSecond: number): RateWindow {
  if (!(perSecond > 0) || !Number.isFinite(perSecond)) {
    throw new RangeError(`throttle.perSecond must be a positive number, got ${perSecond}`);
  }
  if (perSecond < 1) return { cap: 1, windowMs: 1000 / perSecond };
  return { cap: Math.floor(perSecond), windowMs: 1000 };
}

/**
 * WirePacer is the rate limit's bookkeeping, pure: every method takes the time from its caller.
 * The queue asks `nextAt(now)`, calls `take(now)` when it starts a request, then `written(at)` when
 * the transport wrote it or `unused()` when it never reached the wire. Memory holds the wire times
 * of one window: the rate actually reached, not the campaign's size.
 */
export class WirePacer {
  #cap = 1;
  #windowMs = 1000;
  #spanMs = 1000;
  #periodMs = 1000;
  /** How early a target may be met: below a millisecond's period, what falls due within the next one goes now. */
  #earlyMs = 0;
  readonly #marginMs: number;
  /** Granted, not yet written nor given back. */
  #pending = 0;
  /** Wire times within the last span, oldest first, from `#head`. */
  #wires: number[] = [];
  #head = 0;
  #target = Number.NEGATIVE_INFINITY;

  constructor(perSecond: number, marginMs = arrivalMarginMs) {
    this.#marginMs = marginMs;
    this.setRate(perSecond);
  }

  /** setRate changes the limit from now on (the adaptive pace); the wire times already counted stay. */
  setRate(perSecond: number): void {
    const { cap, windowMs } = rateWindow(perSecond);
    this.#cap = cap;
    this.#windowMs = windowMs;
    this.#spanMs = windowMs + this.#marginMs + clockStepMs;
    this.#periodMs = this.#spanMs / cap;
    this.#earlyMs = this.#periodMs < timerResolutionMs ? timerResolutionMs : 0;
  }

  /** window is the limit in force. */
  get window(): RateWindow {
    return { cap: this.#cap, windowMs: this.#windowMs };
  }

  /**
   * nextAt is the earliest time the next request may be granted (`<= now`: now). Infinity means
   * only a report (written, unused) can open it: every place in the window is taken by requests
   * not yet written.
   */
  nextAt(now: number): number {
    this.#prune(now);
    const counted = this.#wires.length - this.#head;
    const over = this.#pending + counted - this.#cap + 1;
    let windowAt = now;
    if (over > 0) {
      if (over > counted) return Number.POSITIVE_INFINITY;
      windowAt = leaves(this.#wires[this.#head + over - 1] as number, this.#spanMs);
    }
    return Math.max(windowAt, this.#target - this.#earlyMs);
  }

  /**
   * take grants one request at `now` (the caller checked nextAt); `backlog` says other requests
   * wait. The next target is one period after this one's due time: its target, but no more than
   * catchUpMs ago while requests wait (a late timer, or a wait the window imposed, is caught up),
   * and now when none wait or nothing was granted yet (the schedule starts afresh).
   */
  take(now: number, backlog = false): void {
    const fresh = this.#target === Number.NEGATIVE_INFINITY;
    const due = Math.max(this.#target, backlog && !fresh ? now - catchUpMs : now);
    this.#target = due + this.#periodMs;
    this.#pending++;
  }

  /** written moves a granted request to the wire at `at`. */
  written(at: number): void {
    this.#pending = Math.max(0, this.#pending - 1);
    const last = this.#wires.length > this.#head ? (this.#wires[this.#wires.length - 1] as number) : Number.NEGATIVE_INFINITY;
    this.#wires.push(Math.max(at, last)); // kept in order even if a clock steps back
  }

  /**
   * rest forgets the schedule (not the wire times): the queue is closed for another reason (a
   * pause, a Retry-After hold), so the time it stays closed is not lateness to catch up after.
   */
  rest(): void {
    this.#target = Number.NEGATIVE_INFINITY;
  }

  /** unused gives a grant back: its request never reached the wire. */
  unused(): void {
    this.#pending = Math.max(0, this.#pending - 1);
  }

  /** countSince is how many requests were written at or after `since` (within the last span). */
  countSince(since: number): number {
    let n = 0;
    for (let i = this.#wires.length - 1; i >= this.#head && (this.#wires[i] as number) >= since; i--) n++;
    return n;
  }

  #prune(now: number): void {
    // `now - t >= span`, not `t <= now - span`: with fractional times the two round differently,
    // and this one is how a window is measured (busiestWindow), so no rounding lets one more in.
    while (this.#head < this.#wires.length && now - (this.#wires[this.#head] as number) >= this.#spanMs) this.#head++;
    if (this.#head > 1024 && this.#head > this.#wires.length / 2) {
      this.#wires = this.#wires.slice(this.#head);
      this.#head = 0;
    }
  }
}

/**
 * leaves is when a request written at `at` leaves a window of `spanMs`: the first time t with
 * `t - at >= spanMs` as computed in floating point (at + spanMs can round to a hair less).
 */
function leaves(at: number, spanMs: number): number {
  let t = at + spanMs;
  while (t - at < spanMs) t += Math.max(Number.MIN_VALUE, Math.abs(t) * Number.EPSILON);
  return t;
}

/**
 * busiestWindow is the largest number of `times` (ms, any order) inside any half-open window of
 * `windowMs`: how tests and benchmarks check a rate limit.
 */
export function busiestWindow(times: readonly number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while ((sorted[hi] as number) - (sorted[lo] as number) >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}
