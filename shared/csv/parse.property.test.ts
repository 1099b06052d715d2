import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Papa from 'papaparse';
import { InputError } from '../problems';
import { isBlankRow } from './detect';
import { parseCsvBytes, parseCsvText } from './parse';
import { DELIMITERS } from './types';

// Characters that make CSV hard: every delimiter, quotes, both line-break characters, spaces,
// and text outside ASCII.
const hardChar = fc.constantFrom('a', 'Z', '0', ' ', ',', ';', '\t', '|', '"', '\r', '\n', 'é', '東', '😀');
const cell = fc.array(hardChar, { maxLength: 8 }).map((cs) => cs.join(''));
// Header names as the parser returns them: trimmed, non-blank, unique.
const headerName = cell.map((s) => s.trim()).filter((s) => s !== '');

const table = fc.integer({ min: 1, max: 5 }).chain((columns) =>
  fc.record({
    headers: fc.uniqueArray(headerName, { minLength: columns, maxLength: columns }),
    // A row of nothing but whitespace is a blank line, which the parser skips by design.
    rows: fc.array(fc.array(cell, { minLength: columns, maxLength: columns }).filter((r) => !isBlankRow(r)), {
      maxLength: 8,
    }),
    delimiter: fc.constantFrom(...DELIMITERS),
    newline: fc.constantFrom('\r\n', '\n'),
    finalNewline: fc.boolean(),
  }),
);

describe('parseCsvText (properties)', () => {
  it('reads back any table that papaparse writes, numbering rows and the lines they start on', () => {
    fc.assert(
      fc.property(table, ({ headers, rows, delimiter, newline, finalNewline }) => {
        const lines = [headers, ...rows].map((r) => Papa.unparse([r], { delimiter, newline }));
        const csv = lines.join(newline) + (finalNewline ? newline : '');
        // Each row takes one line plus one per line break inside its quoted values.
        const startLines = lines.map((_, i) => 1 + lines.slice(0, i).reduce((n, l) => n + 1 + l.split('\n').length - 1, 0));
        const t = parseCsvText(csv, { delimiter });
        expect(t.headers).toEqual(headers);
        expect(t.records).toEqual(rows.map((fields, i) => ({ row: i + 1, line: startLines[i + 1], fields })));
        expect(t.problems).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('random bytes give a table or an InputError, never anything else', () => {
    const csvByte = fc.oneof(
      fc.constantFrom(0x2c, 0x3b, 0x09, 0x7c, 0x22, 0x0d, 0x0a, 0x20, 0x61, 0x62),
      fc.integer({ min: 0, max: 255 }),
    );
    fc.assert(
      fc.property(fc.array(csvByte, { maxLength: 120 }), fc.option(fc.constantFrom(...DELIMITERS)), (bytes, delimiter) => {
        try {
          const t = parseCsvBytes(new Uint8Array(bytes), delimiter === null ? {} : { delimiter });
          expect(t.headers.length).toBeGreaterThan(0);
          for (const r of t.records) {
            if (r.fields.length !== t.headers.length) expect(t.problems.map((p) => p.row)).toContain(r.row);
          }
        } catch (err) {
          expect(err).toBeInstanceOf(InputError);
          expect((err as InputError).problems.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
