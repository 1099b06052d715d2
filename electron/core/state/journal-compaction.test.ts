import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RowOutcome } from '../../../shared/engine/events';
import { FileJournal } from './file-journal';
import { scanJournal } from './journal-reader';
import { snapshotPathOf } from './row-snapshot';

let dir: string;
let path: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'journal-compaction-'));
  path = join(dir, 'journal.log');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function inFlight(row: number): RowOutcome {
  return { row, status: 'in-flight', recipient: `conv-${row}`, attempts: 1, attemptStartedAt: '2025-01-02T03:04:04.000Z' } as RowOutcome;
}
function sent(row: number): RowOutcome {
  return { row, status: 'sent', recipient: `conv-${row}`, attempts: 1, messageId: `msg-${row}`, httpStatus: 201, sentAt: '2025-01-02T03:04:05.000Z' };
}
async function lines(): Promise<string[]> {
  return (await readFile(path, 'utf8')).split('\n').filter((l) => l !== '');
}
/** A run that sent rows 1..n out of order, two records a row. */
async function run(n: number): Promise<FileJournal> {
  const j = await FileJournal.open(path);
  for (let row = n; row >= 1; row--) await j.record(inFlight(row));
  for (let row = n; row >= 1; row--) await j.record(sent(row));
  return j;
}

describe('compacting the journal when a run ends', () => {
  it('rewrites the log as one record a row, in row order, and reopens from the snapshot', async () => {
    const j = await run(50);
    const before = await j.load();
    expect(await j.compact()).toBe(true);
    expect((await lines()).map((l) => (JSON.parse(l.slice(9)) as RowOutcome).row)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const scan = await scanJournal(path);
    expect(scan.snapshotBytes).toBe((await stat(path)).size);
    expect([...scan.latest.values()]).toEqual(before);
    const again = await FileJournal.open(path);
    expect(await again.load()).toEqual(before);
    await again.close();
  });

  it("keeps what a row's uploads answered through compaction and the snapshot, and forgets it once the row is settled", async () => {
    const uploads = [{ url: 'https://files.example/a.pdf', name: 'a.pdf' }];
    const j = await run(3);
    await j.record({ row: 4, status: 'pending', recipient: 'conv-4', attempts: 1, httpStatus: 401, uploads } as RowOutcome);
    await j.record({ row: 5, status: 'pending', recipient: 'conv-5', attempts: 1, uploads } as RowOutcome);
    await j.record(sent(5));
    expect(j.outcomes().get(4)).toMatchObject({ uploads });
    expect(await j.compact()).toBe(true);
    const scan = await scanJournal(path);
    expect(scan.snapshotBytes).toBe((await stat(path)).size);
    expect(scan.latest.get(4)).toMatchObject({ status: 'pending', uploads });
    expect(scan.latest.get(5)).not.toHaveProperty('uploads');
    await rm(snapshotPathOf(path));
    expect((await scanJournal(path)).latest.get(4)).toMatchObject({ uploads });
  });

  it('leaves both files alone when a run records nothing', async () => {
    await (await run(5)).compact();
    const log = await stat(path);
    const snap = await stat(snapshotPathOf(path));
    const again = await FileJournal.open(path);
    expect(await again.compact()).toBe(false);
    expect((await stat(path)).mtimeMs).toBe(log.mtimeMs);
    expect((await stat(snapshotPathOf(path))).mtimeMs).toBe(snap.mtimeMs);
  });

  it('reads records appended after the snapshot on top of it, cutting a torn one off', async () => {
    await (await run(5)).compact();
    const next = await FileJournal.open(path);
    await next.record({ row: 6, status: 'failed', recipient: 'conv-6', attempts: 3, httpStatus: 400, error: 'bad' });
    await next.record(inFlight(2));
    await next.close(); // a crash: no compaction
    await writeFile(path, `${await readFile(path, 'utf8')}0123abcd {"row":7`);
    const scan = await scanJournal(path);
    expect(scan.snapshotBytes).toBeGreaterThan(0);
    expect(scan.records).toBe(7);
    expect(scan.latest.get(2)).toEqual(inFlight(2));
    expect(scan.latest.get(6)).toMatchObject({ status: 'failed', error: 'bad' });
    expect(scan.latest.has(7)).toBe(false);
    const reopened = await FileJournal.open(path);
    expect((await reopened.load()).map((o) => o.row)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await reopened.compact()).toBe(true);
    expect(await lines()).toHaveLength(6);
  });

  it('ignores a damaged snapshot and reads the log instead', async () => {
    const j = await run(20);
    const before = await j.load();
    await j.compact();
    const snap = await readFile(snapshotPathOf(path));
    snap[snap.length - 100] = (snap[snap.length - 100] as number) ^ 0xff;
    await writeFile(snapshotPathOf(path), snap);
    const scan = await scanJournal(path);
    expect(scan.snapshotBytes).toBe(0);
    expect([...scan.latest.values()]).toEqual(before);
  });

  it('ignores the snapshot of another log, even one of the same length', async () => {
    await (await run(3)).compact();
    const text = await readFile(path, 'utf8');
    const other = (await lines()).map((l) => l.replace('msg-2', 'msg-9'));
    // Re-encode the changed record so the log is valid, as a compaction by an older version would leave it.
    const j = await FileJournal.open(join(dir, 'other.log'));
    for (const l of other) await j.record(JSON.parse(l.slice(9)) as RowOutcome);
    await j.close();
    const replaced = await readFile(join(dir, 'other.log'), 'utf8');
    expect(replaced.length).toBe(text.length);
    await writeFile(path, replaced);
    const scan = await scanJournal(path);
    expect(scan.snapshotBytes).toBe(0);
    expect(scan.latest.get(2)?.messageId).toBe('msg-9');
  });

  it('reads the right rows when a crash comes between the new log and the new snapshot', async () => {
    await (await run(4)).compact();
    const oldSnapshot = await readFile(snapshotPathOf(path));
    const next = await FileJournal.open(path);
    await next.record({ row: 9, status: 'skipped', recipient: '', attempts: 0, error: 'invalid row' });
    await next.record(inFlight(1));
    await next.compact();
    const compacted = await next.load();
    await writeFile(snapshotPathOf(path), oldSnapshot); // as if the new snapshot never got renamed in
    const scan = await scanJournal(path);
    // The new log no longer begins with the bytes the old snapshot was made from (row 1 changed).
    expect(scan.snapshotBytes).toBe(0);
    expect([...scan.latest.values()]).toEqual(compacted);
  });

  it('uses an older snapshot when the log still begins with what it was made from', async () => {
    await (await run(4)).compact();
    const oldSnapshot = await readFile(snapshotPathOf(path));
    const next = await FileJournal.open(path);
    await next.record({ row: 9, status: 'skipped', recipient: '', attempts: 0, error: 'invalid row' });
    await next.compact();
    await writeFile(snapshotPathOf(path), oldSnapshot);
    const scan = await scanJournal(path);
    expect(scan.snapshotBytes).toBeGreaterThan(0); // rows 1-4 come from it, row 9 from the log
    expect([...scan.latest.values()]).toEqual(await next.load());
  });

  it('does not compact after a failed write: what the file holds is read next time', async () => {
    let fail = false;
    const j = await FileJournal.open(path, {
      hooks: {
        beforeSync: () => {
          if (fail) throw new Error('EIO');
        },
      },
    });
    await j.record(sent(1));
    fail = true;
    await expect(j.record(sent(2))).rejects.toThrow(/EIO/);
    await expect(j.compact()).resolves.toBe(false);
    await expect(stat(snapshotPathOf(path))).rejects.toThrow();
  });
});
