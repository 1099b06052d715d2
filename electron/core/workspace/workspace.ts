import type { FrequencyCap } from '../../../shared/campaign/recipient-keys';
import { OptOutList } from './opt-out-list';
import { ScheduleStore } from './schedules';
import { SendHistory } from './send-history';
import { WorkspaceDb } from './workspace-db';

/**
 * Workspace is what one workspace (the data directory) keeps across campaigns, over its database:
 * the opt-out list, the message history, scheduled starts, the workspace settings (the frequency
 * cap) and the notes of rows sent despite the list. The campaign service opens it from the
 * campaign store's folder, so the CLI and the desktop app share it.
 */

const CAP = 'frequencyCap';

export class Workspace {
  readonly db: WorkspaceDb;
  readonly optOuts: OptOutList;
  readonly history: SendHistory;
  readonly schedules: ScheduleStore;
  readonly notes: RowNotes;

  private constructor(db: WorkspaceDb, now: () => number) {
    this.db = db;
    this.optOuts = new OptOutList(db, now);
    this.history = new SendHistory(db);
    this.schedules = new ScheduleStore(db, now);
    this.notes = new RowNotes(db);
  }

  static open(dataDir: string, now: () => number): Workspace {
    return new Workspace(WorkspaceDb.open(dataDir), now);
  }

  /** frequencyCap is the workspace's cap, or null when it is off (the default). */
  frequencyCap(): FrequencyCap | null {
    return this.db.setting<FrequencyCap>(CAP) ?? null;
  }

  setFrequencyCap(cap: FrequencyCap | null): void {
    this.db.transaction(() => {
      this.db.setSetting(CAP, cap ?? undefined);
      this.db.bump('settingsVersion');
    });
  }

  /**
   * version changes whenever something a campaign's routing depends on changes (the list, the
   * history, the settings): cached validations and routes compare it.
   */
  version(): string {
    return `${this.optOuts.version}.${this.history.version}.${this.db.setting<number>('settingsVersion') ?? 0}`;
  }

  close(): void {
    this.db.close();
  }
}

/**
 * RowNotes are per-row notes a campaign's report shows beside the contract's columns: today, the
 * rows sent although their recipient is on the opt-out list, because the campaign overrides it.
 */
export class RowNotes {
  readonly #ws: WorkspaceDb;

  constructor(ws: WorkspaceDb) {
    this.#ws = ws;
  }

  /** set records notes (a later note of the same row replaces the earlier one). */
  set(campaignId: string, notes: ReadonlyMap<number, string>): void {
    if (notes.size === 0) return;
    this.#ws.transaction(() => {
      const put = this.#ws.db.prepare('INSERT INTO row_notes (campaign_id, row, note) VALUES (?, ?, ?) ON CONFLICT (campaign_id, row) DO UPDATE SET note = excluded.note');
      for (const [row, note] of notes) put.run(campaignId, row, note);
    });
  }

  /** of is every note of a campaign, by row. */
  of(campaignId: string): Map<number, string> {
    const rows = this.#ws.db.prepare('SELECT row, note FROM row_notes WHERE campaign_id = ?').all(campaignId) as { row: number; note: string }[];
    return new Map(rows.map((r) => [r.row, r.note]));
  }
}
