import { readdir } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { CrashWorld } from './crash-harness';
import { postsPer, readReport, startWorld } from './crash-harness';

/**
 * Deterministic crash points: the real CLI in a child process is killed (SIGKILL) at a chosen
 * place, then the same command is run again, and the result is judged against what the mock API
 * actually received: no row delivered twice, none lost, the report equal to the truth.
 */

let world: CrashWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

function expectTruth(j: Awaited<ReturnType<CrashWorld['judge']>>, rows: number): void {
  expect(j.duplicates).toEqual([]);
  expect(j.losses).toEqual([]);
  expect(j.mismatches).toEqual([]);
  expect(j.statuses).toEqual({ sent: rows });
}

describe('crash after the request is answered, before its result is recorded', () => {
  it('Wassist: the resume reads the conversation back and records the row sent, without sending it again', async () => {
    const w = (world = await startWorld({ kind: 'wassist', rows: 12, throttle: { concurrency: 1, perSecond: 200 } }));
    const crashed = await w.run(w.sendArgs(), 'request-answered:5');
    expect(crashed.signal).toBe('SIGKILL');
    expect(w.mock.state.counters.delivered).toBe(5); // the 5th was delivered, its answer never recorded

    const resumed = await w.run(w.sendArgs());
    expect(resumed.stderr).toContain('Resuming campaign');
    expect(resumed.code).toBe(0);
    expectTruth(await w.judge(), 12);
    expect([...postsPer(w.mock).values()].every((n) => n === 1)).toBe(true); // nothing was POSTed twice
    // One read of messages to settle the row in doubt (the conversations still to send were checked first: Wassist asks for it).
    expect(w.mock.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/messages/'))).toHaveLength(1);
  });

  it('Pingback (no read API): the row becomes uncertain, is not resent, and is listed at the end and in the report', async () => {
    const w = (world = await startWorld({ kind: 'pingback', rows: 8, throttle: { concurrency: 1, perSecond: 200 } }));
    expect((await w.run(w.sendArgs(), 'request-answered:3')).signal).toBe('SIGKILL');
    const resumed = await w.run(w.sendArgs());
    expect(resumed.code).toBe(1);
    expect(resumed.stderr).toMatch(/Uncertain rows[^\n]*:\n\s+row 3 /);
    const j = await w.judge();
    expect(j.duplicates).toEqual([]);
    expect(j.losses).toEqual([]);
    expect(j.mismatches).toEqual([]);
    expect(j.uncertain).toEqual([3]);
    expect(j.statuses).toEqual({ sent: 7, uncertain: 1 });
  });
});

describe('crash between two journal writes', () => {
  for (const kind of ['wassist', 'pingback', 'generic'] as const) {
    it(`${kind}: a batch written but not synced when the process dies; the resume delivers every row exactly once`, async () => {
      const w = (world = await startWorld({ kind, rows: 15, throttle: { concurrency: 2, perSecond: 200 } }));
      expect((await w.run(w.sendArgs(), 'journal-appended:9')).signal).toBe('SIGKILL');
      const before = w.mock.state.counters.delivered;
      expect(before).toBeGreaterThan(0);
      expect(before).toBeLessThan(15);
      const resumed = await w.run(w.sendArgs());
      const j = await w.judge();
      expect(j.duplicates).toEqual([]);
      expect(j.losses).toEqual([]);
      expect(j.mismatches).toEqual([]);
      // A row in flight at the kill whose request never left (its write-ahead record was the
      // unsynced batch's, or the request had not started) is still either sent or uncertain, never lost.
      if (kind === 'wassist') {
        expect(resumed.code).toBe(0);
        expect(j.statuses).toEqual({ sent: 15 });
      } else {
        expect(j.uncertain.length).toBeLessThanOrEqual(2);
      }
    });
  }
});

describe('crash during the report export', () => {
  it('leaves no half-written report; the re-run sends nothing and writes the report equal to the truth', async () => {
    const w = (world = await startWorld({ kind: 'wassist', rows: 10 }));
    const crashed = await w.run(w.sendArgs(), 'atomic-write:report.csv:1');
    expect(crashed.signal).toBe('SIGKILL');
    expect(await readdir(w.dir)).not.toContain('report.csv');
    const posts = w.mock.requests.length;
    expect(w.mock.state.counters.delivered).toBe(10);

    const again = await w.run(w.sendArgs());
    expect(again.code).toBe(0);
    expect(w.mock.requests.length).toBe(posts); // every row was settled: nothing is sent or read again
    expectTruth(await w.judge(), 10);
    // Formula-looking input cells are neutralised in the report (the wire got them raw).
    const report = await readReport(w.reportPath);
    expect(report[0]?.code).toBe(`'=HYPERLINK("x1")`);
  });

  it('`campaign report` re-exports the same truth from the journal after a crash mid-campaign', async () => {
    const w = (world = await startWorld({ kind: 'wassist', rows: 10, throttle: { concurrency: 1, perSecond: 200 } }));
    await w.run(w.sendArgs(), 'request-answered:4');
    const args = w.sendArgs();
    const exported = await w.run(['report', args[1] as string, '--spec', args[3] as string, '--report', w.reportPath]);
    expect(exported.code).toBe(0);
    const report = await readReport(w.reportPath);
    expect(report.map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'uncertain', ...Array<string>(6).fill('pending')]);
  });
});
