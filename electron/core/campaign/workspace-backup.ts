import { copyFile, cp, mkdir, open, readdir } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { InputError } from '../../../shared/problems';
import { ENGAGEMENT_DB } from '../engagement/engagement-db';
import { PRIVATE_DIR_MODE } from '../state/data-dir';
import { DB_FILE } from '../workspace/workspace-db';
import type { ServiceCore } from './service-core';

/**
 * A workspace backup: everything in the data directory that a restored workspace needs to show
 * and continue what the original did, copied consistently while the app or another command uses it.
 *
 *   engagement.db  what every sent message did (read, clicked, replied, opted out): SQLite online backup
 *   workspace.db   the opt-out list, send history (the cap), schedules, settings: SQLite online backup
 *   campaigns/     each campaign's meta, journal and sidecars (not its `lock`: that belongs to a process)
 *   contacts/      the contacts files the desktop app imported, which campaigns reopen by hash
 *   sandbox/       the sandbox's simulated accounts: a sandbox campaign's engagement is read from them,
 *                  so without them a restored workspace would find its messages gone
 *
 * Deliberately NOT copied: the desktop app's settings file (settings.json: profiles and the API
 * keys' ciphertext). It lives in Electron's userData folder, which on macOS and Windows is this
 * very folder, so "copy the folder" would take it. The keys are encrypted with this user's OS
 * keychain on this machine (safeStorage): useless anywhere else, and on Linux without a keyring
 * only obfuscated with a fixed password, so a copy in a backup folder would be a key in plaintext
 * in all but name. The CLI never stores a key (CAMPAIGN_API_KEY). Entering the keys again is the
 * one step of a restore; profiles hold no campaign data. Chromium's folders and the app's logs,
 * also in userData there, are the app's, not the workspace's.
 */

/** BackupContents says what a backup copied. */
export interface BackupContents {
  /** Whether the workspace had an engagement database (none until a campaign's engagement is first read). */
  engagement: boolean;
  campaigns: number;
  contactsFiles: number;
  sandboxWorlds: number;
}

/**
 * backupWorkspace copies the workspace of `core` into `dir` (made if missing). To restore, use `dir`
 * as the workspace (`--state`) or copy it back while nothing runs. A `dir` that is the workspace
 * or inside it is refused (InputError naming the folder): the copy would overwrite or contain itself.
 */
export async function backupWorkspace(core: ServiceCore, dir: string): Promise<BackupContents> {
  const from = resolve(core.store.dataDir);
  const to = resolve(dir);
  const inside = relative(from, to);
  if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) {
    throw new InputError([{ row: 0, field: 'folder', reason: `${dir} is ${inside === '' ? 'the workspace itself' : 'inside the workspace'} (${from}); back up into a folder outside it`, severity: 'error' }]);
  }
  await mkdir(to, { recursive: true, mode: PRIVATE_DIR_MODE });
  // The engagement database before the list: a refresh puts a reply's opt-out on the list before it
  // records it as engagement (engagement/refresh.ts), so the list copied after holds every opt-out
  // the engagement copy shows. The other way round, an opt-out could be in the engagement copy only,
  // and its conversation, settled, is never read again. Journals after both: engagement and the
  // send history are seeded from them, and a newer journal only adds.
  const engagement = await core.backupEngagement(join(to, ENGAGEMENT_DB));
  await core.workspace.db.backupTo(join(to, DB_FILE));
  const campaigns = await copyFolder(join(from, 'campaigns'), join(to, 'campaigns'));
  const contactsFiles = await copyFolder(join(from, 'contacts'), join(to, 'contacts'));
  const sandboxWorlds = await copySandbox(join(from, 'sandbox'), join(to, 'sandbox'));
  return { engagement, campaigns, contactsFiles, sandboxWorlds };
}

/** copyFolder copies a folder of the workspace (without lock files), answering how many entries it held; a missing folder is none. */
async function copyFolder(from: string, to: string): Promise<number> {
  const entries = await readdir(from).catch(missingIsEmpty);
  if (entries.length === 0) return 0;
  await cp(from, to, { recursive: true, force: true, filter: (src) => !/[\\/]lock$/.test(src) });
  return entries.length;
}

/**
 * copySandbox copies the sandbox's worlds: append-only JSON lines a process may be appending to as
 * they are copied, so each copy is cut back to its last whole line (a torn line would glue itself
 * to the next line the restored workspace appends, and both would be lost).
 */
async function copySandbox(from: string, to: string): Promise<number> {
  const worlds = (await readdir(from).catch(missingIsEmpty)).filter((name) => name.endsWith('.jsonl'));
  if (worlds.length === 0) return 0;
  await mkdir(to, { recursive: true, mode: PRIVATE_DIR_MODE });
  for (const name of worlds) await copyWholeLines(join(from, name), join(to, name));
  return worlds.length;
}

async function copyWholeLines(from: string, to: string): Promise<void> {
  await copyFile(from, to);
  const fh = await open(to, 'r+');
  try {
    const { size } = await fh.stat();
    const buf = Buffer.alloc(64 * 1024);
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - buf.length);
      const { bytesRead } = await fh.read(buf, 0, end - start, start);
      const newline = buf.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (newline >= 0) {
        end = start + newline + 1;
        break;
      }
      end = start;
    }
    if (end < size) await fh.truncate(end);
  } finally {
    await fh.close();
  }
}

function missingIsEmpty(e: NodeJS.ErrnoException): string[] {
  if (e.code === 'ENOENT') return [];
  throw e;
}
