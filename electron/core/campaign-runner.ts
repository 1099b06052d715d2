import type { CampaignSpec } from '../../shared/campaign/schema';
import type { CompiledCampaign } from '../../shared/campaign/render';
import { compileCampaign } from '../../shared/campaign/render';
import { prepareRow, usedColumns } from '../../shared/campaign/prepare';
import type { CsvRow, CsvTable } from '../../shared/csv/parse';
import type { EngineEvent } from '../../shared/engine/events';
import type { Problem } from '../../shared/problems';
import { InputError } from '../../shared/problems';
import { campaignDefinition, campaignProviders } from '../../shared/campaign/phone-campaign';
import { CampaignEngine } from './engine/engine';
import type { EngineJob } from './engine/engine';
import { createHttpTransport } from './http-transport';
import type { Clock, Journal, Transport } from './ports';
import { createSandboxTransport, sandboxBaseUrl } from './sandbox/sandbox-transport';
import type { SimState } from './sandbox/sim-state';
import { WassistClient } from './wassist/client';

export { compilePlan } from '../../shared/campaign/phone-campaign';
export type { CampaignPlan } from '../../shared/campaign/phone-campaign';
export { needsResolution, planJobs, resolveRecipients, summarizeRoutes, validatePlan } from './wassist/plan-runner';
export type { PlanValidation, ResolvedRecipients, RouteSummary } from './wassist/plan-runner';

/**
 * The headless composition of one campaign, shared by the CLI and the desktop backend:
 * rows come from a RowSource (a CSV file streamed twice, or a table in memory), every row is
 * validated before anything is sent, then the engine sends the valid ones.
 */

/** RowSource is where a campaign's rows come from; each call to batches() starts over from row 1. */
export interface RowSource {
  headers: string[];
  batches(): Iterable<CsvRow[]> | AsyncIterable<CsvRow[]>;
}

const TABLE_BATCH = 5_000;

/** tableSource serves an in-memory CSV table (the desktop app's import) as a RowSource. */
export function tableSource(table: CsvTable): RowSource {
  const problemOf = new Map<number, Problem>();
  for (const p of table.problems) problemOf.set(p.row, p);
  return {
    headers: table.headers,
    *batches() {
      for (let i = 0; i < table.records.length; i += TABLE_BATCH) {
        yield table.records.slice(i, i + TABLE_BATCH).map((r) => {
          const problem = problemOf.get(r.row);
          return problem === undefined ? r : { ...r, problem };
        });
      }
    },
  };
}

/**
 * compile checks the campaign against the CSV's headers (unknown columns are errors naming the field).
 * It compiles the message only; campaigns addressed by phone or with a fallback need compilePlan.
 */
export function compile(spec: CampaignSpec, headers: string[]): CompiledCampaign {
  return compileCampaign(spec, headers, campaignProviders(spec));
}

/** ValidationSummary is the result of checking every row before sending. */
export interface ValidationSummary {
  rowCount: number;
  sendable: number;
  /** Rows with at least one error. */
  invalidRows: Set<number>;
  errorCount: number;
  warningCount: number;
  /** Problems in row order, at most `problemLimit` of them. */
  problems: Problem[];
  truncated: boolean;
  usedColumns: string[];
}

/** validateRows prepares every row once and collects every problem (capped for display, counted in full). */
export async function validateRows(compiled: CompiledCampaign, source: RowSource, problemLimit = Infinity): Promise<ValidationSummary> {
  const summary: ValidationSummary = {
    rowCount: 0,
    sendable: 0,
    invalidRows: new Set(),
    errorCount: 0,
    warningCount: 0,
    problems: [],
    truncated: false,
    usedColumns: usedColumns(compiled),
  };
  const note = (p: Problem) => {
    if (p.severity === 'error') summary.errorCount++;
    else summary.warningCount++;
    if (summary.problems.length < problemLimit) summary.problems.push(p);
    else summary.truncated = true;
  };
  for await (const batch of source.batches()) {
    for (const rec of batch) {
      summary.rowCount++;
      let invalid = false;
      if (rec.problem !== undefined) {
        note(rec.problem);
        invalid ||= rec.problem.severity === 'error';
      }
      for (const p of prepareRow(compiled, rec.row, rec.fields).problems) {
        note(p);
        invalid ||= p.severity === 'error';
      }
      if (invalid) summary.invalidRows.add(rec.row);
      else summary.sendable++;
    }
  }
  return summary;
}

/**
 * jobsFor turns rows into engine jobs: valid rows become requests; invalid ones (only reached when
 * the user chose to skip them) become `skipped` with their first error as the reason.
 */
export async function* jobsFor(compiled: CompiledCampaign, source: RowSource, invalidRows: ReadonlySet<number>): AsyncGenerator<EngineJob> {
  for await (const batch of source.batches()) {
    for (const rec of batch) {
      const prepared = prepareRow(compiled, rec.row, rec.fields);
      if (invalidRows.has(rec.row)) {
        const first = rec.problem ?? prepared.problems.find((p) => p.severity === 'error');
        const reason = first === undefined ? 'invalid row' : `invalid: ${first.field}: ${first.reason}`;
        yield { row: rec.row, recipient: prepared.recipient, skip: reason };
      } else {
        yield { row: rec.row, recipient: prepared.recipient, request: prepared.request };
      }
    }
  }
}

/** Connection is where a campaign's requests go: a real HTTP transport, or the in-process sandbox (with its world). */
export interface Connection {
  transport: Transport;
  baseUrl: string;
  sandbox?: SimState;
}

/** connect opens the transport a campaign's provider needs. */
export function connect(spec: CampaignSpec, clock: Clock): Connection {
  if (spec.provider.kind === 'sandbox') {
    const transport = createSandboxTransport(spec.provider, clock);
    return { transport, baseUrl: sandboxBaseUrl, sandbox: transport.state };
  }
  return { transport: createHttpTransport({ connections: spec.throttle.concurrency }), baseUrl: spec.provider.baseUrl };
}

/** wassistClient makes the paced read requests (conversations, messages) of a Wassist campaign. */
export function wassistClient(spec: CampaignSpec, apiKey: string, connection: Connection, clock: Clock): WassistClient {
  return new WassistClient({ transport: connection.transport, baseUrl: connection.baseUrl, apiKey, clock, throttle: spec.throttle, retry: spec.retry });
}

/** needsKey tells whether a campaign's provider needs an API key (the sandbox does not). */
export function needsKey(spec: CampaignSpec): boolean {
  return spec.provider.kind !== 'sandbox';
}

/** requireKey returns the key, or an InputError that says where a key comes from. */
export function requireKey(spec: CampaignSpec, key: string | undefined, where: string): string {
  if (!needsKey(spec)) return key ?? '';
  if (key === undefined || key.trim() === '') {
    throw new InputError([{ row: 0, field: where, reason: `an API key for ${spec.provider.kind} is required and is not set`, severity: 'error' }]);
  }
  return key.trim();
}

/** EngineSetup is everything an engine for one campaign needs besides its jobs. */
export interface EngineSetup {
  spec: CampaignSpec;
  apiKey: string;
  connection: Connection;
  journal: Journal;
  clock: Clock;
  onEvent: (e: EngineEvent) => void;
  resendUncertain?: boolean;
}

/** createEngine builds the engine for a campaign. */
export function createEngine(setup: EngineSetup): CampaignEngine {
  return new CampaignEngine(
    {
      provider: campaignDefinition(setup.spec),
      baseUrl: setup.connection.baseUrl,
      apiKey: setup.apiKey,
      throttle: setup.spec.throttle,
      retry: setup.spec.retry,
      resendUncertain: setup.resendUncertain ?? false,
      breakerThreshold: setup.spec.retry.pauseAfterFailures,
    },
    { transport: setup.connection.transport, clock: setup.clock, journal: setup.journal, onEvent: setup.onEvent },
  );
}

/** fileSource adapts an open CSV file reader (electron/core/csv-file.ts) to a RowSource. */
export function fileSource(reader: { headers: string[]; batches(): AsyncIterable<CsvRow[]> }): RowSource {
  return { headers: reader.headers, batches: () => reader.batches() };
}
