import { describe, expect, it } from 'vitest';
import { estimateSeconds, formatBytes, formatCount, formatDuration, formatEta, formatPercent, formatRate } from './format';

describe('send screen figures', () => {
  it('formats rates', () => {
    expect(formatRate(0)).toBe('0/s');
    expect(formatRate(Number.NaN)).toBe('0/s');
    expect(formatRate(4.46)).toBe('4.5/s');
    expect(formatRate(3)).toBe('3/s');
    expect(formatRate(120.4)).toBe('120/s');
    expect(formatRate(1250)).toBe('1.3k/s');
    expect(formatRate(2000)).toBe('2k/s');
  });

  it('formats durations with two units at most', () => {
    expect(formatDuration(0.4)).toBe('less than a second');
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(200)).toBe('3 min 20 s');
    expect(formatDuration(180)).toBe('3 min');
    expect(formatDuration(7500)).toBe('2 h 5 min');
    expect(formatDuration(3 * 86400 + 4 * 3600 + 59)).toBe('3 d 4 h');
    expect(formatDuration(-1)).toBe('—');
  });

  it('formats the ETA', () => {
    expect(formatEta(null)).toBe('calculating…');
    expect(formatEta(0)).toBe('done');
    expect(formatEta(61)).toBe('1 min 1 s');
  });

  it('estimates a send from the rate limit and the concurrency', () => {
    expect(estimateSeconds(1201, 20)).toBe(60);
    expect(estimateSeconds(0, 20)).toBe(0);
    // 3 messages at 0.5/s: the first at once, then one every 2 s.
    expect(estimateSeconds(3, 0.5)).toBe(4);
    // 2.5/s sends 2 a second.
    expect(estimateSeconds(5, 2.5)).toBe(2);
    // 4 at a time, 1 s each: concurrency is the limit, not the 100/s rate.
    expect(estimateSeconds(400, 100, 4, 1000)).toBe(100);
  });

  it('formats counts, shares and sizes', () => {
    expect(formatCount(1_000_000)).toBe('1,000,000');
    expect(formatPercent(1, 3)).toBe('33%');
    expect(formatPercent(1, 1000)).toBe('<1%');
    expect(formatPercent(999, 1000)).toBe('>99%');
    expect(formatPercent(0, 0)).toBe('0%');
    expect(formatBytes(812)).toBe('812 B');
    expect(formatBytes(190 * 1024 * 1024)).toBe('190 MB');
    expect(formatBytes(1536)).toBe('1.5 KB');
  });
});
