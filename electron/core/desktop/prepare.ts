import type { CompiledCampaign } from '../../../shared/campaign/render';
import { prepareRow } from '../../../shared/campaign/prepare';
import type { CampaignSpec, ProviderConfig } from '../../../shared/campaign/schema';
import { parseCampaign, wireKindOf } from '../../../shared/campaign/schema';
import type { Profile, Preview, ValidationReport } from '../../../shared/ipc/contract';
import { InputError } from '../../../shared/problems';
import { providers } from '../../../shared/providers/index';
import { compile, tableSource, validateRows } from '../campaign-runner';
import type { Dataset } from './datasets';

/**
 * Turning what the renderer sends (a raw campaign object, a dataset id, a profile) into a campaign
 * ready to render, and the validate and preview answers built from it. Rendering and checking go
 * through the headless runner (campaign-runner.ts), the CLI's own code, so the preview is what is sent.
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

/** PreparedCampaign is a campaign compiled against a dataset's headers. */
export interface PreparedCampaign {
  spec: CampaignSpec;
  compiled: CompiledCampaign;
  dataset: Dataset;
}

/** prepareCampaign parses and compiles; campaign-level mistakes (bad field, unknown column) throw InputError. */
export function prepareCampaign(raw: unknown, dataset: Dataset, profile: Profile | undefined): PreparedCampaign {
  const spec = effectiveSpec(parseCampaign(raw, providers), profile);
  const compiled = compile(spec, dataset.table.headers);
  return { spec, compiled, dataset };
}

/** validate checks every row with the runner's validateRows (the CLI's own check) and summarises. */
export async function validate(p: PreparedCampaign, limit = 1_000): Promise<ValidationReport & { invalid: ReadonlySet<number> }> {
  const v = await validateRows(p.compiled, tableSource(p.dataset.table), limit);
  return {
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
}

/** preview renders one row: its cells, recipient, the exact request (no headers, so no key) and its problems. */
export function preview(p: PreparedCampaign, row: number, baseUrl: string): Preview {
  const rec = p.dataset.table.records[row - 1];
  if (rec === undefined) {
    throw new InputError([{ row, field: 'row', reason: `there is no row ${row}: the CSV has ${p.dataset.table.records.length} data rows`, severity: 'error' }]);
  }
  const prepared = prepareRow(p.compiled, row, rec.fields);
  const values: Record<string, string> = {};
  p.dataset.table.headers.forEach((h, i) => (values[h] = rec.fields[i] ?? ''));
  const own = p.dataset.table.problems.find((x) => x.row === row);
  return {
    row,
    values,
    recipient: prepared.recipient,
    request: { method: prepared.request.method, url: baseUrl + prepared.request.path, body: prepared.request.body ?? null },
    problems: own === undefined ? prepared.problems : [own, ...prepared.problems],
  };
}
