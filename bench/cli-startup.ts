import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * CLI start-up: how long `campaign validate` of the 20-row sample takes from spawn to exit, against
 * a bare `node -e 0` (the floor no CLI can go under), and against the same command run from the
 * TypeScript sources through tsx (how bin/campaign.js started before the CLI was bundled). The
 * commands take turns (A B C A B C ...), so a machine that slows down mid-run slows all of them.
 */

const root = join(import.meta.dirname, '..');
const sample = (name: string) => join(root, 'resources', name);
const validate = ['validate', sample('sample-contacts.csv'), '--spec', sample('sample-sandbox.campaign.json')];

/** The commands compared, each as arguments to this Node. */
export const startupCommands = {
  node: ['-e', '0'],
  bundled: [join(root, 'bin', 'campaign.js'), ...validate],
  tsx: ['--import', 'tsx', join(root, 'bin', 'campaign-cli.ts'), ...validate],
};

type CommandName = keyof typeof startupCommands;

/** StartupTimes: each command's wall times in seconds, one per run. */
export type StartupTimes = Record<CommandName, number[]>;

/** timeOnce starts one command and resolves with its wall time in seconds; it must exit 0. */
function timeOnce(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      if (code === 0) resolve(seconds);
      else reject(new Error(`node ${args.join(' ')} exited with ${code}: ${stderr}`));
    });
  });
}

/** timeStartups runs every command once to warm up (and build the CLI if it is stale), then `runs` times in turn. */
export async function timeStartups(runs: number): Promise<StartupTimes> {
  const names = Object.keys(startupCommands) as CommandName[];
  for (const name of names) await timeOnce(startupCommands[name]);
  const times: StartupTimes = { node: [], bundled: [], tsx: [] };
  for (let i = 0; i < runs; i++) {
    for (const name of names) times[name].push(await timeOnce(startupCommands[name]));
  }
  return times;
}

/** median of a non-empty list. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
