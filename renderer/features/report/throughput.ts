/**
 * Throughput over time from the times messages were accepted: bucketed so a chart has at most a
 * few dozen bars whatever the campaign's length (one-second buckets for a short test, minutes or
 * hours for a long run).
 */

/** ThroughputBucket is one bar of the chart: when it starts (seconds after the first message) and how many were sent. */
export interface ThroughputBucket {
  /** Seconds from the first message to the start of the bucket. */
  t: number;
  /** Label for the axis ("0:05", "12:30", "1:02:00"). */
  label: string;
  sent: number;
  /** Messages per second within the bucket. */
  perSecond: number;
}

const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400];

/** clockLabel renders seconds as m:ss or h:mm:ss. */
export function clockLabel(seconds: number): string {
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** throughputSeries buckets ISO timestamps into at most `maxBuckets` bars of equal width. */
export function throughputSeries(sentAt: readonly string[], maxBuckets = 40): ThroughputBucket[] {
  const times: number[] = [];
  for (const s of sentAt) {
    const t = Date.parse(s);
    if (Number.isFinite(t)) times.push(t);
  }
  if (times.length === 0) return [];
  let min = Infinity;
  let max = -Infinity;
  for (const t of times) {
    if (t < min) min = t;
    if (t > max) max = t;
  }
  const span = (max - min) / 1000;
  const width = steps.find((s) => Math.floor(span / s) + 1 <= maxBuckets) ?? Math.ceil((span + 1) / maxBuckets);
  const n = Math.floor(span / width) + 1;
  const counts = new Array<number>(n).fill(0);
  for (const t of times) counts[Math.min(n - 1, Math.floor((t - min) / 1000 / width))]! += 1;
  return counts.map((sent, i) => ({ t: i * width, label: clockLabel(i * width), sent, perSecond: sent / width }));
}
