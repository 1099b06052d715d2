import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { textUnder } from '../helpers/files';
import Papa from 'papaparse';

/** The real `campaign` command: the launcher that runs the built CLI (dist-cli/campaign.mjs). */
const bin = join(import.meta.dirname, '..', '..', 'bin', 'campaign.js');

/** A temp workspace for one CLI test: files on a real disk, its own state dir. */
export interface Workspace {
  dir: string;
  stateDir: string;
  file(name: string, content: string | object): Promise<string>;
  /** Runs `campaign <args> --state <stateDir>` in a child process whose whole environment is `env`. */
  run(args: string[], env?: Record<string, string>): Promise<CliRun>;
  /** Every file the program wrote under the workspace, as text. */
  writtenText(): Promise<string>;
  cleanup(): Promise<void>;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function workspace(): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), 'campaign-cli-'));
  const stateDir = join(dir, 'state');
  return {
    dir,
    stateDir,
    async file(name, content) {
      const path = join(dir, name);
      await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
      return path;
    },
    run: (args, env = {}) => runCampaign([...args, '--state', stateDir], dir, env),
    writtenText: async () => textUnder(dir),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** runCampaign runs the built CLI to its end and collects what it printed; a process killed by a signal is an error. */
export function runCampaign(args: string[], cwd: string, env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === null) reject(new Error(`campaign ${args[0] ?? ''} was killed by ${signal ?? 'a signal'}\n${stderr}`));
      else resolve({ code, stdout, stderr });
    });
  });
}

/** readReport parses a delivery report into header + rows of objects. */
export async function readReport(path: string): Promise<{ header: string[]; rows: Record<string, string>[] }> {
  const text = await readFile(path, 'utf8');
  const parsed = Papa.parse<string[]>(text.trimEnd(), { newline: '\r\n' });
  const [header = [], ...rows] = parsed.data;
  return { header, rows: rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? '']))) };
}

/** csv builds CSV text from a header and rows (CRLF, quoted as needed). */
export function csv(header: string[], rows: string[][]): string {
  return Papa.unparse([header, ...rows], { newline: '\r\n' });
}
