import type { EngineEvent, Totals } from '../../shared/engine/events';
import { paceMessage } from '../../shared/engine/events';
import { utcText } from '../../shared/campaign/quiet-hours';

/**
 * Progress on stderr: on a terminal, one bar redrawn in place (counts, rate, ETA) at most ten
 * times a second; otherwise plain lines, one every few seconds and one per notable event, so a log
 * file stays readable for a million rows.
 */

export interface ProgressSnapshot {
  totals: Totals;
  ratePerSecond: number;
  etaSeconds: number | null;
  /** Present while the provider's refusals keep the pace below the one asked. */
  pace?: { perSecond: number; ceiling: number };
  /** Rows waiting for their quiet-hours window, and when the first goes (ms). */
  waiting?: { rows: number; until: number };
}

export interface ProgressOutput {
  isTTY: boolean;
  columns?: number;
  write(text: string): void;
}

/** formatDuration renders seconds as `1h02m`, `3m05s` or `12s`. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(r).padStart(2, '0')}s`;
  return `${r}s`;
}

function counts(t: Totals): string {
  const parts = [`sent ${t.sent}`];
  if (t.failed > 0) parts.push(`failed ${t.failed}`);
  if (t.uncertain > 0) parts.push(`uncertain ${t.uncertain}`);
  if (t.skipped > 0) parts.push(`skipped ${t.skipped}`);
  return parts.join(' · ');
}

/** waitingText says how many rows wait for their quiet hours: `120 waiting until 2026-12-02 08:00 UTC`. */
export function waitingText(w: { rows: number; until: number }): string {
  return `${w.rows} waiting until ${utcText(w.until)}`;
}

function done(t: Totals): number {
  return t.sent + t.failed + t.skipped + t.uncertain;
}

/** ProgressReporter draws progress from engine events and periodic snapshots. */
export class ProgressReporter {
  private lastDraw = 0;
  private barShown = false;

  constructor(
    private readonly out: ProgressOutput,
    private readonly now: () => number = Date.now,
    private readonly plainEveryMs = 5_000,
  ) {}

  /** update redraws (terminal) or prints a line (plain) when enough time has passed. */
  update(s: ProgressSnapshot, force = false): void {
    const t = this.now();
    const every = this.out.isTTY ? 100 : this.plainEveryMs;
    if (!force && t - this.lastDraw < every) return;
    this.lastDraw = t;
    const d = done(s.totals);
    const pct = s.totals.total === 0 ? 100 : Math.floor((d / s.totals.total) * 100);
    const paced = s.pace !== undefined && s.pace.perSecond < s.pace.ceiling ? ` (paced at ${s.pace.perSecond}/s)` : '';
    const waiting = s.waiting === undefined ? '' : ` · ${waitingText(s.waiting)}`;
    const tail = `${d}/${s.totals.total} ${pct}% · ${counts(s.totals)}${waiting} · ${s.ratePerSecond.toFixed(1)}/s${paced} · ETA ${formatDuration(s.etaSeconds)}`;
    if (this.out.isTTY) {
      const width = Math.max(10, Math.min(30, (this.out.columns ?? 80) - tail.length - 4));
      const filled = s.totals.total === 0 ? width : Math.round((d / s.totals.total) * width);
      this.out.write(`\r\x1b[2K[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${tail}`);
      this.barShown = true;
    } else {
      this.out.write(`progress: ${tail}\n`);
    }
  }

  /** event prints the events a person should see as they happen (not every message). */
  event(e: EngineEvent): void {
    let line: string | undefined;
    switch (e.type) {
      case 'paused':
        line = `paused${e.reason !== undefined ? `: ${e.reason}` : ''}`;
        break;
      case 'resumed':
        line = 'resumed';
        break;
      case 'stopped':
        line = `stopped by the provider: ${e.reason}`;
        break;
      case 'retrying':
        if (e.httpStatus === 429) line = `row ${e.row}: rate limited by the provider, retrying in ${formatDuration(e.delayMs / 1000)}`;
        break;
      case 'pace':
        // Each drop, and the return to the pace asked; the small rises in between show in the bar.
        if (e.lowered || e.perSecond >= e.ceiling) line = paceMessage(e);
        break;
      default:
        break;
    }
    if (line !== undefined) this.line(line);
  }

  /** line prints a message on its own line, keeping the bar below it on a terminal. */
  line(text: string): void {
    if (this.out.isTTY && this.barShown) this.out.write('\r\x1b[2K');
    this.out.write(`${text}\n`);
    this.lastDraw = 0;
  }

  /** finish leaves the cursor on a fresh line. */
  finish(s: ProgressSnapshot): void {
    this.update(s, true);
    if (this.out.isTTY && this.barShown) this.out.write('\n');
  }
}
