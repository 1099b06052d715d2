// @vitest-environment node
// Node, not jsdom: its Blob, File, ArrayBuffer and DOMException belong to one realm, as in the browser.
import { describe, expect, it } from 'vitest';
import type { DatasetInfo } from '../../../shared/ipc/contract';
import type { CsvUploadApi } from './csv-upload';
import { isAbort, uploadCsv } from './csv-upload';

const dataset: DatasetInfo = { datasetId: 'd1', name: 'c.csv', headers: ['a'], rowCount: 1, delimiter: ',', encoding: 'utf-8', warnings: [], problems: [], sample: [] };

/** A stand-in for main: keeps the chunks of the open upload, checks their order, fails where told. */
function fakeMain(options: { failAppendAt?: number; onAppend?: (offset: number) => void } = {}) {
  const calls: string[] = [];
  const chunks: Uint8Array[] = [];
  let begun: { name: string; size: number; delimiter?: string } | undefined;
  let received = 0;
  const api: CsvUploadApi = {
    begin: async (r) => {
      calls.push('begin');
      begun = r;
      return { uploadId: 'u1' };
    },
    append: async ({ offset, bytes }) => {
      calls.push(`append ${offset}+${bytes.length}`);
      options.onAppend?.(offset);
      if (offset === options.failAppendAt) throw Object.assign(new Error('Parts of "c.csv" arrived out of order'), { problems: [] });
      expect(offset).toBe(received);
      chunks.push(bytes.slice());
      received += bytes.length;
      return { received };
    },
    finish: async () => {
      calls.push('finish');
      return dataset;
    },
    abort: async () => {
      calls.push('abort');
      return null;
    },
  };
  const joined = () => new Uint8Array(chunks.flatMap((c) => [...c]));
  return { api, calls, joined, begun: () => begun };
}

const bytes = new TextEncoder().encode('id,name\n1,Zoë 🎉\n2,Ana\n');

describe('uploadCsv', () => {
  it('sends a File in order, chunk by chunk, reporting progress, then finishes', async () => {
    const main = fakeMain();
    const progress: number[] = [];
    const file = new File([bytes], 'c.csv');
    const got = await uploadCsv(main.api, file, { name: 'c.csv', delimiter: ';' }, { chunkSize: 7, onProgress: (sent, total) => progress.push(sent / total) });
    expect(got).toEqual(dataset);
    expect(main.begun()).toEqual({ name: 'c.csv', size: bytes.length, delimiter: ';' });
    expect(main.joined()).toEqual(bytes);
    expect(main.calls[0]).toBe('begin');
    expect(main.calls.at(-1)).toBe('finish');
    expect(main.calls.filter((c) => c.startsWith('append'))).toHaveLength(Math.ceil(bytes.length / 7));
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('sends bytes already in memory, each chunk in a buffer of its own', async () => {
    const seen: ArrayBufferLike[] = [];
    const main = fakeMain();
    const append = main.api.append;
    main.api.append = (r) => {
      seen.push(r.bytes.buffer);
      expect(r.bytes.byteLength).toBe(r.bytes.buffer.byteLength);
      return append(r);
    };
    await uploadCsv(main.api, bytes.slice().buffer, { name: 'c.csv' }, { chunkSize: 10 });
    expect(main.joined()).toEqual(bytes);
    expect(new Set(seen).size).toBe(seen.length);
    expect(main.begun()).toEqual({ name: 'c.csv', size: bytes.length });
  });

  it('finishes an empty file at once, so main reports it', async () => {
    const main = fakeMain();
    await uploadCsv(main.api, new ArrayBuffer(0), { name: 'c.csv' });
    expect(main.calls).toEqual(['begin', 'finish']);
  });

  it('stops when cancelled between chunks, drops the upload in main and rejects with an AbortError', async () => {
    const controller = new AbortController();
    const main = fakeMain({ onAppend: (offset) => (offset >= 10 ? controller.abort() : undefined) });
    const error = await uploadCsv(main.api, new File([bytes], 'c.csv'), { name: 'c.csv' }, { chunkSize: 5, signal: controller.signal }).catch((e: unknown) => e);
    expect(isAbort(error)).toBe(true);
    expect(main.calls).toEqual(['begin', 'append 0+5', 'append 5+5', 'append 10+5', 'abort']);
  });

  it("passes main's refusal on, and drops the upload", async () => {
    const main = fakeMain({ failAppendAt: 8 });
    const error = await uploadCsv(main.api, bytes.slice().buffer, { name: 'c.csv' }, { chunkSize: 8 }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/out of order/);
    expect(isAbort(error)).toBe(false);
    expect(main.calls).toEqual(['begin', 'append 0+8', 'append 8+8', 'abort']);
  });
});
