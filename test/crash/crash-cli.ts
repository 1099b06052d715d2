/**
 * The crash-test entry: the real CLI (electron/cli/main.ts) with a crash hook installed from the
 * environment. This is the only place CAMPAIGN_CRASH_AT is read, so the shipped `campaign`
 * command cannot be crashed by its environment.
 *
 * CAMPAIGN_CRASH_AT=<point>[:<detail>]:<n> kills the process with SIGKILL (no cleanup, no exit
 * handlers: as close to pulling the plug as a test can get without the OS) at the n-th time it
 * reaches crash point <point> (electron/core/state/crash-points.ts), counting only hits whose
 * detail equals <detail> when one is given. Examples: `request-answered:3`,
 * `journal-appended:5`, `atomic-write:report.csv:1`.
 */
import { main } from '../../electron/cli/main';
import type { CrashPointName } from '../../electron/core/state/crash-points';
import { setCrashHook } from '../../electron/core/state/crash-points';

const at = process.env.CAMPAIGN_CRASH_AT;
if (at !== undefined && at !== '') {
  const parts = at.split(':');
  const n = Number(parts.pop());
  const point = parts.shift() as CrashPointName;
  const detail = parts.length > 0 ? parts.join(':') : undefined;
  let hits = 0;
  setCrashHook((p, d) => {
    if (p !== point || (detail !== undefined && d !== detail)) return;
    hits++;
    if (hits === n) process.kill(process.pid, 'SIGKILL');
  });
}

process.exitCode = await main(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr });
