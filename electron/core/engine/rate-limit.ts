/**
 * RatePacing is the p-queue rate-limit setting for a `perSecond` throttle: at most `intervalCap`
 * request starts in any sliding window of `interval` ms (p-queue's `strict` mode).
 */
export interface RatePacing {
  intervalCap: number;
  interval: number;
}

/** defaultSlackMs is how much later than its rate-limit slot a request may reach the wire. */
export const defaultSlackMs = 5;

/**
 * ratePacing turns `perSecond` into a strict sliding-window setting that never lets a 1-second
 * window carry more than `perSecond` starts, while spreading them over the second.
 *
 * Why not simply `{ intervalCap: perSecond, interval: 1000 }`: that is correct but lets all of a
 * second's requests start in one burst. Why not one start every `1000 / perSecond` ms: every start
 * then waits on a timer, and timers fire a little late, so a 50/s campaign would run at ~47/s.
 * So we split the second into `k` equal windows of `floor(perSecond / k)` starts each. Any
 * 1-second window is covered by k of them, so it carries at most `k * floor(perSecond / k) <=
 * perSecond` starts. k is the smallest in 5..20 that loses nothing (or least) to the rounding:
 * ~200 ms windows, where a timer firing 1 ms late costs 0.5% of the rate (100 ms windows lost
 * 1.5% in our measurements). A fractional `perSecond` above 1 is rounded down (2.5/s allows 2 per
 * second: no whole number of starts averages 2.5 in every window); below 1 it is one start per
 * `1000 / perSecond` ms. A huge `perSecond` (1e6) gives a huge cap per window, so the limiter
 * never becomes the bottleneck.
 *
 * `slackMs` stretches the k windows to cover 1000 + slackMs ms. p-queue counts a start when it
 * grants the slot, but the request reaches the wire only after the write-ahead journal record;
 * as long as that delay varies by less than `slackMs`, any 1-second window of WIRE starts falls
 * inside k windows of grants. 5 ms costs 0.5% of the rate.
 */
export function ratePacing(perSecond: number, slackMs = defaultSlackMs): RatePacing {
  if (!(perSecond > 0) || !Number.isFinite(perSecond)) {
    throw new RangeError(`throttle.perSecond must be a positive number, got ${perSecond}`);
  }
  if (perSecond < 1) return { intervalCap: 1, interval: 1000 / perSecond + slackMs };
  const whole = Math.floor(perSecond);
  const fewest = Math.min(whole, 5);
  let best = fewest;
  for (let k = fewest + 1; k <= Math.min(whole, 20) && whole % best > 0; k++) {
    if (whole % k < whole % best) best = k;
  }
  return { intervalCap: Math.floor(whole / best), interval: (1000 + slackMs) / best };
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
