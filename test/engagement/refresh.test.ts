import { afterEach, describe, expect, it } from 'vitest';
import { addClick, addUserMessage } from '../../electron/core/sandbox/sim-state';
import { setMessageStatus } from '../../electron/core/sandbox/simulator';
import type { Sent } from './engagement-harness';
import { conversationOfPath, sendCampaign } from './engagement-harness';

/**
 * Engagement read back from the strict Wassist mock over HTTP, through the campaign service: what
 * recipients did at different times appears after one refresh and after several, and only what can
 * still change is read again.
 */

let sent: Sent | undefined;
afterEach(async () => {
  await sent?.close();
  sent = undefined;
});

const stage = (view: Awaited<ReturnType<Sent['refresh']>>['view'], name: string) => view.stages.find((s) => s.stage === name)?.count;

describe('engagement refresh against the strict mock', () => {
  it('counts reads, clicks, replies and opt-outs as they happen, over several refreshes', async () => {
    const convs = ['c-a', 'c-b', 'c-c', 'c-d', 'c-e'];
    // c-b wrote to us before the campaign: that message is not a reply to it.
    sent = await sendCampaign(convs, { before: (mock) => addUserMessage(mock.state, 'c-b', 'hello, anyone there?', Date.now() - 60_000) });
    const s = sent;
    const our = (c: string) => s.ours.get(c) as string;

    const first = await s.refresh();
    expect(first.result?.conversations).toBe(5);
    expect(first.view.stages.map((x) => [x.stage, x.count])).toEqual([
      ['sent', 5],
      ['delivered', 0],
      ['read', 0],
      ['clicked', 0],
      ['replied', 0],
    ]);
    expect(first.view.optedOut).toBe(0);

    // a: read, clicked, replies; b: delivered only; c: read and replies STOP.
    setMessageStatus(s.mock.state, our('c-a'), 'read');
    addClick(s.mock.state, our('c-a'));
    addUserMessage(s.mock.state, 'c-a', 'Thanks, looks great');
    setMessageStatus(s.mock.state, our('c-b'), 'delivered');
    setMessageStatus(s.mock.state, our('c-c'), 'read');
    addUserMessage(s.mock.state, 'c-c', 'STOP');
    const second = await s.refresh();
    expect(second.view.stages.map((x) => [x.stage, x.count])).toEqual([
      ['sent', 5],
      ['delivered', 3],
      ['read', 2],
      ['clicked', 1],
      ['replied', 2],
    ]);
    expect(second.view.stages.find((x) => x.stage === 'replied')?.ofBase).toBe(1);
    expect(second.view.optedOut).toBe(1);
    expect(s.optOuts).toEqual([expect.objectContaining({ conversationId: 'c-c', word: 'STOP', reply: 'STOP', campaignId: s.id })]);

    // Later a writes STOP too; c is settled (opted out) and is not read again.
    addUserMessage(s.mock.state, 'c-a', 'Stop please!');
    s.mark();
    const third = await s.refresh();
    expect(third.view.optedOut).toBe(2);
    expect(stage(third.view, 'replied')).toBe(2);
    const read = s.reads().map(conversationOfPath);
    expect(read).not.toContain('c-c');
    expect(new Set(read)).toEqual(new Set(['c-a', 'c-b', 'c-d', 'c-e']));
    expect(s.optOuts.map((o) => [o.conversationId, o.word])).toEqual([
      ['c-c', 'STOP'],
      ['c-a', 'STOP'],
    ]);

    // The rows and the report say the same, row by row.
    const rows = (await s.service.rows(s.id, 0, 10)).rows;
    const a = rows.find((r) => r.recipient === 'c-a');
    expect(a).toMatchObject({ deliveryStatus: 'read', clicks: 1 });
    expect(a?.repliedAt).toBeDefined();
    expect(a?.optedOutAt).toBeDefined();
    expect(rows.find((r) => r.recipient === 'c-b')).toMatchObject({ deliveryStatus: 'delivered', clicks: 0 });
    expect(rows.find((r) => r.recipient === 'c-b')?.repliedAt).toBeUndefined();
  });

  it('reads one page per conversation again, from our message on', async () => {
    sent = await sendCampaign(['c-1', 'c-2']);
    await sent.refresh();
    sent.mark();
    await sent.refresh();
    const reads = sent.reads();
    expect(reads).toHaveLength(2);
    for (const path of reads) expect(path).toMatch(/\/messages\/\?limit=100&offset=0$/);
  });

  it('does not count a reply after the campaign window, nor a click on a message without a button', async () => {
    sent = await sendCampaign(['c-1', 'c-2'], { message: { type: 'text', text: { body: 'Hi {{name}}' } }, engagement: { windowHours: 1 } });
    const s = sent;
    addUserMessage(s.mock.state, 'c-1', 'Thanks', Date.now() + 2 * 3_600_000);
    addUserMessage(s.mock.state, 'c-2', 'Thanks');
    const r = await s.refresh();
    expect(stage(r.view, 'replied')).toBe(1);
    expect(r.view.stages.find((x) => x.stage === 'clicked')).toMatchObject({ count: null, note: expect.stringContaining('no click data') });
  });

  it("takes the campaign file's own opt-out words, and keeps no reply text when told not to", async () => {
    sent = await sendCampaign(['c-1', 'c-2'], { engagement: { optOutWords: ['ABMELDEN'], keepReplyText: false } });
    const s = sent;
    addUserMessage(s.mock.state, 'c-1', 'STOP');
    addUserMessage(s.mock.state, 'c-2', 'Abmelden!');
    const r = await s.refresh();
    expect(r.view.optedOut).toBe(1);
    expect(s.optOuts.map((o) => o.conversationId)).toEqual(['c-2']);
    const text = await s.report();
    const [header, ...lines] = text.trim().split(/\r?\n/);
    const cols = (header as string).split(',');
    expect(cols.slice(-8)).toEqual(['delivery_status', 'delivery_status_at', 'clicks', 'first_click_at', 'replied_at', 'reply_text', 'opted_out_at', 'opt_out_word']);
    const textCol = cols.indexOf('reply_text');
    for (const l of lines) expect(l.split(',')[textCol]).toBe('');
    expect(lines.map((l) => l.split(',')[cols.indexOf('opt_out_word')])).toEqual(['', 'ABMELDEN']);
  });
});

describe('conversations that cannot be read', () => {
  it('lists them and goes on; a refused key stops the refresh, and the next one resumes it', async () => {
    sent = await sendCampaign(['c-1', 'c-2', 'c-3']);
    const s = sent;
    s.mock.state.conversations.delete('c-2');
    const r = await s.refresh();
    expect(r.result?.unreadable).toEqual([{ conversationId: 'c-2', reason: expect.stringContaining('HTTP 404') }]);
    expect(r.view.unreadable).toHaveLength(1);
    // c-2 keeps being read while its window is open: it may come back.
    await expect(s.service.refreshEngagement(s.id, { spec: s.spec, apiKey: 'not-the-key' })).rejects.toMatchObject({ name: 'WassistStopError' });
    const view = await s.service.engagement(s.id);
    expect(view.refresh).toMatchObject({ state: 'interrupted', error: expect.stringContaining('401') });
    const again = await s.refresh();
    expect(again.result?.resumed).toBe(true);
    expect(again.view.refresh.state).toBe('idle');
  });
});
