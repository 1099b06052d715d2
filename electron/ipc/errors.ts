import type { IpcResult } from '../../shared/ipc/contract';
import { InputError, formatProblem } from '../../shared/problems';
import { UserError } from '../../shared/ipc/user-error';
import type { Logger } from './log';

/** How many problems one answer carries at most; the count in the message is always exact. */
export const MAX_PROBLEMS = 1_000;
const LINES_IN_MESSAGE = 5;

/** GENERIC_MESSAGE is what the renderer sees for an error that is not the user's: no detail, no stack. */
export const GENERIC_MESSAGE = 'Something went wrong in the app. The details are in the log.';

/**
 * toIpcError turns anything a backend threw into an answer a person can read:
 * an InputError keeps its problems (row, field, reason) and a short summary; a UserError keeps its
 * message; anything else becomes a generic message, and the details go to the (redacted) main log,
 * never to the renderer.
 */
export function toIpcError(error: unknown, channel: string, log: Logger): IpcResult<never> {
  if (error instanceof InputError) {
    const problems = error.problems.slice(0, MAX_PROBLEMS);
    const lines = error.problems.slice(0, LINES_IN_MESSAGE).map(formatProblem);
    const more = error.problems.length - lines.length;
    if (more > 0) lines.push(`…and ${more} more`);
    const message = lines.length > 0 ? lines.join('\n') : 'The input is not valid.';
    return { ok: false, error: { message, problems } };
  }
  if (error instanceof UserError) return { ok: false, error: { message: error.message } };
  log.error(`${channel} failed`, error);
  return { ok: false, error: { message: GENERIC_MESSAGE } };
}
