// Preloaded (node --import) into a process the scale benchmark runs: when the process exits, writes
// its peak resident memory (the kernel's high-water mark) to $BENCH_PEAK_OUT as {"peakRssBytes": n}.
// Plain JavaScript, so the command measured runs exactly as shipped (bin/campaign.js and its bundle).
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const out = process.env.BENCH_PEAK_OUT;
  if (out) writeFileSync(out, JSON.stringify({ peakRssBytes: process.resourceUsage().maxRSS * 1024 }));
});
