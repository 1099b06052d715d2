import { afterEach, describe, expect, it } from 'vitest';
import { addUserMessage } from '../../electron/core/sandbox/sim-state';
import type { Sent } from './engagement-harness';
import { conversationOfPath, fillHistory, sendCampaign } from './engagement-harness';

/**
 * An AI agent's conversation can hold thousands of messages: a 5 MiB history, read in pages (the
 * mock pages as the assumed DRF paging says) or whole (a server that does not page), with our
 * message at its end or near its start.
 */

const MIB = 1024 * 1024;
let sent: Sent | undefined;
afterEach(async () => {
  await sent?.close();
  sent = undefined;
});

/** responseSizes are the sizes of the mock's answers to message reads, measured by asking again. */
async function answerSize(s: Sent, path: string): Promise<number> {
  const res = await fetch(`${s.mock.url}${path}`, { headers: { 'x-api-key': 'mock-key-0123456789abcdef' } });
  return (await res.arrayBuffer()).byteLength;
}

describe('a 5 MiB conversation history', () => {
  it('is read backwards from its end in pages under the transport cap, up to our message at its end', async () => {
    const startAt = Date.now() - 86_400_000;
    sent = await sendCampaign(['c-long'], { before: (mock) => fillHistory(mock, 'c-long', 2_800, 2_048, startAt) });
    const s = sent;
    addUserMessage(s.mock.state, 'c-long', 'Thanks!');
    const whole = await answerSize(s, '/api/v1/conversations/c-long/messages/');
    expect(whole).toBeGreaterThan(5 * MIB);
    s.mark();
    const r = await s.refresh();
    expect(r.view.stages.find((x) => x.stage === 'replied')?.count).toBe(1);
    const reads = s.reads();
    // The first page (it gives the count), then the last: the history before our message is never read.
    expect(reads).toEqual(['/api/v1/conversations/c-long/messages/?limit=100&offset=0', '/api/v1/conversations/c-long/messages/?limit=100&offset=2702']);
    for (const path of reads) expect(await answerSize(s, path)).toBeLessThan(MIB);
    s.mark();
    await s.refresh();
    expect(s.reads()).toEqual(['/api/v1/conversations/c-long/messages/?limit=100&offset=2800']);
  });

  it('is read once in full, page by page, when our message comes first and the chat goes on after it', async () => {
    sent = await sendCampaign(['c-chat']);
    const s = sent;
    fillHistory(s.mock, 'c-chat', 2_800, 2_048, Date.now() + 1_000);
    addUserMessage(s.mock.state, 'c-chat', 'please STOP', Date.now() + 10_000);
    s.mark();
    const r = await s.refresh();
    // The first user message of the history is the reply; the opt-out at the very end is found too.
    expect(r.view.stages.find((x) => x.stage === 'replied')?.count).toBe(1);
    expect(r.view.optedOut).toBe(1);
    expect(s.optOuts[0]?.reply).toBe('please STOP');
    expect(s.reads().every((p) => conversationOfPath(p) === 'c-chat')).toBe(true);
    // Each page of the 2,802 messages once (the first page, then the rest walked back from the end).
    expect(s.reads().length).toBeLessThanOrEqual(Math.ceil(2_802 / 100) + 1);
  });

  it('is read whole, one message at a time, from a server that does not page', async () => {
    const startAt = Date.now() - 86_400_000;
    sent = await sendCampaign(['c-long'], { mock: { wassist: { messagesShape: 'array' } }, before: (mock) => fillHistory(mock, 'c-long', 2_800, 2_048, startAt) });
    const s = sent;
    addUserMessage(s.mock.state, 'c-long', 'Gracias');
    s.mark();
    const r = await s.refresh();
    expect(r.result?.unreadable).toEqual([]);
    expect(r.view.stages.find((x) => x.stage === 'replied')?.count).toBe(1);
    expect(s.reads()).toHaveLength(1);
    expect(await answerSize(s, s.reads()[0] as string)).toBeGreaterThan(5 * MIB);
  });
});
