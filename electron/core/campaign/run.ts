import type { CampaignSpec } from '../../../shared/campaign/schema';
import type { EngineEvent, FinishReason, RowOutcome, RowStatus, Totals } from '../../../shared/engine/events';
import type { Snapshot } from '../../../shared/ipc/contract';
import { campaignDefinition } from '../../../shared/campaign/plan';
import type { EngineJob, Replan, RunSummary } from '../engine/engine';
import { CampaignEngine } from '../engine/engine';
import type { WaitingNow } from '../engine/eta';
import { waitingLine } from '../engine/eta';
import type { Clock, Journal, RowOutcomes } from '../ports';
import type { OpenCampaign } from '../state/campaign-store';
import type { Connection } from './connection';

/**
 * A campaign while it sends: the engine, the journal it writes (through the campaign store) and the
 * connection it sends over, from start until the last row is settled and everything is closed.
 * Front ends listen to its events (the CLI's progress bar, the desktop's status stream), ask for
 * snapshots and pages of rows, and pause, resume or cancel it.
 */

/** EngineSetup is everything an engine for one campaign needs besides its jobs. */
export interface EngineSetup {
  spec: CampaignSpec;
  apiKey: string;
  connection: Pick<Connection, 'transport' | 'baseUrl'>;
  journal: Journal;
  clock: Clock;
  onEvent: (e: EngineEvent) => void;
  resendUncertain?: boolean;
  /** Rebuilds the jobs of rows that waited for their quiet hours (EngineDeps.replan). */
  replan?: Replan;
}

/** createEngine builds the engine for a campaign: its provider's requests, throttle, retries and breaker. */
export function createEngine(setup: EngineSetup): CampaignEngine {
  return new CampaignEngine(
    {
      provider: campaignDefinition(setup.spec),
      baseUrl: setup.connection.baseUrl,
      apiKey: setup.apiKey,
      throttle: setup.spec.throttle,
      retry: setup.spec.retry,
      resendUncertain: setup.resendUncertain ?? false,
      breakerThreshold: setup.spec.retry.pauseAfterFailures,
    },
    { transport: setup.connection.transport, clock: setup.clock, journal: setup.journal, onEvent: setup.onEvent, ...(setup.replan === undefined ? {} : { replan: setup.replan }) },
  );
}

/** RunResult is how a run ended: the engine's summary and every row's latest outcome (the journal's row store, not a copy). */
export interface RunResult {
  reason: FinishReason;
  totals: Totals;
  stopReason?: string;
  stopHttpStatus?: number;
  /** Why the error threshold (retry.pauseAfterFailures) ended or paused the run, when it did. */
  breakerReason?: string;
  outcomes: RowOutcomes;
}

/** RunOptions start a run. */
export interface RunOptions {
  campaign: OpenCampaign;
  spec: CampaignSpec;
  apiKey: string;
  connection: Connection;
  clock: Clock;
  jobs: Iterable<EngineJob> | AsyncIterable<EngineJob>;
  /** Rebuilds the jobs of rows that waited for their quiet hours, once due (see EngineDeps.replan). */
  replan?: Replan;
  total: number;
  resendUncertain: boolean;
  /**
   * Headless (the CLI): nobody can press resume, so a pause by the error threshold ends the run,
   * leaving the rest pending for a re-run once the cause is fixed. The desktop keeps it paused.
   */
  endOnPause: boolean;
  /** The account's name as people know it (desktop profiles), for the snapshot. */
  accountName?: string;
  /**
   * The rows of a run over part of the file (a retry of the failed rows), in row order; they keep
   * their numbers in the file. Default: rows 1..total.
   */
  rows?: readonly number[];
  /** Called once the engine has ended, before the journal is closed (the last history writes). */
  beforeClose?: () => void;
}

const pendingRow = (row: number): RowOutcome => ({ row, status: 'pending', recipient: '', attempts: 0 });

/** Run is one campaign sending in this process. */
export class Run {
  readonly id: string;
  readonly name: string;
  readonly total: number;
  readonly startedAt: string;
  readonly accountName: string;
  /** The campaign's totals when this run started: what earlier runs of it had settled. */
  readonly before: Totals;
  /** The rows of a run over part of the file, in row order (undefined: rows 1..total). */
  readonly rowList: readonly number[] | undefined;
  /** Resolves once every row is settled (or left pending), the journal closed and the connection closed; never rejects. */
  readonly done: Promise<RunResult | { error: unknown }>;
  readonly #campaign: OpenCampaign;
  readonly #engine: CampaignEngine;
  readonly #listeners = new Set<(e: EngineEvent) => void>();
  #finishReason: FinishReason | undefined;
  #stopReason: string | undefined;
  /** The person cancelled the run (cancel(), not quit() or the error threshold's end). */
  #cancelled = false;

  constructor(o: RunOptions) {
    this.id = o.campaign.id;
    this.name = o.campaign.meta.name;
    this.total = o.total;
    this.startedAt = new Date(o.clock.now()).toISOString();
    this.accountName = o.accountName ?? '';
    this.before = o.campaign.totals();
    this.rowList = o.rows;
    this.#campaign = o.campaign;
    this.#engine = createEngine({
      spec: o.spec,
      apiKey: o.apiKey,
      connection: o.connection,
      journal: o.campaign.journal,
      clock: o.clock,
      resendUncertain: o.resendUncertain,
      ...(o.replan === undefined ? {} : { replan: o.replan }),
      onEvent: (e) => {
        if (e.type === 'stopped') this.#stopReason = e.reason;
        if (e.type === 'finished') this.#finishReason = e.reason;
        for (const l of this.#listeners) l(e);
        if (e.type === 'paused' && o.endOnPause) this.#engine.cancel();
      },
    });
    this.done = this.#run(o);
  }

  async #run(o: RunOptions): Promise<RunResult | { error: unknown }> {
    let summary: RunSummary | undefined;
    try {
      summary = await this.#engine.run(o.jobs, o.total);
    } catch (error) {
      await o.connection.close().catch(() => undefined);
      await this.#campaign.close().catch(() => undefined);
      return { error };
    }
    await o.connection.close().catch(() => undefined);
    try {
      o.beforeClose?.();
      // The journal's rows, not a copy: they no longer change once the engine has finished.
      const outcomes = this.#campaign.journal.outcomes();
      await this.#campaign.close({ cancelled: this.cancelled });
      const result: RunResult = { reason: summary.reason, totals: summary.totals, outcomes };
      if (summary.stopReason !== undefined) result.stopReason = summary.stopReason;
      if (summary.stopHttpStatus !== undefined) result.stopHttpStatus = summary.stopHttpStatus;
      if (summary.breakerReason !== undefined) result.breakerReason = summary.breakerReason;
      return result;
    } catch (error) {
      return { error };
    }
  }

  /** onEvent adds a listener of the engine's events (called synchronously); returns its removal. */
  onEvent(listener: (e: EngineEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** cancelled: the run ended because the person cancelled it (not a quit, a stop or the error threshold). */
  get cancelled(): boolean {
    return this.#cancelled && this.#finishReason === 'cancelled';
  }

  /** finished: the engine has ended (its `finished` event has gone out); closing may still be under way. */
  get finished(): boolean {
    return this.#finishReason !== undefined;
  }

  pause(reason = 'Paused by you.'): void {
    this.#engine.pause(reason);
  }

  resume(): void {
    this.#engine.resume();
  }

  /** cancel is the person's Cancel: nothing more starts, rows not sent stay pending, and the history says "cancelled". */
  cancel(): void {
    this.#cancelled = true;
    this.#engine.cancel();
  }

  /**
   * quit stops the run because the app is quitting, not because the person cancelled it: as after a
   * crash, the history says "interrupted" and the app offers to resume it when it starts again.
   */
  quit(): void {
    this.#engine.cancel();
  }

  /** progress is the engine's own snapshot (state, totals, rate, ETA) for progress displays. */
  progress(): ReturnType<CampaignEngine['snapshot']> {
    return this.#engine.snapshot();
  }

  /** waiting is the rows waiting for their quiet hours (how many, until when, per opening), for the status stream. */
  waiting(): WaitingNow | undefined {
    return this.#engine.waiting();
  }

  /** snapshot is the campaign as it stands, for a window that (re)loads. */
  snapshot(): Snapshot {
    const s = this.#engine.snapshot();
    const snap: Snapshot = {
      campaignId: this.id,
      name: this.name,
      state: s.state,
      totals: s.totals,
      ratePerSecond: Math.round(s.ratePerSecond * 10) / 10,
      etaSeconds: s.etaSeconds === null ? null : Math.ceil(s.etaSeconds),
      startedAt: this.startedAt,
      profileName: this.accountName,
    };
    if (s.waiting !== undefined) snap.waiting = waitingLine(s.waiting);
    if (this.#finishReason !== undefined) snap.finishReason = this.#finishReason;
    if (this.#stopReason !== undefined) snap.stopReason = this.#stopReason;
    return snap;
  }

  /** latest is every recorded row's latest state (the journal's row store, in memory). */
  latest(): RowOutcomes {
    return this.#campaign.journal.outcomes();
  }

  /** outcomeOf is a row's latest recorded state (pending when never recorded). */
  outcomeOf(row: number): RowOutcome {
    return this.#campaign.journal.outcomes().get(row) ?? pendingRow(row);
  }

  /** rows pages through the campaign's rows in row order, optionally only those with one status. */
  rows(offset: number, limit: number, status?: RowStatus): { total: number; rows: RowOutcome[] } {
    return pageRows(this.#campaign.journal.outcomes(), this.rowList ?? this.total, offset, limit, status);
  }
}

/**
 * pageRows pages a campaign's rows (1..`rows`, or the listed rows of a run over part of the file)
 * by their latest state (rows never recorded are pending). Rows are matched by status alone (a byte
 * a row) and only the page's rows are read whole, so a page of a million-row campaign costs
 * milliseconds.
 */
export function pageRows(latest: RowOutcomes, rows: number | readonly number[], offset: number, limit: number, status?: RowStatus): { total: number; rows: RowOutcome[] } {
  const page: RowOutcome[] = [];
  const count = typeof rows === 'number' ? rows : rows.length;
  const rowAt = (i: number) => (typeof rows === 'number' ? i + 1 : (rows[i] as number));
  if (status === undefined) {
    for (let i = offset; i < Math.min(count, offset + limit); i++) page.push(latest.get(rowAt(i)) ?? pendingRow(rowAt(i)));
    return { total: count, rows: page };
  }
  let matched = 0;
  for (let i = 0; i < count; i++) {
    const row = rowAt(i);
    if ((latest.statusOf(row) ?? 'pending') !== status) continue;
    if (matched >= offset && page.length < limit) page.push(latest.get(row) ?? pendingRow(row));
    matched++;
  }
  return { total: matched, rows: page };
}

/** statusesOf is each recorded row's status, in row order (what a status display starts from). */
export function* statusesOf(latest: RowOutcomes): Generator<{ row: number; status: RowStatus }> {
  for (const row of latest.rows()) yield { row, status: latest.statusOf(row) as RowStatus };
}
