// Preloaded (node --import) into a process the scale benchmark runs: when the process exits, writes
// its peak resident memory (the kernel's high-water mark) and the CPU time it used to $BENCH_PEAK_OUT
// as {"peakRssBytes": n, "cpuMs": n}. Plain JavaScript, so the command measured runs as built.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const out = process.env.BENCH_PEAK_OUT;
  if (!out) return;
  const u = process.resourceUsage();
  writeFileSync(out, JSON.stringify({ peakRssBytes: u.maxRSS * 1024, cpuMs: Math.round((u.userCPUTime + u.systemCPUTime) / 1000) }));
});
