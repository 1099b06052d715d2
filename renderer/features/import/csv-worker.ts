/// <reference lib="webworker" />
import { InputError } from '../../../shared/problems';
import type { Problem } from '../../../shared/problems';
import type { ScanOptions, ScanResult } from './csv-scan';
import { CsvScanner, utf8Bytes } from './csv-scan';

/**
 * The import worker: reads a dropped file in chunks and scans each chunk as it arrives
 * (csv-scan.ts, the shared parser) off the main thread, reporting progress, then hands the bytes
 * back (transferred, not copied) with the bytes main should load: the same bytes, or the text
 * re-encoded as UTF-8 when the user forced an encoding.
 */

/** WorkerRequest starts a scan of a file, or a re-scan of bytes read before. */
export type WorkerRequest = { id: number; source: File | ArrayBuffer; options: ScanOptions };

/** WorkerReply reports progress, the result, or an error a person can read (with the problems of a header mistake). */
export type WorkerReply =
  | { id: number; type: 'progress'; done: number; rows: number }
  | { id: number; type: 'done'; result: ScanResult; bytes: ArrayBuffer; loadBytes: ArrayBuffer | null }
  | { id: number; type: 'error'; message: string; problems: Problem[] };

const scope = self as unknown as DedicatedWorkerGlobalScope;
const CHUNK = 1 << 20;

/** read streams the source into one buffer, feeding each chunk to the scanner and reporting progress. */
async function read(id: number, source: File | ArrayBuffer, scanner: CsvScanner): Promise<Uint8Array> {
  const report = (done: number) => scope.postMessage({ id, type: 'progress', done, rows: scanner.rows } satisfies WorkerReply);
  if (source instanceof ArrayBuffer) {
    const bytes = new Uint8Array(source);
    for (let at = 0; at < bytes.length; at += CHUNK) {
      scanner.push(bytes.subarray(at, Math.min(bytes.length, at + CHUNK)));
      report((at + CHUNK) / Math.max(bytes.length, 1));
    }
    return bytes;
  }
  const out = new Uint8Array(source.size);
  const reader = source.stream().getReader();
  let offset = 0;
  let reported = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    out.set(value, offset);
    offset += value.length;
    scanner.push(value);
    if (offset - reported >= 4 * CHUNK) {
      reported = offset;
      report(offset / Math.max(source.size, 1));
    }
  }
  return offset === out.length ? out : out.subarray(0, offset);
}

scope.onmessage = async (event: MessageEvent<WorkerRequest>) => {
  const { id, source, options } = event.data;
  try {
    const scanner = new CsvScanner(options);
    const bytes = await read(id, source, scanner);
    const result = scanner.end();
    const load = options.encoding === undefined ? null : utf8Bytes(bytes, options.encoding);
    const buffer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : bytes.slice().buffer;
    const transfer: Transferable[] = [buffer];
    if (load !== null) transfer.push(load.buffer as ArrayBuffer);
    scope.postMessage({ id, type: 'done', result, bytes: buffer, loadBytes: load === null ? null : (load.buffer as ArrayBuffer) } satisfies WorkerReply, transfer);
  } catch (e) {
    if (e instanceof InputError) {
      scope.postMessage({ id, type: 'error', message: 'The file cannot be imported as it is:', problems: e.problems } satisfies WorkerReply);
      return;
    }
    const message = e instanceof Error ? e.message : String(e);
    scope.postMessage({ id, type: 'error', message: `The file could not be read: ${message}`, problems: [] } satisfies WorkerReply);
  }
};
