import type { Totals } from '../../shared/engine/events';
import type { WaitingNow } from '../core/engine/eta';
import { estimateEta } from '../core/engine/eta';

/**
 * BatchRate is how fast rows get answers, as the status stream shows it, and the ETA from it:
 * the rows answered since the first answer still in the window, over the time since it. Counting
 * from the first answer, not from the start, keeps the burst a rate limit allows at once from
 * reading as a rate (one answer 0.1 s in is not "10/s" at 0.5/s); until two answers are apart in
 * time the rate is unknown (0, no ETA unless rows wait). The ETA is the engine's own computation
 * (eta.ts): rows waiting for their quiet hours go no earlier than their openings.
 */
export class BatchRate {
  /** When the count of answered rows changed, and to what (the first answer onwards). */
  private readonly samples: { at: number; done: number }[] = [];
  private lastDone: number;
  /** The rate when the count of answered rows last changed (what waiting rows will go at, see EtaInput). */
  private lastRate = 0;

  /** `windowMs`: how far back the rate looks; `counts`: the rows as the batcher starts. */
  constructor(
    private readonly windowMs: number,
    counts: Totals,
  ) {
    this.lastDone = done(counts);
  }

  /** at is the rate and (while `running`) the ETA at `now`, given the counts as of then. */
  at(now: number, counts: Totals, running: boolean, waiting: WaitingNow | undefined): { ratePerSecond: number; etaSeconds: number | null } {
    const answeredNow = done(counts);
    const answered = answeredNow !== this.lastDone;
    if (answered) {
      this.samples.push({ at: now, done: answeredNow });
      this.lastDone = answeredNow;
    }
    while (this.samples.length > 2 && (this.samples[1]?.at ?? now) <= now - this.windowMs) this.samples.shift();
    const first = this.samples[0];
    const seconds = first === undefined ? 0 : (now - first.at) / 1000;
    const ratePerSecond = first !== undefined && seconds > 0 ? Math.round(((answeredNow - first.done) / seconds) * 10) / 10 : 0;
    const left = counts.pending + counts.inFlight;
    if (answered && ratePerSecond > 0) this.lastRate = ratePerSecond;
    const eta = running ? estimateEta({ now, left, perSecond: ratePerSecond, lastPerSecond: this.lastRate, waiting }) : null;
    return { ratePerSecond, etaSeconds: eta === null ? null : Math.ceil(eta) };
  }
}

/** Rows that got an answer (or gave up): what the rate counts. Skipped rows cost no request, so they are left out. */
function done(counts: Totals): number {
  return counts.sent + counts.failed + counts.uncertain;
}
