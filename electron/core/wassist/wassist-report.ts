import { checksConversations } from '../../../shared/campaign/plan';
import type { CampaignSpec } from '../../../shared/campaign/schema';
import { wireKindOf } from '../../../shared/campaign/schema';
import type { RowOutcome } from '../../../shared/engine/events';
import type { ExtraColumns } from '../report/write-report';
import type { WassistSidecar } from './sidecar';

/**
 * The delivery report of a Wassist campaign that uses phone recipients, a fallback template,
 * an action, or whose engagement has been read: the contract's columns and every input column
 * exactly as DESIGN.md has them, then Wassist's own column at the END (so every reader of the
 * contract still finds its columns where it expects them), before the engagement columns
 * (electron/core/engagement/engagement-columns.ts):
 *   `variant`             `message` or `fallback`: which body the row was sent (blank if not attempted)
 * An input column that has this name keeps it; the extra column then gets ` (wassist)`.
 */

/**
 * usesWassistColumns tells whether a campaign's report and status table carry the Wassist columns:
 * a Wassist campaign addressed by phone, with a fallback or an inactive-conversation rule, checking
 * conversations, or running an action; or any Wassist campaign whose sidecar holds something
 * (`sidecar` not empty). The one rule, for every front end (records.ts adds: engagement read).
 */
export function usesWassistColumns(spec: CampaignSpec, sidecar?: WassistSidecar): boolean {
  if (wireKindOf(spec.provider) !== 'wassist') return false;
  if (sidecar !== undefined && !sidecar.isEmpty()) return true;
  return spec.recipient.phone !== undefined || spec.fallback !== undefined || spec.onInactive !== undefined || spec.action !== undefined || checksConversations(spec);
}

/** EXTRA_COLUMNS are the columns appended after the input columns. */
export const EXTRA_COLUMNS = ['variant'] as const;

/** wassistReportHeader is the full header: the contract's with the input columns (`base`), then the extras. */
export function wassistReportHeader(base: readonly string[]): string[] {
  const taken = new Set(base);
  const extras = EXTRA_COLUMNS.map((name) => {
    let n: string = name;
    while (taken.has(n)) n = `${n} (wassist)`;
    taken.add(n);
    return n;
  });
  return [...base, ...extras];
}

/** extraCells are one row's appended cells, raw: the report writer applies each format's cell rule. */
export function extraCells(row: number, outcome: RowOutcome | undefined, sidecar: WassistSidecar): string[] {
  const attempted = outcome !== undefined && outcome.attempts > 0;
  const variant = attempted ? (sidecar.variants.get(row) ?? 'message') : (sidecar.variants.get(row) ?? '');
  return [variant];
}

/** wassistColumns are the Wassist extras as report columns. */
export function wassistColumns(sidecar: WassistSidecar): ExtraColumns {
  return { header: wassistReportHeader, cells: (row, outcome) => extraCells(row, outcome, sidecar) };
}
