/** defaultBreakerThreshold is how many rows in a row may end failed or uncertain before the campaign pauses. */
export const defaultBreakerThreshold = 20;

/**
 * CircuitBreaker counts rows that end failed or uncertain one after the other; a sent row resets
 * the count. At `threshold` it trips once (until reset): something is wrong with the whole
 * campaign (a bad template, an outage), and going on would only burn through the list.
 * A threshold of 0 (or less) never trips.
 */
export class CircuitBreaker {
  readonly threshold: number;
  #run = 0;
  #tripped = false;
  #last = '';

  constructor(threshold = defaultBreakerThreshold) {
    this.threshold = threshold;
  }

  /**
   * note counts one row that reached a final state; `detail` describes a failure (row and error).
   * Returns the reason to pause with when this row trips the breaker.
   */
  note(ok: boolean, detail = ''): string | undefined {
    if (ok) {
      this.#run = 0;
      return undefined;
    }
    this.#run++;
    this.#last = detail;
    if (this.threshold <= 0 || this.#tripped || this.#run < this.threshold) return undefined;
    this.#tripped = true;
    return `${this.#run} rows in a row failed or got no certain answer (last: ${this.#last}); paused so the rest of the list is not used up`;
  }

  /** reset starts counting again (after the user resumes). */
  reset(): void {
    this.#run = 0;
    this.#tripped = false;
  }
}
