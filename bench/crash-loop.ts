/**
 * Long kill -9 loops for the figures: `node --import tsx bench/crash-loop.ts [kills] [rows]`.
 * For each provider: the real CLI against the mock API, killed at random moments (SIGKILL) and
 * re-run until done; prints kills, duplicates, losses and uncertain rows.
 */
import { startWorld } from '../test/crash/crash-harness';
import { killLoop } from '../test/crash/kill-loop';

const kills = Number(process.argv[2] ?? 15);
const rows = Number(process.argv[3] ?? 600);

for (const kind of ['wassist', 'pingback', 'generic'] as const) {
  const world = await startWorld({
    kind,
    rows,
    throttle: { concurrency: 4, perSecond: 150 },
    mock: { faults: () => ({ latencyMs: 5 + Math.floor(Math.random() * 25) }) },
  });
  try {
    const r = await killLoop(world, { maxKills: kills, budgetMs: 60_000, maxDelayMs: 600, seed: 1234 });
    const j = r.judgement;
    console.log(
      `${kind.padEnd(8)} rows ${rows} · kills ${r.kills} · runs ${r.runs} · duplicates ${j.duplicates.length} · losses ${j.losses.length} · ` +
        `uncertain ${j.uncertain.length} · mismatches ${j.mismatches.length} · exit ${String(r.finalCode)} · ${(r.ms / 1000).toFixed(1)} s`,
    );
  } finally {
    await world.close();
  }
}
