/**
 * AdaptivePace finds the provider's real rate limit when it is lower than the campaign asks.
 *
 * A 429 without Retry-After says "too fast" without saying how fast is right (WhatsApp's limits
 * differ per number and tier). Left to each row, every refused row backs off alone while the rest
 * go on at the same pace, so a third of the requests were refused and some rows ran out of
 * attempts. Instead the whole campaign slows down: on a refusal the pace drops to what the
 * provider accepted in the second before the refused request (less 5%, so the estimate's error and
 * the provider's own clock do not refuse the next one), then rises by 2% (at least 1/s) each second
 * without a refusal, up to the configured `perSecond`, which stays the ceiling. Refusals of
 * requests written before the last drop are not counted again: they left at the old pace.
 */

/** PaceChange is a new pace to announce: `lowered` says it dropped, `reason` says why it is where it is. */
export interface PaceChange {
  perSecond: number;
  ceiling: number;
  lowered: boolean;
  reason: string;
}

/** How much below the accepted count the pace drops, and how fast it rises again. */
const dropFactor = 0.95;
const riseFactor = 0.02;
const riseEveryMs = 1000;

export class AdaptivePace {
  readonly ceiling: number;
  #perSecond: number;
  /** When the pace last dropped, and last changed (ms). */
  #droppedAt = Number.NEGATIVE_INFINITY;
  #changedAt = Number.NEGATIVE_INFINITY;
  #reason = '';

  constructor(ceiling: number) {
    this.ceiling = ceiling;
    this.#perSecond = ceiling;
  }

  /** perSecond is the pace in force. */
  get perSecond(): number {
    return this.#perSecond;
  }

  /** reason is why the pace is below the ceiling ('' at the ceiling). */
  get reason(): string {
    return this.#perSecond < this.ceiling ? this.#reason : '';
  }

  /**
   * refused notes a 429 without Retry-After for a request written at `wireAt`; `accepted` is how
   * many requests the provider accepted in the second before it (those written then, less the
   * refused ones). Returns the change when the pace drops.
   */
  refused(wireAt: number, accepted: number, now: number): PaceChange | undefined {
    if (wireAt < this.#droppedAt) return undefined;
    const next = Math.max(1, Math.floor(Math.min(accepted, this.#perSecond) * dropFactor));
    this.#droppedAt = now;
    this.#changedAt = now;
    if (next >= this.#perSecond) return undefined;
    this.#perSecond = next;
    this.#reason = `the provider refused requests with HTTP 429 and no Retry-After after accepting ${accepted} in one second`;
    return this.#change(true);
  }

  /**
   * answered notes an answer that was not a refusal at `now`; `busy` says the campaign is sending
   * at the pace (raising a pace nobody uses proves nothing). Returns the change when the pace rises.
   */
  answered(now: number, busy: boolean): PaceChange | undefined {
    if (this.#perSecond >= this.ceiling || !busy || now - this.#changedAt < riseEveryMs) return undefined;
    this.#changedAt = now;
    this.#perSecond = Math.min(this.ceiling, this.#perSecond + Math.max(1, Math.floor(this.#perSecond * riseFactor)));
    return this.#change(false);
  }

  #change(lowered: boolean): PaceChange {
    const reason = this.#perSecond < this.ceiling ? this.#reason : 'no refusal for a while: back to the pace asked';
    return { perSecond: this.#perSecond, ceiling: this.ceiling, lowered, reason };
  }
}
