import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../test/fakes/manual-clock';
import { StartGate } from './start-gate';

function queue() {
  const q = { running: true, pause: () => void (q.running = false), start: () => void (q.running = true) };
  return q;
}

describe('StartGate', () => {
  it('opens only when neither the user nor a hold keeps it closed', async () => {
    const clock = new ManualClock();
    const q = queue();
    const gate = new StartGate(q, clock, new AbortController().signal);
    gate.holdFor(1000);
    gate.setUserPaused(true);
    await clock.advance(1000);
    expect(q.running).toBe(false); // the hold ended, the user's pause did not
    gate.setUserPaused(false);
    expect(q.running).toBe(true);
  });

  it('extends a hold when a longer one comes, and closes for good on halt', async () => {
    const clock = new ManualClock();
    const q = queue();
    const gate = new StartGate(q, clock, new AbortController().signal);
    gate.holdFor(1000);
    await clock.advance(500);
    gate.holdFor(2000); // until 2500
    await clock.advance(1000);
    expect(q.running).toBe(false);
    await clock.advance(1000);
    expect(q.running).toBe(true);
    gate.halt();
    gate.setUserPaused(false);
    expect(q.running).toBe(false);
  });
});
