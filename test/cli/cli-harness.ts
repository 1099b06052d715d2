import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { textUnder } from '../helpers/files';
import Papa from 'papaparse';
import { main } from '../../electron/cli/main';

/** A temp workspace for one CLI test: files on a real disk, its own state dir. */
export interface Workspace {
  dir: string;
  stateDir: string;
  file(name: string, content: string | object): Promise<string>;
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
    async run(args, env = {}) {
      let stdout = '';
      let stderr = '';
      const code = await main([...args, '--state', stateDir], {
        env,
        stdout: { write: (t: string) => (stdout += t) },
        stderr: { write: (t: string) => (stderr += t), isTTY: false },
        onInterrupt: () => () => undefined,
      });
      return { code, stdout, stderr };
    },
    writtenText: async () => textUnder(dir),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
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
