import type { CampaignSpec } from '../../shared/campaign/schema';
import type { CsvRow, CsvTable } from '../../shared/csv/parse';
import type { EngineEvent } from '../../shared/engine/events';
import type { Problem } from '../../shared/problems';
import { InputError } from '../../shared/problems';
import { campaignDefinition } from '../../shared/campaign/phone-campaign';
import { CampaignEngine } from './engine/engine';
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
