import { afterEach, describe, expect, it } from 'vitest';
import { politeRate } from '../../electron/core/wassist/client';
import type { Sent } from './engagement-harness';
import { sendCampaign } from './engagement-harness';

/**
 * A refresh is polite: at most politeRate reads a second, as the provider counts them; a Retry-After
 * holds every read, not only the one refused; a provider limit that says nothing (429 without
 * Retry-After) slows the reads down until they pass.
 */

let sent: Sent | undefined;
afterEach(async () => {
  await sent?.close();
  sent = undefined;
});

const convs = (n: number) => Array.from({ length: n }, (_, i) => `c-${String(i).padStart(2, '0')}`);
const reads = (s: Sent, from: number) => s.mock.arrivals.slice(from).filter((a) => a.method === 'GET');

describe('a polite refresh', () => {
  it(`reads at most ${politeRate} conversations in any second`, { timeout: 30_000 }, async () => {
    sent = await sendCampaign(convs(30));
    const from = sent.mock.arrivals.length;
    await sent.refresh();
    const times = reads(sent, from).map((a) => a.at);
    expect(times).toHaveLength(30);
    for (let i = politeRate; i < times.length; i++) expect((times[i] as number) - (times[i - politeRate] as number)).toBeGreaterThanOrEqual(990);
  });

  it('waits out a Retry-After before any other read', { timeout: 30_000 }, async () => {
    sent = await sendCampaign(convs(12));
    const s = sent;
    s.mock.setFaults((q) => (q.method === 'GET' && q.index === 3 ? { status: 429, retryAfter: 2 } : undefined));
    const from = s.mock.arrivals.length;
    const r = await s.refresh();
    expect(r.result?.unreadable).toEqual([]);
    expect(r.result?.done).toBe(12);
    const gets = reads(s, from);
    const refused = gets[3] as { at: number };
    const next = gets.slice(4).map((a) => a.at).filter((t) => t > refused.at);
    expect(Math.min(...next) - refused.at).toBeGreaterThanOrEqual(1_900);
  });

  it('slows down to a provider limit that gives no Retry-After, and reads everything', { timeout: 60_000 }, async () => {
    sent = await sendCampaign(convs(30));
    const s = sent;
    s.mock.setRateLimit({ perSecond: 4 });
    const from = s.mock.arrivals.length;
    const r = await s.refresh();
    expect(r.result?.unreadable).toEqual([]);
    expect(r.view.unchecked).toBe(0);
    const gets = reads(s, from);
    const refused = gets.filter((a) => a.refused).length;
    expect(refused).toBeGreaterThan(0);
    expect(refused).toBeLessThan(gets.length / 3);
  });
});
