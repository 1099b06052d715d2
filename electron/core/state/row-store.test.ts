import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RowOutcome } from '../../../shared/engine/events';
import { rowStatuses } from '../../../shared/engine/events';
import type { JournalRecord } from './journal-codec';
import { pickOutcome } from './journal-codec';
import { MAX_ROW, RowStore } from './row-store';
import { PAGE_BYTES, StringColumn } from './string-column';

/** A record as the journal could hold it: any field any value its schema allows. */
const record = fc.record(
  {
    row: fc.integer({ min: 1, max: 300 }),
    status: fc.constantFrom(...rowStatuses),
    recipient: fc.string(),
    attempts: fc.oneof(fc.nat(5), fc.nat(), fc.constant(0xffff)),
    messageId: fc.oneof(fc.uuid(), fc.string()),
    httpStatus: fc.oneof(fc.constantFrom(200, 201, 429, 503), fc.integer({ min: -5, max: 1 }), fc.constant(0xffff), fc.constant(70_000)),
    error: fc.oneof(fc.constantFrom('HTTP 503: busy', 'no conversation'), fc.string({ unit: 'binary' })),
    sentAt: fc.oneof(
      fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toISOString()),
      fc.constantFrom('2025-01-02T03:04:05Z', '2025-01-02T03:04:05.123456Z', 'yesterday', ''),
    ),
    attemptStartedAt: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  },
  { requiredKeys: ['row', 'status', 'recipient', 'attempts'] },
);

describe('RowStore', () => {
  it('reads back exactly the latest record of every row, whatever its fields hold', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 200 }), (records) => {
        const store = new RowStore(8);
        const expected = new Map<number, JournalRecord>();
        for (const r of records) {
          store.set(r);
          expected.set(r.row, pickOutcome(r));
        }
        expect(store.size).toBe(expected.size);
        const rows = [...expected.keys()].sort((a, b) => a - b);
        expect([...store.rows()]).toEqual(rows);
        expect([...store.values()]).toEqual(rows.map((row) => expected.get(row)));
        for (const status of rowStatuses) {
          expect(store.count(status)).toBe([...expected.values()].filter((o) => o.status === status).length);
          expect([...store.rows([status])]).toEqual(rows.filter((row) => expected.get(row)?.status === status));
        }
      }),
    );
  });

  it('answers a row never recorded as absent, and grows past its capacity', () => {
    const store = new RowStore(2);
    store.set({ row: 5_000, status: 'sent', recipient: 'c', attempts: 1 });
    expect(store.get(4_999)).toBeUndefined();
    expect(store.statusOf(4_999)).toBeUndefined();
    expect(store.has(5_000)).toBe(true);
    expect(store.get(5_000)).toEqual({ row: 5_000, status: 'sent', recipient: 'c', attempts: 1 });
    expect(store.maxRow).toBe(5_000);
  });

  it('reads like a map from row to outcome, in row order', () => {
    const outcomes: RowOutcome[] = [
      { row: 3, status: 'failed', recipient: 'c3', attempts: 2, httpStatus: 400, error: 'bad' },
      { row: 1, status: 'sent', recipient: 'c1', attempts: 1, messageId: 'm1', sentAt: '2025-01-02T03:04:05.000Z' },
    ];
    const store = RowStore.of(outcomes);
    expect(new Map(store)).toEqual(new Map([[1, outcomes[1]], [3, outcomes[0]]]));
    expect(Object.fromEntries(store)).toEqual({ 1: outcomes[1], 3: outcomes[0] });
    expect(store.recipientOf(3)).toBe('c3');
    expect(store.sentAtOf(1)).toBe(Date.parse('2025-01-02T03:04:05.000Z'));
    expect(store.sentAtOf(3)).toBeUndefined();
  });

  it('refuses a row number it cannot hold instead of asking for gigabytes', () => {
    const store = new RowStore();
    expect(() => store.set({ row: MAX_ROW + 1, status: 'sent', recipient: '', attempts: 0 })).toThrow(/out of range/);
    expect(() => store.set({ row: 0, status: 'sent', recipient: '', attempts: 0 })).toThrow(/out of range/);
  });

  it('keeps a row in about a hundred bytes (the bench measures a million)', () => {
    const n = 100_000;
    const store = new RowStore(n);
    for (let row = 1; row <= n; row++) {
      store.set({ row, status: 'sent', recipient: `c0nv-${row.toString(16).padStart(8, '0')}`, attempts: 1, messageId: `3c90c3cc-0d44-4b50-8888-${String(row).padStart(12, '0')}`, httpStatus: 201, sentAt: new Date(1.7e12 + row).toISOString() });
    }
    expect(store.count('sent')).toBe(n);
    // 33 bytes of numbers and positions, 14 + 37 of text; the first page of text rounds up to a power of two.
    expect(store.byteSize() / n).toBeLessThan(130);
  });
});

describe('StringColumn', () => {
  it('appends nothing when a row is set to the value it has', () => {
    const c = new StringColumn(4);
    c.set(1, 'conversation-1');
    const used = c.used[0];
    c.set(1, 'conversation-1');
    expect(c.used[0]).toBe(used);
    c.set(1, 'conversation-2');
    expect(c.get(1)).toBe('conversation-2');
    c.set(1, undefined);
    expect(c.get(1)).toBeUndefined();
  });

  it('keeps values of every length and script, across pages', () => {
    const c = new StringColumn(4_000);
    const values = Array.from({ length: 4_000 }, (_, i) => `${'é漢😀'.repeat(i % 50)}${'x'.repeat(i * 7)}`);
    values.forEach((v, i) => c.set(i, v));
    values.forEach((v, i) => expect(c.get(i)).toBe(v));
    expect(c.pages.length).toBeGreaterThan(1);
    const long = 'y'.repeat(PAGE_BYTES);
    c.set(3, long);
    expect(c.get(3)).toBe(long);
  });

  it('shares the bytes of a value that repeats when asked to', () => {
    const c = new StringColumn(1_000, 8);
    for (let row = 0; row < 1_000; row++) c.set(row, 'HTTP 503: the provider is busy');
    expect(c.used[0]).toBeLessThan(64);
    expect(c.get(999)).toBe('HTTP 503: the provider is busy');
  });
});
