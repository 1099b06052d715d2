import { afterEach, describe, expect, it } from 'vitest';
import type { CrashWorld } from './crash-harness';
import { startWorld } from './crash-harness';
import { killLoop } from './kill-loop';

/**
 * Random `kill -9` loops on the real CLI against the mock API: the same command is killed at
 * random moments and re-run until it finishes. Bounded in kills and time; longer loops:
 * `node --import tsx bench/crash-loop.ts`. The seed is fixed so a failure can be replayed.
 */

let world: CrashWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const latency = { faults: () => ({ latencyMs: 5 + Math.floor(Math.random() * 25) }) };

describe('kill -9 loops', () => {
  it('Wassist (with reconciliation): 0 duplicates, 0 losses, 0 uncertain, report equal to the truth', async () => {
    const w = (world = await startWorld({ kind: 'wassist', rows: 300, throttle: { concurrency: 4, perSecond: 150 }, mock: latency }));
    const r = await killLoop(w, { maxKills: 6, budgetMs: 15_000, maxDelayMs: 500, seed: 7 });
    console.info(`wassist kill loop: ${r.kills} kills, ${r.runs} runs, ${r.ms} ms`);
    expect(r.kills).toBeGreaterThanOrEqual(3);
    expect(r.judgement.duplicates).toEqual([]);
    expect(r.judgement.losses).toEqual([]);
    expect(r.judgement.mismatches).toEqual([]);
    expect(r.judgement.statuses).toEqual({ sent: 300 });
    expect(r.finalCode).toBe(0);
  }, 40_000);

  it('Pingback (no read API): 0 duplicates, 0 losses; rows in doubt are uncertain and listed', async () => {
    const w = (world = await startWorld({ kind: 'pingback', rows: 150, throttle: { concurrency: 4, perSecond: 150 }, mock: latency }));
    const r = await killLoop(w, { maxKills: 4, budgetMs: 10_000, maxDelayMs: 500, seed: 11 });
    console.info(`pingback kill loop: ${r.kills} kills, ${r.runs} runs, uncertain ${r.judgement.uncertain.length}, ${r.ms} ms`);
    expect(r.kills).toBeGreaterThanOrEqual(2);
    expect(r.judgement.duplicates).toEqual([]);
    expect(r.judgement.losses).toEqual([]);
    expect(r.judgement.mismatches).toEqual([]);
    expect(r.judgement.uncertain.length).toBeLessThanOrEqual(4 * r.kills); // at most the rows in flight at each kill
    expect(r.finalCode).toBe(r.judgement.uncertain.length > 0 ? 1 : 0);
  }, 40_000);
});
