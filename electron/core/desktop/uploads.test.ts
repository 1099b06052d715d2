import { afterEach, describe, expect, it, vi } from 'vitest';
import { CSV_CHUNK_MAX } from '../../../shared/ipc/contract';
import { UserError } from '../../../shared/ipc/user-error';
import { InputError } from '../../../shared/problems';
import { hashBytes } from '../state/campaign-id';
import { DatasetStore } from './datasets';
import { CsvUploads } from './uploads';

const utf8 = (text: string) => new TextEncoder().encode(text);

/** A file with 2- and 4-byte characters, a quoted newline, a doubled quote, CRLF and a row with a missing field. */
const TRICKY = utf8(
  'conversation_id,name,note\r\n' +
    'c-1,Chloé,"line one\r\nline two"\r\n' +
    'c-2,Zoë 🎉,"say ""hi"""\r\n' +
    'c-3,Ana\r\n' +
    `${Array.from({ length: 40 }, (_, i) => `c-${i + 4},Jürgen ${i},"São\nPaulo 🚀"`).join('\r\n')}\r\n`,
);

/** Sends `bytes` through an upload cut at `cuts` (byte offsets) and returns the dataset it made. */
function upload(uploads: CsvUploads, bytes: Uint8Array, cuts: number[], name = 'contacts.csv') {
  const { uploadId } = uploads.begin(name, bytes.length);
  const bounds = [0, ...cuts.filter((c) => c > 0 && c < bytes.length), bytes.length];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const from = bounds[i] ?? 0;
    expect(uploads.append(uploadId, from, bytes.slice(from, bounds[i + 1])).received).toBe(bounds[i + 1]);
  }
  return uploads.finish(uploadId);
}

/** What a one-shot csv:load of the same bytes gives, to compare with. */
function oneShot(bytes: Uint8Array, delimiter?: ',' | ';') {
  const store = new DatasetStore();
  const info = store.load('contacts.csv', bytes, delimiter);
  return { info, dataset: store.get(info.datasetId) };
}

function expectSameDataset(store: DatasetStore, got: ReturnType<typeof upload>, bytes: Uint8Array, delimiter?: ',' | ';') {
  const want = oneShot(bytes, delimiter);
  expect({ ...got, datasetId: '' }).toEqual({ ...want.info, datasetId: '' });
  const dataset = store.get(got.datasetId);
  expect(dataset.table).toEqual(want.dataset.table);
  expect(dataset.hash).toBe(hashBytes(bytes));
}

afterEach(() => {
  vi.useRealTimers();
});

describe('chunked CSV uploads', () => {
  it('give the same dataset as a one-shot load, whatever the cuts (inside characters, quoted newlines, CRLF)', () => {
    const store = new DatasetStore(50);
    const uploads = new CsvUploads(store);
    const text = new TextDecoder().decode(TRICKY);
    // Cuts inside a 2-byte é, inside a 4-byte emoji, between the \r and \n of a quoted line break.
    const inE = TRICKY.indexOf(0xc3) + 1;
    const inEmoji = TRICKY.indexOf(0xf0) + 2;
    const quotedCrLf = utf8(text.slice(0, text.indexOf('line one\r\n') + 'line one\r'.length)).length;
    expect(TRICKY[quotedCrLf]).toBe(10);
    const cutsList = [[inE], [inEmoji], [quotedCrLf], [inE, quotedCrLf, inEmoji], Array.from({ length: TRICKY.length }, (_, i) => i), Array.from({ length: 60 }, (_, i) => i * 7 + 3)];
    for (const cuts of cutsList) expectSameDataset(store, upload(uploads, TRICKY, cuts), TRICKY);
    expect(oneShot(TRICKY).info.problems).toHaveLength(1);
  });

  it('read a Windows-1252 file, a BOM and a forced delimiter the way csv:load does', () => {
    const store = new DatasetStore(10);
    const uploads = new CsvUploads(store);
    const latin = new Uint8Array([...utf8('id;name\nc-1;Andr'), 0xe9, ...utf8('\nc-2;Ren'), 0xe9, 0x0a]);
    expectSameDataset(store, upload(uploads, latin, [16]), latin);
    expect(store.get(upload(uploads, latin, [16]).datasetId).table.warnings).not.toEqual([]);
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('a;b\n1;2\n')]);
    expectSameDataset(store, upload(uploads, bom, [1, 2]), bom);
    const { uploadId } = uploads.begin('contacts.csv', bom.length, ',');
    uploads.append(uploadId, 0, bom);
    const forced = uploads.finish(uploadId);
    expect(forced.headers).toEqual(['a;b']);
    expectSameDataset(store, forced, bom, ',');
  });

  it('refuse a chunk out of order and drop the upload', () => {
    const uploads = new CsvUploads(new DatasetStore());
    const { uploadId } = uploads.begin('c.csv', TRICKY.length);
    uploads.append(uploadId, 0, TRICKY.slice(0, 10));
    expect(() => uploads.append(uploadId, 20, TRICKY.slice(20, 30))).toThrow(/out of order.*byte 20, expected byte 10/);
    expect(() => uploads.append(uploadId, 10, TRICKY.slice(10, 20))).toThrow(/no longer open/);
    expect(uploads.openUpload).toBeUndefined();
  });

  it('refuse a chunk over the limit, bytes beyond the declared size, and a finish before the end', () => {
    const uploads = new CsvUploads(new DatasetStore());
    const big = uploads.begin('big.csv', CSV_CHUNK_MAX * 2);
    expect(() => uploads.append(big.uploadId, 0, new Uint8Array(CSV_CHUNK_MAX + 1))).toThrow(UserError);
    expect(uploads.openUpload).toBeUndefined();

    const over = uploads.begin('c.csv', 5);
    expect(() => uploads.append(over.uploadId, 0, utf8('a,b\n1,2\n'))).toThrow(/larger than the 5 bytes/);

    const short = uploads.begin('c.csv', 10);
    uploads.append(short.uploadId, 0, utf8('a,b\n1,2\n'));
    expect(() => uploads.finish(short.uploadId)).toThrow(/Only 8 of the 10 bytes of "c\.csv" arrived/);
    expect(uploads.openUpload).toBeUndefined();
  });

  it('refuse an unknown id without touching the upload in progress', () => {
    const uploads = new CsvUploads(new DatasetStore());
    const bytes = utf8('a,b\n1,2\n');
    const { uploadId } = uploads.begin('c.csv', bytes.length);
    expect(() => uploads.append('not-an-upload', 0, bytes)).toThrow(/no longer open/);
    expect(() => uploads.finish('not-an-upload')).toThrow(UserError);
    uploads.append(uploadId, 0, bytes);
    expect(uploads.finish(uploadId).rowCount).toBe(1);
    expect(() => uploads.finish(uploadId)).toThrow(/no longer open/);
  });

  it('drop an aborted upload, and the last one when another begins; a late abort is harmless', () => {
    const uploads = new CsvUploads(new DatasetStore());
    const first = uploads.begin('a.csv', 100);
    const second = uploads.begin('b.csv', 100);
    expect(() => uploads.append(first.uploadId, 0, utf8('x'))).toThrow(/no longer open/);
    expect(uploads.openUpload).toBe(second.uploadId);
    expect(uploads.abort(first.uploadId)).toBeNull();
    expect(uploads.openUpload).toBe(second.uploadId);
    uploads.abort(second.uploadId);
    expect(uploads.openUpload).toBeUndefined();
    expect(() => uploads.append(second.uploadId, 0, utf8('x'))).toThrow(/no longer open/);
  });

  it('drop an upload left idle, counting from its last chunk', () => {
    vi.useFakeTimers();
    const uploads = new CsvUploads(new DatasetStore(), 1_000);
    const { uploadId } = uploads.begin('c.csv', 100);
    vi.advanceTimersByTime(800);
    uploads.append(uploadId, 0, utf8('a,b\n'));
    vi.advanceTimersByTime(800);
    expect(uploads.openUpload).toBe(uploadId);
    vi.advanceTimersByTime(300);
    expect(uploads.openUpload).toBeUndefined();
    expect(() => uploads.append(uploadId, 4, utf8('1,2\n'))).toThrow(/no longer open/);
  });

  it('report a bad header and an unclosed quote as csv:load does, naming the line', () => {
    const uploads = new CsvUploads(new DatasetStore());
    // Past the detection sample (64 K characters), so the header is read while chunks still arrive.
    const badHeader = utf8(`id,,name\n${'c-1,x,y\n'.repeat(20_000)}`);
    const loadError = (() => {
      try {
        oneShot(badHeader);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(loadError).toBeInstanceOf(InputError);
    const { uploadId } = uploads.begin('c.csv', badHeader.length);
    let error: unknown;
    try {
      for (let at = 0; at < badHeader.length; at += 50_000) uploads.append(uploadId, at, badHeader.slice(at, at + 50_000));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems).toEqual((loadError as InputError).problems);
    expect(uploads.openUpload).toBeUndefined();

    const unclosed = utf8('id,name\nc-1,Ana\nc-2,"Ben\nc-3,Chloé\n');
    const open = uploads.begin('c.csv', unclosed.length);
    uploads.append(open.uploadId, 0, unclosed.slice(0, 20));
    uploads.append(open.uploadId, 20, unclosed.slice(20));
    expect(() => uploads.finish(open.uploadId)).toThrow(InputError);
    expect(() => oneShot(unclosed)).toThrow(InputError);
    try {
      uploads.finish(open.uploadId);
    } catch (e) {
      expect(e).toBeInstanceOf(UserError); // already dropped
    }
  });
});
