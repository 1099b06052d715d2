import { conversationKey } from '../../../shared/campaign/recipient-keys';
import type { EngineEvent } from '../../../shared/engine/events';
import type { RowOutcomes } from '../ports';
import type { SentMessage } from '../workspace/send-history';
import type { Workspace } from '../workspace/workspace';

/**
 * HistoryTap records a run's messages in the workspace's history as the engine settles them (the
 * frequency cap counts them from then on), with every key the router knew for the row: its number
 * and its conversation. It also keeps the notes of rows sent despite the opt-out list. Writes are
 * batched (a transaction every few hundred messages or every second); the journal stays the
 * write-ahead record, so `reconcile` fills in, from the journal in memory, what a crash kept from
 * reaching the history. It reads the journal's row store row by row (statusOf), never an outcome
 * object per row.
 */
export class HistoryTap {
  readonly #workspace: Workspace;
  readonly #campaignId: string;
  readonly #now: () => number;
  readonly #journal: () => RowOutcomes;
  /** Keys of the rows routed to be sent and not settled yet (bounded by the engine's queue). */
  readonly #keys = new Map<number, readonly string[]>();
  #buffer: SentMessage[] = [];
  #notes = new Map<number, string>();
  #flushedAt: number;
  /** The first write that failed: the run goes on (the journal has every row), the history is reconciled later. */
  failure: unknown;

  constructor(workspace: Workspace, campaignId: string, now: () => number, journal: () => RowOutcomes) {
    this.#workspace = workspace;
    this.#campaignId = campaignId;
    this.#now = now;
    this.#journal = journal;
    this.#flushedAt = now();
  }

  /** routed hears of a row about to be sent (planJobs' SendHook); rows an earlier run settled are not sent again, so not kept. */
  routed(row: number, keys: readonly string[], note: string | undefined): void {
    const status = this.#journal().statusOf(row);
    if (status === 'sent' || status === 'failed' || status === 'skipped') return;
    if (keys.length > 0) this.#keys.set(row, keys);
    if (note !== undefined) this.#notes.set(row, note);
  }

  /** event takes the engine's events: a sent row goes to the history. */
  event(e: EngineEvent): void {
    if (e.type === 'sent') {
      const keys = new Set(this.#keys.get(e.row) ?? []);
      if (e.recipient !== '') keys.add(conversationKey(e.recipient));
      this.#keys.delete(e.row);
      if (keys.size > 0) this.#buffer.push({ campaignId: this.#campaignId, row: e.row, keys: [...keys], at: e.at });
    } else if (e.type === 'failed' || e.type === 'skipped' || e.type === 'uncertain') {
      this.#keys.delete(e.row);
      this.#notes.delete(e.row);
    }
    if (this.#buffer.length >= 500 || (this.#buffer.length > 0 && this.#now() - this.#flushedAt >= 1_000)) this.flush();
  }

  /** flush writes what is buffered. */
  flush(): void {
    this.#flushedAt = this.#now();
    const buffer = this.#buffer;
    const sentNotes = new Map([...this.#notes].filter(([row]) => this.#journal().statusOf(row) === 'sent'));
    this.#buffer = [];
    for (const row of sentNotes.keys()) this.#notes.delete(row);
    try {
      this.#workspace.history.record(buffer);
      this.#workspace.notes.set(this.#campaignId, sentNotes);
    } catch (e) {
      this.failure ??= e;
    }
  }

  /**
   * reconcile records every row the journal has as sent and the history lacks (a crash between the
   * two, or a failed write): it compares counts first, so a run that lost nothing costs one query.
   */
  reconcile(): void {
    const latest = this.#journal();
    try {
      if (this.#workspace.history.messagesOf(this.#campaignId) < latest.count('sent')) this.#workspace.history.recordSent(this.#campaignId, latest);
    } catch (e) {
      this.failure ??= e;
    }
  }
}
