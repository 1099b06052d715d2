import { crc32, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { columnName, xmlText } from './xlsx-parts';
import { zipChunks } from './zip-writer';

async function bytesOf(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  return Buffer.concat(parts);
}

/** unzip reads an archive from its central directory, as ZIP readers do, checking each entry's CRC. */
function unzip(zip: Buffer): Map<string, string> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const out = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const u16 = (o: number) => zip.readUInt16LE(at + o);
    const u32 = (o: number) => zip.readUInt32LE(at + o);
    expect(u32(0)).toBe(0x02014b50);
    const [crc, csize, size, nameLen, local] = [u32(16), u32(20), u32(24), u16(28), u32(42)];
    const name = zip.toString('utf8', at + 46, at + 46 + nameLen);
    expect(zip.readUInt32LE(local)).toBe(0x04034b50);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = inflateRawSync(zip.subarray(start, start + csize));
    expect([data.length, crc32(data)]).toEqual([size, crc]);
    expect(zip.readUInt32LE(start + csize)).toBe(0x08074b50); // the data descriptor follows the data
    out.set(name, data.toString('utf8'));
    at += 46 + nameLen + u16(30) + u16(32);
  }
  return out;
}

describe('zipChunks', () => {
  it('writes entries given whole or in pieces that a reader gets back byte for byte', async () => {
    async function* pieces() {
      for (let i = 0; i < 5_000; i++) yield `<row r="${i}">García 🚀 ${i}</row>`;
    }
    const zip = await bytesOf(zipChunks([{ name: 'a.xml', data: 'first' }, { name: 'dir/b.xml', data: pieces() }, { name: 'empty', data: [] }]));
    const files = unzip(zip);
    expect([...files.keys()]).toEqual(['a.xml', 'dir/b.xml', 'empty']);
    expect(files.get('a.xml')).toBe('first');
    expect(files.get('dir/b.xml')).toBe(Array.from({ length: 5_000 }, (_, i) => `<row r="${i}">García 🚀 ${i}</row>`).join(''));
    expect(files.get('empty')).toBe('');
  });

  it('pulls an entry only after the one before it is written, so a later entry can sum up an earlier one', async () => {
    let rows = 0;
    function* entries() {
      yield { name: 'rows', data: (function* () { for (let i = 0; i < 100; i++) { rows++; yield 'x'; } })() };
      yield { name: 'count', data: String(rows) };
    }
    expect(unzip(await bytesOf(zipChunks(entries()))).get('count')).toBe('100');
  });
});

describe('xmlText', () => {
  it('leaves plain text alone and escapes what XML or an Office reader would change', () => {
    expect(xmlText('García +15550100 =1+1 "q" \'a\' tab\there\nline')).toBe('García +15550100 =1+1 "q" \'a\' tab\there\nline');
    expect(xmlText('a<b>&c')).toBe('a&lt;b&gt;&amp;c');
    expect(xmlText('bell\u0007 cr\r nul\u0000')).toBe('bell_x0007_ cr_x000D_ nul_x0000_');
    expect(xmlText('_x0041_ and _x004 and x0041_')).toBe('_x005F_x0041_ and _x004 and x0041_');
  });
});

describe('columnName', () => {
  it('counts columns in letters as spreadsheets do', () => {
    expect([0, 25, 26, 51, 701, 702, 16_383].map(columnName)).toEqual(['A', 'Z', 'AA', 'AZ', 'ZZ', 'AAA', 'XFD']);
  });
});
