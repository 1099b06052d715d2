import { describe, expect, it } from 'vitest';
import type { Fault, FaultPlan, FaultRule } from '../mock-server/faults';
import { columnOf } from './parity-compare';
import { postsOf, runParity } from './parity-expect';
import type { Scenario } from './parity-harness';

/**
 * Parity when the provider misbehaves: the same fault script on both sides' servers (keyed by
 * request path and counted per path, so which request meets which fault does not depend on the
 * order concurrency gives), and the CLI and the desktop must retry, reconcile, give up, stop and
 * pause alike: the same requests on the wire and the same report.
 */

const header = ['conversation_id', 'name'];
const retry = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 5_000 };
const wassistPath = (id: string) => `/api/v1/conversations/${id}/messages/`;

/**
 * byBodyText scripts faults by the message's text (the generic API posts every row to one path):
 * the n-th request carrying a text gets the n-th fault listed for it, whatever the arrival order.
 */
function byBodyText(script: Record<string, ReadonlyArray<Fault | null>>): FaultRule {
  const seen = new Map<string, number>();
  return (req) => {
    const text = (req.body as { text?: string } | undefined)?.text ?? '';
    const n = seen.get(text) ?? 0;
    seen.set(text, n + 1);
    return script[text]?.[n] ?? undefined;
  };
}

function scenario(kind: Scenario['kind'], ids: string[], campaign: object, faults?: () => FaultPlan): Scenario {
  const message =
    kind === 'wassist' ? { type: 'text', text: { body: 'Hi {{name}}' } } : kind === 'pingback' ? { content: 'Hi {{name}}' } : { sender_id: 'a-1', sender_type: 'agent', text: 'Hi {{name}}' };
  return {
    kind,
    header,
    rows: ids.map((id, i) => [id, `Name ${i + 1}`]),
    conversations: ids.filter((id) => id !== '').map((id) => ({ id })),
    campaign: { recipient: { conversationId: '{{conversation_id}}' }, message, throttle: { concurrency: 2, perSecond: 500 }, retry, ...campaign },
    ...(faults === undefined ? {} : { faults }),
  };
}

describe('a provider fault mix: the same retries, reconciliations and outcomes through both front ends', () => {
  it('Wassist: 429 with Retry-After, 503s, a reset before and one after processing, a row that runs out of attempts', async () => {
    const ids = ['w-429', 'w-503', 'w-reset-before', 'w-reset-after', 'w-gives-up', 'w-fine'];
    const p = await runParity(
      scenario('wassist', ids, {}, () => ({
        [wassistPath('w-429')]: [{ status: 429, retryAfter: 1 }],
        [wassistPath('w-503')]: [{ status: 503 }, { status: 503 }],
        // The POST is dropped unprocessed; the engine reads the conversation back (a GET, the
        // path's 2nd request), finds nothing and sends again.
        [wassistPath('w-reset-before')]: [{ action: 'reset-before' }],
        // The POST is delivered, its answer lost; the read-back finds the message: sent once.
        [wassistPath('w-reset-after')]: [{ action: 'reset-after' }],
        [wassistPath('w-gives-up')]: [{ status: 503 }, { status: 503 }, { status: 503 }],
      })),
    );
    const count = (id: string, method: string) => p.wire.filter((w) => w.startsWith(`${method} ${wassistPath(id)}\n`)).length;
    expect(ids.map((id) => [count(id, 'POST'), count(id, 'GET')])).toEqual([
      [2, 0],
      [3, 0],
      [2, 1],
      [1, 1],
      [3, 0],
      [1, 0],
    ]);
    expect(columnOf(p.report, 'status')).toEqual(['sent', 'sent', 'sent', 'sent', 'failed', 'sent']);
    expect(columnOf(p.report, 'attempts')).toEqual(['2', '3', '2', '1', '3', '1']);
    expect(columnOf(p.report, 'http_status')[4]).toBe('503');
    // Both waited out the Retry-After before asking again: a lower bound (never a flaky upper one),
    // less the millisecond a Node timer may fire early by Date.now()'s reckoning.
    for (const side of [p.cli, p.desktop]) {
      const [refused, retried] = side.mock.requests.filter((r) => r.path === wassistPath('w-429')).map((r) => r.time);
      expect((retried as number) - (refused as number)).toBeGreaterThanOrEqual(990);
    }
  });

  it('Pingback (nothing to read back): a reset leaves the row uncertain and unsent again; 503 and 429 (no Retry-After) are retried', async () => {
    const ids = [1, 2, 3, 4].map((i) => `00000000-0000-4000-8000-00000000000${i}`);
    const path = (i: number) => `/api/v1/conversations/${ids[i]}/messages`;
    const p = await runParity(
      scenario('pingback', ids, {}, () => ({
        [path(0)]: [{ status: 503 }],
        [path(1)]: [{ action: 'reset-before' }],
        [path(2)]: [{ status: 429 }],
      })),
    );
    expect(postsOf(p)).toHaveLength(6);
    expect(columnOf(p.report, 'status')).toEqual(['sent', 'uncertain', 'sent', 'sent']);
    expect(columnOf(p.report, 'error')[1]).not.toBe('');
  });

  it('generic: a 500 "Please retry" is retried, the conversation created on the retry is reported', async () => {
    const p = await runParity(scenario('generic', ['g-1', ''], {}, () => byBodyText({ 'Hi Name 1': [{ status: 500 }], 'Hi Name 2': [{ status: 500 }, { status: 500 }] })));
    expect(postsOf(p)).toHaveLength(5);
    expect(columnOf(p.report, 'status')).toEqual(['sent', 'sent']);
    expect(columnOf(p.report, 'attempts')).toEqual(['2', '3']);
    expect(columnOf(p.report, 'recipient')).toEqual(['g-1', '<conversation 1>']);
  });
});

describe('stops and the error threshold: both front ends end the run at the same row', () => {
  it("Pingback's monthly plan limit (403) stops the campaign; the rest stays pending", async () => {
    const ids = [1, 2, 3, 4, 5].map((i) => `00000000-0000-4000-8000-00000000001${i}`);
    const s = { ...scenario('pingback', ids, { throttle: { concurrency: 1, perSecond: 500 } }), planLimit: 2 };
    const p = await runParity(s);
    expect(postsOf(p)).toHaveLength(3);
    expect(columnOf(p.report, 'status')).toEqual(['sent', 'sent', 'pending', 'pending', 'pending']);
    expect(columnOf(p.report, 'http_status')[2]).toBe('403');
    expect(p.cli.said).toContain('Stopped');
  });

  it('retry.pauseAfterFailures: two failed rows in a row pause the run; the rest stays pending', async () => {
    const ids = ['t-1', 't-missing-1', 't-missing-2', 't-4', 't-5'];
    // The provider's own 404s trip the threshold here, so the conversations are not checked first
    // (a check would skip the missing ones before anything is sent).
    const s = scenario('wassist', ids, { throttle: { concurrency: 1, perSecond: 500 }, retry: { ...retry, pauseAfterFailures: 2 }, checkConversations: false });
    const p = await runParity({ ...s, conversations: [{ id: 't-1' }, { id: 't-4' }, { id: 't-5' }] });
    expect(p.cli.paused).toBe(true);
    expect(postsOf(p)).toHaveLength(3);
    expect(columnOf(p.report, 'status')).toEqual(['sent', 'failed', 'failed', 'pending', 'pending']);
    expect(columnOf(p.report, 'http_status').slice(1, 3)).toEqual(['404', '404']);
  });

  it('after the pause the person carries on (the CLI run again, the desktop resumed): the same rest sent, failed rows not retried', async () => {
    const ids = ['t-1', 't-missing-1', 't-missing-2', 't-4', 't-5'];
    // The provider's own 404s trip the threshold here, so the conversations are not checked first
    // (a check would skip the missing ones before anything is sent).
    const s = scenario('wassist', ids, { throttle: { concurrency: 1, perSecond: 500 }, retry: { ...retry, pauseAfterFailures: 2 }, checkConversations: false });
    const p = await runParity({ ...s, conversations: [{ id: 't-1' }, { id: 't-4' }, { id: 't-5' }], afterPause: 'resume' });
    expect(p.cli.paused).toBe(true);
    expect(postsOf(p)).toHaveLength(5);
    expect(columnOf(p.report, 'status')).toEqual(['sent', 'failed', 'failed', 'sent', 'sent']);
    expect(p.cli.totals).toEqual({ sent: 3, failed: 2, uncertain: 0, skipped: 0, pending: 0 });
  });
});
