import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { atomicWriteFile, syncDir } from '../state/atomic-write';
import type { CampaignStore } from '../state/campaign-store';

/**
 * A retry's rows, listed in its folder (`retry-rows.json`) before it starts: the rows of the file
 * it sends again, with their numbers in the file. The report, the status table and a resume of
 * an interrupted retry read them from there.
 */

const ROWS_FILE = 'retry-rows.json';

/** writeRetryRows lists a retry's rows in its folder (made here, durably). */
export async function writeRetryRows(store: CampaignStore, id: string, retryOf: string, errorKinds: readonly string[] | undefined, rows: readonly number[]): Promise<void> {
  const dir = store.campaignDir(id);
  await mkdir(dir, { recursive: true });
  await syncDir(dirname(dir));
  await atomicWriteFile(join(dir, ROWS_FILE), `${JSON.stringify({ retryOf, errorKinds: errorKinds ?? null, rows })}\n`);
}

/** retryRowsOf is the rows a retry covers, or undefined for a run over the whole file. */
export async function retryRowsOf(store: CampaignStore, id: string): Promise<number[] | undefined> {
  try {
    const parsed = JSON.parse(await readFile(join(store.campaignDir(id), ROWS_FILE), 'utf8')) as { rows?: unknown };
    return Array.isArray(parsed.rows) ? parsed.rows.filter((r): r is number => Number.isInteger(r)) : undefined;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
