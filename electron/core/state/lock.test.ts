import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { access, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LockEnv, LockInfo } from './lock';
import { acquireLock, CampaignLockedError, lockHolder, systemLockEnv } from './lock';

const helper = join(import.meta.dirname, '../../../test/helpers/journal-child.ts');

let dir: string;
let path: string;
const children: ChildProcessWithoutNullStreams[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lock-'));
  path = join(dir, 'lock');
});
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

/** runChild runs the helper to completion and returns its output. */
function runChild(...args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', helper, ...args], (_e, stdout) =>
      resolve({ code: child.exitCode, stdout }),
    );
  });
}

/** holdInChild starts a child that takes the lock and resolves once it holds it. */
async function holdInChild(): Promise<ChildProcessWithoutNullStreams> {
  const child = spawn(process.execPath, ['--import', 'tsx', helper, 'hold-lock', path]);
  children.push(child);
  let out = '';
  child.stdout.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: string) => {
      out += d;
      if (out.includes('locked')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`child exited ${code}: ${out}`)));
  });
  return child;
}

async function exists(p: string): Promise<boolean> {
  return access(p).then(
    () => true,
    () => false,
  );
}

async function writeLock(info: Partial<LockInfo>): Promise<void> {
  const full: LockInfo = { pid: 1, hostname: hostname(), startedAt: new Date().toISOString(), token: 'other', ...info };
  await writeFile(path, JSON.stringify(full));
}

/** A pid that belonged to a process which has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  if (child.pid === undefined) throw new Error('no pid');
  return child.pid;
}

describe('acquireLock', () => {
  it('creates the lock file with pid, host and start time, and removes it on release', async () => {
    const lock = await acquireLock(path);
    const info = JSON.parse(await readFile(path, 'utf8')) as LockInfo;
    expect(info).toMatchObject({ pid: process.pid, hostname: hostname() });
    expect(Date.parse(info.startedAt)).not.toBeNaN();
    await lock.release();
    await lock.release();
    expect(await exists(path)).toBe(false);
    // Free again.
    await (await acquireLock(path)).release();
  });

  it('refuses a second holder in the same process', async () => {
    const lock = await acquireLock(path);
    await expect(acquireLock(path)).rejects.toThrow(`campaign is already running in this process (${process.pid})`);
    await lock.release();
  });

  it('refuses while another live process holds it, and is free once that process lets go', async () => {
    const child = await holdInChild();
    const err = await acquireLock(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CampaignLockedError);
    expect((err as Error).message).toMatch(new RegExp(`^campaign is already running in process ${child.pid} \\(since `));
    expect((await lockHolder(path))?.pid).toBe(child.pid);
    child.stdin.end();
    await once(child, 'exit');
    expect(await exists(path)).toBe(false);
    await (await acquireLock(path)).release();
  });

  it('is refused to another process while this one holds it', async () => {
    const lock = await acquireLock(path);
    const { stdout } = await runChild('try-lock', path);
    expect(stdout.trim()).toBe(`refused campaign is already running in process ${process.pid} (since ${lock.info.startedAt})`);
    await lock.release();
  });

  it('takes over the lock of a process that was killed', async () => {
    const child = await holdInChild();
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(await exists(path)).toBe(true);
    expect(await lockHolder(path)).toBeUndefined();
    const lock = await acquireLock(path);
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ pid: process.pid, token: lock.info.token });
    await lock.release();
  });

  it('takes over a lock whose pid is dead', async () => {
    await writeLock({ pid: await deadPid() });
    const lock = await acquireLock(path);
    expect(lock.info.pid).toBe(process.pid);
    await lock.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('takes over a lock from before the machine booted, even if its pid is now in use', async () => {
    const env: LockEnv = { ...systemLockEnv, isAlive: () => true, bootTime: () => Date.parse('2025-06-01T00:00:00Z') };
    await writeLock({ pid: 4242, startedAt: '2025-05-31T23:00:00.000Z' });
    await (await acquireLock(path, env)).release();
    await writeLock({ pid: 4242, startedAt: '2025-06-01T01:00:00.000Z' });
    await expect(acquireLock(path, env)).rejects.toThrow('campaign is already running in process 4242');
  });

  it('respects a lock held on another host, saying where', async () => {
    await writeLock({ pid: await deadPid(), hostname: 'laptop-of-someone-else' });
    const err = (await acquireLock(path).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/^campaign is already running in process \d+ on laptop-of-someone-else \(since .*\); if it is not, delete /);
    expect(err.message.endsWith(`delete ${path}`)).toBe(true);
  });

  it('waits for a lock file being written, and takes over one left unreadable', async () => {
    await writeFile(path, '');
    await expect(acquireLock(path)).rejects.toThrow(/keeps changing hands/);
    const old = new Date(Date.now() - 60_000);
    await utimes(path, old, old);
    await (await acquireLock(path)).release();
  });

  it('is released when the process exits without releasing it', async () => {
    const { code } = await runChild('lock-and-exit', path);
    expect(code).toBe(0);
    expect(await exists(path)).toBe(false);
  });

  it('lets exactly one of several processes racing for a stale lock take it', async () => {
    await writeLock({ pid: await deadPid() });
    const racers = Array.from({ length: 3 }, () => {
      const child = spawn(process.execPath, ['--import', 'tsx', helper, 'hold-lock', path]);
      children.push(child);
      let out = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (d: string) => (out += d));
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (d: string) => (out += d));
      const settled = new Promise<string>((resolve) => {
        child.stdout.on('data', () => out.includes('locked') && resolve('locked'));
        child.once('exit', () => resolve(out.trim()));
      });
      return { child, settled };
    });
    const outcomes = await Promise.all(racers.map((r) => r.settled));
    expect(outcomes.filter((o) => o === 'locked')).toHaveLength(1);
    const winner = racers[outcomes.indexOf('locked')]?.child;
    for (const o of outcomes.filter((x) => x !== 'locked')) {
      expect(o).toBe(`campaign is already running in process ${winner?.pid} (since ${(JSON.parse(await readFile(path, 'utf8')) as LockInfo).startedAt})`);
    }
    expect((JSON.parse(await readFile(path, 'utf8')) as LockInfo).pid).toBe(winner?.pid);
    winner?.stdin.end();
    if (winner !== undefined) await once(winner, 'exit');
  });
});
