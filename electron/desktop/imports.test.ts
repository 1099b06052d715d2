import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseCsvBytes } from '../../shared/csv/parse';
import { CSV_CHUNK_MAX, CSV_SIZE_MAX } from '../../shared/ipc/contract';
import { UserError } from '../../shared/ipc/user-error';
import { InputError } from '../../shared/problems';
import { ContactsImports } from './imports';

const utf8 = (text: string) => new TextEncoder().encode(text);
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A file with 2- and 4-byte characters, a quoted newline, a doubled quote, CRLF and a row with a missing field. */
const TRICKY = utf8(
  'conversation_id,name,note\r\n' +
    'c-1,Chloé,"line one\r\nline two"\r\n' +
    'c-2,Zoë 🎉,"say ""hi"""\r\n' +
    'c-3,Ana\r\n' +
    `${Array.from({ length: 40 }, (_, i) => `c-${i + 4},Jürgen ${i},"São\nPaulo 🚀"`).join('\r\n')}\r\n`,
);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'imports-'));
});
afterEach(async () => {
  vi.useRealTimers();
  await rm(dir, { recursive: true, force: true });
});

/** Sends `bytes` through an upload cut at `cuts` (byte offsets) and returns the dataset info. */
async function upload(imports: ContactsImports, bytes: Uint8Array, cuts: number[], name = 'contacts.csv', delimiter?: ',' | ';') {
  const { uploadId } = await imports.begin(name, bytes.length, delimiter);
  const bounds = [0, ...cuts.filter((c) => c > 0 && c < bytes.length), bytes.length];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const from = bounds[i] ?? 0;
    expect((await imports.append(uploadId, from, bytes.slice(from, bounds[i + 1]))).received).toBe(bounds[i + 1]);
  }
  return imports.finish(uploadId);
}

/** expectSameAsParse checks an import against the shared in-memory parse of the same bytes, and its copy in the workspace byte for byte. */
async function expectSameAsParse(imports: ContactsImports, info: Awaited<ReturnType<typeof upload>>, bytes: Uint8Array, delimiter?: ',' | ';') {
  const table = parseCsvBytes(bytes, delimiter === undefined ? {} : { delimiter });
  expect(info).toMatchObject({
    headers: table.headers,
    rowCount: table.records.length,
    delimiter: table.delimiter,
    encoding: table.encoding,
    warnings: table.warnings,
    problems: table.problems.slice(0, 100),
    sample: table.records.slice(0, 20).map((r) => r.fields),
  });
  const dataset = imports.get(info.datasetId);
  expect(dataset.hash).toBe(sha(bytes));
  expect(dataset.path).toBe(join(dir, `${sha(bytes)}.csv`));
  expect(new Uint8Array(await readFile(dataset.path))).toEqual(bytes);
}

describe('importing contacts into the workspace', () => {
  it('reads what the shared parser reads and keeps the exact bytes, whatever the cuts (inside characters, quoted newlines, CRLF)', async () => {
    const imports = new ContactsImports(dir);
    const text = new TextDecoder().decode(TRICKY);
    const inE = TRICKY.indexOf(0xc3) + 1;
    const inEmoji = TRICKY.indexOf(0xf0) + 2;
    const quotedCrLf = utf8(text.slice(0, text.indexOf('line one\r\n') + 'line one\r'.length)).length;
    expect(TRICKY[quotedCrLf]).toBe(10);
    const cutsList = [[inE], [inEmoji], [quotedCrLf], [inE, quotedCrLf, inEmoji], Array.from({ length: TRICKY.length }, (_, i) => i), Array.from({ length: 60 }, (_, i) => i * 7 + 3)];
    for (const cuts of cutsList) await expectSameAsParse(imports, await upload(imports, TRICKY, cuts), TRICKY);
    // One copy per content, and no part file left behind.
    expect(await readdir(dir)).toEqual([`${sha(TRICKY)}.csv`]);
  });

  it('reads a Windows-1252 file, a BOM and a forced delimiter as the shared parser does', async () => {
    const imports = new ContactsImports(dir);
    const latin = new Uint8Array([...utf8('id;name\nc-1;Andr'), 0xe9, ...utf8('\nc-2;Ren'), 0xe9, 0x0a]);
    const got = await upload(imports, latin, [16]);
    await expectSameAsParse(imports, got, latin);
    expect(got.warnings).not.toEqual([]);
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('a;b\n1;2\n')]);
    await expectSameAsParse(imports, await upload(imports, bom, [1, 2]), bom);
    const forced = await upload(imports, bom, [], 'c.csv', ',');
    expect(forced.headers).toEqual(['a;b']);
    await expectSameAsParse(imports, forced, bom, ',');
  });

  it('imports a file main picked as a stream, as an upload of its bytes', async () => {
    const imports = new ContactsImports(join(dir, 'contacts'));
    const path = join(dir, 'picked.csv');
    await writeFile(path, TRICKY);
    const info = await imports.importFile(path);
    expect(info.name).toBe('picked.csv');
    expect(imports.get(info.datasetId).hash).toBe(sha(TRICKY));
    await expect(imports.importFile(join(dir, 'missing.csv'))).rejects.toThrow('Cannot read missing.csv: ENOENT.');
  });

  it('writes the copy readable by this user only', async () => {
    const imports = new ContactsImports(join(dir, 'contacts'));
    const info = await upload(imports, TRICKY, []);
    expect((await stat(imports.get(info.datasetId).path)).mode & 0o077).toBe(0);
    expect((await stat(join(dir, 'contacts'))).mode & 0o077).toBe(0);
  });

  it('refuses a file over the size limit before reading any of it', async () => {
    const imports = new ContactsImports(dir);
    await expect(imports.begin('huge.csv', CSV_SIZE_MAX + 1)).rejects.toThrow(/at most 2\.0 GiB/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a chunk out of order and drops the upload and its part file', async () => {
    const imports = new ContactsImports(dir);
    const { uploadId } = await imports.begin('c.csv', TRICKY.length);
    await imports.append(uploadId, 0, TRICKY.slice(0, 10));
    await expect(imports.append(uploadId, 20, TRICKY.slice(20, 30))).rejects.toThrow(/out of order.*byte 20, expected byte 10/);
    expect(() => imports.append(uploadId, 10, TRICKY.slice(10, 20))).toThrow(/no longer open/);
    expect(imports.openUpload).toBeUndefined();
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a chunk over the limit, bytes beyond the declared size, and a finish before the end', async () => {
    const imports = new ContactsImports(dir);
    const big = await imports.begin('big.csv', CSV_CHUNK_MAX * 2);
    await expect(imports.append(big.uploadId, 0, new Uint8Array(CSV_CHUNK_MAX + 1))).rejects.toBeInstanceOf(UserError);
    expect(imports.openUpload).toBeUndefined();

    const over = await imports.begin('c.csv', 5);
    await expect(imports.append(over.uploadId, 0, utf8('a,b\n1,2\n'))).rejects.toThrow(/larger than the 5 bytes/);

    const short = await imports.begin('c.csv', 10);
    await imports.append(short.uploadId, 0, utf8('a,b\n1,2\n'));
    await expect(imports.finish(short.uploadId)).rejects.toThrow(/Only 8 of the 10 bytes of "c\.csv" arrived/);
    expect(imports.openUpload).toBeUndefined();
  });

  it('refuses an unknown id without touching the upload in progress', async () => {
    const imports = new ContactsImports(dir);
    const bytes = utf8('a,b\n1,2\n');
    const { uploadId } = await imports.begin('c.csv', bytes.length);
    expect(() => imports.append('not-an-upload', 0, bytes)).toThrow(/no longer open/);
    expect(() => imports.finish('not-an-upload')).toThrow(UserError);
    await imports.append(uploadId, 0, bytes);
    expect((await imports.finish(uploadId)).rowCount).toBe(1);
    expect(() => imports.finish(uploadId)).toThrow(/no longer open/);
  });

  it('drops an aborted upload, and the last one when another begins; a late abort is harmless', async () => {
    const imports = new ContactsImports(dir);
    const first = await imports.begin('a.csv', 100);
    const second = await imports.begin('b.csv', 100);
    expect(() => imports.append(first.uploadId, 0, utf8('x'))).toThrow(/no longer open/);
    expect(imports.openUpload).toBe(second.uploadId);
    expect(await imports.abort(first.uploadId)).toBeNull();
    expect(imports.openUpload).toBe(second.uploadId);
    await imports.abort(second.uploadId);
    expect(imports.openUpload).toBeUndefined();
    expect(() => imports.append(second.uploadId, 0, utf8('x'))).toThrow(/no longer open/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('drops an upload left idle, counting from its last chunk', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const imports = new ContactsImports(dir, 1_000);
    const { uploadId } = await imports.begin('c.csv', 100);
    vi.advanceTimersByTime(800);
    await imports.append(uploadId, 0, utf8('a,b\n'));
    vi.advanceTimersByTime(800);
    expect(imports.openUpload).toBe(uploadId);
    vi.advanceTimersByTime(300);
    expect(imports.openUpload).toBeUndefined();
    expect(() => imports.append(uploadId, 4, utf8('1,2\n'))).toThrow(/no longer open/);
  });

  it('reports a bad header and an unclosed quote as the shared parser does, naming the line', async () => {
    const imports = new ContactsImports(dir);
    // Past the detection sample (64 K characters), so the header is read while chunks still arrive.
    const badHeader = utf8(`id,,name\n${'c-1,x,y\n'.repeat(20_000)}`);
    const parseError = (() => {
      try {
        parseCsvBytes(badHeader);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(parseError).toBeInstanceOf(InputError);
    const { uploadId } = await imports.begin('c.csv', badHeader.length);
    let error: unknown;
    try {
      for (let at = 0; at < badHeader.length; at += 50_000) await imports.append(uploadId, at, badHeader.slice(at, at + 50_000));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems).toEqual((parseError as InputError).problems);
    expect(imports.openUpload).toBeUndefined();

    const unclosed = utf8('id,name\nc-1,Ana\nc-2,"Ben\nc-3,Chloé\n');
    const open = await imports.begin('c.csv', unclosed.length);
    await imports.append(open.uploadId, 0, unclosed.slice(0, 20));
    await imports.append(open.uploadId, 20, unclosed.slice(20));
    await expect(imports.finish(open.uploadId)).rejects.toBeInstanceOf(InputError);
    expect(() => parseCsvBytes(unclosed)).toThrow(InputError);
    expect(() => imports.finish(open.uploadId)).toThrow(UserError); // already dropped
    expect(await readdir(dir)).toEqual([]);
  });
});
