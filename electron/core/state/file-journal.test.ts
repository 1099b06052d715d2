import { execFile } from 'node:child_process';
import { appendFile, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RowOutcome } from '../../../shared/engine/events';
import { FileJournal } from './file-journal';
import { JournalCorruptError } from './journal-reader';

let dir: string;
let path: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'file-journal-'));
  path = join(dir, 'journal.log');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function inFlight(row: number, attempts = 1): RowOutcome {
  return { row, status: 'in-flight', recipient: `conv-${row}`, attempts };
}
function sent(row: number): RowOutcome {
  return { row, status: 'sent', recipient: `conv-${row}`, attempts: 1, messageId: `msg-${row}`, httpStatus: 201, sentAt: '2025-01-02T03:04:05.000Z' };
}
async function lines(): Promise<string[]> {
  return (await readFile(path, 'utf8')).split('\n').filter((l) => l !== '');
}

describe('FileJournal', () => {
  it('starts empty and finds every acknowledged record after reopening', async () => {
    const j = await FileJournal.open(path);
    expect(await j.load()).toEqual([]);
    await j.record(inFlight(2));
    await j.record(sent(1));
    await j.record({ row: 3, status: 'failed', recipient: 'c3', attempts: 5, httpStatus: 400, error: 'Bad "body"\nline two' });
    await j.close();
    const again = await FileJournal.open(path);
    expect(await again.load()).toEqual([
      sent(1),
      inFlight(2),
      { row: 3, status: 'failed', recipient: 'c3', attempts: 5, httpStatus: 400, error: 'Bad "body"\nline two' },
    ]);
    await again.close();
  });

  it('keeps the latest state of each row', async () => {
    const j = await FileJournal.open(path);
    await j.record(inFlight(1));
    await j.record({ ...inFlight(1, 2), status: 'pending' });
    await j.record(inFlight(1, 3));
    await j.record(sent(1));
    expect(await j.load()).toEqual([sent(1)]);
    await j.close();
    const again = await FileJournal.open(path);
    expect(await again.load()).toEqual([sent(1)]);
    await again.close();
    expect(await lines()).toHaveLength(4);
  });

  it('writes only the fields of a row outcome', async () => {
    const j = await FileJournal.open(path);
    const withExtra = { ...sent(1), apiKey: 'sk-canary-1234', response: { raw: 'x' } } as RowOutcome;
    await j.record(withExtra);
    await j.close();
    const text = await readFile(path, 'utf8');
    expect(text).not.toContain('canary');
    expect(text).not.toContain('response');
  });

  it('refuses an outcome it could not read back, without writing it', async () => {
    const j = await FileJournal.open(path);
    await expect(j.record({ ...inFlight(1), attempts: Number.NaN })).rejects.toThrow(/row 1 is invalid: attempts/);
    await expect(j.record({ ...inFlight(1), row: 0 })).rejects.toThrow(/invalid/);
    await j.record(inFlight(2));
    await j.close();
    expect(await lines()).toHaveLength(1);
  });

  it('ignores a torn last record, cuts it off, and appends cleanly after it', async () => {
    const j = await FileJournal.open(path);
    for (let row = 1; row <= 3; row++) await j.record(sent(row));
    await j.close();
    const full = (await stat(path)).size;
    const lastLength = ((await lines())[2] ?? '').length + 1;
    // Cut the last record in the middle, as a crash during the write would.
    await truncate(path, full - Math.floor(lastLength / 2));
    const reopened = await FileJournal.open(path);
    expect((await reopened.load()).map((o) => o.row)).toEqual([1, 2]);
    await reopened.record(sent(4));
    await reopened.close();
    const third = await FileJournal.open(path);
    expect((await third.load()).map((o) => o.row)).toEqual([1, 2, 4]);
    await third.close();
  });

  it('ignores a last line with a bad checksum', async () => {
    const j = await FileJournal.open(path);
    await j.record(sent(1));
    await j.close();
    await appendFile(path, '00000000 {"row":2,"status":"sent","recipient":"c","attempts":1}\n');
    const reopened = await FileJournal.open(path);
    expect((await reopened.load()).map((o) => o.row)).toEqual([1]);
    await reopened.close();
  });

  it('refuses a journal damaged before its last record, naming the line', async () => {
    const j = await FileJournal.open(path);
    for (let row = 1; row <= 4; row++) await j.record(sent(row));
    await j.close();
    const text = await readFile(path, 'utf8');
    // Flip one character inside the second record's JSON.
    const damaged = text.replace('"recipient":"conv-2"', '"recipient":"conv-9"');
    await writeFile(path, damaged);
    const err = await FileJournal.open(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JournalCorruptError);
    expect((err as JournalCorruptError).line).toBe(2);
    expect((err as Error).message).toBe(`campaign journal ${path} is damaged at line 2: checksum mismatch (damaged or cut short)`);
    // Nothing was cut off or rewritten.
    expect(await readFile(path, 'utf8')).toBe(damaged);
  });

  it('refuses a line that is not a record even with a torn tail after it', async () => {
    await writeFile(path, 'hello\n00000000 {"row"');
    await expect(FileJournal.open(path)).rejects.toThrow(/damaged at line 1: not a journal record/);
  });

  it('reads a journal larger than one read chunk', async () => {
    const j = await FileJournal.open(path, { compactRatio: 0 });
    const big = 'x'.repeat(900);
    await Promise.all(Array.from({ length: 3_000 }, (_, i) => j.record({ ...inFlight(i + 1), error: big })));
    await j.close();
    expect((await stat(path)).size).toBeGreaterThan(2 * (1 << 20));
    const again = await FileJournal.open(path);
    const rows = await again.load();
    expect(rows).toHaveLength(3_000);
    expect(rows[2_999]).toEqual({ ...inFlight(3_000), error: big });
    await again.close();
  });

  it('syncs concurrent records in far fewer batches than records', async () => {
    const j = await FileJournal.open(path);
    let next = 1;
    const worker = async () => {
      while (next <= 1_000) await j.record(inFlight(next++));
    };
    await Promise.all(Array.from({ length: 32 }, worker));
    const stats = j.stats();
    await j.close();
    expect(stats.records).toBe(1_000);
    expect(stats.syncs).toBeLessThan(1_000 / 8);
    expect(await lines()).toHaveLength(1_000);
  });

  it('syncs each record on its own when group commit is off', async () => {
    const j = await FileJournal.open(path, { groupCommit: false });
    await Promise.all(Array.from({ length: 50 }, (_, i) => j.record(inFlight(i + 1))));
    expect(j.stats()).toEqual({ records: 50, syncs: 50 });
    await j.close();
  });

  it('compacts on open when the log is much longer than the rows', async () => {
    const j = await FileJournal.open(path);
    for (let attempt = 1; attempt <= 4; attempt++) {
      await Promise.all(Array.from({ length: 300 }, (_, i) => j.record(inFlight(i + 1, attempt))));
    }
    await j.close();
    expect(await lines()).toHaveLength(1_200);
    const reopened = await FileJournal.open(path, { compactRatio: 3, compactMinRecords: 1_000 });
    expect(await lines()).toHaveLength(300);
    const rows = await reopened.load();
    expect(rows).toHaveLength(300);
    expect(rows.every((r) => r.attempts === 4)).toBe(true);
    await reopened.record(sent(1));
    await reopened.close();
    const third = await FileJournal.open(path);
    expect((await third.load())[0]).toEqual(sent(1));
    await third.close();
  });

  it('does not compact a log that is not much longer than the rows', async () => {
    const j = await FileJournal.open(path);
    await Promise.all(Array.from({ length: 600 }, (_, i) => j.record(inFlight(i + 1))));
    await Promise.all(Array.from({ length: 600 }, (_, i) => j.record(sent(i + 1))));
    await j.close();
    await (await FileJournal.open(path, { compactMinRecords: 10 })).close();
    expect(await lines()).toHaveLength(1_200);
  });

  it('removes temp files a crash left in the middle of a compaction', async () => {
    await writeFile(join(dir, '.journal.log.0123abcd.tmp'), 'half a compaction');
    await writeFile(join(dir, 'other.tmp'), 'not ours');
    await (await FileJournal.open(path)).close();
    expect((await readdir(dir)).sort()).toEqual(['journal.log', 'other.tmp']);
  });

  it('refuses records after close, and close waits for pending ones', async () => {
    const j = await FileJournal.open(path);
    const pending = j.record(sent(1));
    await j.close();
    await pending;
    await expect(j.record(sent(2))).rejects.toThrow(/is closed/);
    await j.close();
    expect(await lines()).toHaveLength(1);
  });

  it.each(['afterAppend', 'beforeSync'])('keeps every acknowledged record when the process dies at %s', async (point) => {
    const helper = join(import.meta.dirname, '../../../test/helpers/journal-child.ts');
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = execFile(process.execPath, ['--import', 'tsx', helper, 'record', path, '400', point, '4'], (_e, out) =>
        resolve({ code: child.exitCode, stdout: out }),
      );
    });
    expect(code).toBe(42);
    const acked = stdout
      .split('\n')
      .filter((l) => l.startsWith('ack '))
      .map((l) => Number(l.slice(4)));
    expect(acked.length).toBeGreaterThan(0);
    expect(acked.length).toBeLessThan(400);
    const reopened = await FileJournal.open(path);
    const found = new Set((await reopened.load()).map((o) => o.row));
    await reopened.close();
    for (const row of acked) expect(found.has(row)).toBe(true);
  });
});
