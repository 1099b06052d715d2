import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../shared/problems';
import { parseCsvBytes } from '../../shared/csv/parse';
import type { CsvRow } from '../../shared/csv/types';
import { CHUNK_BYTES, openCsvFile } from './csv-file';
import type { CsvFileReader } from './csv-file';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'csv-file-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const encoder = new TextEncoder();

async function fileWith(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof content === 'string' ? encoder.encode(content) : content);
  return path;
}

async function collect(reader: CsvFileReader): Promise<CsvRow[]> {
  const rows: CsvRow[] = [];
  for await (const r of reader.records()) rows.push(r);
  return rows;
}

async function rejection(p: Promise<unknown>): Promise<InputError> {
  const err: unknown = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  return err as InputError;
}

/**
 * bigCsv builds a CSV of more than three read chunks in which a two-byte character straddles the
 * first chunk boundary, a four-byte one the second, and a quoted CRLF line break the third.
 */
function bigCsv(): Uint8Array {
  let text = '';
  let size = 0;
  const add = (s: string): void => {
    text += s;
    size += encoder.encode(s).length;
  };
  let id = 0;
  // Adds ASCII rows until exactly `target` bytes are written.
  const padTo = (target: number): void => {
    while (target - size > 60) add(`${++id};filler;${'x'.repeat(30)}\r\n`);
    const room = target - size - `${id + 1};;\r\n`.length;
    add(`${++id};${'p'.repeat(room)};\r\n`);
    expect(size).toBe(target);
  };
  add('\ufeffid;name;note\r\n');
  padTo(CHUNK_BYTES - 1 - 's1;Zo'.length);
  add('s1;Zoë straddles;"multi\r\nline ""quoted"" 東京"\r\n'); // 'ë' spans the first boundary
  padTo(2 * CHUNK_BYTES - 2 - 's2;'.length);
  add('s2;😀;emoji across\r\n'); // the emoji's four bytes span the second boundary
  padTo(3 * CHUNK_BYTES - 1 - 's3;q;"line one'.length);
  add('s3;q;"line one\r\nline two; still one value"\r\n'); // the quoted CRLF spans the third
  for (let i = 0; i < 50; i++) add(`${++id};Noël ${i};"a, b; ""c"""\r\n`);
  add('\r\n\r\n');
  add(`${++id};short\r\n`); // a field-count problem near the end
  add(`${++id};last;no line break at the end`);
  return encoder.encode(text);
}

describe('openCsvFile', () => {
  it('streams a file of several chunks to exactly what the in-memory parse finds', async () => {
    const bytes = bigCsv();
    const at = (n: number): number => bytes[n] ?? -1;
    // The cases the file is built for really are at the chunk boundaries.
    expect(at(CHUNK_BYTES - 1) >= 0xc0 && at(CHUNK_BYTES) >= 0x80 && at(CHUNK_BYTES) < 0xc0).toBe(true);
    expect(at(2 * CHUNK_BYTES - 1)).toBeGreaterThanOrEqual(0x80);
    expect([at(3 * CHUNK_BYTES - 1), at(3 * CHUNK_BYTES)]).toEqual([0x0d, 0x0a]);
    expect(new TextDecoder().decode(bytes.subarray(3 * CHUNK_BYTES - 10, 3 * CHUNK_BYTES))).toBe('"line one\r');

    const path = await fileWith('big.csv', bytes);
    const expected = parseCsvBytes(bytes);
    const reader = await openCsvFile(path);
    try {
      expect(reader).toMatchObject({ headers: expected.headers, delimiter: ';', encoding: 'utf-8', warnings: [] });
      const rows = await collect(reader);
      expect(rows).toEqual(expected.records);
      expect(rows.flatMap((r) => (r.problem ? [r.problem] : []))).toEqual(expected.problems);
      expect(expected.problems).toHaveLength(1);
      expect(rows.find((r) => r.fields[1] === 'Zoë straddles')?.fields[2]).toBe('multi\r\nline "quoted" 東京');
      expect(rows.at(-1)?.fields).toEqual([expect.any(String), 'last', 'no line break at the end']);
    } finally {
      await reader.close();
    }
  });

  it('reads the file again from the start on each pass, and batches() gives the same rows', async () => {
    const path = await fileWith('twice.csv', 'phone,name\r\n+4911,Ana\r\n+4922,"Bo, Jr."\r\n');
    const reader = await openCsvFile(path);
    try {
      const first = await collect(reader);
      expect(first.map((r) => r.fields)).toEqual([['+4911', 'Ana'], ['+4922', 'Bo, Jr.']]);
      expect(await collect(reader)).toEqual(first);
      const batched: CsvRow[] = [];
      for await (const batch of reader.batches()) batched.push(...batch);
      expect(batched).toEqual(first);
    } finally {
      await reader.close();
    }
  });

  it('uses the delimiter given instead of detecting one', async () => {
    const path = await fileWith('override.csv', 'a,b;c\n1,2;3\n');
    const reader = await openCsvFile(path, { delimiter: ';' });
    expect(reader.headers).toEqual(['a,b', 'c']);
    expect((await collect(reader)).map((r) => r.fields)).toEqual([['1,2', '3']]);
    await reader.close();
  });

  it('reads UTF-16 with a BOM', async () => {
    const text = 'name\tcity\r\nZoë\t東京\r\n';
    const bytes = new Uint8Array(2 + text.length * 2);
    bytes.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) {
      bytes[2 + i * 2] = text.charCodeAt(i) & 0xff;
      bytes[3 + i * 2] = text.charCodeAt(i) >> 8;
    }
    const reader = await openCsvFile(await fileWith('unicode.txt', bytes));
    expect(reader).toMatchObject({ headers: ['name', 'city'], delimiter: '\t', encoding: 'utf-16le' });
    expect((await collect(reader)).map((r) => r.fields)).toEqual([['Zoë', '東京']]);
    await reader.close();
  });

  it('turns to windows-1252 with a warning when a byte that is not UTF-8 shows up late', async () => {
    const head = encoder.encode('name,city\n' + 'Ana,Lyon\n'.repeat(80_000));
    const bytes = new Uint8Array(head.length + 7);
    bytes.set(head);
    bytes.set([0x43, 0x61, 0x66, 0xe9, 0x2c, 0x80, 0x0a], head.length); // "Café,€\n" in windows-1252
    const reader = await openCsvFile(await fileWith('latin.csv', bytes));
    try {
      expect(reader.encoding).toBe('utf-8');
      const rows = await collect(reader);
      expect(rows.at(-1)?.fields).toEqual(['Café', '€']);
      expect(reader.encoding).toBe('windows-1252');
      expect(reader.warnings).toEqual([expect.stringMatching(/^line 80002: the file is not valid UTF-8/)]);
      await collect(reader);
      expect(reader.warnings).toHaveLength(1);
      expect(reader.encoding).toBe('windows-1252');
    } finally {
      await reader.close();
    }
  });

  it('header mistakes and empty files fail at open with the line', async () => {
    const dup = await rejection(openCsvFile(await fileWith('dup.csv', 'email,name,email\n1,2,3\n')));
    expect(dup.problems[0]?.reason).toMatch(/^line 1: columns 1 and 3 are both named "email"/);
    const empty = await rejection(openCsvFile(await fileWith('empty.csv', '')));
    expect(empty.problems[0]?.reason).toMatch(/^the file is empty/);
    const blank = await rejection(openCsvFile(await fileWith('blank.csv', '\r\nname\r\nAna\r\n')));
    expect(blank.problems[0]?.reason).toMatch(/^line 1 is empty/);
  });

  it('an unclosed quote fails the pass at the end, naming the line where it opened', async () => {
    const path = await fileWith('open.csv', 'a,b\n1,2\n3,"never closed\n' + '4,5\n'.repeat(200_000));
    const reader = await openCsvFile(path);
    const seen: CsvRow[] = [];
    const err = await rejection(
      (async () => {
        for await (const r of reader.records()) seen.push(r);
      })(),
    );
    expect(err.problems[0]).toMatchObject({ row: 2, field: 'csv' });
    expect(err.problems[0]?.reason).toMatch(/^line 3: a quoted field starts here/);
    expect(seen.map((r) => r.fields)).toEqual([['1', '2']]);
    await reader.close();
  });

  it('a file that cannot be read is an InputError that names it', async () => {
    const missing = join(dir, 'nope.csv');
    const err = await rejection(openCsvFile(missing));
    expect(err.problems[0]?.reason).toBe(`cannot read ${missing}: no such file`);
    const folder = await rejection(openCsvFile(dir).then(async (r) => collect(r)));
    expect(folder.problems[0]?.reason).toMatch(/it is a folder/);
  });

  it('refuses a pass after close()', async () => {
    const reader = await openCsvFile(await fileWith('closed.csv', 'a\n1\n'));
    await reader.close();
    await reader.close();
    await expect(collect(reader)).rejects.toThrow(/after close/);
  });
});
