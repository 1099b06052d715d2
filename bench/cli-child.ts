import { writeFileSync } from 'node:fs';
import { main } from '../electron/cli/main';

/**
 * The `campaign` CLI in a process of its own, for the scale benchmark: runs `main` with the given
 * arguments (stderr's progress dropped) and writes its exit code and peak RSS to $BENCH_OUT as JSON.
 */
const code = await main(process.argv.slice(2), {
  env: process.env,
  stdout: { write: () => true },
  stderr: { write: (t: string) => (process.env.BENCH_VERBOSE ? process.stderr.write(t) : true) },
  onInterrupt: () => () => undefined,
});
writeFileSync(process.env.BENCH_OUT as string, JSON.stringify({ code, peakRssBytes: process.resourceUsage().maxRSS * 1024 }));
process.exit(0);
