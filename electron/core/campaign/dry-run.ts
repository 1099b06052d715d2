import type { RowOutcome } from '../../../shared/engine/events';
import { combineColumns, reportFormatOf, writeReport } from '../report/write-report';
import { WassistSidecar } from '../wassist/sidecar';
import { optOutColumn } from '../report/opt-out-column';
import { usesWassistColumns, wassistColumns } from '../wassist/wassist-report';
import type { Campaign } from './campaign';
import type { Lookup } from './recipients';

/**
 * A dry run: what a start would send, worked out the way a start works it out (the lookup's routes,
 * or, for a campaign that needs no lookup, its rows routed offline through the opt-out list and the
 * frequency cap), with nothing sent.
 */

/** DryRun is what a start would do: how many messages go out, and how many take the fallback template. */
export interface DryRun {
  messages: number;
  fallbackRows: number;
}

/**
 * dryRun works out what a start would send (skips with their reasons, which rows take the
 * fallback) and sends nothing; with `reportPath` it writes the report a run would start from.
 */
export async function dryRun(campaign: Campaign, lookup: Lookup | undefined, reportPath?: string): Promise<DryRun> {
  const routed = lookup ?? (campaign.needsLookup ? undefined : await campaign.routeOffline());
  const checked = routed?.validation ?? (await campaign.validate());
  const skips = new Map<number, string>();
  for (const s of routed?.routes.skips ?? []) skips.set(s.row, s.reason);
  const fallbackRows = routed?.fallbackRows ?? new Set<number>();
  const messages = routed === undefined ? checked.sendable : routed.routes.message + routed.routes.fallback;
  if (reportPath !== undefined) {
    const outcome = (row: number): RowOutcome | undefined => {
      if (checked.invalidRows.has(row)) return { row, status: 'skipped', recipient: '', attempts: 0, error: 'invalid row' };
      const reason = skips.get(row);
      return reason === undefined ? undefined : { row, status: 'skipped', recipient: '', attempts: 0, error: reason };
    };
    let sidecar: WassistSidecar | undefined;
    if (usesWassistColumns(campaign.spec)) {
      sidecar = WassistSidecar.inMemory();
      for (const row of fallbackRows) sidecar.variants.set(row, 'fallback');
      for (const [row, phone] of routed?.phones ?? []) sidecar.phones.set(row, phone);
    }
    const overridden = campaign.spec.audience?.ignoreOptOuts !== undefined;
    const contacts = campaign.contacts;
    await writeReport(reportPath, {
      format: reportFormatOf(reportPath),
      delimiter: contacts.delimiter,
      headers: contacts.headers,
      records: contacts.records(),
      outcomeOf: outcome,
      extra: combineColumns([sidecar === undefined ? undefined : wassistColumns(sidecar), overridden ? optOutColumn(routed?.routes.notes ?? new Map()) : undefined]),
      campaign: { name: campaign.spec.name ?? contacts.name, contactsFile: contacts.name, provider: campaign.spec.provider.kind },
    });
  }
  return { messages, fallbackRows: fallbackRows.size };
}
