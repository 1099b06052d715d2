import { describe, expect, it } from 'vitest';
import { RowStore } from '../state/row-store';
import { ClaimIndex } from './claim-index';

const window = 60_000;

/** world is a journal of rows and an index over it; `send` records a row sent, then notes it, as a run does. */
function world() {
  const rows = new RowStore();
  const claims = new ClaimIndex(window, () => rows);
  const send = (row: number, recipient: string, id: string, at: number) => {
    rows.set({ row, status: 'sent', recipient, attempts: 1, messageId: id });
    claims.note(recipient, id, at, row);
  };
  return { rows, claims, send };
}

describe('ClaimIndex', () => {
  it('holds the ids of recent sends by conversation, read from the rows', () => {
    const { claims, send } = world();
    send(1, 'a', 'm1', 0);
    send(2, 'b', 'm2', 10);
    send(3, 'a', 'm3', 20);
    expect(claims.claimed('a')).toEqual(new Set(['m1', 'm3']));
    expect(claims.claimed('b')).toEqual(new Set(['m2']));
    expect(claims.claimed('c')).toEqual(new Set());
  });

  it('forgets sends older than the window, except for a pinned conversation', () => {
    const { claims, send } = world();
    send(1, 'a', 'm1', 0);
    send(2, 'b', 'm2', 0);
    claims.pin('b');
    send(3, 'c', 'm3', window + 1);
    expect(claims.claimed('a')).toEqual(new Set());
    expect(claims.claimed('b')).toEqual(new Set(['m2']));
    send(4, 'b', 'm4', window + 2);
    expect(claims.claimed('b')).toEqual(new Set(['m2', 'm4']));
  });

  it('keeps a found id before its row is recorded, and held ids of earlier runs', () => {
    const { claims } = world();
    claims.note('a', 'found', 5);
    claims.hold('b', 'old');
    expect(claims.claimed('a')).toEqual(new Set(['found']));
    expect(claims.claimed('b')).toEqual(new Set(['old']));
    expect(claims.isPinned('b')).toBe(true);
    expect(claims.pinnedCount).toBe(1);
  });

  it('finds every send of a conversation among a hundred thousand, across growth and pruning', () => {
    const { claims, send } = world();
    const expected = new Set<string>();
    for (let row = 1; row <= 100_000; row++) {
      const recipient = `conv-${row % 997}`;
      send(row, recipient, `m${row}`, row);
      if (recipient === 'conv-5' && row >= 100_000 - window) expected.add(`m${row}`);
    }
    expect(claims.claimed('conv-5')).toEqual(expected);
  });
});
