import type { z } from 'zod';
import type { Problem } from '../problems';

/**
 * What zod finds wrong with a campaign file, as the problems a person reads: each names the field
 * the way the rest of our problems do (`retry.attempts`, `message.buttons[2].text`).
 */

/** zodPath renders a zod issue path the way our problems name fields: `a.b[2].c`. */
export function zodPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out === '' ? '(file)' : out;
}

/** zodProblems turns a zod error into campaign-level problems that name the field. */
export function zodProblems(error: z.ZodError, prefix = ''): Problem[] {
  return error.issues.map((issue) => {
    let reason = issue.message;
    if (issue.code === 'unrecognized_keys') {
      reason = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    }
    return { row: 0, field: zodPath(prefix, issue.path), reason, severity: 'error' as const };
  });
}
