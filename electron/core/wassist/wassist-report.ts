import { checksConversations } from '../../../shared/campaign/plan';
import type { CampaignSpec } from '../../../shared/campaign/schema';
import { wireKindOf } from '../../../shared/campaign/schema';
import type { RowOutcome } from '../../../shared/engine/events';
import { neutralizeCell } from '../../../shared/report/delivery-report';
import type { ExtraColumns, ReportRecord } from '../report-writer';
import { writeReportFile } from '../report-writer';
import type { WassistSidecar } from './sidecar';

/**
 * The delivery report of a Wassist campaign that uses phone recipients, a fallback template,
 * an action, or has delivery statuses: the contract's columns and every input column exactly as
 * DESIGN.md has them, then three more columns at the END (so every reader of the contract still
 * finds its columns where it expects them):
 *   `variant`             `message` or `fallback`: which body the row was sent (blank if not attempted)
 *   `delivery_status`     sent · delivered · read · failed, as Wassist last reported it
 *   `delivery_status_at`  when that status was first seen (ISO 8601; Wassist gives no time per status)
 * An input column that has one of these names keeps it; the extra column then gets ` (wassist)`.
 */

/**
 * usesWassistColumns tells whether a campaign's report and status table carry the Wassist columns
 * (variant, delivery status): a Wassist campaign addressed by phone, with a fallback or an
 * inactive-conversation rule, checking conversations, or running an action; or any Wassist campaign
 * whose delivery status has been read (`sidecar` not empty). The one rule, for every front end.
 */
export function usesWassistColumns(spec: CampaignSpec, sidecar?: WassistSidecar): boolean {
  if (wireKindOf(spec.provider) !== 'wassist') return false;
  if (sidecar !== undefined && !sidecar.isEmpty()) return true;
  return spec.recipient.phone !== undefined || spec.fallback !== undefined || spec.onInactive !== undefined || spec.action !== undefined || checksConversations(spec);
}

/** EXTRA_COLUMNS are the columns appended after the input columns. */
export const EXTRA_COLUMNS = ['variant', 'delivery_status', 'delivery_status_at'] as const;

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

/** extraCells are one row's appended cells. */
export function extraCells(row: number, outcome: RowOutcome | undefined, sidecar: WassistSidecar): string[] {
  const attempted = outcome !== undefined && outcome.attempts > 0;
  const variant = attempted ? (sidecar.variants.get(row) ?? 'message') : (sidecar.variants.get(row) ?? '');
  const d = outcome?.status === 'sent' ? sidecar.delivery.get(row) : undefined;
  return [variant, d?.status ?? '', d?.at ?? ''].map(neutralizeCell);
}

/** wassistColumns are the Wassist extras as report columns. */
export function wassistColumns(sidecar: WassistSidecar): ExtraColumns {
  return { header: wassistReportHeader, cells: (row, outcome) => extraCells(row, outcome, sidecar) };
}

/**
 * writeCampaignReport writes the report atomically: with the extra columns when `sidecar` is given,
 * exactly the contract's report otherwise.
 */
export async function writeCampaignReport(
  path: string,
  headers: readonly string[],
  records: Iterable<ReportRecord> | AsyncIterable<ReportRecord>,
  outcomeOf: (row: number) => RowOutcome | undefined,
  sidecar: WassistSidecar | undefined,
): Promise<void> {
  await writeReportFile(path, headers, records, outcomeOf, sidecar === undefined ? undefined : wassistColumns(sidecar));
}
