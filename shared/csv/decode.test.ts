import { describe, expect, it } from 'vitest';
import { CsvStreamDecoder, decodeCsvBytes } from './decode';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

function utf16(s: string, bigEndian: boolean, bom: boolean): Uint8Array {
  const units = bom ? [0xfeff] : [];
  for (let i = 0; i < s.length; i++) units.push(s.charCodeAt(i));
  const out = new Uint8Array(units.length * 2);
  units.forEach((u, i) => {
    out[i * 2] = bigEndian ? u >> 8 : u & 0xff;
    out[i * 2 + 1] = bigEndian ? u & 0xff : u >> 8;
  });
  return out;
}

function bytes(...parts: (string | number[])[]): Uint8Array {
  const chunks = parts.map((p) => (typeof p === 'string' ? utf8(p) : new Uint8Array(p)));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** decodeInPieces pushes `data` cut at every `size` bytes. */
function decodeInPieces(data: Uint8Array, size: number): { text: string; encoding: string } {
  const d = new CsvStreamDecoder();
  let text = '';
  for (let i = 0; i < data.length; i += size) text += d.push(data.slice(i, i + size));
  text += d.end();
  return { text, encoding: d.encoding };
}

describe('decodeCsvBytes', () => {
  it('reads UTF-8 without a BOM', () => {
    expect(decodeCsvBytes(utf8('name,city\nZoë,São Paulo\n'))).toEqual({
      text: 'name,city\nZoë,São Paulo\n',
      encoding: 'utf-8',
      bom: false,
      warnings: [],
    });
  });

  it('drops a UTF-8 BOM and says it was there', () => {
    const d = decodeCsvBytes(bytes([0xef, 0xbb, 0xbf], 'name\nJosé\n'));
    expect(d).toMatchObject({ text: 'name\nJosé\n', encoding: 'utf-8', bom: true, warnings: [] });
  });

  it('reads UTF-16 LE with a BOM (Excel "Unicode text")', () => {
    const d = decodeCsvBytes(utf16('name\tcity\r\nZoë\t東京 😀\r\n', false, true));
    expect(d).toMatchObject({ text: 'name\tcity\r\nZoë\t東京 😀\r\n', encoding: 'utf-16le', bom: true, warnings: [] });
  });

  it('reads UTF-16 BE with a BOM', () => {
    const d = decodeCsvBytes(utf16('name\tcity\nZoë\tMünchen\n', true, true));
    expect(d).toMatchObject({ text: 'name\tcity\nZoë\tMünchen\n', encoding: 'utf-16be', bom: true });
  });

  it('recognises UTF-16 saved without a BOM by its NUL bytes', () => {
    expect(decodeCsvBytes(utf16('a,b\n1,2\n', false, false))).toMatchObject({ text: 'a,b\n1,2\n', encoding: 'utf-16le', bom: false });
    expect(decodeCsvBytes(utf16('a,b\n1,2\n', true, false))).toMatchObject({ text: 'a,b\n1,2\n', encoding: 'utf-16be', bom: false });
  });

  it('reads bytes that are not UTF-8 as windows-1252 and warns with the line of the first one', () => {
    // "Café" and "€5" as Excel writes them on Western Windows.
    const d = decodeCsvBytes(bytes('name,note\nAna,ok\n', 'Caf', [0xe9], ',', [0x80], '5\n'));
    expect(d.text).toBe('name,note\nAna,ok\nCafé,€5\n');
    expect(d.encoding).toBe('windows-1252');
    expect(d.warnings).toHaveLength(1);
    expect(d.warnings[0]).toMatch(/^line 3: the file is not valid UTF-8/);
    expect(d.warnings[0]).toContain('windows-1252');
  });

  it('keeps valid UTF-8 around a damaged byte', () => {
    const d = decodeCsvBytes(bytes('Zoë,', [0xff], ',Noël\n'));
    expect(d.text).toBe('Zoë,ÿ,Noël\n');
    expect(d.warnings[0]).toMatch(/^line 1:/);
  });

  it('reads a character cut off by the end of the file as windows-1252', () => {
    const d = decodeCsvBytes(bytes('a\n', [0xe2, 0x82]));
    expect(d.text).toBe('a\nâ‚');
    expect(d.warnings[0]).toMatch(/^line 2:/);
  });

  it('rejects overlong and surrogate encodings like TextDecoder does', () => {
    expect(decodeCsvBytes(bytes('x', [0xc0, 0xaf])).text).toBe('xÀ¯');
    expect(decodeCsvBytes(bytes('x', [0xed, 0xa0, 0x80])).text).toBe('xí\u00a0€');
  });

  it('handles files shorter than a BOM', () => {
    expect(decodeCsvBytes(new Uint8Array(0))).toMatchObject({ text: '', encoding: 'utf-8', bom: false });
    expect(decodeCsvBytes(utf8('a')).text).toBe('a');
  });
});

describe('CsvStreamDecoder', () => {
  const samples: [string, Uint8Array][] = [
    ['UTF-8 with multi-byte characters', bytes([0xef, 0xbb, 0xbf], 'name\nZoë 東京 😀 €\n'.repeat(40))],
    ['UTF-16 LE', utf16('name\tcity\nZoë\t東京 😀\n'.repeat(40), false, true)],
    ['UTF-16 BE', utf16('name\tcity\nZoë\t東京 😀\n'.repeat(40), true, true)],
    ['windows-1252 mixed with UTF-8', bytes('Zoë,', [0xe9, 0x80, 0xc3], 'x😀', [0xf0, 0x9f], '\n')],
  ];

  for (const [name, data] of samples) {
    it(`gives the same text whatever the chunk size: ${name}`, () => {
      const whole = decodeCsvBytes(data);
      for (const size of [1, 2, 3, 5, 7, 64]) {
        expect(decodeInPieces(data, size)).toEqual({ text: whole.text, encoding: whole.encoding });
      }
    });
  }

  it('reports the first bad byte once, as an offset in the text of the push that met it', () => {
    const d = new CsvStreamDecoder();
    expect(d.push(utf8('ab\n'))).toBe('ab\n');
    expect(d.badByteAt).toBe(-1);
    expect(d.push(bytes('cd', [0xe9]))).toBe('cd');
    expect(d.badByteAt).toBe(-1); // 0xe9 may start a character the next chunk completes
    expect(d.push(bytes('x', [0xe9]))).toBe('éx');
    expect(d.badByteAt).toBe(0);
    expect(d.push(bytes([0xe9], 'y'))).toBe('ééy');
    expect(d.badByteAt).toBe(-1);
    expect(d.encoding).toBe('windows-1252');
  });
});
