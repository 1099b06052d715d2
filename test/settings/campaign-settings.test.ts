import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { busiestWindow } from '../../electron/core/engine/rate-limit';
import type { MockServer } from '../mock-server/mock-server';
import { mockApiKey, startMockServer } from '../mock-server/mock-server';
import type { Workspace } from '../cli/cli-harness';
import { csv, readReport, workspace } from '../cli/cli-harness';

/**
 * Every setting of the campaign file changes what reaches the provider: each is run through the
 * real CLI against the strict mock twice, with two values, and judged by what the mock received.
 */

const key = { CAMPAIGN_API_KEY: mockApiKey };
let ws: Workspace;
let mock: MockServer;

beforeEach(async () => {
  ws = await workspace();
  mock = await startMockServer({ kind: 'wassist', acceptAnyConversation: true });
});
afterEach(async () => {
  await mock.close();
  await ws.cleanup();
});

async function send(rows: number, settings: { throttle?: object; retry?: object }, extra: string[] = [], kind: 'wassist' | 'generic' = 'wassist') {
  const contacts = await ws.file(`c-${Math.random()}.csv`, csv(['conversation_id'], Array.from({ length: rows }, (_, i) => [`conv-${i + 1}`])));
  const spec = await ws.file(`s-${Math.random()}.campaign.json`, {
    provider: { kind, baseUrl: mock.url },
    recipient: { conversationId: '{{conversation_id}}' },
    message: kind === 'wassist' ? { type: 'text', text: { body: 'Hello' } } : { sender_id: 'usr_1', sender_type: 'agent', text: 'Hello' },
    // These settings are judged on the sends alone; the conversation check before them is tested with the Wassist campaigns.
    ...(kind === 'wassist' ? { checkConversations: false } : {}),
    throttle: { concurrency: 4, perSecond: 1000, ...settings.throttle },
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 5_000, ...settings.retry },
  });
  const report = `${ws.dir}/r-${Math.random()}.csv`;
  const result = await ws.run(['send', contacts, '--spec', spec, '--report', report, ...extra], key);
  return { ...result, report: await readReport(report) };
}

/** maxOverlap is how many requests were at the mock at once, each held `holdMs` from its arrival. */
function maxOverlap(times: number[], holdMs: number): number {
  return busiestWindow(times, holdMs);
}

describe('campaign settings', () => {
  it('throttle.concurrency caps the requests in flight at once', async () => {
    mock.setFaults(() => ({ latencyMs: 150 }));
    await send(12, { throttle: { concurrency: 1 } });
    const one = maxOverlap(mock.requests.map((r) => r.time), 140);
    mock.requests.length = 0;
    await send(12, { throttle: { concurrency: 4 } });
    const four = maxOverlap(mock.requests.map((r) => r.time), 140);
    expect(one).toBe(1);
    expect(four).toBeGreaterThan(1);
    expect(four).toBeLessThanOrEqual(4);
  });

  it('throttle.perSecond caps the requests started in any one-second window', async () => {
    const started = Date.now();
    await send(25, { throttle: { concurrency: 8, perSecond: 10 } });
    const elapsed = Date.now() - started;
    expect(busiestWindow(mock.requests.map((r) => r.time))).toBeLessThanOrEqual(10);
    expect(elapsed).toBeGreaterThanOrEqual(2_000); // 25 starts at 10/s cannot fit in less than 2 s
  });

  it('retry.attempts caps the requests made for a row', async () => {
    mock.setFaults(() => ({ status: 503 }));
    const two = await send(2, { retry: { attempts: 2 } });
    expect(mock.requests).toHaveLength(4);
    expect(two.report.rows.map((r) => [r.status, r.attempts, r.http_status])).toEqual([
      ['failed', '2', '503'],
      ['failed', '2', '503'],
    ]);
    mock.requests.length = 0;
    await send(2, { retry: { attempts: 4 } });
    expect(mock.requests).toHaveLength(8);
  });

  it('retry.timeoutMs decides when an unanswered request becomes uncertain', async () => {
    // The generic API has no way to read back what it received, so a timed-out row stays uncertain
    // (on Wassist it would be reconciled against the conversation's messages instead).
    await mock.close();
    mock = await startMockServer({ kind: 'generic', acceptAnyConversation: true, faults: () => ({ latencyMs: 400 }) });
    const patient = await send(1, { retry: { timeoutMs: 3_000 } }, [], 'generic');
    expect(patient.report.rows[0]?.status).toBe('sent');
    const hasty = await send(1, { retry: { timeoutMs: 150 } }, [], 'generic');
    expect(hasty.report.rows[0]?.status).toBe('uncertain');
    expect(hasty.code).toBe(1);
  });

  it('retry.pauseAfterFailures pauses a campaign that keeps failing (headless: ends it, rest pending)', async () => {
    await mock.close();
    mock = await startMockServer({ kind: 'wassist', conversations: [] }); // every conversation unknown: 404
    const tripped = await send(30, { throttle: { concurrency: 1 }, retry: { pauseAfterFailures: 5 } });
    expect(tripped.code).toBe(1);
    expect(tripped.stderr).toContain('error threshold');
    expect(mock.requests.filter((r) => r.method === 'POST')).toHaveLength(5);
    expect(tripped.report.rows.filter((r) => r.status === 'failed')).toHaveLength(5);
    expect(tripped.report.rows.filter((r) => r.status === 'pending')).toHaveLength(25);
    mock.requests.length = 0;
    const off = await send(30, { throttle: { concurrency: 1 }, retry: { pauseAfterFailures: 0 } });
    expect(off.code).toBe(1);
    expect(mock.requests.filter((r) => r.method === 'POST')).toHaveLength(30);
  });
});
