import { describe, expect, it } from 'vitest';
import { InputError } from '../problems';
import type { Problem } from '../problems';
import { delimiterFromName, parseCsvBytes, parseCsvText } from './parse';
import type { CsvOptions } from './parse';

const fieldsOf = (text: string, options?: CsvOptions): string[][] => parseCsvText(text, options).records.map((r) => r.fields);

/** problemsOf returns the problems of the InputError that parsing `text` throws. */
function problemsOf(text: string): Problem[] {
  try {
    parseCsvText(text);
  } catch (err) {
    if (err instanceof InputError) return err.problems;
    throw err;
  }
  throw new Error('expected an InputError');
}

describe('parseCsvText: rows and lines', () => {
  it('returns headers and records as arrays, with their data row and line', () => {
    const t = parseCsvText('phone,first_name\n+4911,Ana\n+4922,Bo\n');
    expect(t.headers).toEqual(['phone', 'first_name']);
    expect(t.records).toEqual([
      { row: 1, line: 2, fields: ['+4911', 'Ana'] },
      { row: 2, line: 3, fields: ['+4922', 'Bo'] },
    ]);
    expect(t).toMatchObject({ delimiter: ',', encoding: 'utf-8', warnings: [], problems: [] });
  });

  it('reads LF, CRLF and a mix of both, leaving no stray \\r in the last field', () => {
    const expected = [['1', '2'], ['3', '4'], ['5', '']];
    expect(fieldsOf('a,b\n1,2\n3,4\n5,\n')).toEqual(expected);
    expect(fieldsOf('a,b\r\n1,2\r\n3,4\r\n5,\r\n')).toEqual(expected);
    expect(fieldsOf('a,b\r\n1,2\n3,4\r\n5,')).toEqual(expected);
    expect(parseCsvText('a,b\r\n1,2\r\n').headers).toEqual(['a', 'b']);
  });

  it('reads old Mac files whose lines end in \\r alone', () => {
    const t = parseCsvText('a,b\r1,2\r3,"x\ry"\r');
    expect(t.records).toEqual([
      { row: 1, line: 2, fields: ['1', '2'] },
      { row: 2, line: 3, fields: ['3', 'x\ry'] },
    ]);
  });

  it('reads quoted fields with delimiters, doubled quotes and line breaks, and counts their lines', () => {
    const t = parseCsvText('name,note\r\n"Smith, Ana","said ""hi"""\r\n"Bo","line 1\r\nline 2\nline 3"\r\nCy,x\r\n');
    expect(t.records).toEqual([
      { row: 1, line: 2, fields: ['Smith, Ana', 'said "hi"'] },
      { row: 2, line: 3, fields: ['Bo', 'line 1\r\nline 2\nline 3'] },
      { row: 3, line: 6, fields: ['Cy', 'x'] },
    ]);
  });

  it('keeps a \\r that is inside a quoted last field of a CRLF file', () => {
    expect(fieldsOf('a,b\r\n1,"x\r"\r\n2,y\r\n')).toEqual([['1', 'x\r'], ['2', 'y']]);
    expect(fieldsOf('a\tb\r\n"q"\t\r\n"x\r"\t"\r"\r\n', { delimiter: '\t' })).toEqual([['q', ''], ['x\r', '\r']]);
  });

  it('skips blank lines (and lines of only delimiters) without counting them as rows', () => {
    const t = parseCsvText('a,b\n\n1,2\n   \n,\r\n\n3,4\n\n');
    expect(t.records).toEqual([
      { row: 1, line: 3, fields: ['1', '2'] },
      { row: 2, line: 7, fields: ['3', '4'] },
    ]);
  });

  it('trims header names but not values', () => {
    const t = parseCsvText(' phone ,\tname\n +49 , Ana \n');
    expect(t.headers).toEqual(['phone', 'name']);
    expect(t.records[0]?.fields).toEqual([' +49 ', ' Ana ']);
  });

  it('ignores a leading BOM character in text, and a header row with no data is a table with no rows', () => {
    expect(parseCsvText('\ufeffa,b\n')).toMatchObject({ headers: ['a', 'b'], records: [] });
  });

  it('decodes bytes first: UTF-16 LE with a BOM, tab-delimited', () => {
    const text = 'name\tcity\r\nZoë\tMünchen\r\n';
    const bytes = new Uint8Array(2 + text.length * 2);
    bytes.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) bytes[2 + i * 2] = text.charCodeAt(i);
    expect(parseCsvBytes(bytes)).toMatchObject({
      headers: ['name', 'city'],
      records: [{ row: 1, line: 2, fields: ['Zoë', 'München'] }],
      delimiter: '\t',
      encoding: 'utf-16le',
    });
  });

  it('warns about bytes that are not UTF-8 with the line of the first one', () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('name\nAna\nCaf'), 0xe9, 0x0a]);
    const t = parseCsvBytes(bytes);
    expect(t.records.map((r) => r.fields)).toEqual([['Ana'], ['Café']]);
    expect(t.encoding).toBe('windows-1252');
    expect(t.warnings).toEqual([expect.stringMatching(/^line 3: the file is not valid UTF-8/)]);
  });
});

describe('parseCsvText: delimiters', () => {
  const table = [
    ['id', 'name', 'note'],
    ['1', 'Ana', 'a, b; c | d'],
    ['2', 'Bo', 'x'],
  ];
  for (const d of [',', ';', '\t', '|'] as const) {
    const text = table.map((r) => r.map((f) => (/[,;|\t]/.test(f) ? `"${f}"` : f)).join(d)).join('\r\n');
    it(`detects ${JSON.stringify(d)}, not counting the ones inside quotes`, () => {
      const t = parseCsvText(text);
      expect(t.delimiter).toBe(d);
      expect(t.records.map((r) => r.fields)).toEqual(table.slice(1));
    });
  }

  it('prefers the delimiter that splits every row the same way', () => {
    // European export: ';' separates, ',' is the decimal mark.
    expect(parseCsvText('name;price\nAna;1,50\nBo;2,00\n').delimiter).toBe(';');
    // Comma file whose values contain semicolons.
    expect(parseCsvText('name,tags\nAna,a;b\nBo,c;d;e\n').delimiter).toBe(',');
  });

  it('reads a single-column file as comma-separated', () => {
    expect(parseCsvText('phone\n+4911\n+4922\n')).toMatchObject({ delimiter: ',', headers: ['phone'] });
  });

  it('uses the delimiter given instead of detecting one', () => {
    const t = parseCsvText('a,b;c\n1,2;3\n', { delimiter: ';' });
    expect(t.delimiter).toBe(';');
    expect(t.headers).toEqual(['a,b', 'c']);
    expect(parseCsvText('a,b;c\n1,2;3\n').delimiter).toBe(',');
  });

  it('delimiterFromName reads flags as people type them', () => {
    expect(['comma', ';', 'TAB', '\\t', '\t', 'pipe'].map(delimiterFromName)).toEqual([',', ';', '\t', '\t', '\t', '|']);
    expect(delimiterFromName('colon')).toBeUndefined();
    expect(delimiterFromName('toString')).toBeUndefined();
  });
});

describe('parseCsvText: mistakes', () => {
  it('an empty file is an error', () => {
    for (const text of ['', '\ufeff', '\n\n', ' \r\n\t\n']) {
      expect(problemsOf(text)).toEqual([
        { row: 0, field: 'csv', severity: 'error', reason: expect.stringMatching(/^the file is empty.*line 1/) },
      ]);
    }
  });

  it('a blank first line is a missing header row', () => {
    const [p, ...rest] = problemsOf('\n  \nname,phone\nAna,1\n');
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ row: 0, field: 'csv header', severity: 'error' });
    expect(p?.reason).toMatch(/^line 1 is empty.*header row.*above line 3/);
  });

  it('a blank header name is an error naming the column', () => {
    const [p] = problemsOf('name,,phone\n1,2,3\n');
    expect(p).toMatchObject({ row: 0, field: 'csv header' });
    expect(p?.reason).toMatch(/^line 1: column 2 has no name/);
    expect(problemsOf('a,b, \t,\n')[0]?.reason).toMatch(/^line 1: columns 3 and 4 have no name/);
  });

  it('a duplicate header name is an error naming both columns', () => {
    const problems = problemsOf('email,name, email\nx,y,z\n');
    expect(problems).toEqual([
      {
        row: 0,
        field: 'csv header',
        column: 'email',
        severity: 'error',
        reason: expect.stringMatching(/^line 1: columns 1 and 3 are both named "email"/),
      },
    ]);
  });

  it('an unclosed quote is an error naming the line where it opened', () => {
    const [p] = problemsOf('name,note\nAna,ok\nBo,"never\nclosed\nCy,x\n');
    expect(p).toMatchObject({ row: 2, field: 'csv', severity: 'error' });
    expect(p?.reason).toMatch(/^line 3: a quoted field starts here but its closing quote is missing/);
    expect(problemsOf('"name,note\nAna,ok\n')[0]).toMatchObject({ row: 0, reason: expect.stringMatching(/^line 1:/) });
    // A closing quote followed by text is not a closing quote: the field runs on to the end of the file.
    expect(problemsOf('a,b\r\n1,2\r\n3,"4"x\r\n5,6\r\n')[0]?.reason).toMatch(/^line 3:/);
  });

  it('a row with the wrong number of fields is a problem of that row, not an exception', () => {
    const t = parseCsvText('a,b,c\n1,2,3\n\n4,5\n"x\ny",2,3,4\n7,8,9\n');
    expect(t.records.map((r) => [r.row, r.line, r.fields.length])).toEqual([
      [1, 2, 3],
      [2, 4, 2],
      [3, 5, 4],
      [4, 7, 3],
    ]);
    expect(t.problems).toEqual([
      { row: 2, field: 'csv', severity: 'error', reason: expect.stringMatching(/^line 4 has 2 fields but the header has 3 columns/) },
      { row: 3, field: 'csv', severity: 'error', reason: expect.stringMatching(/^line 5 has 4 fields but the header has 3 columns/) },
    ]);
  });
});

/**
 * The classic cases of csv-spectrum (github.com/maxogden/csv-spectrum), written inline: each CSV
 * and the records it must give.
 */
describe('csv-spectrum', () => {
  const cases: [string, string, Record<string, string>[]][] = [
    ['comma_in_quotes', 'first,last,address,city,zip\nJohn,Doe,120 any st.,"Anytown, WW",08123\n', [
      { first: 'John', last: 'Doe', address: '120 any st.', city: 'Anytown, WW', zip: '08123' },
    ]],
    ['empty', 'a,b,c\n1,"",""\n2,3,4\n', [{ a: '1', b: '', c: '' }, { a: '2', b: '3', c: '4' }]],
    ['empty_crlf', 'a,b,c\r\n1,"",""\r\n2,3,4\r\n', [{ a: '1', b: '', c: '' }, { a: '2', b: '3', c: '4' }]],
    ['empty_field', 'a,b,c\n1,,3\n,5,\n', [{ a: '1', b: '', c: '3' }, { a: '', b: '5', c: '' }]],
    ['escaped_quotes', 'a,b\n1,"ha ""ha"" ha"\n3,4\n', [{ a: '1', b: 'ha "ha" ha' }, { a: '3', b: '4' }]],
    ['json', 'key,val\n1,"{""type"": ""Point"", ""coordinates"": [102.0, 0.5]}"\n', [
      { key: '1', val: '{"type": "Point", "coordinates": [102.0, 0.5]}' },
    ]],
    ['newlines', 'a,b,c\n1,2,3\n"Once upon \na time",5,6\n7,8,9\n', [
      { a: '1', b: '2', c: '3' },
      { a: 'Once upon \na time', b: '5', c: '6' },
      { a: '7', b: '8', c: '9' },
    ]],
    ['newlines_crlf', 'a,b,c\r\n1,2,3\r\n"Once upon \r\na time",5,6\r\n7,8,9\r\n', [
      { a: '1', b: '2', c: '3' },
      { a: 'Once upon \r\na time', b: '5', c: '6' },
      { a: '7', b: '8', c: '9' },
    ]],
    ['quotes_and_newlines', 'a,b\n1,"ha \n""ha"" \nha"\n3,4\n', [{ a: '1', b: 'ha \n"ha" \nha' }, { a: '3', b: '4' }]],
    ['simple', 'a,b,c\n1,2,3\n', [{ a: '1', b: '2', c: '3' }]],
    ['simple_crlf', 'a,b,c\r\n1,2,3\r\n', [{ a: '1', b: '2', c: '3' }]],
    ['utf8', 'a,b,c\n1,2,3\n4,5,ʤ\n', [{ a: '1', b: '2', c: '3' }, { a: '4', b: '5', c: 'ʤ' }]],
  ];
  for (const [name, csv, expected] of cases) {
    it(name, () => {
      const t = parseCsvText(csv);
      const objects = t.records.map((r) => Object.fromEntries(t.headers.map((h, i) => [h, r.fields[i]])));
      expect(objects).toEqual(expected);
      expect(t.problems).toEqual([]);
      expect(parseCsvBytes(new TextEncoder().encode(csv)).records).toEqual(t.records);
    });
  }
});
