import type BetterSqlite3 from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import { PRIVATE_FILE_MODE } from './data-dir';

/**
 * The workspace's SQLite files (workspace.db, engagement.db) and their backups: the user's alone,
 * like every file of the workspace, since they hold recipients, replies and opt-outs.
 */

/**
 * privateDbFile makes `path` a file only its owner reads (0600), as every file of the workspace is,
 * before SQLite opens it: SQLite creates a database 0644, and gives its `-wal` and `-shm` files the
 * database's own mode. Files an older version left readable by others are narrowed too.
 */
export function privateDbFile(path: string): void {
  closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  if (process.platform === 'win32') return;
  for (const p of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(p)) chmodSync(p, PRIVATE_FILE_MODE);
}

/**
 * backupSqlite writes a consistent copy of the open database `db` to `path` with SQLite's online
 * backup: pages committed so far, the write-ahead log included, and nothing of a transaction
 * another process has not committed; the database stays in use meanwhile. The copy is private
 * from the start (privateDbFile).
 */
export async function backupSqlite(db: BetterSqlite3.Database, path: string): Promise<void> {
  privateDbFile(path);
  await db.backup(path);
}
