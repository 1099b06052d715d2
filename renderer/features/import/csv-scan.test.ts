import { describe, expect, it } from 'vitest';
import { parseCsvBytes } from '../../../shared/csv/parse';
import { InputError } from '../../../shared/problems';
import { CsvScanner, scanCsv, utf8Bytes } from './csv-scan';

const enc = (s: string) => new TextEncoder().encode(s);

describe('the import worker’s scan', () => {
  it('counts rows, keeps a sample and reports progress chunk by chunk', () => {
    const rows = Array.from({ length: 50_000 }, (_, i) => `c${i},Name ${i}`);
    const progress: number[] = [];
    const r = scanCsv(enc(`id,name\n${rows.join('\n')}\n`), { sampleRows: 3 }, (done) => progress.push(done), 64 * 1024);
    expect(r.headers).toEqual(['id', 'name']);
    expect(r.rowCount).toBe(50_000);
    expect(r.sample).toEqual([['c0', 'Name 0'], ['c1', 'Name 1'], ['c2', 'Name 2']]);
    expect(progress.length).toBeGreaterThan(5);
    expect(progress[progress.length - 1]).toBe(1);
  });

  it('reads exactly what main reads, however the chunks cut the file', () => {
    const text = 'id;note;city\r\n1;"two\r\nlines";Malmö\r\n\r\n2;short\r\n3;"a ""quote""";Kraków\r\n';
    const bytes = enc(text);
    const main = parseCsvBytes(bytes);
    for (const chunk of [1, 3, 7, 1 << 20]) {
      const r = scanCsv(bytes, {}, undefined, chunk);
      expect(r.delimiter).toBe(main.delimiter);
      expect(r.headers).toEqual(main.headers);
      expect(r.rowCount).toBe(main.records.length);
      expect(r.sample).toEqual(main.records.map((x) => x.fields));
      expect(r.problems).toEqual(main.problems);
    }
  });

  it('takes a delimiter override', () => {
    expect(scanCsv(enc('a;b\n1;2\n'), { delimiter: ',' }).headers).toEqual(['a;b']);
  });

  it('decodes UTF-16 and warns about bytes that are not UTF-8, as main does', () => {
    const le = new Uint8Array([0xff, 0xfe, ...[...'a;b\n1;2\n'].flatMap((c) => [c.charCodeAt(0), 0])]);
    expect(scanCsv(le)).toMatchObject({ encoding: 'utf-16le', headers: ['a', 'b'], rowCount: 1 });
    const latin = new Uint8Array([...enc('name\nok\n'), 0x4a, 0x6f, 0x73, 0xe9, 0x0a]);
    const r = scanCsv(latin);
    expect(r.encoding).toBe('windows-1252');
    expect(r.sample[1]).toEqual(['José']);
    expect(r.warnings).toEqual(parseCsvBytes(latin).warnings);
  });

  it('reads a forced encoding and re-encodes it as UTF-8 for main', () => {
    const latin = new Uint8Array([...enc('name\n'), 0x4a, 0x6f, 0x73, 0xe9, 0x0a]);
    expect(scanCsv(latin, { encoding: 'windows-1252' })).toMatchObject({ encoding: 'windows-1252', encodingDetected: false, sample: [['José']] });
    expect(new TextDecoder().decode(utf8Bytes(latin, 'windows-1252'))).toBe('name\nJosé\n');
    expect(utf8Bytes(latin, undefined)).toBe(latin);
  });

  it('throws the shared InputError for a header mistake', () => {
    expect(() => {
      const scanner = new CsvScanner();
      scanner.push(enc('id,id\n1,2\n'));
      scanner.end();
    }).toThrow(InputError);
  });
});
