import type { CampaignPlan } from '../../../shared/campaign/phone-campaign';
import { fallbackRow, planRow, requestFor } from '../../../shared/campaign/phone-campaign';
import type { CampaignSpec, ProviderConfig } from '../../../shared/campaign/schema';
import { parseCampaign, wireKindOf } from '../../../shared/campaign/schema';
import type { Profile, Preview, ValidationReport } from '../../../shared/ipc/contract';
import type { Problem } from '../../../shared/problems';
import { InputError } from '../../../shared/problems';
import { providers } from '../../../shared/providers/index';
import type { WireRequest } from '../../../shared/providers/types';
import { compilePlan, tableSource, validatePlan } from '../campaign-runner';
import type { Dataset } from './datasets';
import type { Lookup } from './routing';
import { routeOf } from './routing';

/**
 * Turning what the renderer sends (a raw campaign object, a dataset id, a profile) into a campaign
 * plan ready to render, and the validate and preview answers built from it. Rendering and checking go
 * through the headless runner (campaign-runner.ts, phone-campaign.ts), the CLI's own code, so the
 * preview is what is sent: the message, the fallback template, the phone column and actions alike.
 */

/**
 * effectiveSpec binds a campaign to the profile it will be sent with: the profile says where
 * (provider kind and base URL); the campaign's message must be written for that provider's API.
 * A sandbox profile simulates whatever API the campaign is written for.
 */
export function effectiveSpec(spec: CampaignSpec, profile: Profile | undefined): CampaignSpec {
  if (profile === undefined) return spec;
  const wire = wireKindOf(spec.provider);
  let provider: ProviderConfig;
  if (profile.provider.kind === 'sandbox') {
    provider = { ...profile.provider, simulate: wire };
  } else if (profile.provider.kind !== wire) {
    throw new InputError([
      {
        row: 0,
        field: 'provider.kind',
        reason: `the campaign is written for the ${wire} API, but the profile "${profile.name}" is a ${profile.provider.kind} account`,
        severity: 'error',
      },
    ]);
  } else {
    provider = profile.provider;
  }
  return { ...spec, provider };
}

/** PreparedCampaign is a campaign compiled against a dataset's headers (message, phone column, fallback). */
export interface PreparedCampaign {
  spec: CampaignSpec;
  plan: CampaignPlan;
  dataset: Dataset;
}

/** prepareCampaign parses and compiles; campaign-level mistakes (bad field, unknown column) throw InputError. */
export function prepareCampaign(raw: unknown, dataset: Dataset, profile: Profile | undefined): PreparedCampaign {
  const spec = effectiveSpec(parseCampaign(raw, providers), profile);
  const plan = compilePlan(spec, dataset.table.headers);
  return { spec, plan, dataset };
}

/** CheckedCampaign is the validation report plus the rows main needs to know are invalid. */
export type CheckedCampaign = ValidationReport & { invalid: ReadonlySet<number> };

/** validate checks every row with the runner's validatePlan (the CLI's own check: numbers, duplicates, message, fallback). */
export async function validate(p: PreparedCampaign, limit = 1_000): Promise<CheckedCampaign> {
  const v = await validatePlan(p.plan, tableSource(p.dataset.table), limit);
  const report: CheckedCampaign = {
    rowCount: v.rowCount,
    sendable: v.sendable,
    invalidRows: v.invalidRows.size,
    errorCount: v.errorCount,
    warningCount: v.warningCount,
    problems: v.problems,
    truncated: v.truncated,
    usedColumns: v.usedColumns,
    invalid: v.invalidRows,
  };
  if (p.plan.phone !== undefined) report.duplicateRows = v.duplicateRows;
  return report;
}

const asWarning = (p: Problem): Problem => (p.severity === 'error' ? { ...p, reason: `if the conversation is inactive: ${p.reason}`, severity: 'warning' } : p);

/**
 * preview renders one row: its cells, recipient, the exact request (no headers, so no key) and its
 * problems. With a lookup (the conversations were read), a row routed to the fallback template shows
 * that request (`variant: 'fallback'`), and a skipped row says why; without one, a phone row shows
 * the request with `{conversation}` where the id found by number will go.
 */
export function preview(p: PreparedCampaign, row: number, baseUrl: string, lookup?: Lookup): Preview {
  const rec = p.dataset.table.records[row - 1];
  if (rec === undefined) {
    throw new InputError([{ row, field: 'row', reason: `there is no row ${row}: the CSV has ${p.dataset.table.records.length} data rows`, severity: 'error' }]);
  }
  const { plan } = p;
  const planned = planRow(plan, row, rec.fields);
  const values: Record<string, string> = {};
  p.dataset.table.headers.forEach((h, i) => (values[h] = rec.fields[i] ?? ''));
  const own = p.dataset.table.problems.find((x) => x.row === row);
  const problems = own === undefined ? [...planned.problems] : [own, ...planned.problems];
  const invalid = problems.some((x) => x.severity === 'error');
  const fallback = plan.checksActive && plan.policy === 'fallback' ? fallbackRow(plan, row, rec.fields) : undefined;

  let recipient = planned.phone ?? planned.prepared.recipient;
  let request: WireRequest = planned.prepared.request;
  let variant: Preview['variant'];
  let route: string | undefined;
  let skipped = false;
  const byPhone = plan.phone !== undefined;
  const route0 = lookup === undefined || invalid ? undefined : routeOf(lookup, plan, planned);
  if (route0 !== undefined) {
    if (route0.kind === 'skip') {
      skipped = true;
      route = `Skipped: ${route0.reason}`;
      if (route0.conversationId !== '') recipient = route0.conversationId;
      if (byPhone && route0.conversationId !== '') request = requestFor(planned.prepared, route0.conversationId, 'message', plan);
    } else {
      variant = route0.variant;
      recipient = route0.conversationId;
      if (route0.variant === 'fallback' && fallback !== undefined) {
        request = requestFor(fallback, route0.conversationId, 'fallback', plan);
        route = 'The conversation is inactive (outside the 24-hour window): this row gets the fallback template.';
        problems.push(...fallback.problems);
      } else {
        request = requestFor(planned.prepared, route0.conversationId, 'message', plan);
        const active = plan.checksActive ? 'it is active' : '';
        if (byPhone) route = `Conversation ${route0.conversationId} found for ${planned.phone ?? ''}${active === '' ? '' : `; ${active}`}.`;
        else route = 'The conversation is active.';
      }
    }
  } else if (byPhone || plan.checksActive) {
    variant = 'message';
    const parts: string[] = [];
    if (byPhone) parts.push(`The conversation with agent ${plan.spec.recipient.botId ?? ''} for ${planned.phone ?? 'this number'} is looked up when sending.`);
    if (plan.checksActive) parts.push(fallback !== undefined ? 'If it is inactive, the fallback template is sent instead.' : 'If it is inactive, the row is skipped (no fallback template).');
    route = parts.join(' ');
    if (fallback !== undefined) problems.push(...fallback.problems.map(asWarning));
  }
  const path = byPhone ? request.path.replace(encodeURIComponent('(looked up by phone)'), '{conversation}') : request.path;
  const out: Preview = {
    row,
    values,
    recipient,
    request: { method: request.method, url: baseUrl + path, body: request.body ?? null },
    problems,
  };
  if (variant !== undefined) out.variant = variant;
  if (route !== undefined) out.route = route;
  if (skipped) out.skipped = true;
  return out;
}
