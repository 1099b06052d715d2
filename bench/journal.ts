import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FileJournal } from '../electron/core/state/file-journal';

/**
 * Journal benchmark (issue 3): durable records per second with group commit against a sync per
 * record, for 10,000 records written by 32 concurrent writers (the engine's shape: each worker
 * awaits its record before going on). Every record is on disk when its promise resolves, in both.
 */

/** BenchJournalOptions: sizes, and where to write (defaults to a temp dir on the system disk). */
export interface BenchJournalOptions {
  records?: number;
  concurrency?: number;
  dir?: string;
}

/** benchJournal returns records per second with group commit (`grouped`) and with a sync per record (`perRecord`). */
export async function benchJournal(options: BenchJournalOptions = {}): Promise<{ grouped: number; perRecord: number }> {
  const records = options.records ?? 10_000;
  const concurrency = options.concurrency ?? 32;
  const dir = await mkdtemp(join(options.dir ?? tmpdir(), 'bench-journal-'));
  try {
    const grouped = await recordsPerSecond(join(dir, 'grouped.log'), true, records, concurrency);
    const perRecord = await recordsPerSecond(join(dir, 'per-record.log'), false, records, concurrency);
    return { grouped, perRecord };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function recordsPerSecond(path: string, groupCommit: boolean, records: number, concurrency: number): Promise<number> {
  const journal = await FileJournal.open(path, { groupCommit });
  let next = 1;
  const worker = async (): Promise<void> => {
    while (next <= records) {
      const row = next++;
      await journal.record({ row, status: 'in-flight', recipient: `conv-${row}`, attempts: 1 });
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - start) / 1000;
  await journal.close();
  return Math.round(records / seconds);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await benchJournal();
  console.log(`journal: ${r.grouped} records/s with group commit, ${r.perRecord} records/s with a sync per record (${(r.grouped / r.perRecord).toFixed(1)}x)`);
}
