import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CrashWorld } from './crash-harness';
import { startWorld } from './crash-harness';

/**
 * The journal is compacted when a run ends (one record a row, then the rows' snapshot), each file
 * written to a temp file and renamed in. The real CLI is killed (SIGKILL) just before either rename:
 * the old journal (or the new one with an old snapshot) must still say exactly what was sent, so the
 * same command run again sends nothing, reports the truth, and finishes the compaction.
 */

let world: CrashWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** campaignDir is the folder of the world's one campaign. */
async function campaignDir(w: CrashWorld): Promise<string> {
  const campaigns = join(w.dir, 'state', 'campaigns');
  const [id] = await readdir(campaigns);
  return join(campaigns, id as string);
}

async function journalLines(w: CrashWorld): Promise<number> {
  const text = await readFile(join(await campaignDir(w), 'journal.log'), 'utf8');
  return text.split('\n').filter((l) => l !== '').length;
}

describe('crash while the journal is compacted at the end of a run', () => {
  for (const file of ['journal.log', 'journal.snapshot']) {
    it(`killed before ${file} is renamed in: the re-run sends nothing, reports every row sent, and compacts`, async () => {
      const w = (world = await startWorld({ kind: 'wassist', rows: 12, throttle: { concurrency: 2, perSecond: 200 } }));
      const crashed = await w.run(w.sendArgs(), `atomic-write:${file}:1`);
      expect(crashed.signal).toBe('SIGKILL');
      expect(w.mock.state.counters.delivered).toBe(12);
      expect(await journalLines(w)).toBe(file === 'journal.log' ? 24 : 12); // the old log, or the new one
      const requests = w.mock.requests.length;

      const again = await w.run(w.sendArgs());
      expect(again.code).toBe(0);
      expect(w.mock.requests.length).toBe(requests); // nothing sent or read again
      const j = await w.judge();
      expect(j.duplicates).toEqual([]);
      expect(j.losses).toEqual([]);
      expect(j.mismatches).toEqual([]);
      expect(j.statuses).toEqual({ sent: 12 });
      expect(await journalLines(w)).toBe(12);
      expect((await readdir(await campaignDir(w))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    });
  }
});
