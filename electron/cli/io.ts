import { readFile } from 'node:fs/promises';
import type { CampaignSpec } from '../../shared/campaign/schema';
import { parseCampaignText } from '../../shared/campaign/schema';
import type { Problem } from '../../shared/problems';
import { formatProblem, InputError } from '../../shared/problems';
import { providers } from '../../shared/providers';

/** CliIo is what the CLI reads and writes: injected so tests run it in process. */
export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  /** Registers a Ctrl-C handler; returns its removal. Defaults to process SIGINT. */
  onInterrupt?: (handler: () => void) => () => void;
}

/** loadSpecFile reads and parses a campaign file; every problem names the file's field. */
export async function loadSpecFile(path: string): Promise<CampaignSpec> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? 'cannot be read');
    throw new InputError([{ row: 0, field: '--spec', reason: `cannot read campaign file ${path}: ${why}`, severity: 'error' }]);
  }
  try {
    return parseCampaignText(text, providers);
  } catch (e) {
    if (e instanceof InputError) {
      throw new InputError(e.problems.map((p) => ({ ...p, field: `${path}: ${p.field}` })));
    }
    throw e;
  }
}

/** printProblems writes problems to stderr, errors first, one a line. */
export function printProblems(io: CliIo, problems: readonly Problem[]): void {
  const errors = problems.filter((p) => p.severity === 'error');
  const warnings = problems.filter((p) => p.severity === 'warning');
  for (const p of [...errors, ...warnings]) io.stderr.write(`${formatProblem(p)}\n`);
}

/** plural writes "1 row" / "2 rows". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
