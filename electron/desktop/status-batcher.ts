import type { StatusBatch } from '../../shared/ipc/contract';
import type { EngineEvent, RowOutcome, RowStatus, Totals } from '../../shared/engine/events';
import { paceMessage, rowStatuses } from '../../shared/engine/events';
import type { WaitingOpenings } from '../core/engine/eta';
import { estimateEta } from '../core/engine/eta';
import type { BatchTimer } from './batch-timer';

/**
 * StatusBatcher turns the engine's event stream (thousands a second) into `campaign:event`
 * messages for the renderer, at most one per `intervalMs` (10 a second by default). Events only
 * mark rows as changed; when a batch goes out, each changed row is read once from `outcomeOf`
 * (the engine's latest state, the same record the journal holds), so a batch carries the latest
 * state of every row that changed since the last one and nothing is lost however many events
 * were coalesced. Totals are kept from those same states, so they match the journal exactly.
 * `finished` flushes at once: the last message is never held back.
 */

type Notice = StatusBatch['notices'][number];
type CampaignState = StatusBatch['state'];

export interface StatusBatcherOptions {
  campaignId: string;
  /** Data rows in the campaign (rows are numbered 1..total, unless `maxRow` says otherwise). */
  total: number;
  /** The highest row number, when the run covers part of the file (a retry keeps the rows' numbers). Default: `total`. */
  maxRow?: number;
  /** The latest state of a row; called only for rows that changed, once per batch. */
  outcomeOf: (row: number) => RowOutcome;
  /** The status of each row already recorded when the batcher starts (a resumed campaign); the others are pending. */
  initial?: Iterable<Pick<RowOutcome, 'row' | 'status'>>;
  /** The rows waiting for their quiet hours, per opening (Run.waiting), for the ETA; none by default. */
  waiting?: () => WaitingOpenings | undefined;
  send: (batch: StatusBatch) => void;
  timer: BatchTimer;
  /** Least time between two messages. */
  intervalMs?: number;
  /** How far back the rate looks. */
  rateWindowMs?: number;
}

const CODE = new Map<RowStatus, number>(rowStatuses.map((s, i) => [s, i]));
const PENDING = CODE.get('pending') ?? 0;
const IN_FLIGHT = CODE.get('in-flight') ?? 1;
const TOTAL_KEY: Record<RowStatus, Exclude<keyof Totals, 'total'>> = {
  pending: 'pending',
  'in-flight': 'inFlight',
  sent: 'sent',
  failed: 'failed',
  skipped: 'skipped',
  uncertain: 'uncertain',
};

export class StatusBatcher {
  private readonly opts: Required<Omit<StatusBatcherOptions, 'initial' | 'maxRow' | 'waiting'>>;
  private readonly waiting: () => WaitingOpenings | undefined;
  /** The rate when the count of answered rows last changed (what waiting rows will go at, see EtaInput). */
  private lastRate = 0;
  /** Status code (index in rowStatuses) of every row as last sent; index 0 unused. */
  private readonly statuses: Uint8Array;
  private readonly counts: Totals;
  private dirty = new Set<number>();
  private notices: Notice[] = [];
  private retrying = { rows: 0, reason: '' };
  private campaignState: CampaignState = 'idle';
  private seq = 0;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private handle: unknown = undefined;
  /** When the count of answered rows changed, and to what (the first answer onwards). */
  private readonly samples: { at: number; done: number }[] = [];
  private lastDone = 0;
  private finished = false;
  private finishReason: StatusBatch['finishReason'];

  constructor(options: StatusBatcherOptions) {
    this.opts = { intervalMs: 100, rateWindowMs: 10_000, ...options };
    this.waiting = options.waiting ?? (() => undefined);
    this.statuses = new Uint8Array((options.maxRow ?? options.total) + 1);
    this.counts = { total: options.total, pending: options.total, inFlight: 0, sent: 0, failed: 0, skipped: 0, uncertain: 0 };
    for (const o of options.initial ?? []) this.setStatus(o.row, o.status);
    this.lastDone = this.done();
  }

  /** totals are the counts as of the last message sent. */
  get totals(): Totals {
    return { ...this.counts };
  }

  get state(): CampaignState {
    return this.campaignState;
  }

  /** messagesSent counts the batches sent so far. */
  get messagesSent(): number {
    return this.seq;
  }

  /** push takes one engine event; the message that carries it goes out within `intervalMs`. */
  push(event: EngineEvent): void {
    if (this.finished) return;
    switch (event.type) {
      case 'queued':
        // A queued row is pending, which is what the renderer assumes for any row it has not
        // heard of: only a row that was in another state (a resumed campaign) needs a message.
        if (this.campaignState === 'idle') this.campaignState = 'running';
        if (this.statuses[event.row] !== PENDING) this.dirty.add(event.row);
        break;
      case 'sending':
      case 'sent':
      case 'failed':
      case 'uncertain':
      case 'skipped':
        if (this.campaignState === 'idle') this.campaignState = 'running';
        this.dirty.add(event.row);
        break;
      case 'retrying':
        this.dirty.add(event.row);
        this.retrying = { rows: this.retrying.rows + 1, reason: event.reason };
        break;
      case 'paused':
        this.campaignState = 'paused';
        this.notices.push({ type: 'paused', at: event.at, message: event.reason ?? 'Paused.' });
        break;
      case 'resumed':
        this.campaignState = 'running';
        this.notices.push({ type: 'resumed', at: event.at, message: 'Resumed.' });
        break;
      case 'stopped':
        this.notices.push({ type: 'stopped', at: event.at, message: event.reason });
        this.recheckInFlight();
        break;
      case 'pace':
        // Each drop and the return to the pace asked; not every small rise in between.
        if (event.lowered || event.perSecond >= event.ceiling) {
          this.notices.push({ type: 'pace', at: event.at, message: paceMessage(event), lowered: event.perSecond < event.ceiling });
        }
        break;
      case 'finished':
        this.recheckInFlight();
        this.campaignState = 'finished';
        this.finishReason = event.reason;
        this.finished = true;
        this.notices.push({ type: 'finished', at: event.at, message: finishMessage(event.reason) });
        this.flush();
        return;
    }
    this.schedule();
  }

  /** flush sends a message now with everything not yet sent (nothing when there is nothing). */
  flush(): void {
    if (this.handle !== undefined) {
      this.opts.timer.clearTimeout(this.handle);
      this.handle = undefined;
    }
    if (this.dirty.size === 0 && this.notices.length === 0 && this.retrying.rows === 0) return;
    const rows: RowOutcome[] = [];
    const changed = [...this.dirty].sort((a, b) => a - b);
    this.dirty = new Set();
    for (const row of changed) {
      const o = this.opts.outcomeOf(row);
      this.setStatus(row, o.status);
      rows.push({ ...o });
    }
    const notices = this.notices;
    this.notices = [];
    if (this.retrying.rows > 0) {
      const n = this.retrying.rows;
      notices.push({ type: 'retrying', at: this.opts.timer.now(), message: `${n} ${n === 1 ? 'request' : 'requests'} will be retried (${this.retrying.reason})` });
      this.retrying = { rows: 0, reason: '' };
    }
    const now = this.opts.timer.now();
    const { ratePerSecond, etaSeconds } = this.rate(now);
    this.lastSentAt = now;
    const batch: StatusBatch = {
      campaignId: this.opts.campaignId,
      seq: ++this.seq,
      state: this.campaignState,
      rows,
      totals: { ...this.counts },
      ratePerSecond,
      etaSeconds,
      notices,
    };
    if (this.finishReason !== undefined) batch.finishReason = this.finishReason;
    this.opts.send(batch);
  }

  /** dispose cancels a pending message (the window is gone); nothing is sent afterwards. */
  dispose(): void {
    if (this.handle !== undefined) this.opts.timer.clearTimeout(this.handle);
    this.handle = undefined;
    this.finished = true;
  }

  /**
   * recheckInFlight marks for re-reading every row last reported in flight. The engine emits no
   * event when such a row goes back to `pending` (the request a stop aborted, the row whose answer
   * was the 401 that stopped the campaign, a write-ahead record whose request never started), so
   * at `stopped` and `finished` the journal's state of those rows is read again and the final batch
   * shows them as they are recorded.
   */
  private recheckInFlight(): void {
    const s = this.statuses;
    for (let row = 1; row < s.length; row++) if (s[row] === IN_FLIGHT) this.dirty.add(row);
  }

  private schedule(): void {
    if (this.handle !== undefined) return;
    const delay = Math.max(0, this.lastSentAt + this.opts.intervalMs - this.opts.timer.now());
    this.handle = this.opts.timer.setTimeout(() => {
      this.handle = undefined;
      this.flush();
    }, delay);
  }

  private setStatus(row: number, status: RowStatus): void {
    if (row < 1 || row >= this.statuses.length) return;
    const code = CODE.get(status) ?? 0;
    const old = this.statuses[row] ?? 0;
    if (old === code) return;
    this.counts[TOTAL_KEY[rowStatuses[old] ?? 'pending']]--;
    this.counts[TOTAL_KEY[status]]++;
    this.statuses[row] = code;
  }

  /** Rows that got an answer (or gave up): what the rate counts. Skipped rows cost no request, so they are left out. */
  private done(): number {
    return this.counts.sent + this.counts.failed + this.counts.uncertain;
  }

  /**
   * rate is how fast rows get answers: the rows answered since the first answer still in the window,
   * over the time since it. Counting from the first answer, not from the start, keeps the burst a
   * rate limit allows at once from reading as a rate (one answer 0.1 s in is not "10/s" at 0.5/s);
   * until two answers are apart in time the rate is unknown (0, no ETA unless rows wait). The ETA is
   * the engine's own computation (eta.ts): rows waiting for their quiet hours go no earlier than
   * their openings.
   */
  private rate(now: number): { ratePerSecond: number; etaSeconds: number | null } {
    const done = this.done();
    const answered = done !== this.lastDone;
    if (answered) {
      this.samples.push({ at: now, done });
      this.lastDone = done;
    }
    while (this.samples.length > 2 && (this.samples[1]?.at ?? now) <= now - this.opts.rateWindowMs) this.samples.shift();
    const first = this.samples[0];
    const seconds = first === undefined ? 0 : (now - first.at) / 1000;
    const ratePerSecond = first !== undefined && seconds > 0 ? Math.round(((done - first.done) / seconds) * 10) / 10 : 0;
    const left = this.counts.pending + this.counts.inFlight;
    if (answered && ratePerSecond > 0) this.lastRate = ratePerSecond;
    const eta = this.campaignState === 'running' ? estimateEta({ now, left, perSecond: ratePerSecond, lastPerSecond: this.lastRate, waiting: this.waiting() }) : null;
    const etaSeconds = eta === null ? null : Math.ceil(eta);
    return { ratePerSecond, etaSeconds };
  }
}

function finishMessage(reason: 'completed' | 'cancelled' | 'stopped'): string {
  if (reason === 'completed') return 'Finished: every row has been processed.';
  if (reason === 'cancelled') return 'Cancelled: rows not yet sent stay pending.';
  return 'Stopped: rows not yet sent stay pending.';
}
