import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../problems';
import { parseCsvBytes, parseCsvText } from './parse';

/**
 * The CSV parser against the csv-spectrum cases (github.com/maxogden/csv-spectrum, reproduced
 * here: the package is not a dependency) and hostile or random input: it gives rows or an
 * InputError with problems, never another exception, and never takes long.
 */

const spectrum: { name: string; csv: string; json: Record<string, string>[] }[] = [
  { name: 'comma_in_quotes', csv: 'first,last,address,city,zip\nJohn,Doe,120 any st.,"Anytown, WW",08123\n', json: [{ first: 'John', last: 'Doe', address: '120 any st.', city: 'Anytown, WW', zip: '08123' }] },
  { name: 'empty', csv: 'a,b,c\n1,"",""\n2,3,4\n', json: [{ a: '1', b: '', c: '' }, { a: '2', b: '3', c: '4' }] },
  { name: 'empty_crlf', csv: 'a,b,c\r\n1,"",""\r\n2,3,4\r\n', json: [{ a: '1', b: '', c: '' }, { a: '2', b: '3', c: '4' }] },
  { name: 'escaped_quotes', csv: 'a,b\n1,"ha ""ha"" ha"\n3,4\n', json: [{ a: '1', b: 'ha "ha" ha' }, { a: '3', b: '4' }] },
  { name: 'json', csv: 'key,val\n1,"{""type"": ""Point"", ""coordinates"": [102.0, 0.5]}"\n', json: [{ key: '1', val: '{"type": "Point", "coordinates": [102.0, 0.5]}' }] },
  { name: 'newlines', csv: 'a,b,c\n1,2,3\n"Once upon \na time",5,6\n7,8,9\n', json: [{ a: '1', b: '2', c: '3' }, { a: 'Once upon \na time', b: '5', c: '6' }, { a: '7', b: '8', c: '9' }] },
  { name: 'newlines_crlf', csv: 'a,b,c\r\n1,2,3\r\n"Once upon \r\na time",5,6\r\n7,8,9\r\n', json: [{ a: '1', b: '2', c: '3' }, { a: 'Once upon \r\na time', b: '5', c: '6' }, { a: '7', b: '8', c: '9' }] },
  { name: 'quotes_and_newlines', csv: 'a,b\n1,"ha \n""ha"" \nha"\n3,4\n', json: [{ a: '1', b: 'ha \n"ha" \nha' }, { a: '3', b: '4' }] },
  { name: 'simple', csv: 'a,b,c\n1,2,3\n', json: [{ a: '1', b: '2', c: '3' }] },
  { name: 'simple_crlf', csv: 'a,b,c\r\n1,2,3\r\n', json: [{ a: '1', b: '2', c: '3' }] },
  { name: 'utf8', csv: 'a,b,c\n1,2,3\n4,5,ʤ\n', json: [{ a: '1', b: '2', c: '3' }, { a: '4', b: '5', c: 'ʤ' }] },
  { name: 'location_coordinates', csv: 'Contact Name,Address,Phone Number,Location Coordinates\nBill,Somewhere,555-5555,"1.23, 4.56"\n', json: [{ 'Contact Name': 'Bill', Address: 'Somewhere', 'Phone Number': '555-5555', 'Location Coordinates': '1.23, 4.56' }] },
];

function asObjects(t: { headers: string[]; records: { fields: string[] }[] }): Record<string, string>[] {
  return t.records.map((r) => Object.fromEntries(t.headers.map((h, i) => [h, r.fields[i] ?? ''])));
}

/** tryParse returns the table or the InputError; anything else thrown fails the test. */
function tryParse(run: () => ReturnType<typeof parseCsvText>): ReturnType<typeof parseCsvText> | InputError {
  try {
    return run();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw new Error(`untyped throw: ${String(e)}`, { cause: e });
  }
}

/** timed runs a parse and fails if it takes longer than `ms` (a near-hang on hostile input). */
function timed<T>(ms: number, run: () => T): T {
  const t0 = performance.now();
  const out = run();
  expect(performance.now() - t0).toBeLessThan(ms);
  return out;
}

describe('csv-spectrum', () => {
  for (const c of spectrum) {
    it(c.name, () => {
      const fromText = parseCsvText(c.csv);
      expect(asObjects(fromText)).toEqual(c.json);
      expect(fromText.problems).toEqual([]);
      expect(asObjects(parseCsvBytes(new TextEncoder().encode(c.csv)))).toEqual(c.json);
    });
  }
});

describe('hostile input', () => {
  const big = (s: string, n: number) => s.repeat(n);
  const cases: [string, string][] = [
    ['an unterminated quote over 1 MB', `a,b\n1,"${big('x', 1_000_000)}`],
    ['200,000 empty fields on one line', `a\n${big(',', 200_000)}`],
    ['a long run of quotes', `a\n${big('"', 300_001)}`],
    ['100,000 lines of quoted newlines', `a,b\n"${big('\n', 100_000)}",x\n`],
    ['only delimiters and newlines', big(',;\t|\r\n', 50_000)],
    ['a NUL-filled file', big('\u0000', 100_000)],
    ['only a BOM', '\uFEFF'],
    ['a header with 10,000 duplicate names', `${Array(10_000).fill('x').join(',')}\n1`],
  ];
  for (const [name, text] of cases) {
    it(`${name}: a table or an InputError with problems, quickly`, () => {
      const r = timed(3_000, () => tryParse(() => parseCsvText(text)));
      if (r instanceof InputError) expect(r.problems.length).toBeGreaterThan(0);
      else expect(r.headers.length).toBeGreaterThan(0);
    });
  }
});

describe('random input', () => {
  it('any string: a table or an InputError naming a row, never an untyped throw or a hang', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const r = timed(1_000, () => tryParse(() => parseCsvText(text)));
        if (r instanceof InputError) {
          expect(r.problems.length).toBeGreaterThan(0);
          for (const p of r.problems) expect(typeof p.row).toBe('number');
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('CSV-shaped random text with every delimiter: same guarantee, rows keep the header width or carry a problem', () => {
    const piece = fc.constantFrom('a', '"', '""', ',', ';', '\t', '|', '\r', '\n', '\r\n', ' ', 'é', '\uFEFF', '=1+1');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 200 }), (pieces) => {
        const r = timed(1_000, () => tryParse(() => parseCsvText(pieces.join(''))));
        if (r instanceof InputError) return;
        for (const rec of r.records) {
          if (rec.fields.length !== r.headers.length) expect(r.problems.map((p) => p.row)).toContain(rec.row);
        }
      }),
      { numRuns: 1500 },
    );
  });
});
