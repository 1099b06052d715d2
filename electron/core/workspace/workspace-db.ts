import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { crashPoint } from '../state/crash-points';
import { PRIVATE_DIR_MODE } from '../state/data-dir';
import { backupSqlite, privateDbFile } from '../state/sqlite-files';
import { migrateSchema } from '../state/sqlite-migrate';

/**
 * The workspace database: one SQLite file per workspace (`<dataDir>/workspace.db`) holding what
 * every campaign asks about every row: the opt-out list, the history of messages sent (behind the
 * frequency cap), the workspace settings, scheduled starts and the per-row notes of campaigns that
 * overrode the list. The campaign journals stay the write-ahead record of each run; this file is
 * the index across runs that a million-row campaign can query row by row.
 *
 * Why SQLite (better-sqlite3): transactions are atomic and survive a crash or a power cut (WAL with
 * `synchronous=FULL`: a committed transaction is on disk, an interrupted one is rolled back at the
 * next open), the CLI and the desktop app can use the same workspace at once (WAL readers never
 * block the writer; writers wait up to `busy_timeout`), and a point lookup by key is an index seek,
 * not a scan of every journal. It is one file, so a workspace backs up with SQLite's online backup
 * (`backupTo`) while it is in use.
 */

/** DB_FILE is the database's file name in the workspace folder. */
export const DB_FILE = 'workspace.db';

/** SCHEMA is every table, version by version: a new version appends statements, never edits old ones. */
const SCHEMA: readonly string[] = [
  `
  CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE opt_outs (
    key TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    source TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    origin TEXT NOT NULL DEFAULT ''
  ) WITHOUT ROWID;
  CREATE INDEX opt_outs_by_time ON opt_outs (created_at, key);
  CREATE TABLE opt_out_filter (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    capacity INTEGER NOT NULL,
    hashes INTEGER NOT NULL,
    stale INTEGER NOT NULL,
    bits BLOB NOT NULL,
    prints BLOB NOT NULL
  );
  CREATE TABLE opt_out_import (
    import_id TEXT NOT NULL,
    key TEXT NOT NULL,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    created_at INTEGER,
    source TEXT,
    reason TEXT,
    origin TEXT,
    PRIMARY KEY (import_id, key)
  ) WITHOUT ROWID;
  CREATE TABLE sends (
    campaign_id TEXT NOT NULL,
    row INTEGER NOT NULL,
    key TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, row, key)
  ) WITHOUT ROWID;
  CREATE INDEX sends_by_key ON sends (key, at);
  CREATE TABLE row_notes (
    campaign_id TEXT NOT NULL,
    row INTEGER NOT NULL,
    note TEXT NOT NULL,
    PRIMARY KEY (campaign_id, row)
  ) WITHOUT ROWID;
  CREATE TABLE schedules (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    due_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    state TEXT NOT NULL,
    request TEXT NOT NULL,
    campaign_id TEXT,
    started_at INTEGER,
    note TEXT NOT NULL DEFAULT ''
  ) WITHOUT ROWID;
  CREATE INDEX schedules_by_due ON schedules (state, due_at);
  `,
  // 2: the fingerprints a bucket to a row, the filter's gate (opt-out-index.ts, key-filter.ts). The
  // old index goes; the first reader of the list builds the new one from the entries (readIndex), in
  // a transaction of its own.
  `
  CREATE TABLE opt_out_prints (bucket INTEGER PRIMARY KEY, prints BLOB NOT NULL);
  DELETE FROM opt_out_filter;
  ALTER TABLE opt_out_filter DROP COLUMN prints;
  ALTER TABLE opt_out_filter ADD COLUMN gate BLOB NOT NULL DEFAULT x'';
  `,
];

/** WorkspaceDb is the open database of one workspace. */
export class WorkspaceDb {
  readonly path: string;
  readonly db: Database.Database;
  #closed = false;

  private constructor(path: string, db: Database.Database) {
    this.path = path;
    this.db = db;
  }

  /** open opens (creating it the first time) the database of the workspace in `dataDir`, migrated to the latest schema. */
  static open(dataDir: string): WorkspaceDb {
    mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
    const path = join(dataDir, DB_FILE);
    privateDbFile(path);
    const db = new Database(path, { timeout: 10_000 });
    try {
      db.pragma('journal_mode = WAL');
      // FULL: a transaction that returned is on disk, a power cut included (NORMAL could lose the last ones).
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      // No memory map: every page a query touched would count in the process's memory (the send
      // history of a 1,000,000-row campaign is 100+ MB; a count over it put that much in the CLI's
      // peak). The key filter answers most opt-out questions in memory; the rest use a 16 MiB cache.
      db.pragma('mmap_size = 0');
      db.pragma('cache_size = -16384');
      migrateSchema(db, SCHEMA, 'workspace database');
      // An import cut short by a crash left its staged rows: they never reached the list.
      db.prepare('DELETE FROM opt_out_import').run();
    } catch (e) {
      db.close();
      throw e;
    }
    return new WorkspaceDb(path, db);
  }

  /** transaction runs `work` as one atomic transaction (BEGIN IMMEDIATE: it waits for other writers, then holds the lock). */
  transaction<T>(work: () => T): T {
    return this.db
      .transaction(() => {
        const result = work();
        crashPoint('workspace-commit', this.path);
        return result;
      })
      .immediate();
  }

  /** setting reads a JSON setting, undefined when unset. */
  setting<T>(name: string): T | undefined {
    const row = this.db.prepare('SELECT value FROM settings WHERE name = ?').get(name) as { value: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.value) as T);
  }

  /** setSetting writes a JSON setting (undefined removes it); call it inside a transaction to combine it with other writes. */
  setSetting(name: string, value: unknown): void {
    if (value === undefined) this.db.prepare('DELETE FROM settings WHERE name = ?').run(name);
    else this.db.prepare('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value').run(name, JSON.stringify(value));
  }

  /** bump adds one to a counter setting and answers the new value (versions that tell caches they are stale). */
  bump(name: string): number {
    const next = (this.setting<number>(name) ?? 0) + 1;
    this.setSetting(name, next);
    return next;
  }

  /**
   * backupTo writes a consistent copy of the database to `path` while it stays in use (SQLite's
   * online backup: a half-finished transaction of another process is not in the copy).
   */
  backupTo(path: string): Promise<void> {
    return backupSqlite(this.db, path);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** close checkpoints the write-ahead log into the database file and closes it; safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // Another process is reading: its last reader checkpoints instead.
    }
    this.db.close();
  }
}
