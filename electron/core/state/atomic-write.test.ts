import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { atomicWriteFile } from './atomic-write';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'atomic-write-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('atomicWriteFile', () => {
  it('creates the file with the data and leaves no temp file', async () => {
    const path = join(dir, 'meta.json');
    await atomicWriteFile(path, '{"a":1}\n');
    expect(await readFile(path, 'utf8')).toBe('{"a":1}\n');
    expect(await readdir(dir)).toEqual(['meta.json']);
  });

  it('replaces an existing file, from bytes or from chunks', async () => {
    const path = join(dir, 'report.csv');
    await writeFile(path, 'old content that is longer than the new one');
    await atomicWriteFile(path, new TextEncoder().encode('new'));
    expect(await readFile(path, 'utf8')).toBe('new');
    await atomicWriteFile(path, ['a,b\n', '1,2\n', 'ü,€\n']);
    expect(await readFile(path, 'utf8')).toBe('a,b\n1,2\nü,€\n');
    expect(await readdir(dir)).toEqual(['report.csv']);
  });

  it('keeps the whole old file and no temp file when writing fails half way', async () => {
    const path = join(dir, 'report.csv');
    await writeFile(path, 'old,complete\n');
    function* chunks(): Generator<string> {
      yield 'new,half';
      throw new Error('disk full');
    }
    await expect(atomicWriteFile(path, chunks())).rejects.toThrow('disk full');
    expect(await readFile(path, 'utf8')).toBe('old,complete\n');
    expect(await readdir(dir)).toEqual(['report.csv']);
  });

  it('fails without leaving anything when the directory does not exist', async () => {
    await expect(atomicWriteFile(join(dir, 'missing', 'x.json'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(dir)).toEqual([]);
  });
});
