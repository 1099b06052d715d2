import type { Api } from '../../../shared/ipc/api';
import type { DatasetInfo } from '../../../shared/ipc/contract';
import type { Delimiter } from '../../../shared/csv/parse';

/**
 * uploadCsv hands a file to main in chunks (`csv:begin`, `csv:append`…, `csv:finish`). One IPC call
 * with all of a 190 MB file would freeze the window while Electron clones it; a chunk of a few MiB
 * clones in a few milliseconds, and main parses each as it arrives. The next chunk is read while
 * the last one is on its way, and each append is awaited, so at most two chunks are in memory.
 */

/** UPLOAD_CHUNK is the size of each chunk: a few milliseconds to clone, a few dozen for main to parse. */
export const UPLOAD_CHUNK = 2 * 1024 * 1024;

/** CsvUploadApi is the part of `window.api` an upload uses. */
export type CsvUploadApi = Pick<Api['csv'], 'begin' | 'append' | 'finish' | 'abort'>;

/** UploadOptions: where progress goes, how to cancel, and the chunk size (tests use small ones). */
export interface UploadOptions {
  /** Called after each chunk main has taken, with the bytes sent so far. */
  onProgress?: (sent: number, total: number) => void;
  /** Aborting stops the upload between chunks, drops it in main and rejects with an AbortError. */
  signal?: AbortSignal;
  chunkSize?: number;
}

/**
 * uploadCsv sends `source` (the picked File, read chunk by chunk, or bytes already in memory)
 * and resolves with main's DatasetInfo; `delimiter` forces one, as in csv:load.
 */
export async function uploadCsv(
  api: CsvUploadApi,
  source: Blob | ArrayBuffer,
  request: { name: string; delimiter?: Delimiter },
  options: UploadOptions = {},
): Promise<DatasetInfo> {
  const { signal, onProgress } = options;
  const chunkSize = options.chunkSize ?? UPLOAD_CHUNK;
  const size = source instanceof ArrayBuffer ? source.byteLength : source.size;
  signal?.throwIfAborted();
  const begin: Parameters<CsvUploadApi['begin']>[0] = { name: request.name, size };
  if (request.delimiter !== undefined) begin.delimiter = request.delimiter;
  const { uploadId } = await api.begin(begin);
  try {
    let next = size > 0 ? readChunk(source, 0, Math.min(size, chunkSize)) : null;
    for (let at = 0; next !== null; ) {
      const bytes = await next;
      signal?.throwIfAborted();
      if (bytes.byteLength === 0) throw new Error('The file changed while it was being read. Choose it again.');
      const end = at + bytes.byteLength;
      next = end < size ? readChunk(source, end, Math.min(size, end + chunkSize)) : null;
      const { received } = await api.append({ uploadId, offset: at, bytes });
      at = end;
      onProgress?.(received, size);
    }
    signal?.throwIfAborted();
    return await api.finish({ uploadId });
  } catch (e) {
    // Main drops an upload that failed there; this drops one the renderer gave up (cancel, a read error).
    await api.abort({ uploadId }).catch(() => null);
    throw e;
  }
}

/** readChunk copies bytes [start, end) of the source into a buffer of their own, so only they are cloned. */
function readChunk(source: Blob | ArrayBuffer, start: number, end: number): Promise<Uint8Array<ArrayBuffer>> {
  const read = source instanceof ArrayBuffer ? Promise.resolve(new Uint8Array(source.slice(start, end))) : source.slice(start, end).arrayBuffer().then((b) => new Uint8Array(b));
  // Read ahead while an append is on its way: if that append fails, nobody awaits this read.
  read.catch(() => undefined);
  return read;
}

/** isAbort tells whether an upload stopped because it was cancelled. */
export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
