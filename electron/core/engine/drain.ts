/** QueueSize is the part of p-queue the drain watch reads. */
export interface QueueSize {
  readonly size: number;
}

/**
 * DrainWatch tells when a run has nothing left to do: the feeder is done, the queue is empty and
 * nothing is under way outside it (a request on the wire, a result being recorded, a retry's
 * backoff, a reconciliation check). `leave()` does not check by itself, so a caller can queue what
 * follows (a retry) before the run may be found drained.
 */
export class DrainWatch {
  readonly #queue: QueueSize;
  #feeding = false;
  #busy = 0;
  #resolve: (() => void) | undefined;

  constructor(queue: QueueSize) {
    this.#queue = queue;
  }

  /** drained resolves once a check() finds nothing left; call it once, when the run starts. */
  drained(): Promise<void> {
    return new Promise<void>((resolve) => (this.#resolve = resolve));
  }

  /** setFeeding says whether the feeder may still admit rows: the run cannot drain while it may. */
  setFeeding(feeding: boolean): void {
    this.#feeding = feeding;
  }

  /** enter counts one more thing under way outside the queue. */
  enter(): void {
    this.#busy++;
  }

  /** leave counts one less; call check() once what follows it is queued. */
  leave(): void {
    this.#busy--;
  }

  /**
   * track runs `task` outside the queue, counted as under way from before it starts until it ends
   * (then checks); an error it ends with goes to `failed`.
   */
  track(task: () => Promise<void>, failed: (e: unknown) => void): void {
    this.enter();
    task()
      .catch(failed)
      .finally(() => {
        this.leave();
        this.check();
      });
  }

  /** check resolves drained() (once) when the feeder is done, the queue is empty and nothing is under way. */
  check(): void {
    if (this.#feeding || this.#queue.size > 0 || this.#busy > 0) return;
    const resolve = this.#resolve;
    this.#resolve = undefined;
    resolve?.();
  }
}
