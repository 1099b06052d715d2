import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Totals } from '../../../shared/engine/events';
import { emptyTotals } from '../../../shared/engine/events';
import type { RowOutcomes } from '../ports';
import { removeTempFiles, syncDir } from './atomic-write';
import { makePrivateDir } from './data-dir';
import { pickRunId } from './campaign-id';
import type { CampaignMeta, CampaignMetaInput } from './campaign-meta';
import { buildMeta, readMeta, writeMeta } from './campaign-meta';
import type { FileJournalOptions } from './file-journal';
import { FileJournal } from './file-journal';
import { scanJournal } from './journal-reader';
import type { LockEnv } from './lock';
import { acquireLock, lockHolder, systemLockEnv } from './lock';

/**
 * The campaign store keeps one folder per campaign under `<dataDir>/campaigns/<id>/`:
 *   meta.json    what the campaign is (name, CSV, provider, row count, spec; never an API key; campaign-meta.ts)
 *   journal.log       every row's state (file-journal.ts), compacted to one record a row when a run ends
 *   journal.snapshot  the rows as of the last compaction, to open a big campaign quickly (row-snapshot.ts)
 *   lock              held while a process runs it (lock.ts)
 *   retry-rows.json   a retry only: the rows of the file it sends again (retry.ts)
 *   validation.json   what validation found, kept for the same input (campaign/validation-record.ts)
 * The CLI and the desktop app both open campaigns through it; the history view lists them.
 */

/** CampaignSummary is one campaign in the history: its meta, its totals, and whether a process is running it now. */
export interface CampaignSummary {
  meta: CampaignMeta;
  totals: Totals;
  running: boolean;
  /** Why the totals could not be read (a damaged journal), when that is the case. */
  problem?: string;
}

/** OpenCampaign is a campaign this process holds the lock of, with its journal for the engine. */
export interface OpenCampaign {
  readonly id: string;
  readonly dir: string;
  readonly meta: CampaignMeta;
  readonly journal: FileJournal;
  /** Current totals from the journal. */
  totals(): Totals;
  /**
   * Closes the journal (compacting it), saves the totals in meta.json (and `cancelled`: the person
   * cancelled the run) and releases the lock. Safe to call twice: the first call says how it ended.
   */
  close(ended?: { cancelled: boolean }): Promise<void>;
}

/** CampaignStoreOptions: where the data lives, and seams for tests. */
export interface CampaignStoreOptions {
  dataDir: string;
  now?: () => number;
  journal?: FileJournalOptions;
  lockEnv?: LockEnv;
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/;

/** CampaignStore opens, lists and finds campaigns in a data directory (see data-dir.ts). */
export class CampaignStore {
  readonly dataDir: string;
  private readonly now: () => number;
  private readonly journalOptions: FileJournalOptions;
  private readonly lockEnv: LockEnv;
  private readonly openHere = new Map<string, OpenCampaign>();

  constructor(options: CampaignStoreOptions) {
    this.dataDir = options.dataDir;
    this.now = options.now ?? Date.now;
    this.journalOptions = options.journal ?? {};
    this.lockEnv = options.lockEnv ?? systemLockEnv;
  }

  /** campaignDir is the folder of campaign `id`. */
  campaignDir(id: string): string {
    if (!ID_PATTERN.test(id)) throw new TypeError(`not a campaign id: ${JSON.stringify(id)}`);
    return join(this.dataDir, 'campaigns', id);
  }

  /**
   * resolveId picks the id to run for `baseId` (campaignId of the CSV and spec): the latest run of
   * it, so re-running resumes, or with `fresh` a new run (`<baseId>-2`…) that starts over on purpose.
   */
  async resolveId(baseId: string, options: { fresh?: boolean } = {}): Promise<string> {
    this.campaignDir(baseId);
    return pickRunId(baseId, await this.ids(), options.fresh === true);
  }

  /**
   * open creates or reopens campaign `id`: takes its lock (CampaignLockedError when another
   * live process has it), writes meta.json (keeping the first createdAt) and opens the journal,
   * recovering it after a crash (JournalCorruptError when it is damaged beyond a torn last record).
   */
  async open(id: string, input: CampaignMetaInput): Promise<OpenCampaign> {
    const dir = this.campaignDir(id);
    // The data folder and each campaign's folder are the user's alone (see data-dir.ts).
    await makePrivateDir(this.dataDir);
    await makePrivateDir(join(this.dataDir, 'campaigns'));
    if ((await makePrivateDir(dir)) !== undefined) {
      // A new folder is only durable once the folders holding it are synced.
      await syncDir(join(this.dataDir, 'campaigns'));
      await syncDir(this.dataDir);
    }
    const lock = await acquireLock(join(dir, 'lock'), this.lockEnv);
    try {
      await removeTempFiles(join(dir, 'meta.json'));
      const previous = await readMeta(dir).catch(() => undefined);
      const now = new Date(this.now()).toISOString();
      // A resume from another front end may not know the profile or the file's path: keep what the first start wrote.
      const kept = { ...input, profileId: input.profileId ?? previous?.profileId, csvPath: input.csvPath ?? previous?.csvPath };
      const meta = buildMeta(id, kept, previous?.createdAt ?? now, now);
      // Journal first: if it is damaged, meta.json keeps the totals it had.
      const journal = await FileJournal.open(join(dir, 'journal.log'), { rows: input.rowCount, ...this.journalOptions });
      await writeMeta(dir, meta).catch(async (e: unknown) => {
        await journal.close();
        throw e;
      });
      let closing: Promise<void> | undefined;
      const campaign: OpenCampaign = {
        id,
        dir,
        meta,
        journal,
        totals: () => totalsOf(journal.outcomes(), meta.rowCount),
        close: (ended) => {
          closing ??= (async () => {
            try {
              // The log as it stands is whole and valid: a compaction that fails (a full disk) only
              // leaves the next open slower, and is tried again when the next run ends.
              await journal.compact().catch(() => journal.close());
              const updatedAt = new Date(this.now()).toISOString();
              await writeMeta(dir, { ...meta, updatedAt, totals: campaign.totals(), ...(ended?.cancelled === true ? { cancelled: true as const } : {}) });
            } finally {
              this.openHere.delete(id);
              await lock.release();
            }
          })();
          return closing;
        },
      };
      this.openHere.set(id, campaign);
      return campaign;
    } catch (e) {
      await lock.release();
      throw e;
    }
  }

  /** list returns every campaign, newest first, with its totals (for the history view). */
  async list(): Promise<CampaignSummary[]> {
    const summaries: CampaignSummary[] = [];
    for (const id of await this.ids()) {
      const summary = await this.get(id);
      if (summary !== undefined) summaries.push(summary);
    }
    return summaries.sort((a, b) => b.meta.createdAt.localeCompare(a.meta.createdAt) || b.meta.id.localeCompare(a.meta.id));
  }

  /**
   * get returns one campaign, or undefined when there is none (or its meta.json is unreadable).
   * Totals come from meta.json when the campaign was closed, from memory when this process runs it,
   * and otherwise (it crashed, or another process runs it) from its journal.
   */
  async get(id: string): Promise<CampaignSummary | undefined> {
    if (!ID_PATTERN.test(id)) return undefined;
    const dir = this.campaignDir(id);
    const meta = await readMeta(dir).catch(() => undefined);
    if (meta === undefined) return undefined;
    const mine = this.openHere.get(id);
    if (mine !== undefined) return { meta: mine.meta, totals: mine.totals(), running: true };
    const running = (await lockHolder(join(dir, 'lock'), this.lockEnv)) !== undefined;
    if (meta.totals !== undefined && !running) return { meta, totals: meta.totals, running };
    try {
      const scan = await scanJournal(join(dir, 'journal.log'));
      return { meta, totals: totalsOf(scan.latest, meta.rowCount), running };
    } catch (e) {
      const problem = e instanceof Error ? e.message : String(e);
      return { meta, totals: meta.totals ?? emptyTotals(meta.rowCount), running, problem };
    }
  }

  private async ids(): Promise<string[]> {
    try {
      const entries = await readdir(join(this.dataDir, 'campaigns'), { withFileTypes: true });
      return entries.filter((e) => e.isDirectory() && ID_PATTERN.test(e.name)).map((e) => e.name);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
  }
}

/** totalsOf counts a campaign's rows by status; rows never recorded are pending. */
export function totalsOf(rows: RowOutcomes, rowCount: number): Totals {
  const total = Math.max(rowCount, rows.size);
  const t = emptyTotals(total);
  t.inFlight = rows.count('in-flight');
  t.sent = rows.count('sent');
  t.failed = rows.count('failed');
  t.skipped = rows.count('skipped');
  t.uncertain = rows.count('uncertain');
  t.pending = total - t.inFlight - t.sent - t.failed - t.skipped - t.uncertain;
  return t;
}
