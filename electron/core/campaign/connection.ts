import type { CampaignSpec } from '../../../shared/campaign/schema';
import { InputError } from '../../../shared/problems';
import { createHttpTransport } from '../http-transport';
import type { RefreshCadence } from '../engagement/refresh-schedule';
import type { Clock, Transport } from '../ports';
import { createSandboxTransport, sandboxBaseUrl } from '../sandbox/sandbox-transport';
import { SandboxWorlds, seedSandboxConversations, seedSandboxDirectory } from '../sandbox/sandbox-world';
import { WassistClient } from '../wassist/client';
import type { ActiveCheck, ActiveCheckOptions } from '../wassist/active-check';
import { checkActive } from '../wassist/active-check';
import type { Directory, DirectoryOptions } from '../wassist/directory';
import { listDirectory } from '../wassist/directory';

/**
 * Where a campaign's requests go. A Connection is a Transport (real HTTP, or the in-process
 * sandbox), the base URL its requests are addressed to, and the provider's conversation directory.
 * This file is the one place that tells the sandbox from a real provider: everything above it
 * (the campaign service, the CLI, the desktop backend) only sees a Connection.
 */

/** ConversationDirectory is how a campaign learns about its recipients' conversations before sending. */
export interface ConversationDirectory {
  /**
   * byNumber is agent `botId`'s conversations by E.164 number. `numbers` are the campaign's own
   * (a real API lists every conversation of the agent and does not need them; the sandbox makes
   * one up for each).
   */
  byNumber(botId: string, numbers: () => AsyncIterable<string>, options?: DirectoryOptions): Promise<Directory>;
  /**
   * byId reads the `active` flag of each conversation id (null: the provider has no such
   * conversation), listing the agent's conversations where that takes fewer requests (active-check.ts).
   */
  byId(ids: Iterable<string>, options?: ActiveCheckOptions): Promise<ActiveCheck>;
}

/** Connection is one opened way to a provider; close() it when done. */
export interface Connection {
  readonly transport: Transport;
  /** Request URL = baseUrl + path. */
  readonly baseUrl: string;
  /** The directory of conversations, read through `client` (its key, pace and retries). */
  directory(client: WassistClient): ConversationDirectory;
  close(): Promise<void>;
}

/** Connector opens a connection for a campaign's provider. */
export type Connector = (spec: CampaignSpec) => Connection;

/** wassistDirectory reads a real Wassist API: list the agent's conversations, or check ids (listing or GET). */
export function wassistDirectory(client: WassistClient): ConversationDirectory {
  return {
    byNumber: (botId, _numbers, options) => listDirectory(client, botId, options),
    byId: (ids, options) => checkActive(client, ids, options),
  };
}

/** ConnectorOptions: `sandboxDir` keeps the sandbox's worlds in the workspace (`<dataDir>/sandbox`), so they outlive the process. */
export interface ConnectorOptions {
  sandboxDir?: string;
}

/**
 * createConnector is the production connector: HTTP (undici, a pool sized to the campaign's
 * concurrency) for real providers; for the sandbox, the simulated world of that API, so every
 * connection of a campaign (lookups, a test send, the run, engagement reads) sees the same one,
 * in this process and (with `sandboxDir`) in the next.
 */
export function createConnector(clock: Clock, options: ConnectorOptions = {}): Connector {
  const worlds = new SandboxWorlds(clock, options.sandboxDir);
  return (spec) => {
    if (spec.provider.kind === 'sandbox') {
      const world = worlds.world(spec.provider);
      const transport = createSandboxTransport(spec.provider, clock, world);
      return {
        transport,
        baseUrl: sandboxBaseUrl,
        directory: (client) => {
          const real = wassistDirectory(client);
          return {
            byNumber: async (botId, numbers, options) => {
              await seedSandboxDirectory(world.state, botId, numbers());
              return real.byNumber(botId, numbers, options);
            },
            byId: (ids, options) => {
              const all = [...ids];
              seedSandboxConversations(world.state, all);
              return real.byId(all, options);
            },
          };
        },
        close: async () => {
          await transport.close();
          worlds.flush();
        },
      };
    }
    const transport = createHttpTransport({ connections: spec.throttle.concurrency });
    return { transport, baseUrl: spec.provider.baseUrl, directory: wassistDirectory, close: () => transport.close() };
  };
}

/** baseUrlOf is where a campaign's requests are addressed (the sandbox's made-up host for the sandbox). */
export function baseUrlOf(spec: CampaignSpec): string {
  return spec.provider.kind === 'sandbox' ? sandboxBaseUrl : spec.provider.baseUrl;
}

/** realCadence: a real provider's recipients act over hours; the desktop reads again every 15 minutes for 48 hours. */
const realCadence: RefreshCadence = { everyMs: 15 * 60_000, forMs: 48 * 3_600_000 };
/** sandboxCadence: the sandbox's simulated recipients act within minutes (sandbox/audience.ts), so a demo shows them. */
const sandboxCadence: RefreshCadence = { everyMs: 20_000, forMs: 30 * 60_000 };

/** refreshCadenceOf is how often, and for how long, the desktop app refreshes a campaign's engagement by itself. */
export function refreshCadenceOf(spec: CampaignSpec): RefreshCadence {
  return spec.provider.kind === 'sandbox' ? sandboxCadence : realCadence;
}

/** needsKey tells whether a campaign's provider needs an API key (the sandbox does not). */
export function needsKey(spec: CampaignSpec): boolean {
  return spec.provider.kind !== 'sandbox';
}

/** hasKey tells whether requests can be made now: the sandbox always, a real provider with a key. */
export function hasKey(spec: CampaignSpec, apiKey: string): boolean {
  return !needsKey(spec) || apiKey.trim() !== '';
}

/** requireKey returns the key, or an InputError that says where a key comes from (`where`: the env variable, the profile). */
export function requireKey(spec: CampaignSpec, key: string | undefined, where: string): string {
  if (!needsKey(spec)) return key?.trim() ?? '';
  if (key === undefined || key.trim() === '') {
    throw new InputError([{ row: 0, field: where, reason: `an API key for ${spec.provider.kind} is required and is not set`, severity: 'error' }]);
  }
  return key.trim();
}

/**
 * wassistClient makes the paced read requests (conversations, messages) of a campaign over
 * `connection`; `adaptive` lowers the pace when the provider refuses reads without a Retry-After.
 */
export function wassistClient(spec: CampaignSpec, apiKey: string, connection: Connection, clock: Clock, options: { adaptive?: boolean } = {}): WassistClient {
  return new WassistClient({ transport: connection.transport, baseUrl: connection.baseUrl, apiKey, clock, throttle: spec.throttle, retry: spec.retry, adaptive: options.adaptive ?? false });
}
