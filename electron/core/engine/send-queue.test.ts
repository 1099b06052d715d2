import { describe, expect, it } from 'vitest';
import { ManualClock, settle } from '../../../test/fakes/manual-clock';
import type { WireTicket } from './send-queue';
import { catchUpMs } from './rate-limit';
import { createSendQueue } from './send-queue';

/** tracker records which tasks started, each holding its ticket until the test ends it. */
function tracker() {
  const started: string[] = [];
  const tickets = new Map<string, WireTicket>();
  const ends = new Map<string, () => void>();
  const task = (name: string) => (ticket: WireTicket) => {
    started.push(name);
    tickets.set(name, ticket);
    ticket.written(); // on the wire as it starts, as the transports report it
    return new Promise<void>((resolve) => ends.set(name, resolve));
  };
  const finish = (name: string, status = 200, retryAfter = false) => {
    const change = (tickets.get(name) as WireTicket).done({ written: true, status, retryAfter });
    ends.get(name)?.();
    return change;
  };
  return { started, task, finish };
}

describe('SendQueue gate', () => {
  it('starts nothing while the user pauses or a hold lasts, and opens when neither does', async () => {
    const clock = new ManualClock();
    const q = createSendQueue({ concurrency: 4, perSecond: 1000, adaptive: false, clock });
    const t = tracker();
    q.holdFor(1000);
    q.setPaused(true);
    void q.run(t.task('a'), 0);
    await clock.advance(1000);
    expect(t.started).toEqual([]); // the hold ended, the user's pause did not
    q.setPaused(false);
    await settle();
    expect(t.started).toEqual(['a']);
  });

  it('extends a hold when a longer one comes, and starts nothing more after halt', async () => {
    const clock = new ManualClock();
    const q = createSendQueue({ concurrency: 4, perSecond: 1000, adaptive: false, clock });
    const t = tracker();
    q.holdFor(1000);
    void q.run(t.task('a'), 0);
    await clock.advance(500);
    q.holdFor(2000); // until 2500
    await clock.advance(1000);
    expect(t.started).toEqual([]);
    await clock.advance(1000);
    expect(t.started).toEqual(['a']);
    q.halt();
    void q.run(t.task('b'), 0);
    q.setPaused(false);
    await clock.advance(10_000);
    expect(t.started).toEqual(['a']);
    expect(q.size).toBe(0);
  });

  it('keeps to the concurrency and starts higher priorities first', async () => {
    const clock = new ManualClock();
    const q = createSendQueue({ concurrency: 2, perSecond: 1000, adaptive: false, clock });
    const t = tracker();
    for (const name of ['new1', 'new2', 'new3']) void q.run(t.task(name), 0);
    await clock.advance(10);
    expect(t.started).toEqual(['new1', 'new2']); // two slots
    void q.run(t.task('retry'), 1);
    void q.run(t.task('read'), 2);
    await clock.advance(10);
    expect(t.started).toEqual(['new1', 'new2']);
    t.finish('new1');
    await clock.advance(10);
    expect(t.started).toEqual(['new1', 'new2', 'read']);
    t.finish('new2');
    await clock.advance(10);
    expect(t.started.at(-1)).toBe('retry');
  });
});

describe('SendQueue pace', () => {
  it('spaces starts evenly and holds the rate on wire times, counting a started request not yet written', async () => {
    const clock = new ManualClock(0);
    const q = createSendQueue({ concurrency: 10, perSecond: 4, adaptive: false, clock });
    const starts: number[] = [];
    const tickets: WireTicket[] = [];
    for (let i = 0; i < 6; i++) {
      void q.run((ticket) => {
        starts.push(clock.now());
        tickets.push(ticket);
        return new Promise<void>(() => undefined); // stays on its way until the test says
      }, 0);
    }
    await clock.advance(2000);
    // A period of (1000 + 10 margin + 1 clock step) / 4; then all four places are taken by requests not yet written.
    expect(starts).toEqual([0, 253, 506, 759]);
    tickets[0]?.done({ written: true, status: 200 }); // written as it ended, at 2000: the 5th waits a window after that
    await clock.advance(1010);
    expect(starts).toHaveLength(4);
    await clock.advance(1);
    expect(starts).toEqual([0, 253, 506, 759, 3011]);
    tickets[1]?.done({ written: false }); // never reached the wire: its place is free, on the schedule
    await clock.advance(200);
    // A period after the 5th's due time, which counts as at most catchUpMs late (the 6th was waiting).
    expect(starts).toEqual([0, 253, 506, 759, 3011, Math.ceil(3011 - catchUpMs + 1011 / 4)]);
  });

  it('lowers the pace on a 429 without Retry-After to what the provider accepted, once for the requests already sent', async () => {
    const clock = new ManualClock(0);
    const q = createSendQueue({ concurrency: 50, perSecond: 100, adaptive: true, clock });
    const t = tracker();
    for (let i = 0; i < 40; i++) void q.run(t.task(`r${i}`), 0);
    await clock.advance(310); // 31 started, ~10 ms apart
    expect(t.started).toHaveLength(31);
    for (let i = 0; i < 28; i++) t.finish(`r${i}`);
    expect(q.pace()).toEqual({ perSecond: 100, ceiling: 100 });
    expect(t.finish('r28', 429, true)).toBeUndefined(); // with Retry-After: a hold (the engine's), not a lower pace
    const change = t.finish('r29', 429);
    expect(change).toMatchObject({ perSecond: 26, ceiling: 100, lowered: true }); // 28 accepted before it, less 5%
    expect(change?.reason).toMatch(/429 and no Retry-After after accepting 28 in one second/);
    expect(q.pace()).toMatchObject({ perSecond: 26, ceiling: 100, reason: change?.reason });
    await clock.advance(1);
    expect(t.finish('r30', 429)).toBeUndefined(); // left before the pace dropped: not counted again
  });

  it('raises the pace again slowly while no refusal comes, up to the ceiling', async () => {
    const clock = new ManualClock(0);
    const q = createSendQueue({ concurrency: 50, perSecond: 40, adaptive: true, clock });
    const t = tracker();
    let next = 0;
    const feed = (n: number) => {
      for (let i = 0; i < n; i++) void q.run(t.task(`r${next++}`), 0);
    };
    feed(200);
    await clock.advance(500);
    for (const name of t.started.slice(0, -1)) t.finish(name);
    const lowered = t.finish(t.started.at(-1) as string, 429);
    expect(lowered?.perSecond).toBeLessThan(40);
    const paces: number[] = [];
    for (let s = 0; s < 40 && q.pace().perSecond < 40; s++) {
      await clock.advance(1000);
      for (const name of t.started) {
        const change = t.finish(name);
        if (change !== undefined) paces.push(change.perSecond);
      }
      feed(60);
    }
    expect(paces.length).toBeGreaterThan(3); // step by step, not at once
    expect(paces).toEqual([...paces].sort((a, b) => a - b));
    expect(paces.at(-1)).toBe(40);
    expect(q.pace()).toEqual({ perSecond: 40, ceiling: 40 });
  });
});
