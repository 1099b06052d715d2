import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ContactsFile } from '../electron/core/campaign/contacts';
import { Workspace } from '../electron/core/workspace/workspace';
import { conversationKey } from '../shared/campaign/recipient-keys';
import type { KeyedValue } from '../electron/core/workspace/opt-out-list';

/**
 * The opt-out check at scale (issue 11): validating a 1,000,000-row campaign against a list of
 * 1,000,000 entries, side by side with the same validation without the list. One entry in a
 * hundred is a recipient of the campaign (so 1 % of its rows are skipped); the others are not.
 */

/** OptOutFigures are the bench's measurements (ms), best of `rounds`. */
export interface OptOutFigures {
  entries: number;
  fillMs: number | undefined;
  baselineMs: number;
  checkedMs: number;
  /** The same runs' CPU time (user + system), best of `rounds`: steadier than wall time on a busy machine. */
  baselineCpuMs: number;
  checkedCpuMs: number;
  rows: number;
  optedOut: number;
  rounds: number;
  /**
   * The median over rounds of each round's checked / baseline (wall and CPU): a round's two runs
   * follow each other, so a slow spell of the machine slows both, where the best of each may come
   * from different spells.
   */
  pairedRatio: number;
  pairedCpuRatio: number;
}

/** median of a non-empty list. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** fillList puts `n` conversation ids on a fresh list: every 100th is row i's (see makeCsvFile), the rest match no row. */
async function fillList(dir: string, csv: string, n: number): Promise<number> {
  const ws = Workspace.open(dir, Date.now);
  const started = performance.now();
  try {
    const contacts = await ContactsFile.open({ path: csv });
    const ids: string[] = [];
    for await (const batch of contacts.batches()) for (const r of batch) if (r.row % 100 === 0) ids.push(r.fields[0] ?? '');
    await contacts.close();
    const staged = ws.optOuts.stage();
    let batch: KeyedValue[] = [];
    for (let i = 0; i < n; i++) {
      const value = i < ids.length ? (ids[i] as string) : `elsewhere-${i.toString(36)}-${(i * 2654435761) % 4294967296}`;
      batch.push({ key: conversationKey(value), kind: 'conversation', value });
      if (batch.length === 10_000) {
        staged.add(batch);
        batch = [];
      }
    }
    staged.add(batch);
    staged.commit({ source: 'imported', origin: 'bench' });
    return performance.now() - started;
  } finally {
    ws.close();
  }
}

/** measure validates in a fresh process (opt-out-child.ts), so each figure has its own start, cache and heap. */
async function measure(mode: 'bare' | 'checked', csv: string, dir: string): Promise<{ ms: number; cpuMs: number; rows: number; optedOut: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'opt-out-child.ts'), mode, csv, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  if (code !== 0) throw new Error(`opt-out ${mode} exited with ${code}`);
  return JSON.parse(out) as { ms: number; cpuMs: number; rows: number; optedOut: number };
}

/** benchOptOutCheck measures validation with and without the list, alternating fresh processes, best of `rounds` each. */
export async function benchOptOutCheck(dataDir: string, csv: string, entries: number, rounds = 15): Promise<OptOutFigures> {
  const dir = join(dataDir, `optout-${entries}`);
  let fillMs: number | undefined;
  const ready = existsSync(join(dir, 'workspace.db')) && (() => {
    const ws = Workspace.open(dir, Date.now);
    try {
      return ws.optOuts.count() === entries;
    } finally {
      ws.close();
    }
  })();
  if (!ready) {
    await rm(dir, { recursive: true, force: true });
    fillMs = await fillList(dir, csv, entries);
  }
  let baselineMs = Infinity;
  let checkedMs = Infinity;
  let baselineCpuMs = Infinity;
  let checkedCpuMs = Infinity;
  let rows = 0;
  let optedOut = 0;
  const ratios: number[] = [];
  const cpuRatios: number[] = [];
  for (let i = 0; i < rounds; i++) {
    // The order alternates too, so neither mode always runs right after the other.
    const first = await measure(i % 2 === 0 ? 'bare' : 'checked', csv, dir);
    const second = await measure(i % 2 === 0 ? 'checked' : 'bare', csv, dir);
    const [b, c] = i % 2 === 0 ? [first, second] : [second, first];
    ratios.push(c.ms / b.ms);
    cpuRatios.push(c.cpuMs / b.cpuMs);
    baselineMs = Math.min(baselineMs, b.ms);
    checkedMs = Math.min(checkedMs, c.ms);
    baselineCpuMs = Math.min(baselineCpuMs, b.cpuMs);
    checkedCpuMs = Math.min(checkedCpuMs, c.cpuMs);
    rows = c.rows;
    optedOut = c.optedOut;
  }
  return { entries, fillMs, baselineMs, checkedMs, baselineCpuMs, checkedCpuMs, rows, optedOut, rounds, pairedRatio: median(ratios), pairedCpuRatio: median(cpuRatios) };
}
