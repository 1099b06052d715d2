/**
 * Numbers as the send screen shows them: rates, durations and ETAs a person reads at a glance.
 */

/** formatRate renders messages per second: "0/s", "4.5/s", "120/s", "1.2k/s". */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return '0/s';
  if (perSecond >= 1000) return `${(perSecond / 1000).toFixed(1).replace(/\.0$/, '')}k/s`;
  if (perSecond >= 10) return `${Math.round(perSecond)}/s`;
  return `${perSecond.toFixed(1).replace(/\.0$/, '')}/s`;
}

/**
 * formatDuration renders seconds as a short human duration: "less than a second", "45 s",
 * "3 min 20 s", "2 h 5 min", "3 d 4 h". Two units at most; seconds are dropped past an hour.
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 1) return 'less than a second';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d} d` : `${d} d ${h % 24} h`;
}

/** formatEta renders the time left: "calculating…" while unknown, "done" at zero, else a duration. */
export function formatEta(etaSeconds: number | null): string {
  if (etaSeconds === null || !Number.isFinite(etaSeconds)) return 'calculating…';
  if (etaSeconds <= 0) return 'done';
  return formatDuration(etaSeconds);
}

/**
 * effectiveRate is the rate the engine really keeps for a `perSecond` setting: below 1 as set (one
 * message every 1/perSecond seconds), above 1 whole messages a second (2.5 sends 2 a second).
 */
export function effectiveRate(perSecond: number): number {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return 0;
  return perSecond < 1 ? perSecond : Math.floor(perSecond);
}

/**
 * estimateSeconds is how long `count` messages take at `perSecond` with `concurrency` requests in
 * flight, each taking about `latencyMs`: the slower of the rate limit and the concurrency limit. The
 * rate limit lets the first message go at once, so n messages at r a second take (n - 1) / r, plus
 * the last one's answer.
 */
export function estimateSeconds(count: number, perSecond: number, concurrency = Infinity, latencyMs = 0): number {
  if (count <= 0) return 0;
  const rate = Math.max(effectiveRate(perSecond), 1e-9);
  const byRate = count <= 1 ? 0 : (count - 1) / rate;
  const byConcurrency = latencyMs > 0 && Number.isFinite(concurrency) ? (count * latencyMs) / 1000 / Math.max(concurrency, 1) : 0;
  return Math.max(byRate + latencyMs / 1000, byConcurrency);
}

/** formatCount renders an integer with thousands separators ("1,000,000"). */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** formatPercent renders part of total as a whole percentage ("0%" when total is 0). */
export function formatPercent(part: number, total: number): string {
  if (total <= 0) return '0%';
  const p = (part / total) * 100;
  return `${p > 0 && p < 1 ? '<1' : p > 99 && p < 100 ? '>99' : Math.round(p)}%`;
}

/** formatBytes renders a file size ("812 B", "1.4 MB"): the same words main uses in problems. */
export { formatBytes } from '../../../shared/attachments/file-types';
