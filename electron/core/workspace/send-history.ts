import type { RowOutcomes } from '../ports';
import { conversationKey } from '../../../shared/campaign/recipient-keys';
import type { WorkspaceDb } from './workspace-db';

/**
 * The history behind the frequency cap: every campaign message sent from this workspace, by
 * recipient key (its number and its conversation, when known), campaign and row, with the time
 * the provider accepted it. Runs record their rows as they settle; a one-time backfill reads the
 * journals of campaigns sent before the history existed. Recording is idempotent (one record per
 * campaign, row and key), so replaying a run's settled rows after a crash adds nothing twice.
 */

/** SentMessage is one message the provider accepted. */
export interface SentMessage {
  campaignId: string;
  row: number;
  /** Recipient keys (recipient-keys.ts) the message reached: its phone number and conversation. */
  keys: readonly string[];
  at: number;
}

/** RecentMessages is what the history knows of a recipient within a window. */
export interface RecentMessages {
  count: number;
  /** When the latest of them was sent. */
  lastAt: number;
}

const VERSION = 'historyVersion';
const BACKFILLED = 'historyBackfilled';

/** SendHistory is the history of one workspace. */
export class SendHistory {
  readonly #ws: WorkspaceDb;

  constructor(ws: WorkspaceDb) {
    this.#ws = ws;
  }

  /** version changes whenever messages are recorded (caches of cap answers compare it). */
  get version(): number {
    return this.#ws.setting<number>(VERSION) ?? 0;
  }

  /** record adds sent messages in one transaction. */
  record(messages: readonly SentMessage[]): void {
    if (messages.length === 0) return;
    this.#ws.transaction(() => {
      const insert = this.#ws.db.prepare('INSERT OR IGNORE INTO sends (campaign_id, row, key, at) VALUES (?, ?, ?, ?)');
      let changed = 0;
      for (const m of messages) for (const key of m.keys) changed += insert.run(m.campaignId, m.row, key, m.at).changes;
      if (changed > 0) this.#ws.bump(VERSION);
    });
  }

  /**
   * recent answers how many campaign messages reached the recipient known by `keys` since `since`
   * and when the last one went; undefined when none did. A message is recorded under each of its
   * keys, so the count is the largest among the keys, not their sum.
   */
  recent(keys: readonly string[], since: number): RecentMessages | undefined {
    return this.counter()(keys, since);
  }

  /** counter answers `recent` row after row over one prepared statement (a campaign's routing pass). */
  counter(): (keys: readonly string[], since: number) => RecentMessages | undefined {
    const q = this.#ws.db.prepare('SELECT COUNT(*) AS n, MAX(at) AS last FROM sends WHERE key = ? AND at >= ?');
    return (keys, since) => {
      let best: RecentMessages | undefined;
      for (const key of keys) {
        const r = q.get(key, since) as { n: number; last: number | null };
        if (r.n === 0 || r.last === null) continue;
        best = best === undefined ? { count: r.n, lastAt: r.last } : { count: Math.max(best.count, r.n), lastAt: Math.max(best.lastAt, r.last) };
      }
      return best;
    };
  }

  /** messages counts the records of one campaign (for tests and figures). */
  messagesOf(campaignId: string): number {
    return (this.#ws.db.prepare('SELECT COUNT(DISTINCT row) AS n FROM sends WHERE campaign_id = ?').get(campaignId) as { n: number }).n;
  }

  /** backfilled tells whether the one-time backfill from the journals has run. */
  get backfilled(): boolean {
    return this.#ws.setting<boolean>(BACKFILLED) === true;
  }

  /**
   * backfill records the sent rows of campaigns sent before the history existed, from their
   * journals (their conversation ids: journals do not keep the numbers). It runs once per
   * workspace; `campaigns` yields each campaign's latest row states.
   */
  async backfill(campaigns: AsyncIterable<{ campaignId: string; latest: SentRows }>): Promise<{ campaigns: number; messages: number }> {
    let count = 0;
    let messages = 0;
    for await (const c of campaigns) {
      messages += this.recordSent(c.campaignId, c.latest);
      count++;
    }
    this.#ws.transaction(() => this.#ws.setSetting(BACKFILLED, true));
    return { campaigns: count, messages };
  }

  /**
   * recordSent records every row `latest` has as sent (see sentMessagesOf), a few thousand a
   * transaction, and answers how many: a million-row campaign is never one array of records.
   */
  recordSent(campaignId: string, latest: SentRows): number {
    let batch: SentMessage[] = [];
    let n = 0;
    for (const m of sentMessagesOf(campaignId, latest)) {
      batch.push(m);
      if (batch.length >= 5_000) {
        this.record(batch);
        n += batch.length;
        batch = [];
      }
    }
    this.record(batch);
    return n + batch.length;
  }

  /** prune forgets messages older than `before` (no cap looks back that far). */
  prune(before: number): number {
    return this.#ws.transaction(() => this.#ws.db.prepare('DELETE FROM sends WHERE at < ?').run(before).changes);
  }
}

/** SentRows is what sentMessagesOf reads of a campaign's rows (the journal's row store: no object per row). */
export type SentRows = Pick<RowOutcomes, 'rows' | 'recipientOf' | 'sentAtOf'>;

/** sentMessagesOf turns a campaign's sent rows into history records keyed by their conversation. */
export function* sentMessagesOf(campaignId: string, latest: SentRows): Generator<SentMessage> {
  for (const row of latest.rows(['sent'])) {
    const recipient = latest.recipientOf(row) ?? '';
    const at = latest.sentAtOf(row);
    if (recipient === '' || at === undefined) continue;
    yield { campaignId, row, keys: [conversationKey(recipient)], at };
  }
}
