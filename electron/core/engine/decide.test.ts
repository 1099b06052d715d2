import { describe, expect, it } from 'vitest';
import type { AttemptContext } from './decide';
import { decide } from './decide';

const ctx = (over: Partial<AttemptContext> = {}): AttemptContext => ({
  row: 7,
  recipient: 'c7',
  attempts: 2,
  tries: 2,
  retry: { attempts: 3, baseDelayMs: 1000, maxDelayMs: 60_000, timeoutMs: 30_000, pauseAfterFailures: 20 },
  random: () => 0.5,
  halted: false,
  now: Date.UTC(2030, 0, 1),
  ...over,
});

describe('decide', () => {
  it('records a sent row with the time the provider gave, or now', () => {
    const d = decide(ctx(), { kind: 'sent', httpStatus: 201, messageId: 'm', sentAt: '2030-01-01T00:00:05Z' });
    expect(d.outcome).toEqual({ row: 7, status: 'sent', recipient: 'c7', messageId: 'm', attempts: 2, httpStatus: 201, sentAt: '2030-01-01T00:00:05Z' });
    expect(decide(ctx(), { kind: 'sent', httpStatus: 201, messageId: 'm' }).outcome.sentAt).toBe('2030-01-01T00:00:00.000Z');
    expect(d.finalState).toBe('sent');
  });

  it('schedules a retry with backoff while tries remain, holding the queue for a Retry-After', () => {
    const d = decide(ctx(), { kind: 'retry', reason: 'slow down', httpStatus: 429, retryAfterMs: 5000 });
    expect(d).toMatchObject({ outcome: { status: 'pending', httpStatus: 429, error: 'slow down' }, retryInMs: 5000, holdMs: 5000 });
    expect(d.event).toMatchObject({ type: 'retrying', delayMs: 5000, httpStatus: 429 });
    expect(decide(ctx(), { kind: 'retry', reason: 'x' }).retryInMs).toBe(1000); // 0.5 x 1000 x 2^(2-1)
  });

  it('fails the row with the last error once this run has made retry.attempts requests', () => {
    const d = decide(ctx({ tries: 3, attempts: 9 }), { kind: 'retry', reason: 'Please retry', httpStatus: 500 });
    expect(d).toMatchObject({ outcome: { status: 'failed', attempts: 9, httpStatus: 500, error: 'Please retry' }, finalState: 'other' });
    expect(d.retryInMs).toBeUndefined();
  });

  it('leaves the row pending, without retrying, when the run is halting', () => {
    const d = decide(ctx({ halted: true }), { kind: 'retry', reason: 'busy', httpStatus: 503 });
    expect(d.outcome.status).toBe('pending');
    expect(d.event).toBeUndefined();
    expect(d.retryInMs).toBeUndefined();
  });

  it('stops the campaign on a stop verdict and leaves the row pending with the reason', () => {
    const d = decide(ctx(), { kind: 'stop', reason: 'Monthly limit reached', httpStatus: 403 });
    expect(d).toMatchObject({ stop: { reason: 'Monthly limit reached', httpStatus: 403 }, outcome: { status: 'pending', httpStatus: 403 } });
    expect(d.event).toBeUndefined();
  });

  it('settles fail and uncertain verdicts for good', () => {
    expect(decide(ctx(), { kind: 'fail', reason: 'not found', httpStatus: 404 })).toMatchObject({ outcome: { status: 'failed', error: 'not found' }, event: { type: 'failed' } });
    expect(decide(ctx(), { kind: 'uncertain', reason: 'reset' })).toMatchObject({ outcome: { status: 'uncertain', error: 'reset' }, event: { type: 'uncertain' } });
  });
});
