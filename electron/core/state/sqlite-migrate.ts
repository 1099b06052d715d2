import type BetterSqlite3 from 'better-sqlite3';

/**
 * migrateSchema brings an SQLite database (the workspace's, the engagement's) to the latest of
 * `schema`'s versions, each step in its own immediate transaction. The version (`user_version`) is
 * read again inside each transaction, so two processes opening a new database at once apply each
 * step once. A database a newer app wrote is refused, naming `what` it is.
 */
export function migrateSchema(db: BetterSqlite3.Database, schema: readonly string[], what: string): void {
  const version = () => db.pragma('user_version', { simple: true }) as number;
  if (version() > schema.length) {
    throw new Error(`the ${what} ${db.name} was written by a newer version of the app (schema ${version()}); update the app to use it`);
  }
  while (version() < schema.length) {
    db.transaction(() => {
      const v = version();
      if (v >= schema.length) return;
      db.exec(schema[v] as string);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}
