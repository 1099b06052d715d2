import type { RetrySpec } from '../../../shared/campaign/schema';

/**
 * backoffDelay is capped exponential backoff with full jitter (the AWS "full jitter" scheme):
 * a uniform delay below `min(maxDelayMs, baseDelayMs * 2^(attempt-1))`, where `attempt` is the
 * number of requests already made for the row. Full jitter spreads the retries of many rows that
 * failed together, so they do not come back as one burst.
 */
export function backoffDelay(
  attempt: number,
  retry: Pick<RetrySpec, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number,
): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * retryDelay is how long a row waits before its next attempt: the jittered backoff, but never less
 * than the provider's own Retry-After (which may exceed `maxDelayMs`: the provider's word wins).
 */
export function retryDelay(
  attempt: number,
  retry: Pick<RetrySpec, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number,
  retryAfterMs?: number,
): number {
  const jitter = backoffDelay(attempt, retry, random);
  return retryAfterMs !== undefined && retryAfterMs > jitter ? Math.ceil(retryAfterMs) : jitter;
}
