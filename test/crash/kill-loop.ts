import type { CrashWorld, Judgement } from './crash-harness';

/** KillLoopOptions: how many kills at most, within how long, and the seed of the kill times. */
export interface KillLoopOptions {
  maxKills: number;
  /** Stop killing after this long (ms) and let the last run finish. */
  budgetMs: number;
  /** Kill within 0..maxDelayMs after the run starts sending. */
  maxDelayMs: number;
  seed: number;
}

/** KillLoopResult is what the loop did and what the judge found. */
export interface KillLoopResult {
  kills: number;
  runs: number;
  /** Exit code of the final, unkilled run. */
  finalCode: number | null;
  judgement: Judgement;
  ms: number;
}

/** lcg is a small seeded random generator, so a failing loop can be replayed with its seed. */
function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * killLoop runs the same `campaign send` again and again, killing it with SIGKILL at a random
 * moment once it has started sending (after the "Campaign"/"Resuming" line), until it finishes on
 * its own or the kill budget is spent; then runs it once more to the end and judges the result.
 */
export async function killLoop(world: CrashWorld, o: KillLoopOptions): Promise<KillLoopResult> {
  const random = lcg(o.seed);
  const started = Date.now();
  let kills = 0;
  let runs = 0;
  for (;;) {
    runs++;
    const run = world.spawn(world.sendArgs());
    const killing = kills < o.maxKills && Date.now() - started < o.budgetMs;
    let timer: NodeJS.Timeout | undefined;
    let poll: NodeJS.Timeout | undefined;
    if (killing) {
      const delay = Math.floor(random() * o.maxDelayMs);
      poll = setInterval(() => {
        if (!/Campaign |Resuming campaign/.test(run.output())) return;
        clearInterval(poll);
        timer = setTimeout(() => run.child.kill('SIGKILL'), delay);
      }, 5);
    }
    const end = await run.done;
    clearInterval(poll);
    clearTimeout(timer);
    if (end.signal === 'SIGKILL') {
      kills++;
      continue;
    }
    if (end.code !== 0 && end.code !== 1) throw new Error(`run ${runs} ended with code ${String(end.code)}:\n${end.stderr}`);
    return { kills, runs, finalCode: end.code, judgement: await world.judge(), ms: Date.now() - started };
  }
}
