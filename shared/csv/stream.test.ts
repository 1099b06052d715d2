import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../problems';
import { SAMPLE_CHARS } from './detect';
import { parseCsvBytes, parseCsvText } from './parse';
import { CsvStreamParser, MAX_ROW_CHARS } from './stream';
import type { CsvOptions, CsvRow } from './types';

const encode = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Outcome is what a parse gives, or the message of the InputError it throws. */
type Outcome = { headers: string[] | undefined; delimiter: string | undefined; rows: CsvRow[]; warnings: string[] } | string;

function outcome(run: () => { headers: string[] | undefined; delimiter: string | undefined; rows: CsvRow[]; warnings: readonly string[] }): Outcome {
  try {
    const r = run();
    return { ...r, warnings: [...r.warnings] };
  } catch (err) {
    if (err instanceof InputError) return err.message;
    throw err;
  }
}

/** inPieces feeds `bytes` to a CsvStreamParser cut at `cuts`. */
function inPieces(bytes: Uint8Array, cuts: number[], options?: CsvOptions): Outcome {
  return outcome(() => {
    const p = new CsvStreamParser(options);
    const rows: CsvRow[] = [];
    let from = 0;
    for (const cut of [...cuts].sort((a, b) => a - b)) {
      rows.push(...p.pushBytes(bytes.slice(from, Math.max(from, cut))));
      from = Math.max(from, cut);
    }
    rows.push(...p.pushBytes(bytes.slice(from)));
    rows.push(...p.end());
    return { headers: p.headers, delimiter: p.delimiter, rows, warnings: p.warnings };
  });
}

function whole(bytes: Uint8Array, options?: CsvOptions): Outcome {
  return outcome(() => {
    const t = parseCsvBytes(bytes, options);
    return { headers: t.headers, delimiter: t.delimiter, rows: t.records, warnings: t.warnings };
  });
}

const TRICKY =
  '\ufeffid;name;note\r\n' +
  '1;Zoë;"multi\r\nline; with ""quotes"""\r\n' +
  '\r\n' +
  '2;東京 😀;"ends in CR\r"\r\n' +
  '3;short\n' +
  '4;Noël;"x\ny\nz"\n' +
  '5;last;no newline at the end';

describe('CsvStreamParser', () => {
  it('finds the same rows, lines and problems wherever the bytes are cut', () => {
    const bytes = encode(TRICKY);
    const expected = whole(bytes);
    expect(typeof expected).toBe('object');
    for (let cut = 0; cut <= bytes.length; cut++) expect(inPieces(bytes, [cut])).toEqual(expected);
    for (const size of [1, 2, 3, 5]) {
      const cuts = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => i * size);
      expect(inPieces(bytes, cuts)).toEqual(expected);
    }
  });

  it('gives the rows of a chunk as soon as the chunk completes them', () => {
    const p = new CsvStreamParser({ delimiter: ',' });
    expect(p.pushText('a,b\n1,2\n3')).toEqual([]); // waits for SAMPLE_CHARS before choosing how to read
    const big = 'x,y\n'.repeat(SAMPLE_CHARS / 4);
    const rows = p.pushText(big);
    expect(rows[0]).toEqual({ row: 1, line: 2, fields: ['1', '2'] });
    expect(rows[1]).toEqual({ row: 2, line: 3, fields: ['3x', 'y'] });
    expect(rows.length).toBe(SAMPLE_CHARS / 4 + 1);
    expect(p.end()).toEqual([]);
  });

  it('detects from the first SAMPLE_CHARS of text however the text arrives', () => {
    const head = 'a|b\n' + '1|2\n'.repeat(SAMPLE_CHARS / 4);
    const tail = '3,4,5,6\n'.repeat(100);
    const text = head + tail;
    const expected = parseCsvText(text);
    expect(expected.delimiter).toBe('|');
    expect(expected.problems).toHaveLength(100);
    const cuts = [1, 100, SAMPLE_CHARS - 1, SAMPLE_CHARS + 3, text.length - 5];
    expect(inPieces(encode(text), cuts)).toEqual(whole(encode(text)));
  });

  it('reports an unclosed quote with the same line when streamed', () => {
    const bytes = encode('a,b\n1,2\n3,"open\n' + 'more,text\n'.repeat(10_000));
    const expected = whole(bytes);
    expect(expected).toMatch(/line 3: a quoted field starts here/);
    expect(inPieces(bytes, [5, 9000, 70_000])).toEqual(expected);
  });

  it('reads a value of several megabytes spread over many chunks, and the rows after it', () => {
    const big = 'line of a long note\r\n'.repeat(150_000); // 3 MB inside one quoted value
    const text = `id,note\r\n1,"${big}"\r\n2,after\r\n3,"open\r\n${'x,y\r\n'.repeat(300_000)}`;
    const bytes = encode(text);
    const p = new CsvStreamParser();
    const rows: CsvRow[] = [];
    for (let at = 0; at < bytes.length; at += 64 * 1024) rows.push(...p.pushBytes(bytes.subarray(at, at + 64 * 1024)));
    expect(() => p.end()).toThrow(/line 150004: a quoted field starts here/);
    expect(rows.map((r) => [r.row, r.line, r.fields[1]?.length])).toEqual([
      [1, 2, big.length],
      [2, 150003, 5],
    ]);
  });

  it('names the line of the first byte that is not UTF-8 even when it arrives late', () => {
    const lines = 'a,b\n' + '1,é\n'.repeat(20_000);
    const bytes = new Uint8Array([...encode(lines), 0x41, 0xe9, 0x0a]);
    const expected = whole(bytes);
    expect(expected).toMatchObject({ warnings: [expect.stringMatching(/^line 20002:/)] });
    expect(inPieces(bytes, [10, 70_000, bytes.length - 2])).toEqual(expected);
  });

  it('warns once about unreadable letters (U+FFFD), naming the line, however the text was decoded', () => {
    // What a Windows-1252 file becomes when UTF-8 is forced on it: "Jürgen" reads "J\uFFFDrgen".
    const forced = new TextDecoder('utf-8').decode(new Uint8Array([...encode('name,city\nAna,Porto\nJ'), 0xfc, ...encode('rgen,K'), 0xf6, ...encode('ln\n')]));
    const p = new CsvStreamParser();
    const rows = [...p.pushText(forced.slice(0, 15)), ...p.pushText(forced.slice(15)), ...p.end()];
    expect(rows[1]?.fields).toEqual(['J\uFFFDrgen', 'K\uFFFDln']);
    expect(p.warnings).toEqual([expect.stringMatching(/^line 3: the text holds "\uFFFD"/)]);
    expect(whole(encode(forced))).toMatchObject({ warnings: [expect.stringMatching(/^line 3:.*Windows-1252/)] });
    expect(whole(encode('name\nJürgen\n'))).toMatchObject({ warnings: [] });
  });

  it('refuses a row that never ends (a quote that never closes) once it outgrows MAX_ROW_CHARS, naming its line, without holding the rest', () => {
    const p = new CsvStreamParser();
    p.pushText('id,note\n1,ok\n2,"never closed\n');
    const chunk = 'x'.repeat(1 << 20);
    let error: unknown;
    let pushed = 0;
    try {
      for (; pushed < MAX_ROW_CHARS / chunk.length + 2; pushed++) p.pushText(chunk);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems[0]?.reason).toMatch(/^line 3: the row that starts here is longer than 64 million characters/);
    expect(pushed).toBeLessThanOrEqual(MAX_ROW_CHARS / chunk.length + 1);
    // A long but finished cell (3 MB) is fine.
    expect(parseCsvText(`id,note\n1,"${'y'.repeat(3 << 20)}"\n`).records[0]?.fields[1]?.length).toBe(3 << 20);
  });

  it('any text cut anywhere parses as it does in one piece (property)', () => {
    const piece = fc.constantFrom('a', 'é', '😀', ',', ';', '\t', '"', '""', '\r', '\n', '\r\n', ' ', 'x,y\n', '"q\r\n"');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), fc.array(fc.nat(400), { maxLength: 6 }), (pieces, cuts) => {
        const bytes = encode(pieces.join(''));
        expect(inPieces(bytes, cuts)).toEqual(whole(bytes));
      }),
      { numRuns: 300 },
    );
  });
});
