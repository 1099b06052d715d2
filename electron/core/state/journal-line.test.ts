import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rowStatuses } from '../../../shared/engine/events';
import { decodeLine, encodeRecord } from './journal-codec';
import type { JournalRecord } from './journal-codec';
import { ParsedLine, parseLine } from './journal-line';
import { RowStore } from './row-store';

/** Any record the journal may hold, its texts drawn from everything a string can contain. */
const record = fc.record(
  {
    row: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.constant(Number.MAX_SAFE_INTEGER)),
    status: fc.constantFrom(...rowStatuses),
    recipient: fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constant('c0nv-é漢😀')),
    attempts: fc.oneof(fc.nat(9), fc.nat()),
    messageId: fc.oneof(fc.uuid(), fc.string({ unit: 'binary' })),
    httpStatus: fc.oneof(fc.constantFrom(0, 201, 503), fc.integer({ min: -1_000_000, max: 1_000_000 })),
    error: fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constant('line one\nline "two"')),
    sentAt: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.string()),
    attemptStartedAt: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  },
  { requiredKeys: ['row', 'status', 'recipient', 'attempts'] },
);

describe('reading a journal line in place', () => {
  it('reads every record as decodeLine does, or leaves it to decodeLine', () => {
    fc.assert(
      fc.property(record, (r: JournalRecord) => {
        if (r.row > 1 << 27) return; // beyond what a store holds; decodeLine is checked on its own
        const line = Buffer.from(encodeRecord(r).slice(0, -1), 'utf8');
        const fast = new RowStore();
        const parsed = new ParsedLine();
        const slow = new RowStore();
        const decoded = decodeLine(line);
        expect(decoded.ok).toBe(true);
        if (decoded.ok) slow.set(decoded.outcome);
        if (parseLine(line, 0, line.length, parsed)) fast.setParsed(parsed, line);
        else fast.set(decoded.ok ? decoded.outcome : r);
        expect(fast.get(r.row)).toEqual(slow.get(r.row));
      }),
      { numRuns: 3_000 },
    );
  });

  it('takes the plain lines the engine writes without decodeLine', () => {
    const parsed = new ParsedLine();
    for (const r of [
      { row: 7, status: 'in-flight', recipient: 'c0nv-1a2b', attempts: 1, attemptStartedAt: '2025-01-02T03:04:05.000Z' },
      { row: 7, status: 'sent', recipient: 'c0nv-1a2b', attempts: 1, messageId: 'm-1', httpStatus: 201, sentAt: '2025-01-02T03:04:05.123Z' },
      { row: 8, status: 'failed', recipient: 'Zoë', attempts: 3, httpStatus: -1, error: 'HTTP 400: bad' },
    ] as JournalRecord[]) {
      const line = Buffer.from(encodeRecord(r).slice(0, -1), 'utf8');
      expect(parseLine(line, 0, line.length, parsed)).toBe(true);
    }
  });

  it('refuses a damaged line, a line in another form, and JSON it would misread', () => {
    const parsed = new ParsedLine();
    const good = encodeRecord({ row: 1, status: 'sent', recipient: 'c', attempts: 1 }).slice(0, -1);
    const refused = [
      good.replace('"c"', '"d"'), // the checksum no longer matches
      good.slice(0, -1),
      `00000000 {"row":1,"status":"sent","recipient":"c","attempts":1}`,
    ];
    for (const text of refused) expect(parseLine(Buffer.from(text), 0, Buffer.byteLength(text), parsed)).toBe(false);
    // Well-formed lines in a form encodeRecord never writes are left to decodeLine.
    for (const json of ['{"status":"sent","row":1,"recipient":"c","attempts":1}', '{"row":01,"status":"sent","recipient":"c","attempts":1}', '{"row":1,"status":"sent","recipient":"c\\u0041","attempts":1}', '{"row":1,"status":"sent","recipient":"c","attempts":1.0}', '{"row":1, "status":"sent","recipient":"c","attempts":1}']) {
      const text = `${crc32(json).toString(16).padStart(8, '0')} ${json}`;
      expect(parseLine(Buffer.from(text), 0, text.length, parsed)).toBe(false);
    }
  });
});
