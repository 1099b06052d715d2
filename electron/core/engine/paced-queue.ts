import PQueue from 'p-queue';
import type { Clock } from '../ports';
import type { PaceChange } from './adaptive-pace';
import { AdaptivePace } from './adaptive-pace';
import { WirePacer } from './rate-limit';
import type { Pace, SendQueue, SendQueueSpec, WireEnd, WireTicket } from './send-queue';

/**
 * The in-process SendQueue (send-queue.ts, made by createSendQueue): p-queue gated by the wire
 * pacer (rate-limit.ts) and the adaptive pace (adaptive-pace.ts), with the user's pause and the
 * account-wide hold a Retry-After asks for.
 */

/**
 * PacedQueue is p-queue for what it does well (concurrency, priorities, a bounded wait for room),
 * opened and closed by the pacer instead of p-queue's own interval: p-queue counts starts, and
 * only the transport knows when a request is on the wire. The queue runs only while a start is
 * allowed now; each task takes its grant as it starts (p-queue calls it synchronously) and the gate
 * is checked again, so p-queue never starts one the pacer did not allow.
 */
export class PacedQueue implements SendQueue {
  readonly #queue: PQueue;
  readonly #clock: Clock;
  readonly #pacer: WirePacer;
  readonly #adaptive: AdaptivePace;
  readonly #adapts: boolean;
  readonly #stop = new AbortController();
  /** Wire times of recent refusals, to count what the provider accepted before the next one. */
  #refused: number[] = [];
  #paused = false;
  #halted = false;
  #holding = false;
  #holdUntil = 0;
  #timer: { due: number; abort: AbortController } | undefined;
  /** Tasks started while the pacer had no grant for them (not expected; see #grant). */
  readonly #waiting: ((ticket: Ticket) => void)[] = [];

  constructor(spec: SendQueueSpec) {
    this.#queue = new PQueue({ concurrency: spec.concurrency });
    this.#clock = spec.clock;
    this.#pacer = new WirePacer(spec.perSecond, spec.marginMs);
    this.#adaptive = new AdaptivePace(spec.perSecond);
    this.#adapts = spec.adaptive;
  }

  run<T>(task: (ticket: WireTicket) => Promise<T>, priority: number): Promise<T> {
    if (this.#halted) return new Promise<T>(() => undefined);
    const started = this.#queue.add(async () => {
      const granted = this.#grant();
      const ticket = granted instanceof Ticket ? granted : await granted;
      try {
        return await task(ticket);
      } finally {
        ticket.done({ written: false });
      }
    }, { priority });
    // Closed by the pacer with nothing waiting, it set no timer: set it now there is work.
    if (this.#queue.isPaused) this.#apply();
    return started;
  }

  get size(): number {
    return this.#queue.size;
  }

  onSizeLessThan(n: number): Promise<void> {
    return this.#queue.onSizeLessThan(n);
  }

  setPaused(paused: boolean): void {
    this.#paused = paused;
    if (paused) this.#pacer.rest();
    this.#apply();
  }

  holdFor(ms: number): void {
    this.#holdUntil = Math.max(this.#holdUntil, this.#clock.now() + ms);
    if (this.#holding) return;
    this.#holding = true;
    this.#pacer.rest();
    this.#apply();
    void this.#waitOutHold();
  }

  halt(): void {
    this.#halted = true;
    this.#queue.clear();
    this.#stop.abort();
    this.#apply();
  }

  pace(): Pace {
    const { perSecond, ceiling, reason } = this.#adaptive;
    return perSecond < ceiling ? { perSecond, ceiling, reason } : { perSecond, ceiling };
  }

  /** grant takes the rate grant of a task starting now, then checks the gate again. */
  #grant(): Ticket | Promise<Ticket> {
    const now = this.#clock.now();
    if (this.#pacer.nextAt(now) > now || this.#waiting.length > 0) {
      // p-queue started a task past the gate: it waits here (holding its slot) for its grant.
      return new Promise<Ticket>((resolve) => this.#waiting.push(resolve));
    }
    this.#pacer.take(now, this.#queue.size > 0);
    const ticket = new Ticket(this);
    this.#apply();
    return ticket;
  }

  /** apply opens the queue when a start is allowed now, else closes it and sets a timer for when one will be. */
  #apply(): void {
    if (this.#halted || this.#paused || this.#holding) {
      this.#queue.pause();
      this.#cancelTimer();
      return;
    }
    let now = this.#clock.now();
    while (this.#waiting.length > 0 && this.#pacer.nextAt(now) <= now) {
      this.#pacer.take(now, true);
      (this.#waiting.shift() as (ticket: Ticket) => void)(new Ticket(this));
      now = this.#clock.now();
    }
    const at = this.#pacer.nextAt(now);
    if (at <= now && this.#waiting.length === 0) {
      this.#cancelTimer();
      this.#queue.start();
      return;
    }
    this.#queue.pause();
    if (this.#queue.size === 0 && this.#waiting.length === 0) return this.#cancelTimer();
    if (at === Number.POSITIVE_INFINITY) return this.#cancelTimer(); // a wire report opens it
    if (this.#timer !== undefined && this.#timer.due <= at) return;
    this.#cancelTimer();
    const abort = new AbortController();
    this.#timer = { due: at, abort };
    // Rounded up, and 1 ms at least: Node truncates a timer's delay to whole ms, which would wake it
    // before `at` for nothing (or, with a fractional clock, again and again at once).
    this.#clock.sleep(Math.max(1, Math.ceil(at - now)), AbortSignal.any([abort.signal, this.#stop.signal])).then(
      () => {
        if (this.#timer?.abort === abort) this.#timer = undefined;
        this.#apply();
      },
      () => undefined, // replaced by another timer, or the queue halted
    );
  }

  #cancelTimer(): void {
    this.#timer?.abort.abort();
    this.#timer = undefined;
  }

  async #waitOutHold(): Promise<void> {
    try {
      for (let left = this.#holdUntil - this.#clock.now(); left > 0; left = this.#holdUntil - this.#clock.now()) {
        await this.#clock.sleep(left, this.#stop.signal);
      }
    } catch {
      // Halted: the run stopped, was cancelled or finished.
    }
    this.#holding = false;
    this.#apply();
  }

  now(): number {
    return this.#clock.now();
  }

  /**
   * reported is a ticket's report: the pacer counts it, the pace may adapt, the gate is checked
   * again. A write is reported from inside the transport (undici's handler), so the gate is checked
   * after it returns: opening the queue there would start other requests inside that callback.
   */
  reported(wireAt: number | undefined, end: WireEnd | undefined): PaceChange | undefined {
    // A report only ever allows more, so an open queue stays open; only a lower pace closes it.
    if (end === undefined) {
      this.#pacer.written(wireAt as number);
      if (this.#queue.isPaused) queueMicrotask(() => this.#apply());
      return undefined;
    }
    const now = this.#clock.now();
    if (wireAt === undefined && end.written) this.#pacer.written(now);
    else if (wireAt === undefined) this.#pacer.unused();
    let change: PaceChange | undefined;
    if (end.status !== undefined && this.#adapts) change = this.#adapt(wireAt ?? now, end, now);
    if (change !== undefined || this.#queue.isPaused) this.#apply();
    return change;
  }

  /**
   * adapt tells the adaptive pace about an answer: a 429 without Retry-After with how many requests
   * the provider accepted in the second before this one was written (written then, less those it
   * refused), or any other answer with whether the campaign is sending at its pace.
   */
  #adapt(wireAt: number, end: WireEnd, now: number): PaceChange | undefined {
    let change: PaceChange | undefined;
    if (end.status === 429) {
      const since = wireAt - 1000;
      this.#refused = this.#refused.filter((t) => t >= now - 2000);
      const refusedBefore = this.#refused.filter((t) => t >= since && t < wireAt).length;
      this.#refused.push(wireAt);
      if (end.retryAfter === true) return undefined; // the provider said when: a hold (the engine's), not a lower pace
      const accepted = Math.max(0, this.#pacer.countSince(since) - this.#pacer.countSince(wireAt) - refusedBefore);
      change = this.#adaptive.refused(wireAt, accepted, now);
    } else if (this.#adaptive.perSecond < this.#adaptive.ceiling) {
      // Counting the last second's requests costs a walk over them: only while the pace is lowered.
      change = this.#adaptive.answered(now, this.#pacer.countSince(now - 1000) >= this.#adaptive.perSecond * 0.9);
    }
    if (change !== undefined) this.#pacer.setRate(change.perSecond);
    return change;
  }
}

/** Ticket reports one grant to its queue, at most once each way. */
class Ticket implements WireTicket {
  #wireAt: number | undefined;
  #ended = false;

  constructor(private readonly queue: PacedQueue) {}

  written(): void {
    if (this.#wireAt !== undefined || this.#ended) return;
    this.#wireAt = this.queue.now();
    this.queue.reported(this.#wireAt, undefined);
  }

  done(end: WireEnd): PaceChange | undefined {
    if (this.#ended) return undefined;
    this.#ended = true;
    return this.queue.reported(this.#wireAt, end);
  }
}
