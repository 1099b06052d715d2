import { describe, expect, it } from 'vitest';
import { feedJobs } from './feeder';

describe('feedJobs', () => {
  it('waits for room before reading the next item', async () => {
    const seen: number[] = [];
    let full = true;
    let letIn!: () => void;
    const feeding = feedJobs([1, 2, 3], {
      halted: () => false,
      room: () => (full ? new Promise<void>((r) => (letIn = r)) : undefined),
      admit: async (n) => void seen.push(n),
    });
    await Promise.resolve();
    expect(seen).toEqual([]);
    full = false;
    letIn();
    expect(await feeding).toEqual({});
    expect(seen).toEqual([1, 2, 3]);
  });

  it('stops reading when halted and closes the source', async () => {
    let closed = false;
    function* source() {
      try {
        for (let i = 1; ; i++) yield i;
      } finally {
        closed = true;
      }
    }
    const seen: number[] = [];
    await feedJobs(source(), { halted: () => seen.length === 3, room: () => undefined, admit: async (n) => void seen.push(n) });
    expect(seen).toEqual([1, 2, 3]);
    expect(closed).toBe(true);
  });

  it('reads async sources and returns a failure instead of throwing', async () => {
    async function* source() {
      yield 1;
      throw new Error('unreadable');
    }
    const seen: number[] = [];
    const result = await feedJobs(source(), { halted: () => false, room: () => undefined, admit: async (n) => void seen.push(n) });
    expect(seen).toEqual([1]);
    expect(result.error).toEqual(new Error('unreadable'));
  });
});
