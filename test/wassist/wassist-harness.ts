import { WassistClient } from '../../electron/core/wassist/client';
import { createHttpTransport } from '../../electron/core/http-transport';
import { systemClock } from '../../electron/core/ports';
import type { Transport } from '../../electron/core/ports';
import type { MockServer } from '../mock-server/mock-server';
import { mockApiKey } from '../mock-server/mock-server';

/** A WassistClient over real HTTP to a mock server, with fast retries; close() closes its transport. */
export function clientFor(mock: MockServer, options: { perSecond?: number; attempts?: number; apiKey?: string } = {}): WassistClient & { close(): Promise<void> } {
  const transport: Transport = createHttpTransport();
  const client = new WassistClient({
    transport,
    baseUrl: mock.url,
    apiKey: options.apiKey ?? mockApiKey,
    clock: systemClock,
    throttle: { concurrency: 4, perSecond: options.perSecond ?? 1000 },
    retry: { attempts: options.attempts ?? 3, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 2_000, pauseAfterFailures: 20 },
  });
  return Object.assign(client, { close: () => transport.close() });
}

/** BOT is the agent id the tests list conversations of. */
export const BOT = '6f1c9a2e-1b3d-4c5e-8f70-0a1b2c3d4e5f';

/** offsetsOf lists the offset of each conversation-list request the mock received. */
export function offsetsOf(mock: MockServer): number[] {
  return mock.requests.filter((q) => q.path.startsWith('/api/v1/conversations/?')).map((q) => Number(/offset=(\d+)/.exec(q.path)?.[1]));
}
