import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { conversationKey, phoneKey } from '../../shared/campaign/recipient-keys';
import { Workspace } from '../../electron/core/workspace/workspace';
import type { CrashWorld } from './crash-harness';
import { conversationId, startWorld } from './crash-harness';

/**
 * Crash safety of the workspace database: the real CLI in a child process is killed (SIGKILL) at
 * the commit of a transaction or at a random moment, and the database is judged afterwards: it
 * passes SQLite's integrity check, an import is on the list whole or not at all, the key filter
 * agrees with the entries, and the message history catches up with the journal on the next run.
 */

let world: CrashWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

function integrity(stateDir: string): string {
  const db = new Database(join(stateDir, 'workspace.db'), { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

/** numbersCsv writes `n` UK mobile numbers (column `mobile`), as an opt-out export would hold them. */
async function numbersCsv(dir: string, n: number): Promise<string> {
  const path = join(dir, `optouts-${n}.csv`);
  const lines = ['name,mobile'];
  for (let i = 0; i < n; i++) lines.push(`n${i},+4479${String(10_000_000 + i).padStart(8, '0')}`);
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

function number(i: number): string {
  return `+4479${String(10_000_000 + i).padStart(8, '0')}`;
}

describe('the opt-out list survives a crash mid-write', () => {
  it('killed at the commit of an import, the list is as it was; run again, the import lands whole', async () => {
    const w = (world = await startWorld({ kind: 'wassist', rows: 1 }));
    const state = join(w.dir, 'state');
    const file = await numbersCsv(w.dir, 12_000); // staged in 3 batches of 5,000, then the 4th commit moves them onto the list
    const args = ['optout', 'import', file, '--column', 'mobile'];
    expect((await w.run(['optout', 'add', '+447911123456'])).code).toBe(0);
    const crashed = await w.run(args, 'workspace-commit:4');
    expect(crashed.signal).toBe('SIGKILL');
    expect(integrity(state)).toBe('ok');
    let ws = Workspace.open(state, Date.now);
    expect(ws.optOuts.count()).toBe(1);
    expect(ws.optOuts.matcher().match(phoneKey(number(7)))).toBeUndefined();
    ws.close();

    const again = await w.run(args);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('12000 added');
    ws = Workspace.open(state, Date.now);
    const m = ws.optOuts.matcher();
    for (const i of [0, 1, 4_999, 5_000, 11_999]) expect(m.match(phoneKey(number(i)))?.origin).toBe('optouts-12000.csv');
    expect(ws.optOuts.count()).toBe(12_001);
    ws.close();
  }, 120_000);

  it('killed at random moments during imports, the database stays whole and each import is all or nothing', async () => {
    const w = (world = await startWorld({ kind: 'wassist', rows: 1 }));
    const state = join(w.dir, 'state');
    const file = await numbersCsv(w.dir, 20_000);
    const killedAt: number[] = [];
    const db = join(state, 'workspace.db');
    for (let attempt = 0; attempt < 6; attempt++) {
      const { child, done } = w.spawn(['optout', 'import', file, '--column', 'mobile']);
      // Once the command has its database open (the CLI takes a while to start), kill it at a random moment.
      const delay = Math.floor(Math.random() * 1_500);
      let timer: NodeJS.Timeout | undefined;
      const watch = setInterval(() => {
        if (!existsSync(`${db}-wal`) || timer !== undefined) return;
        timer = setTimeout(() => child.kill('SIGKILL'), delay);
      }, 10);
      const ended = await done;
      clearInterval(watch);
      clearTimeout(timer);
      if (ended.signal === 'SIGKILL') killedAt.push(delay);
      expect(integrity(state)).toBe('ok');
      const ws = Workspace.open(state, Date.now);
      try {
        expect([0, 20_000]).toContain(ws.optOuts.count());
        if (ws.optOuts.count() === 20_000) expect(ws.optOuts.matcher().match(phoneKey(number(19_999)))).toBeDefined();
        expect((ws.db.db.prepare('SELECT COUNT(*) AS n FROM opt_out_import').get() as { n: number }).n).toBe(0);
      } finally {
        ws.close();
      }
    }
    expect(killedAt.length).toBeGreaterThan(0); // at least one run was really cut short
  }, 120_000);
});

describe('the message history survives a crash', () => {
  it('killed as the history of a run is written, the journal still has the rows; the next run records them, and the cap counts them', async () => {
    const w = (world = await startWorld({ kind: 'wassist', rows: 6, throttle: { concurrency: 2, perSecond: 500 } }));
    const state = join(w.dir, 'state');
    expect((await w.run(['settings', '--frequency-cap', '1/24h'])).code).toBe(0);
    // The run's only history write is its last flush, as it closes: the crash loses it.
    const crashed = await w.run(w.sendArgs(), 'workspace-commit:1');
    expect(crashed.signal).toBe('SIGKILL');
    expect(w.mock.state.counters.delivered).toBe(6);
    let ws = Workspace.open(state, Date.now);
    expect(ws.history.recent([conversationKey(conversationId(1))], 0)).toBeUndefined();
    ws.close();

    const resumed = await w.run(w.sendArgs());
    expect(resumed.code).toBe(0);
    ws = Workspace.open(state, Date.now);
    for (let i = 1; i <= 6; i++) expect(ws.history.recent([conversationKey(conversationId(i))], 0)?.count).toBe(1);
    ws.close();
    // A new run of the campaign (--fresh) is capped for every row: the history is whole again.
    const fresh = await w.run(w.sendArgs(['--fresh']));
    expect(fresh.stderr).toContain('6 over the frequency cap (skipped)');
    expect(w.mock.state.counters.delivered).toBe(6);
    expect(integrity(state)).toBe('ok');
  }, 120_000);
});
