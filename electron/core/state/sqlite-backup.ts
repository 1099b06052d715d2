import type BetterSqlite3 from 'better-sqlite3';
import { chmodSync, closeSync, openSync } from 'node:fs';
import { PRIVATE_FILE_MODE } from './data-dir';

/**
 * backupSqlite writes a consistent copy of the open database `db` to `path` with SQLite's online
 * backup: pages committed so far, the write-ahead log included, and nothing of a transaction
 * another process has not committed; the database stays in use meanwhile. The copy is made a
 * file only its owner reads first (SQLite would create it 0644): it holds the same recipients,
 * replies and opt-outs as the workspace.
 */
export async function backupSqlite(db: BetterSqlite3.Database, path: string): Promise<void> {
  closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  if (process.platform !== 'win32') chmodSync(path, PRIVATE_FILE_MODE);
  await db.backup(path);
}
