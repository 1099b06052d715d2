import { wireKindOf } from '../../../shared/campaign/provider-config';
import type { CampaignSpec } from '../../../shared/campaign/schema';
import type { RowOutcome } from '../../../shared/engine/events';
import type { ExtraColumns } from '../report/write-report';
import type { WassistSidecar } from './sidecar';

/**
 * The delivery report of a Wassist campaign that uses phone recipients, a fallback template,
 * an action, or whose engagement has been read: the contract's columns and every input column
 * exactly as DESIGN.md has them, then Wassist's own columns at the END (so every reader of the
 * contract still finds its columns where it expects them), before the engagement columns
 * (electron/core/engagement/engagement-columns.ts):
 *   `phone`               phone campaigns: the number (E.164) the row was resolved by, the one people
 *                         know (`recipient` is the conversation id found for it)
 *   `variant`             `message` or `fallback`: which body the row was sent (blank if not attempted)
 * An input column that has one of these names keeps it; the extra column then gets ` (wassist)`.
 */

/**
 * usesWassistColumns tells whether a campaign's report and status table carry the Wassist columns
 * (phone, variant): a Wassist campaign addressed by phone, with a fallback or an inactive-conversation
 * rule, or running an action; or any Wassist campaign whose sidecar holds something (`sidecar` not
 * empty). Checking conversations alone (every free-form campaign, by default) adds nothing to show:
 * an inactive conversation's row is `skipped` with the reason. The one rule, for every front end
 * (records.ts adds: a campaign whose engagement has been read).
 */
export function usesWassistColumns(spec: CampaignSpec, sidecar?: WassistSidecar): boolean {
  if (wireKindOf(spec.provider) !== 'wassist') return false;
  if (sidecar !== undefined && !sidecar.isEmpty()) return true;
  return spec.recipient.phone !== undefined || spec.fallback !== undefined || spec.onInactive !== undefined || spec.action !== undefined;
}

/** EXTRA_COLUMNS are the columns appended after the input columns (`phone` before them, for phone campaigns). */
export const EXTRA_COLUMNS = ['variant'] as const;

/** wassistReportHeader is the full header: the contract's with the input columns (`base`), then the extras. */
export function wassistReportHeader(base: readonly string[], withPhone = false): string[] {
  const taken = new Set(base);
  const extras = [...(withPhone ? ['phone'] : []), ...EXTRA_COLUMNS].map((name) => {
    let n: string = name;
    while (taken.has(n)) n = `${n} (wassist)`;
    taken.add(n);
    return n;
  });
  return [...base, ...extras];
}

/** extraCells are one row's appended cells, raw: the report writer applies each format's cell rule. */
export function extraCells(row: number, outcome: RowOutcome | undefined, sidecar: WassistSidecar, withPhone = false): string[] {
  const attempted = outcome !== undefined && outcome.attempts > 0;
  const variant = attempted ? (sidecar.variants.get(row) ?? 'message') : (sidecar.variants.get(row) ?? '');
  return [...(withPhone ? [sidecar.phones.get(row) ?? ''] : []), variant];
}

/** wassistColumns are the Wassist extras as report columns (`phone` when the campaign resolved numbers). */
export function wassistColumns(sidecar: WassistSidecar): ExtraColumns {
  const withPhone = sidecar.phones.size > 0;
  return { header: (base) => wassistReportHeader(base, withPhone), cells: (row, outcome) => extraCells(row, outcome, sidecar, withPhone) };
}
