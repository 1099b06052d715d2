import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** filesUnder lists every file below `dir`. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** textUnder is every file below `dir` as text, joined: where a test looks for a secret that must not be written. */
export function textUnder(dir: string): string {
  return filesUnder(dir)
    .map((p) => readFileSync(p, 'utf8'))
    .join('\n');
}
