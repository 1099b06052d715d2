import { describe, expect, it } from 'vitest';
import { backoffDelay, retryDelay } from './backoff';

const retry = { baseDelayMs: 1000, maxDelayMs: 5000 };

describe('backoffDelay', () => {
  it('draws below a ceiling that doubles each attempt and stops at maxDelayMs', () => {
    const top = () => 0.999_999;
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, retry, top))).toEqual([999, 1999, 3999, 4999, 4999]);
  });

  it('is fully jittered: the draw scales the whole ceiling, down to zero', () => {
    expect(backoffDelay(2, retry, () => 0)).toBe(0);
    expect(backoffDelay(2, retry, () => 0.25)).toBe(500);
  });
});

describe('retryDelay', () => {
  it("waits at least the provider's Retry-After, even beyond maxDelayMs", () => {
    expect(retryDelay(1, retry, () => 0.5, 30_000)).toBe(30_000);
    expect(retryDelay(3, retry, () => 0.5, 100)).toBe(2000);
    expect(retryDelay(1, retry, () => 0.5)).toBe(500);
  });
});
