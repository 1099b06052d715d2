import { describe, expect, it } from 'vitest';
import { clockLabel, throughputSeries } from './throughput';

const at = (ms: number) => new Date(Date.UTC(2025, 0, 1) + ms).toISOString();

describe('throughput over time', () => {
  it('uses one-second bars for a short run', () => {
    const series = throughputSeries([at(0), at(100), at(1500), at(3900)]);
    expect(series.map((b) => [b.label, b.sent])).toEqual([
      ['0:00', 2],
      ['0:01', 1],
      ['0:02', 0],
      ['0:03', 1],
    ]);
    expect(series[0]?.perSecond).toBe(2);
  });

  it('widens the bars so a long run has few of them', () => {
    const times = Array.from({ length: 3600 }, (_, i) => at(i * 1000)); // one a second for an hour
    const series = throughputSeries(times, 40);
    expect(series.length).toBeLessThanOrEqual(40);
    expect(series.reduce((n, b) => n + b.sent, 0)).toBe(3600);
    expect(series[0]?.perSecond).toBeCloseTo(1);
    expect(series[1]?.label).toBe('2:00');
  });

  it('ignores bad timestamps and is empty without any', () => {
    expect(throughputSeries(['nope'])).toEqual([]);
    expect(throughputSeries([])).toEqual([]);
  });

  it('labels as m:ss or h:mm:ss', () => {
    expect(clockLabel(65)).toBe('1:05');
    expect(clockLabel(3725)).toBe('1:02:05');
  });
});
