import type { CampaignSpec } from '../../../shared/campaign/schema';
import type { FinishReason, RowOutcome, RowStatus } from '../../../shared/engine/events';
import type { Snapshot, StatusBatch } from '../../../shared/ipc/contract';
import type { BatchTimer } from '../../ipc/batch-timer';
import { StatusBatcher } from '../../ipc/status-batcher';
import type { EngineJob } from '../engine/engine';
import type { CampaignEngine } from '../engine/engine';
import { createEngine } from '../campaign-runner';
import type { Clock, Transport } from '../ports';
import type { OpenCampaign } from '../state/campaign-store';

/**
 * CampaignSession is one campaign running in this process: the engine, the journal it writes
 * (through the campaign store), and the status batcher that turns its events into messages for
 * the renderer. The batcher reads each changed row from the journal's in-memory latest state,
 * which the engine updates before it emits the event, so what the renderer sees is what is recorded.
 */

export interface SessionOptions {
  campaign: OpenCampaign;
  spec: CampaignSpec;
  baseUrl: string;
  apiKey: string;
  transport: Transport;
  clock: Clock;
  timer: BatchTimer;
  profileName: string;
  jobs: Iterable<EngineJob> | AsyncIterable<EngineJob>;
  total: number;
  send: (batch: StatusBatch) => void;
  /** Called once the run has ended and the journal is closed (or failed to). */
  onDone: (error?: unknown) => void;
}

const pendingRow = (row: number): RowOutcome => ({ row, status: 'pending', recipient: '', attempts: 0 });

export class CampaignSession {
  readonly id: string;
  readonly name: string;
  readonly profileName: string;
  readonly startedAt: string;
  readonly total: number;
  private readonly campaign: OpenCampaign;
  private readonly engine: CampaignEngine;
  private readonly batcher: StatusBatcher;
  private finishReason: FinishReason | undefined;
  private stopReason: string | undefined;
  /** Resolves when the run has ended and the campaign is closed. */
  readonly done: Promise<void>;

  constructor(o: SessionOptions) {
    this.id = o.campaign.id;
    this.name = o.campaign.meta.name;
    this.profileName = o.profileName;
    this.startedAt = new Date(o.clock.now()).toISOString();
    this.total = o.total;
    this.campaign = o.campaign;
    const journal = o.campaign.journal;
    this.batcher = new StatusBatcher({
      campaignId: this.id,
      total: o.total,
      initial: journal.rows().values(),
      outcomeOf: (row) => journal.rows().get(row) ?? pendingRow(row),
      send: o.send,
      timer: o.timer,
    });
    this.engine = createEngine({
      spec: o.spec,
      apiKey: o.apiKey,
      connection: { transport: o.transport, baseUrl: o.baseUrl },
      journal,
      clock: o.clock,
      onEvent: (e) => {
        if (e.type === 'stopped') this.stopReason = e.reason;
        if (e.type === 'finished') this.finishReason = e.reason;
        this.batcher.push(e);
      },
    });
    this.done = this.engine
      .run(o.jobs, o.total)
      .then(() => undefined)
      .finally(async () => {
        await o.transport.close().catch(() => undefined);
        await this.campaign.close();
      })
      .then(
        () => o.onDone(),
        (e: unknown) => o.onDone(e),
      );
  }

  /** finished: the run is over (its last status message has gone out). */
  get finished(): boolean {
    return this.finishReason !== undefined;
  }

  pause(): void {
    this.engine.pause('Paused by you.');
  }

  resume(): void {
    this.engine.resume();
  }

  cancel(): void {
    this.engine.cancel();
  }

  /** snapshot is the campaign as it stands, for a renderer that (re)loads. */
  snapshot(): Snapshot {
    const s = this.engine.snapshot();
    const snap: Snapshot = {
      campaignId: this.id,
      name: this.name,
      state: s.state,
      totals: s.totals,
      ratePerSecond: Math.round(s.ratePerSecond * 10) / 10,
      etaSeconds: s.etaSeconds === null ? null : Math.ceil(s.etaSeconds),
      startedAt: this.startedAt,
      profileName: this.profileName,
    };
    if (this.finishReason !== undefined) snap.finishReason = this.finishReason;
    if (this.stopReason !== undefined) snap.stopReason = this.stopReason;
    return snap;
  }

  /** latest is every recorded row's latest state (the journal's, in memory). */
  latest(): ReadonlyMap<number, Readonly<RowOutcome>> {
    return this.campaign.journal.rows();
  }

  /** outcomeOf is a row's latest recorded state. */
  outcomeOf(row: number): RowOutcome | undefined {
    return this.campaign.journal.rows().get(row);
  }

  /** rows pages through the campaign's rows in row order, optionally only those with one status. */
  rows(offset: number, limit: number, status?: RowStatus): { total: number; rows: RowOutcome[] } {
    return pageRows(this.campaign.journal.rows(), this.total, offset, limit, status);
  }
}

/** pageRows pages rows 1..total by their latest state (rows never recorded are pending). */
export function pageRows(
  latest: ReadonlyMap<number, Readonly<RowOutcome>>,
  total: number,
  offset: number,
  limit: number,
  status?: RowStatus,
): { total: number; rows: RowOutcome[] } {
  const rows: RowOutcome[] = [];
  let matched = 0;
  for (let row = 1; row <= total; row++) {
    const o = latest.get(row) ?? pendingRow(row);
    if (status !== undefined && o.status !== status) continue;
    if (matched >= offset && rows.length < limit) rows.push({ ...o });
    matched++;
  }
  return { total: matched, rows };
}
