import { useCallback, useEffect, useRef, useState } from 'react';
import type { DatasetInfo } from '../../../shared/ipc/contract';
import type { ApiError } from '../../../shared/ipc/api';
import type { Delimiter, Encoding, ScanResult } from './csv-scan';
import type { WorkerReply, WorkerRequest } from './csv-worker';
import { isAbort, uploadCsv } from './csv-upload';

/**
 * useCsvImport runs an import: the worker reads and scans the file with progress, then the file
 * goes to main in chunks (csv-upload.ts), with progress too, and main's DatasetInfo is what the
 * rest of the app uses. Changing the encoding or the delimiter scans the same bytes again and
 * sends them again; `cancel` stops either stage.
 */

/** ImportState is where an import is. */
export type ImportState =
  | { phase: 'idle' }
  | { phase: 'reading'; fileName: string; size: number; done: number; rows: number }
  | { phase: 'uploading'; fileName: string; size: number; scan: ScanResult; sent: number; total: number }
  | { phase: 'ready'; fileName: string; size: number; scan: ScanResult | null; dataset: DatasetInfo }
  | { phase: 'error'; fileName: string; size: number; scan: ScanResult | null; message: string; problems: ApiError['problems'] };

/** ImportOverrides are the encoding and delimiter the user chose (undefined = detect). */
export interface ImportOverrides {
  encoding?: Encoding;
  delimiter?: Delimiter;
}

/** useCsvImport drives the import screen; `onLoaded` gets main's DatasetInfo, `onFailed` hears of a file that could not be used. */
export function useCsvImport(onLoaded: (dataset: DatasetInfo) => void, onFailed: () => void = () => undefined) {
  const [state, setState] = useState<ImportState>({ phase: 'idle' });
  const workerRef = useRef<Worker | null>(null);
  const bytesRef = useRef<{ name: string; size: number; buffer: ArrayBuffer } | null>(null);
  const runRef = useRef(0);
  const abortRef = useRef<AbortController | null>(null);
  const onLoadedRef = useRef(onLoaded);
  const onFailedRef = useRef(onFailed);
  useEffect(() => {
    onLoadedRef.current = onLoaded;
    onFailedRef.current = onFailed;
  }, [onLoaded, onFailed]);

  useEffect(
    () => () => {
      abortRef.current?.abort();
      workerRef.current?.terminate();
      workerRef.current = null;
    },
    [],
  );

  const worker = useCallback((): Worker => {
    if (workerRef.current === null) workerRef.current = new Worker(new URL('./csv-worker.ts', import.meta.url), { type: 'module' });
    return workerRef.current;
  }, []);

  const run = useCallback(
    (name: string, size: number, source: File | ArrayBuffer, overrides: ImportOverrides) => {
      const id = ++runRef.current;
      abortRef.current?.abort();
      const w = worker();
      setState({ phase: 'reading', fileName: name, size, done: 0, rows: 0 });
      const onMessage = (event: MessageEvent<WorkerReply>) => {
        const reply = event.data;
        if (reply.id !== id) return;
        if (reply.type === 'progress') {
          setState({ phase: 'reading', fileName: name, size, done: reply.done, rows: reply.rows });
          return;
        }
        w.removeEventListener('message', onMessage);
        if (reply.type === 'error') {
          setState({ phase: 'error', fileName: name, size, scan: null, message: reply.message, problems: reply.problems });
          onFailedRef.current();
          return;
        }
        bytesRef.current = { name, size, buffer: reply.bytes };
        const scan = reply.result;
        // The picked file is read again chunk by chunk; bytes the worker re-encoded (a forced
        // encoding) or a re-scan's buffer are sliced from memory.
        const upload = reply.loadBytes ?? (source instanceof File ? source : reply.bytes);
        const total = upload instanceof ArrayBuffer ? upload.byteLength : upload.size;
        setState({ phase: 'uploading', fileName: name, size, scan, sent: 0, total });
        const controller = new AbortController();
        abortRef.current = controller;
        const request: { name: string; delimiter?: Delimiter } = { name };
        if (overrides.delimiter !== undefined) request.delimiter = overrides.delimiter; // else main detects, as the CLI does
        uploadCsv(window.api.csv, upload, request, {
          signal: controller.signal,
          onProgress: (sent) => {
            if (runRef.current === id) setState({ phase: 'uploading', fileName: name, size, scan, sent, total });
          },
        })
          .then((dataset) => {
            if (runRef.current !== id) return;
            setState({ phase: 'ready', fileName: name, size, scan, dataset });
            onLoadedRef.current(dataset);
          })
          .catch((e: unknown) => {
            if (runRef.current !== id || isAbort(e)) return;
            const err = e as Partial<ApiError>;
            const problems = err.problems ?? [];
            const message = problems.length > 0 ? 'The file cannot be imported as it is:' : typeof err.message === 'string' ? err.message : 'The file could not be loaded.';
            setState({ phase: 'error', fileName: name, size, scan, message, problems });
            onFailedRef.current();
          })
          .finally(() => {
            if (abortRef.current === controller) abortRef.current = null;
          });
      };
      w.addEventListener('message', onMessage);
      const request: WorkerRequest = { id, source, options: { ...overrides } };
      if (source instanceof ArrayBuffer) w.postMessage(request, [source]);
      else w.postMessage(request);
    },
    [worker],
  );

  /** importFile reads and loads a file the user dropped or picked. */
  const importFile = useCallback((file: File) => run(file.name, file.size, file, {}), [run]);

  /** rescan loads the same bytes again with other overrides. */
  const rescan = useCallback(
    (overrides: ImportOverrides) => {
      const last = bytesRef.current;
      if (last === null) return;
      bytesRef.current = null; // the buffer moves to the worker and comes back with the result
      run(last.name, last.size, last.buffer, overrides);
    },
    [run],
  );

  /** adopt shows a dataset main loaded by itself (File > Import CSV… in the menu). */
  const adopt = useCallback((dataset: DatasetInfo) => {
    runRef.current++;
    abortRef.current?.abort();
    bytesRef.current = null;
    setState({ phase: 'ready', fileName: dataset.name, size: 0, scan: null, dataset });
    onLoadedRef.current(dataset);
  }, []);

  const reset = useCallback(() => {
    runRef.current++;
    setState({ phase: 'idle' });
  }, []);

  /**
   * cancel stops the import in progress: a file being read stops at once (the worker is replaced),
   * one being sent stops after the chunk on its way and main drops what it had.
   */
  const cancel = useCallback(() => {
    runRef.current++;
    abortRef.current?.abort();
    abortRef.current = null;
    workerRef.current?.terminate();
    workerRef.current = null;
    bytesRef.current = null;
    setState({ phase: 'idle' });
  }, []);

  return { state, importFile, rescan, adopt, reset, cancel };
}
