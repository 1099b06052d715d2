import type BetterSqlite3 from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { backupSqlite, privateDbFile } from '../state/sqlite-files';
import { migrateSchema } from '../state/sqlite-migrate';

/**
 * The engagement database: one SQLite file per workspace (`<dataDir>/engagement.db`) with what
 * every sent message of every campaign did after it was accepted (status, clicks, first reply,
 * opt-out) and how far each conversation has been read.
 *
 * Why SQLite rather than the campaign's JSON sidecar: a refresh of a million-row campaign reads
 * and updates a few thousand rows at a time (only those whose outcome can still change), and the
 * report walks the rows in order; a JSON file has to be read, held and rewritten whole for either.
 * A committed batch survives a crash, so a refresh resumes where it stopped; the CLI and the
 * desktop app can read one workspace at once (WAL).
 *
 * Why a file of its own, not the workspace database of the opt-out list (electron/core/workspace/):
 * the two want different durability. The opt-out list must never lose a committed entry, so it
 * syncs every commit (synchronous=FULL). Engagement is a copy of what the provider publishes: a
 * refresh writes thousands of rows a minute, and the last commits lost to a power cut are simply
 * read again, so NORMAL (no sync per commit in WAL mode; a process crash loses nothing committed)
 * is the right trade, and those writes never hold the list's write lock while a campaign checks it.
 *
 * better-sqlite3 is loaded when the database is first opened, so CLI commands that never read
 * engagement do not load the native module (scripts/build-cli.mjs keeps it out of the bundle).
 */

/** ENGAGEMENT_DB is the database's file name in the workspace folder. */
export const ENGAGEMENT_DB = 'engagement.db';

/** SCHEMA is every table, version by version: a new version appends statements, never edits old ones. */
const SCHEMA: readonly string[] = [
  `
  CREATE TABLE campaigns (
    campaign_id TEXT PRIMARY KEY,
    seeded_version TEXT NOT NULL DEFAULT '',
    pass_started_at INTEGER,
    pass_finished_at INTEGER,
    pass_done INTEGER NOT NULL DEFAULT 0,
    pass_total INTEGER NOT NULL DEFAULT 0,
    pass_requests INTEGER NOT NULL DEFAULT 0,
    pass_error TEXT,
    checked_at INTEGER,
    unreadable TEXT NOT NULL DEFAULT '[]',
    funnel TEXT
  ) WITHOUT ROWID;
  CREATE TABLE messages (
    campaign_id TEXT NOT NULL,
    row INTEGER NOT NULL,
    conversation_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    sent_at INTEGER NOT NULL,
    status TEXT,
    status_at INTEGER,
    found INTEGER NOT NULL DEFAULT 0,
    cursor INTEGER,
    scanned_to INTEGER,
    clicks INTEGER,
    first_click_at INTEGER,
    replied_at INTEGER,
    reply_text TEXT,
    reply_id TEXT,
    opted_out_at INTEGER,
    opt_out_word TEXT,
    checked_at INTEGER,
    problem TEXT,
    closed INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, row)
  ) WITHOUT ROWID;
  CREATE INDEX messages_open ON messages (campaign_id, closed, conversation_id);
  `,
];

type DatabaseCtor = typeof BetterSqlite3;
let loaded: Promise<DatabaseCtor> | undefined;

function loadSqlite(): Promise<DatabaseCtor> {
  loaded ??= import('better-sqlite3').then((m) => m.default);
  return loaded;
}

/** openEngagementDb opens (creating it the first time) the workspace's engagement database, migrated. */
export async function openEngagementDb(dataDir: string): Promise<BetterSqlite3.Database> {
  const Database = await loadSqlite();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // 0600, as the workspace's other files: it keeps recipients' replies and opt-outs.
  const path = join(dataDir, ENGAGEMENT_DB);
  privateDbFile(path);
  const db = new Database(path, { timeout: 10_000 });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    migrateSchema(db, SCHEMA, 'engagement database');
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

/**
 * backupEngagementDb copies the engagement database of the workspace in `dataDir` to `path` through
 * a read-only connection of its own (SQLite's online backup: consistent while the app or another
 * command writes to it). Read-only, so a backup neither creates the database nor migrates it.
 * Answers false, copying nothing, when the workspace has none yet (nothing was ever read).
 */
export async function backupEngagementDb(dataDir: string, path: string): Promise<boolean> {
  const file = join(dataDir, ENGAGEMENT_DB);
  if (!existsSync(file)) return false;
  const Database = await loadSqlite();
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 10_000 });
  try {
    await backupSqlite(db, path);
  } finally {
    db.close();
  }
  return true;
}
