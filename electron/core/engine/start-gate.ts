import type { Clock } from '../ports';

/** Startable is the part of p-queue the gate drives. */
export interface Startable {
  pause(): void;
  start(): unknown;
}

/**
 * StartGate decides whether the queue may start requests. Three things close it: the user's
 * pause, a Retry-After hold (a 429 is about the whole account, so every start waits it out), and
 * the run halting for good (stop or cancel). It opens only when none of them holds.
 */
export class StartGate {
  #userPaused = false;
  #halted = false;
  #holding = false;
  #holdUntil = 0;
  readonly #queue: Startable;
  readonly #clock: Clock;
  readonly #signal: AbortSignal;

  /** `signal` ends a hold early (the run stopped or finished). */
  constructor(queue: Startable, clock: Clock, signal: AbortSignal) {
    this.#queue = queue;
    this.#clock = clock;
    this.#signal = signal;
  }

  /** userPaused is whether the user's pause is on. */
  get userPaused(): boolean {
    return this.#userPaused;
  }

  /** setUserPaused turns the user's pause on or off. */
  setUserPaused(paused: boolean): void {
    this.#userPaused = paused;
    this.#apply();
  }

  /** halt closes the gate for good. */
  halt(): void {
    this.#halted = true;
    this.#apply();
  }

  /** holdFor keeps the gate closed for at least `ms` from now (a later, longer hold extends it). */
  holdFor(ms: number): void {
    this.#holdUntil = Math.max(this.#holdUntil, this.#clock.now() + ms);
    if (this.#holding) return;
    this.#holding = true;
    this.#apply();
    void this.#waitOutHold();
  }

  async #waitOutHold(): Promise<void> {
    try {
      for (let left = this.#holdUntil - this.#clock.now(); left > 0; left = this.#holdUntil - this.#clock.now()) {
        await this.#clock.sleep(left, this.#signal);
      }
    } catch {
      // Aborted: the run stopped, was cancelled or finished.
    }
    this.#holding = false;
    this.#apply();
  }

  #apply(): void {
    if (this.#halted || this.#userPaused || this.#holding) this.#queue.pause();
    else this.#queue.start();
  }
}
