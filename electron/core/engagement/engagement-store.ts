import type BetterSqlite3 from 'better-sqlite3';
import type { FunnelCounts } from '../../../shared/engagement/funnel';
import { replyTimeBuckets } from '../../../shared/engagement/funnel';
import type { RowOutcome } from '../../../shared/engine/events';
import type { MessageStatus } from '../../../shared/providers/wassist-api';
import { crashPoint } from '../state/crash-points';
import { backupSqlite } from '../state/sqlite-files';
import { openEngagementDb } from './engagement-db';
import type { MessageRecord, MessageRow } from './message-record';
import { COLUMNS, recordOf } from './message-record';

export type { MessageRecord } from './message-record';

/**
 * EngagementStore is the engagement database's queries (engagement-db.ts says why SQLite): a
 * campaign's sent messages (seeded from its journal), the state of its refresh, and the funnel
 * counted from them. Every method touches a bounded number of rows, whatever the campaign's size.
 */

/** PassState is a campaign's current (or last) refresh. */
export interface PassState {
  startedAt: number | null;
  finishedAt: number | null;
  done: number;
  total: number;
  requests: number;
  error: string | null;
  checkedAt: number | null;
  unreadable: { conversationId: string; reason: string }[];
}

/** StoredFunnel is the funnel as last counted, with the reply-time bars. */
export interface StoredFunnel {
  counts: FunnelCounts;
  notFound: number;
  unchecked: number;
  open: number;
  replyTimes: number[];
  medianReplySeconds: number | null;
}

const SEED_BATCH = 10_000;

export class EngagementStore {
  readonly #db: BetterSqlite3.Database;
  #closed = false;

  private constructor(db: BetterSqlite3.Database) {
    this.#db = db;
  }

  /** open opens the store of the workspace in `dataDir`. */
  static async open(dataDir: string): Promise<EngagementStore> {
    return new EngagementStore(await openEngagementDb(dataDir));
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** backupTo writes a consistent copy of the database to `path` through this connection, while it stays in use. */
  backupTo(path: string): Promise<void> {
    return backupSqlite(this.#db, path);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }

  /** seededVersion is the campaign version (its meta's updatedAt) its messages were last seeded from; undefined when never. */
  seededVersion(campaignId: string): string | undefined {
    const r = this.#db.prepare('SELECT seeded_version FROM campaigns WHERE campaign_id = ?').get(campaignId) as { seeded_version: string } | undefined;
    return r === undefined || r.seeded_version === '' ? undefined : r.seeded_version;
  }

  /**
   * seed records every sent row of `outcomes` (with a message id and a conversation): a new row is
   * added; a row sent again with another message starts over; the others keep what was read.
   * `legacy` gives a status read before this store existed (the old sidecar). Returns the sent rows.
   */
  seed(campaignId: string, version: string, outcomes: Iterable<RowOutcome>, legacy?: (row: number) => { status: MessageStatus; at: number } | undefined): number {
    const upsert = this.#db.prepare(
      `INSERT INTO messages (campaign_id, row, conversation_id, message_id, sent_at, status, status_at, found, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (campaign_id, row) DO UPDATE SET conversation_id = excluded.conversation_id, message_id = excluded.message_id, sent_at = excluded.sent_at,
         status = NULL, status_at = NULL, found = 0, cursor = NULL, scanned_to = NULL, clicks = NULL, first_click_at = NULL, replied_at = NULL, reply_text = NULL,
         reply_id = NULL, opted_out_at = NULL, opt_out_word = NULL, checked_at = NULL, problem = NULL, closed = 0
       WHERE messages.message_id <> excluded.message_id`,
    );
    const drop = this.#db.prepare('DELETE FROM messages WHERE campaign_id = ? AND row = ?');
    let batch: RowOutcome[] = [];
    let sent = 0;
    const flush = () =>
      this.#db.transaction(() => {
        for (const o of batch) {
          if (o.status !== 'sent' || o.messageId === undefined || o.messageId === '' || o.recipient === '') {
            drop.run(campaignId, o.row);
            continue;
          }
          const old = legacy?.(o.row);
          const at = o.sentAt === undefined ? Number.NaN : Date.parse(o.sentAt);
          upsert.run(campaignId, o.row, o.recipient, o.messageId, Number.isNaN(at) ? 0 : at, old?.status ?? null, old?.at ?? null, old === undefined ? 0 : 1, old?.at ?? null);
        }
        batch = [];
      })();
    for (const o of outcomes) {
      if (o.status === 'sent' && o.messageId !== undefined && o.messageId !== '' && o.recipient !== '') sent++;
      batch.push(o);
      if (batch.length >= SEED_BATCH) flush();
    }
    flush();
    this.#db
      .prepare('INSERT INTO campaigns (campaign_id, seeded_version) VALUES (?, ?) ON CONFLICT (campaign_id) DO UPDATE SET seeded_version = excluded.seeded_version')
      .run(campaignId, version);
    return sent;
  }

  /** pass is the campaign's current (or last) refresh. */
  pass(campaignId: string): PassState {
    const r = this.#db.prepare('SELECT * FROM campaigns WHERE campaign_id = ?').get(campaignId) as Record<string, unknown> | undefined;
    return {
      startedAt: (r?.pass_started_at as number | null | undefined) ?? null,
      finishedAt: (r?.pass_finished_at as number | null | undefined) ?? null,
      done: (r?.pass_done as number | undefined) ?? 0,
      total: (r?.pass_total as number | undefined) ?? 0,
      requests: (r?.pass_requests as number | undefined) ?? 0,
      error: (r?.pass_error as string | null | undefined) ?? null,
      checkedAt: (r?.checked_at as number | null | undefined) ?? null,
      unreadable: JSON.parse((r?.unreadable as string | undefined) ?? '[]') as PassState['unreadable'],
    };
  }

  /**
   * beginPass starts a refresh at `now`, or resumes the last one when it did not finish and began
   * less than `resumeWithinMs` ago (conversations it read are not read again). Returns the pass.
   */
  beginPass(campaignId: string, now: number, resumeWithinMs: number): PassState & { resumed: boolean } {
    return this.#db
      .transaction(() => {
        const p = this.pass(campaignId);
        if (p.startedAt !== null && p.finishedAt === null && now - p.startedAt < resumeWithinMs) return { ...p, error: null, resumed: true };
        this.#db
          .prepare(
            `INSERT INTO campaigns (campaign_id, pass_started_at, pass_finished_at, pass_done, pass_total, pass_requests, pass_error, unreadable) VALUES (?, ?, NULL, 0, 0, 0, NULL, '[]')
             ON CONFLICT (campaign_id) DO UPDATE SET pass_started_at = excluded.pass_started_at, pass_finished_at = NULL, pass_done = 0, pass_total = 0, pass_requests = 0, pass_error = NULL, unreadable = '[]'`,
          )
          .run(campaignId, now);
        return { ...this.pass(campaignId), resumed: false };
      })
      .immediate();
  }

  /** openConversations counts the conversations a pass begun at `since` still has to read. */
  openConversations(campaignId: string, since: number): number {
    const r = this.#db
      .prepare('SELECT COUNT(DISTINCT conversation_id) AS n FROM messages WHERE campaign_id = ? AND closed = 0 AND (checked_at IS NULL OR checked_at < ?)')
      .get(campaignId, since) as { n: number };
    return r.n;
  }

  /** nextConversations is the next `limit` conversations (after `after`, in id order) a pass begun at `since` has to read, with their messages. */
  nextConversations(campaignId: string, since: number, after: string, limit: number): Map<string, MessageRecord[]> {
    const ids = this.#db
      .prepare(
        'SELECT DISTINCT conversation_id AS id FROM messages WHERE campaign_id = ? AND closed = 0 AND (checked_at IS NULL OR checked_at < ?) AND conversation_id > ? ORDER BY conversation_id LIMIT ?',
      )
      .all(campaignId, since, after, limit) as { id: string }[];
    const out = new Map<string, MessageRecord[]>();
    if (ids.length === 0) return out;
    const rows = this.#db
      .prepare(`SELECT ${COLUMNS} FROM messages WHERE campaign_id = ? AND conversation_id IN (${ids.map(() => '?').join(',')}) AND closed = 0 AND (checked_at IS NULL OR checked_at < ?) ORDER BY conversation_id, row`)
      .all(campaignId, ...ids.map((i) => i.id), since) as MessageRow[];
    for (const r of rows) {
      const list = out.get(r.conversation_id);
      if (list === undefined) out.set(r.conversation_id, [recordOf(r)]);
      else list.push(recordOf(r));
    }
    return out;
  }

  /** save writes read records and the pass's progress in one transaction (a crash keeps all of it or none). */
  save(campaignId: string, records: readonly MessageRecord[], progress: { done: number; total: number; requests: number; checkedAt: number; unreadable: PassState['unreadable'] }): void {
    const put = this.#db.prepare(
      `UPDATE messages SET sent_at = ?, status = ?, status_at = ?, found = ?, cursor = ?, scanned_to = ?, clicks = ?, first_click_at = ?, replied_at = ?, reply_text = ?,
         reply_id = ?, opted_out_at = ?, opt_out_word = ?, checked_at = ?, problem = ?, closed = ? WHERE campaign_id = ? AND row = ? AND message_id = ?`,
    );
    this.#db
      .transaction(() => {
        for (const m of records) {
          put.run(m.sentAt, m.status, m.statusAt, m.found ? 1 : 0, m.cursor, m.scannedTo, m.clicks, m.firstClickAt, m.repliedAt, m.replyText, m.replyId, m.optedOutAt, m.optOutWord, m.checkedAt, m.problem, m.closed ? 1 : 0, campaignId, m.row, m.messageId);
        }
        this.#db
          .prepare('UPDATE campaigns SET pass_done = ?, pass_total = ?, pass_requests = ?, checked_at = ?, unreadable = ? WHERE campaign_id = ?')
          .run(progress.done, progress.total, progress.requests, progress.checkedAt, JSON.stringify(progress.unreadable.slice(0, 100)), campaignId);
      })
      .immediate();
    crashPoint('engagement-saved', `${records.length}`);
  }

  /** endPass marks the refresh finished. */
  endPass(campaignId: string, now: number): void {
    this.#db.prepare('UPDATE campaigns SET pass_finished_at = ?, pass_error = NULL WHERE campaign_id = ?').run(now, campaignId);
  }

  /** failPass notes why the refresh stopped; it stays unfinished, so the next one resumes it. */
  failPass(campaignId: string, error: string): void {
    this.#db.prepare('UPDATE campaigns SET pass_error = ? WHERE campaign_id = ?').run(error, campaignId);
  }

  /** recount counts the funnel from the messages (one pass over the campaign's rows) and keeps it for funnel(). */
  recount(campaignId: string): StoredFunnel {
    const c = this.#db
      .prepare(
        `SELECT COUNT(*) AS sent,
           COALESCE(SUM(status IN ('delivered', 'read') OR clicks > 0 OR replied_at IS NOT NULL), 0) AS delivered,
           COALESCE(SUM(status = 'read' OR clicks > 0 OR replied_at IS NOT NULL), 0) AS read,
           COALESCE(SUM(clicks > 0), 0) AS clicked,
           COALESCE(SUM(replied_at IS NOT NULL), 0) AS replied,
           COALESCE(SUM(opted_out_at IS NOT NULL), 0) AS optedOut,
           COALESCE(SUM(status = 'failed'), 0) AS failed,
           COALESCE(SUM(clicks IS NOT NULL), 0) AS clickData,
           COALESCE(SUM(checked_at IS NOT NULL AND found = 0), 0) AS notFound,
           COALESCE(SUM(checked_at IS NULL), 0) AS unchecked,
           COALESCE(SUM(closed = 0), 0) AS open
         FROM messages WHERE campaign_id = ?`,
      )
      .get(campaignId) as FunnelCounts & { notFound: number; unchecked: number; open: number };
    const { notFound, unchecked, open, ...counts } = c;
    const replyTimes = replyTimeBuckets.map(() => 0);
    const delay = 'MAX(0, replied_at - sent_at)';
    const bucket = `CASE ${replyTimeBuckets
      .slice(0, -1)
      .map((b, i) => `WHEN ${delay} < ${b.upToSeconds * 1000} THEN ${i}`)
      .join(' ')} ELSE ${replyTimeBuckets.length - 1} END`;
    const bars = this.#db.prepare(`SELECT ${bucket} AS b, COUNT(*) AS n FROM messages WHERE campaign_id = ? AND replied_at IS NOT NULL GROUP BY b`).all(campaignId) as { b: number; n: number }[];
    for (const { b, n } of bars) replyTimes[b] = n;
    const mid =
      counts.replied === 0
        ? undefined
        : (this.#db.prepare(`SELECT ${delay} AS ms FROM messages WHERE campaign_id = ? AND replied_at IS NOT NULL ORDER BY ms LIMIT 1 OFFSET ?`).get(campaignId, Math.floor((counts.replied - 1) / 2)) as
            | { ms: number }
            | undefined);
    const funnel: StoredFunnel = { counts, notFound, unchecked, open, replyTimes, medianReplySeconds: mid === undefined ? null : mid.ms / 1000 };
    this.#db.prepare('UPDATE campaigns SET funnel = ? WHERE campaign_id = ?').run(JSON.stringify(funnel), campaignId);
    return funnel;
  }

  /** funnel is the funnel as last counted; undefined when the campaign's engagement was never read. */
  funnel(campaignId: string): StoredFunnel | undefined {
    const r = this.#db.prepare('SELECT funnel FROM campaigns WHERE campaign_id = ?').get(campaignId) as { funnel: string | null } | undefined;
    return r?.funnel === null || r?.funnel === undefined ? undefined : (JSON.parse(r.funnel) as StoredFunnel);
  }

  /** funnels is every campaign's funnel as last counted, with when it was read (for the history). */
  funnels(): Map<string, { funnel: StoredFunnel; checkedAt: number | null }> {
    const rows = this.#db.prepare('SELECT campaign_id, funnel, checked_at FROM campaigns WHERE funnel IS NOT NULL').all() as { campaign_id: string; funnel: string; checked_at: number | null }[];
    return new Map(rows.map((r) => [r.campaign_id, { funnel: JSON.parse(r.funnel) as StoredFunnel, checkedAt: r.checked_at }]));
  }

  /** rows is the records of rows `from`..`to` (inclusive), in row order. */
  rows(campaignId: string, from: number, to: number): MessageRecord[] {
    return (this.#db.prepare(`SELECT ${COLUMNS} FROM messages WHERE campaign_id = ? AND row BETWEEN ? AND ? ORDER BY row`).all(campaignId, from, to) as MessageRow[]).map(recordOf);
  }

  /** rowsFrom is at most `limit` records from row `from` on, in row order (the report's chunks). */
  rowsFrom(campaignId: string, from: number, limit: number): MessageRecord[] {
    return (this.#db.prepare(`SELECT ${COLUMNS} FROM messages WHERE campaign_id = ? AND row >= ? ORDER BY row LIMIT ?`).all(campaignId, from, limit) as MessageRow[]).map(recordOf);
  }

  /** hasMessages tells whether a campaign has any message here. */
  hasMessages(campaignId: string): boolean {
    return this.#db.prepare('SELECT 1 FROM messages WHERE campaign_id = ? LIMIT 1').get(campaignId) !== undefined;
  }
}
