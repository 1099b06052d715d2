import type { StatusBatch } from '../../shared/ipc/contract';
import type { EngineEvent, RowOutcome, RowStatus, Totals } from '../../shared/engine/events';
import { paceMessage, rowStatuses } from '../../shared/engine/events';
import type { WaitingNow } from '../core/engine/eta';
import { waitingLine } from '../core/engine/eta';
import { BatchRate } from './batch-rate';
import type { BatchTimer } from './batch-timer';

/**
 * StatusBatcher turns the engine's event stream (thousands a second) into `campaign:event`
 * messages for the renderer, at most one per `intervalMs` (10 a second by default). Events only
 * mark rows as changed; when a batch goes out, each changed row is read once from `outcomeOf`
 * (the engine's latest state, the same record the journal holds), so a batch carries the latest
 * state of every row that changed since the last one and nothing is lost however many events
 * were coalesced. Totals are kept from those same states, so they match the journal exactly.
 * `finished` flushes at once: the last message is never held back.
 *
 * Rows waiting for their quiet hours send no events, sometimes for hours: so while any wait, a
 * check every `waitingTickMs` sends a batch even with no row changes (the ETA counts down, the
 * "waiting" line keeps up), and one when the waiting rows changed (their window opened).
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
  /** The rows waiting for their quiet hours now (Run.waiting): the batches' `waiting` and ETA. Given, the batcher checks on them (see above). */
  waiting?: () => WaitingNow | undefined;
  send: (batch: StatusBatch) => void;
  timer: BatchTimer;
  /** Least time between two messages. */
  intervalMs?: number;
  /** How far back the rate looks. */
  rateWindowMs?: number;
  /**
   * How often a batch goes out while rows wait and nothing else happens. Five seconds: the ETA a
   * person reads ("3 min 20 s") is never more than five seconds behind, at one small message.
   */
  waitingTickMs?: number;
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
  private readonly waiting: () => WaitingNow | undefined;
  /** The `waiting` of the last message (waitingKey), to tell when it changed. */
  private lastWaiting = '';
  private checkHandle: unknown = undefined;
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
  private readonly rate: BatchRate;
  private finished = false;
  private finishReason: StatusBatch['finishReason'];

  constructor(options: StatusBatcherOptions) {
    this.opts = { intervalMs: 100, rateWindowMs: 10_000, waitingTickMs: 5_000, ...options };
    this.waiting = options.waiting ?? (() => undefined);
    if (options.waiting !== undefined) this.armCheck();
    this.statuses = new Uint8Array((options.maxRow ?? options.total) + 1);
    this.counts = { total: options.total, pending: options.total, inFlight: 0, sent: 0, failed: 0, skipped: 0, uncertain: 0 };
    for (const o of options.initial ?? []) this.setStatus(o.row, o.status);
    this.rate = new BatchRate(this.opts.rateWindowMs, this.counts);
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
        this.stopChecking();
        this.notices.push({ type: 'finished', at: event.at, message: finishMessage(event.reason) });
        this.flush();
        return;
    }
    this.schedule();
  }

  /** flush sends a message now with everything not yet sent (nothing when there is nothing, unless `always`). */
  flush(always = false): void {
    if (this.handle !== undefined) {
      this.opts.timer.clearTimeout(this.handle);
      this.handle = undefined;
    }
    if (!always && this.dirty.size === 0 && this.notices.length === 0 && this.retrying.rows === 0) return;
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
    // A finished run has no rows waiting: a cancel or a stop leaves them pending, to be judged again.
    const waiting = this.campaignState === 'finished' ? undefined : this.waiting();
    const { ratePerSecond, etaSeconds } = this.rate.at(now, this.counts, this.campaignState === 'running', waiting);
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
    if (waiting !== undefined) batch.waiting = waitingLine(waiting);
    this.lastWaiting = waitingKey(waiting);
    this.opts.send(batch);
  }

  /** dispose cancels a pending message (the window is gone); nothing is sent afterwards. */
  dispose(): void {
    if (this.handle !== undefined) this.opts.timer.clearTimeout(this.handle);
    this.handle = undefined;
    this.finished = true;
    this.stopChecking();
  }

  /** stopChecking ends the checks on waiting rows (the run is over); a message already due still goes. */
  stopChecking(): void {
    if (this.checkHandle !== undefined) this.opts.timer.clearTimeout(this.checkHandle);
    this.checkHandle = undefined;
  }

  /**
   * check runs every `waitingTickMs` until the run is over: while rows wait and the run runs, it
   * sends a batch (nothing else would: a waiting row sends no event); whatever the state, it sends
   * one when the waiting rows changed since the last message. Rows that wait before any event came
   * mean the run has started.
   */
  private readonly check = (): void => {
    this.checkHandle = undefined;
    if (this.finished) return;
    const w = this.waiting();
    if (w !== undefined && this.campaignState === 'idle') this.campaignState = 'running';
    if ((w !== undefined && this.campaignState === 'running') || waitingKey(w) !== this.lastWaiting) this.flush(true);
    this.armCheck();
  };

  private armCheck(): void {
    this.checkHandle = this.opts.timer.setTimeout(this.check, this.opts.waitingTickMs);
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
}

/** waitingKey is waiting rows as text ('' for none), to compare. */
function waitingKey(w: WaitingNow | undefined): string {
  return w === undefined ? '' : `${w.rows}@${w.until}`;
}

function finishMessage(reason: 'completed' | 'cancelled' | 'stopped'): string {
  if (reason === 'completed') return 'Finished: every row has been processed.';
  if (reason === 'cancelled') return 'Cancelled: rows not yet sent stay pending.';
  return 'Stopped: rows not yet sent stay pending.';
}
