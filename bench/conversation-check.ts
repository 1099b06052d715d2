import { createHttpTransport } from '../electron/core/http-transport';
import { systemClock } from '../electron/core/ports';
import { checkActive } from '../electron/core/wassist/active-check';
import { politeRate, WassistClient } from '../electron/core/wassist/client';
import type { ConversationSeed } from '../electron/core/sandbox/simulator';
import { mockApiKey, startMockServer } from '../test/mock-server/mock-server';

/**
 * Checking a campaign's conversations before sending (issue 10 §2), against the strict mock over
 * HTTP, at the polite pace every read request keeps (10 a second): the requests the check makes,
 * and its time, beside the baseline of one GET per conversation (its time is the pace's: requests
 * / 10 s; not run, it would take minutes). The old default made no check at all and sent every row,
 * so its cost was the inactive rows' refused POSTs.
 */

const BOT = '6f1c9a2e-1b3d-4c5e-8f70-0a1b2c3d4e5f';

/** Scenario: `rows` distinct conversations in the campaign, of an agent with `agent` conversations; 8 in 40 inactive. */
export interface CheckScenario {
  rows: number;
  agent: number;
}

export interface CheckFigures {
  scenario: string;
  requests: number;
  listPages: number;
  gets: number;
  ms: number;
  inactive: number;
  baselineRequests: number;
  baselineSeconds: number;
  refusedPostsWithoutCheck: number;
}

/** benchConversationCheck runs one scenario and answers its figures. */
export async function benchConversationCheck(s: CheckScenario): Promise<CheckFigures> {
  const seeds: ConversationSeed[] = Array.from({ length: s.agent }, (_, i) => ({ id: `c-${i}`, botId: BOT, active: (i + 1) % 5 !== 0 }));
  const mock = await startMockServer({ kind: 'wassist', conversations: seeds, record: false });
  const transport = createHttpTransport({ connections: 4 });
  try {
    const client = new WassistClient({
      transport,
      baseUrl: mock.url,
      apiKey: mockApiKey,
      clock: systemClock,
      throttle: { concurrency: 4, perSecond: 1_000 },
      retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 1_000, timeoutMs: 30_000, pauseAfterFailures: 0 },
    });
    // The campaign's conversations, spread evenly over the agent's, 1 in 5 of them inactive.
    const step = s.agent / s.rows;
    const ids = Array.from({ length: s.rows }, (_, i) => `c-${Math.floor(i * step) + (step >= 5 ? i % 5 : 0)}`);
    const t0 = performance.now();
    const check = await checkActive(client, ids);
    const ms = performance.now() - t0;
    const inactive = [...check.byId.values()].filter((e) => e?.active === false).length;
    if (check.byId.size !== s.rows) throw new Error(`checked ${check.byId.size} of ${s.rows}`);
    return {
      scenario: `${s.rows.toLocaleString('en')} conversations of an agent with ${s.agent.toLocaleString('en')}`,
      requests: client.requests,
      listPages: check.pages,
      gets: check.gets,
      ms,
      inactive,
      baselineRequests: s.rows,
      baselineSeconds: s.rows / politeRate,
      refusedPostsWithoutCheck: inactive,
    };
  } finally {
    await transport.close();
    await mock.close();
  }
}
