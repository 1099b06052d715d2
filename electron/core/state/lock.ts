import { randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname as osHostname, uptime } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * The campaign lock: a file created exclusively (O_EXCL), holding who holds it, so two processes
 * never send the same campaign at once (which would send every message twice). A lock left by a
 * process that died on this machine is stale and is taken over; a lock from another machine (a
 * shared drive) cannot be checked and is respected.
 */

const lockInfoSchema = z.strictObject({
  pid: z.number().int().positive(),
  hostname: z.string(),
  startedAt: z.string(),
  token: z.string(),
});

/** LockInfo is what a lock file holds. `token` tells this holder apart from a later one with the same pid. */
export type LockInfo = z.infer<typeof lockInfoSchema>;

/** CampaignLockedError is the campaign being run by another live process; the message says which. */
export class CampaignLockedError extends Error {
  readonly holder: LockInfo;
  constructor(holder: LockInfo, message: string) {
    super(message);
    this.name = 'CampaignLockedError';
    this.holder = holder;
  }
}

/** LockHandle is a held lock. `release` is safe to call twice; the lock is also released on process exit. */
export interface LockHandle {
  readonly path: string;
  readonly info: LockInfo;
  release(): Promise<void>;
}

/** LockEnv is what the lock reads from the machine; tests replace parts of it. */
export interface LockEnv {
  pid: number;
  hostname: string;
  now(): number;
  /** Whether a process with this pid exists on this machine. */
  isAlive(pid: number): boolean;
  /** When the machine booted (ms since the epoch): a lock older than that is stale whatever its pid. */
  bootTime(): number;
}

/** systemLockEnv is the real machine. */
export const systemLockEnv: LockEnv = {
  pid: process.pid,
  hostname: osHostname(),
  now: () => Date.now(),
  isAlive: (pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (e) {
      // EPERM: it exists but belongs to someone else.
      return (e as NodeJS.ErrnoException).code === 'EPERM';
    }
  },
  bootTime: () => Date.now() - uptime() * 1000,
};

/** Locks this process holds: path -> token. */
const held = new Map<string, string>();
let exitHookInstalled = false;

/** A lock file that cannot be read is being written right now, unless it is older than this. */
const UNREADABLE_GRACE_MS = 5_000;
/** Attempts to get past a concurrent takeover before giving up. */
const TAKEOVER_TRIES = 40;

/**
 * acquireLock takes the lock at `path` or throws CampaignLockedError ("campaign is already running
 * in process 1234"). A stale lock (dead pid on this host, or from before the last boot) is replaced.
 */
export async function acquireLock(lockPath: string, env: LockEnv = systemLockEnv): Promise<LockHandle> {
  // One spelling per file, so `held` recognises the same lock however the caller named it.
  const path = resolve(lockPath);
  const info: LockInfo = {
    pid: env.pid,
    hostname: env.hostname,
    startedAt: new Date(env.now()).toISOString(),
    token: randomBytes(12).toString('hex'),
  };
  if (held.has(path)) throw new CampaignLockedError(info, `campaign is already running in this process (${env.pid})`);
  for (let attempt = 0; attempt < TAKEOVER_TRIES; attempt++) {
    if (await tryCreate(path, info)) return hold(path, info);
    const found = await readLock(path);
    if (found === 'missing') continue;
    if (found === 'unreadable') {
      if (!(await olderThan(path, UNREADABLE_GRACE_MS, env))) {
        await pause(25);
        continue;
      }
    } else {
      const reason = liveHolderMessage(path, found, env);
      if (reason !== undefined) throw new CampaignLockedError(found, reason);
    }
    await takeOver(path, found, env);
  }
  throw new Error(`could not take the campaign lock ${path}: it keeps changing hands; try again`);
}

/**
 * lockHolder returns who holds the lock at `path` if that holder is alive (or cannot be checked),
 * else undefined: for showing "running" in the campaign history.
 */
export async function lockHolder(lockPath: string, env: LockEnv = systemLockEnv): Promise<LockInfo | undefined> {
  const path = resolve(lockPath);
  const found = await readLock(path);
  if (found === 'missing' || found === 'unreadable') return undefined;
  if (held.get(path) === found.token) return found;
  return liveHolderMessage(path, found, env) === undefined ? undefined : found;
}

function liveHolderMessage(path: string, found: LockInfo, env: LockEnv): string | undefined {
  if (found.hostname !== env.hostname) {
    // Another machine's processes cannot be checked (nor can a renamed host's): let a person decide.
    return `campaign is already running in process ${found.pid} on ${found.hostname} (since ${found.startedAt}); if it is not, delete ${path}`;
  }
  const started = Date.parse(found.startedAt);
  if (Number.isFinite(started) && started < env.bootTime()) return undefined;
  // Our own pid without our token: a lock left before a restart that reused the pid.
  if (found.pid === env.pid) return undefined;
  if (!env.isAlive(found.pid)) return undefined;
  return `campaign is already running in process ${found.pid} (since ${found.startedAt})`;
}

async function tryCreate(path: string, info: LockInfo): Promise<boolean> {
  let fh;
  try {
    fh = await open(path, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    await fh.writeFile(JSON.stringify(info));
    await fh.sync();
  } finally {
    await fh.close();
  }
  return true;
}

async function readLock(path: string): Promise<LockInfo | 'missing' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw e;
  }
  return parseLock(text) ?? 'unreadable';
}

function parseLock(text: string): LockInfo | undefined {
  try {
    const r = lockInfoSchema.safeParse(JSON.parse(text));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

async function olderThan(path: string, ms: number, env: LockEnv): Promise<boolean> {
  try {
    return env.now() - (await stat(path)).mtimeMs > ms;
  } catch {
    return false;
  }
}

/**
 * takeOver removes a stale lock. Two processes may both find the same stale lock; the
 * `.takeover` file (itself exclusive) lets only one of them remove it, after checking it is still
 * the stale one, so neither deletes the fresh lock the other has just made.
 */
async function takeOver(path: string, stale: LockInfo | 'unreadable', env: LockEnv): Promise<void> {
  const guard = `${path}.takeover`;
  const guardInfo: LockInfo = { pid: env.pid, hostname: env.hostname, startedAt: new Date(env.now()).toISOString(), token: 'takeover' };
  if (!(await tryCreate(guard, guardInfo))) {
    // Someone else is taking over; a guard left by a crash mid-takeover expires.
    if (await olderThan(guard, UNREADABLE_GRACE_MS, env)) await unlink(guard).catch(() => undefined);
    else await pause(25);
    return;
  }
  try {
    if (sameLock(await readLock(path), stale)) await unlink(path).catch(() => undefined);
  } finally {
    await unlink(guard).catch(() => undefined);
  }
}

function sameLock(now: LockInfo | 'missing' | 'unreadable', before: LockInfo | 'unreadable'): boolean {
  if (now === 'missing') return false;
  if (now === 'unreadable' || before === 'unreadable') return now === before;
  return now.token === before.token;
}

function hold(path: string, info: LockInfo): LockHandle {
  held.set(path, info.token);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', releaseAllSync);
  }
  let released: Promise<void> | undefined;
  return {
    path,
    info,
    release: () => {
      released ??= (async () => {
        if (held.get(path) !== info.token) return;
        held.delete(path);
        const found = await readLock(path).catch(() => 'unreadable' as const);
        if (found !== 'missing' && found !== 'unreadable' && found.token === info.token) {
          await unlink(path).catch(() => undefined);
        }
      })();
      return released;
    },
  };
}

/** releaseAllSync runs at process exit (no promises run then) and removes the locks still held. */
function releaseAllSync(): void {
  for (const [path, token] of held) {
    try {
      if (parseLock(readFileSync(path, 'utf8'))?.token === token) unlinkSync(path);
    } catch {
      // Nothing more can be done while exiting; the lock will be found stale.
    }
  }
  held.clear();
}

function pause(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
