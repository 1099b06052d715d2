import { randomUUID } from 'node:crypto';
import type { OptOutKind, OptOutSource } from '../../../shared/campaign/recipient-keys';
import { fullHash, hashKey, hashKey2 } from './key-prints';
import type { KeyIndex } from './opt-out-index';
import { growIndex, readIndex, shrinkIndex } from './opt-out-index';
import type { WorkspaceDb } from './workspace-db';

/**
 * The workspace's opt-out (suppression) list: recipients who asked not to be messaged, each by its
 * key (recipient-keys.ts) with when, why and where from. Every campaign checks it before sending.
 * Writes are transactions of the workspace database: an import of a million entries either lands
 * whole or not at all, and the key filter changes with the entries. Other features add entries
 * through `add` (the engagement feature, with source `reply` and the conversation as origin).
 */

/** OptOutEntry is one entry of the list. */
export interface OptOutEntry {
  key: string;
  kind: OptOutKind;
  /** The number (E.164), conversation id or other key as shown to people. */
  value: string;
  /** When the recipient opted out (ms since the epoch). */
  createdAt: number;
  source: OptOutSource;
  /** Why, in words ('' when not given). */
  reason: string;
  /** Where from: the imported file's name, the conversation and message of a reply… ('' when not given). */
  origin: string;
}

/** KeyedValue is a value already normalised into its key (normalizeOptOutValue). */
export interface KeyedValue {
  key: string;
  kind: OptOutKind;
  value: string;
}

/** StagedValue is an imported value, with its own date, source, reason and origin when the file has them (a list export). */
export interface StagedValue extends KeyedValue {
  createdAt?: number;
  source?: OptOutSource;
  reason?: string;
  origin?: string;
}

/** EntryOrigin is what a batch of new entries shares. */
export interface EntryOrigin {
  source: OptOutSource;
  reason?: string;
  origin?: string;
  /** When they opted out; default now. */
  at?: number;
}

interface EntryRow {
  key: string;
  kind: string;
  value: string;
  created_at: number;
  source: string;
  reason: string;
  origin: string;
}

const VERSION = 'optOutVersion';
const COLUMNS = 'key, kind, value, created_at, source, reason, origin';

function entryOf(r: EntryRow): OptOutEntry {
  return { key: r.key, kind: r.kind as OptOutKind, value: r.value, createdAt: r.created_at, source: r.source as OptOutSource, reason: r.reason, origin: r.origin };
}

/** OptOutList is the list of one workspace. */
export class OptOutList {
  readonly #ws: WorkspaceDb;
  readonly #now: () => number;
  #cached: { version: number; index: KeyIndex | undefined } | undefined;

  constructor(ws: WorkspaceDb, now: () => number) {
    this.#ws = ws;
    this.#now = now;
  }

  /** version changes with every write, in any process: caches of answers that depend on the list compare it. */
  get version(): number {
    return this.#ws.setting<number>(VERSION) ?? 0;
  }

  count(): number {
    return (this.#ws.db.prepare('SELECT COUNT(*) AS n FROM opt_outs').get() as { n: number }).n;
  }

  /** find is the entry of `key`, if any. */
  find(key: string): OptOutEntry | undefined {
    const r = this.#ws.db.prepare(`SELECT ${COLUMNS} FROM opt_outs WHERE key = ?`).get(key) as EntryRow | undefined;
    return r === undefined ? undefined : entryOf(r);
  }

  /** add puts entries on the list; a key already there keeps its first date and reason. */
  add(values: readonly KeyedValue[], from: EntryOrigin): { added: number; existing: number } {
    const at = from.at ?? this.#now();
    return this.#ws.transaction(() => {
      const insert = this.#ws.db.prepare(`INSERT OR IGNORE INTO opt_outs (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`);
      const added: string[] = [];
      for (const v of values) if (insert.run(v.key, v.kind, v.value, at, from.source, from.reason ?? '', from.origin ?? '').changes > 0) added.push(v.key);
      if (added.length > 0) {
        growIndex(this.#ws, () => added);
        this.#ws.bump(VERSION);
      }
      return { added: added.length, existing: values.length - added.length };
    });
  }

  /** remove takes keys off the list (a recipient who opted back in); unknown keys are ignored. */
  remove(keys: readonly string[]): { removed: number } {
    return this.#ws.transaction(() => {
      const del = this.#ws.db.prepare('DELETE FROM opt_outs WHERE key = ?');
      let removed = 0;
      for (const k of keys) removed += del.run(k).changes;
      if (removed > 0) {
        shrinkIndex(this.#ws, keys, removed);
        this.#ws.bump(VERSION);
      }
      return { removed };
    });
  }

  /**
   * page lists entries, newest first, optionally only those whose value, reason or origin contains
   * `search` (case-insensitive); `total` counts every match.
   */
  page(offset: number, limit: number, search?: string): { total: number; entries: OptOutEntry[] } {
    const db = this.#ws.db;
    const term = search?.trim() ?? '';
    if (term === '') {
      const rows = db.prepare(`SELECT ${COLUMNS} FROM opt_outs ORDER BY created_at DESC, key LIMIT ? OFFSET ?`).all(limit, offset) as EntryRow[];
      return { total: this.count(), entries: rows.map(entryOf) };
    }
    const like = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const where = "value LIKE @like ESCAPE '\\' OR reason LIKE @like ESCAPE '\\' OR origin LIKE @like ESCAPE '\\'";
    const total = (db.prepare(`SELECT COUNT(*) AS n FROM opt_outs WHERE ${where}`).get({ like }) as { n: number }).n;
    const rows = db.prepare(`SELECT ${COLUMNS} FROM opt_outs WHERE ${where} ORDER BY created_at DESC, key LIMIT @limit OFFSET @offset`).all({ like, limit, offset }) as EntryRow[];
    return { total, entries: rows.map(entryOf) };
  }

  /**
   * pages reads the whole list oldest first, `size` entries at a time. Each page is its own query
   * (keyset paging), so the connection is free between pages for whoever else needs it.
   */
  *pages(size = 5_000): Generator<OptOutEntry[]> {
    const first = this.#ws.db.prepare(`SELECT ${COLUMNS} FROM opt_outs ORDER BY created_at, key LIMIT ?`);
    const next = this.#ws.db.prepare(`SELECT ${COLUMNS} FROM opt_outs WHERE (created_at, key) > (?, ?) ORDER BY created_at, key LIMIT ?`);
    let rows = first.all(size) as EntryRow[];
    while (rows.length > 0) {
      yield rows.map(entryOf);
      const last = rows[rows.length - 1] as EntryRow;
      rows = next.all(last.created_at, last.key, size) as EntryRow[];
    }
  }

  /**
   * stage starts an import: batches of entries are staged as they are read (each batch its own
   * short transaction, so a huge file never holds the database), and `commit` moves them onto the
   * list in one transaction. A crash before the commit leaves the list as it was.
   */
  stage(): StagedImport {
    const id = randomUUID();
    const db = this.#ws.db;
    return {
      add: (values) => {
        const insert = db.prepare('INSERT OR IGNORE INTO opt_out_import (import_id, key, kind, value, created_at, source, reason, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
        this.#ws.transaction(() => {
          for (const v of values) insert.run(id, v.key, v.kind, v.value, v.createdAt ?? null, v.source ?? null, v.reason ?? null, v.origin ?? null);
        });
      },
      commit: (from) =>
        this.#ws.transaction(() => {
          const staged = (db.prepare('SELECT COUNT(*) AS n FROM opt_out_import WHERE import_id = ?').get(id) as { n: number }).n;
          const added = db
            .prepare(
              `INSERT OR IGNORE INTO opt_outs (${COLUMNS}) SELECT key, kind, value, COALESCE(created_at, ?), COALESCE(source, ?), COALESCE(reason, ?), COALESCE(origin, ?) FROM opt_out_import WHERE import_id = ?`,
            )
            .run(from.at ?? this.#now(), from.source, from.reason ?? '', from.origin ?? '', id).changes;
          if (added > 0) {
            growIndex(this.#ws, () => db.prepare('SELECT key FROM opt_out_import WHERE import_id = ?').pluck().iterate(id) as Iterable<string>);
            this.#ws.bump(VERSION);
          }
          db.prepare('DELETE FROM opt_out_import WHERE import_id = ?').run(id);
          return { added, existing: staged - added };
        }),
      abort: () => {
        db.prepare('DELETE FROM opt_out_import WHERE import_id = ?').run(id);
      },
    };
  }

  /**
   * matcher answers, row after row, whether a key is on the list. It holds the key filter and the
   * fingerprints, and reloads them when the list changed (in this process or another) at most a
   * second ago, so a recipient who opts out while a long campaign sends is skipped from then on.
   */
  matcher(): OptOutMatcher {
    const find = this.#ws.db.prepare(`SELECT ${COLUMNS} FROM opt_outs WHERE key = ?`);
    let index = this.#index();
    let calls = 0;
    let checkedAt = this.#now();
    const has = (prefix: string, value: string): boolean => {
      if ((++calls & 255) === 0) {
        const now = this.#now();
        if (now - checkedAt >= 1_000) {
          checkedAt = now;
          index = this.#index();
        }
      }
      if (index === undefined) return false;
      return index.filter.mightHaveHash(hashKey(prefix, value)) && index.prints.has(fullHash(prefix, value), hashKey2(prefix, value));
    };
    const entry = (key: string) => {
      const r = find.get(key) as EntryRow | undefined;
      return r === undefined ? undefined : entryOf(r);
    };
    const hashes = new Uint32Array(256);
    const maybe = new Uint8Array(256);
    const screen = (prefix: string, values: readonly string[]): Uint8Array => {
      const n = values.length;
      const out = new Uint8Array(n);
      if (index === undefined) return out;
      if (n > hashes.length) {
        for (let i = 0; i < n; i++) out[i] = values[i] !== '' && has(prefix, values[i] as string) ? 1 : 0;
        return out;
      }
      for (let i = 0; i < n; i++) hashes[i] = hashKey(prefix, values[i] as string);
      index.filter.mightHaveEach(hashes, n, maybe);
      const prints = index.prints;
      for (let i = 0; i < n; i++) {
        if (maybe[i] === 0) continue;
        const v = values[i] as string;
        if (v !== '' && prints.has(fullHash(prefix, v), hashKey2(prefix, v))) out[i] = 1;
      }
      return out;
    };
    return {
      has,
      screen,
      entry,
      match: (key) => (has(key.slice(0, 2), key.slice(2)) ? entry(key) : undefined),
      matchParts: (prefix, value) => (has(prefix, value) ? entry(prefix + value) : undefined),
    };
  }

  /** index is the key filter and fingerprints as committed, cached by the list's version (undefined while the list was never written). */
  #index(): KeyIndex | undefined {
    const version = this.version;
    if (this.#cached?.version !== version) this.#cached = { version, index: readIndex(this.#ws) };
    return this.#cached.index;
  }
}

/** StagedImport is an import in progress (see OptOutList.stage). */
export interface StagedImport {
  add(values: readonly StagedValue[]): void;
  commit(from: EntryOrigin): { added: number; existing: number };
  abort(): void;
}

/** OptOutMatcher finds a key's entry (see OptOutList.matcher). */
export interface OptOutMatcher {
  /** has tells whether `prefix + value` is on the list, without asking the database (nearly every row). */
  has(prefix: string, value: string): boolean;
  /** screen is `has` for many values of one kind at once (1: on the list; fastest for at most 256; see AudienceCheck.screen). */
  screen(prefix: string, values: readonly string[]): Uint8Array;
  /** entry is a key's entry, from the database (for the rows `has` said yes to, when their details are shown). */
  entry(key: string): OptOutEntry | undefined;
  match(key: string): OptOutEntry | undefined;
  /** match(prefix + value), building the key only for the rare row the filter cannot rule out. */
  matchParts(prefix: string, value: string): OptOutEntry | undefined;
}
