import type { Problem } from '../../../shared/problems';
import { formatProblem } from '../../../shared/problems';

/**
 * problemLines words the problems a failed call carries (an input mistake, row by row), at most
 * `limit`. The error comes from the preload's world, so it is read by its shape, not its class.
 */
export function problemLines(e: unknown, limit = 20): string[] {
  const problems = e instanceof Error ? (e as Error & { problems?: unknown }).problems : undefined;
  return Array.isArray(problems) ? (problems as Problem[]).slice(0, limit).map(formatProblem) : [];
}
