import type { RowOutcome, RowStatus } from '../../shared/engine/events';
import { RowStore } from './state/row-store';

/**
 * The small interfaces the engine depends on. Production wires an undici transport, the
 * system clock and a file journal; tests wire fakes. Nothing here imports electron.
 */

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PATCH';
  url: string;
  headers: Record<string, string>;
  /** A JSON text, or a multipart form of files (the transport encodes it, and sets its content type and length). */
  body?: string | MultipartBody;
  timeoutMs: number;
  /** Largest answer accepted for this request; default the transport's own (1 MiB for HTTP). */
  maxResponseBytes?: number;
}

/** OpenedFile is a file opened for one request: its size now, and a stream of exactly that many bytes. */
export interface OpenedFile {
  size: number;
  stream: AsyncIterable<Uint8Array>;
  /** Releases the file when the stream was not read to its end (the request ended first). */
  close(): Promise<void>;
}

/**
 * FilePart is one file of a multipart form. It is opened afresh for every attempt, so a retry sends
 * the file as it is then, and nothing holds it in memory: the transport streams it.
 */
export interface FilePart {
  /** The form field it goes in. */
  field: string;
  /** The name it is sent under (Content-Disposition `filename`). */
  filename: string;
  contentType: string;
  /** Opens the file; rejects with a FileReadError when it cannot be read or is no longer fit to send. */
  open(): Promise<OpenedFile>;
}

/** MultipartBody is a `multipart/form-data` body made of files. */
export interface MultipartBody {
  kind: 'multipart';
  parts: FilePart[];
}

/** FileReadError is a file that could not be opened for sending (gone, unreadable, grown too large); `reason` says it in words. */
export class FileReadError extends Error {
  constructor(readonly filename: string, readonly reason: string) {
    super(`${filename} ${reason}`);
    this.name = 'FileReadError';
  }
}

export interface HttpResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  body: string;
}

/**
 * TransportError is a request that got no HTTP response. `written` tells whether the request
 * may have reached the server: false (refused, DNS, connect timeout) is safe to retry;
 * true (reset or timeout after the request was sent) means the message may have been delivered.
 */
export class TransportError extends Error {
  /** The code of a request whose file could not be read (a FileReadError): nothing was sent. */
  static readonly fileUnreadable = 'EFILE';
  readonly code: string;
  readonly written: boolean;
  constructor(message: string, code: string, written: boolean) {
    super(message);
    this.name = 'TransportError';
    this.code = code;
    this.written = written;
  }
}

export interface Transport {
  /**
   * Sends one request; resolves with any HTTP response (4xx/5xx included), rejects with TransportError.
   * `onWritten` is called (at most once, before the request settles) when the request is handed to
   * the wire: the rate limit counts requests there, as the provider does. A transport that cannot
   * tell when the provider sees it (or does not know) leaves it uncalled; the request then counts as
   * on its way until it ends, and as written then, unless it failed with `written: false`.
   */
  request(req: HttpRequest, signal?: AbortSignal, onWritten?: () => void): Promise<HttpResponse>;
  close(): Promise<void>;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`, or rejects with an AbortError when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** systemClock is the real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(t);
        reject(signal?.reason ?? new Error('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/**
 * RowOutcomes reads the latest recorded state of a campaign's rows, one row at a time, without an
 * object per row behind it (the journal's RowStore, state/row-store.ts): a million rows fit in a
 * few typed arrays. It reads like a ReadonlyMap from row to outcome, in row order, but every read
 * makes a fresh copy: prefer statusOf, count and rows(statuses) to walking every outcome. Rows
 * never recorded are absent (pending).
 */
export interface RowOutcomes extends ReadonlyMap<number, RowOutcome> {
  statusOf(row: number): RowStatus | undefined;
  /** How many rows are recorded with `status`. */
  count(status: RowStatus): number;
  /** The rows recorded, in row order; with `statuses`, only rows in one of them. */
  rows(statuses?: readonly RowStatus[]): MapIterator<number>;
  /** The attempts recorded for `row` (cheaper than get when that is all a caller needs). */
  attemptsOf(row: number): number | undefined;
  /** The recipient recorded for `row` (cheaper than get when that is all a caller needs). */
  recipientOf(row: number): string | undefined;
  /** When `row` was sent, in ms since the epoch, when its record says so in a form Date.parse reads. */
  sentAtOf(row: number): number | undefined;
}

/**
 * Journal keeps every row's state for one campaign. `record` resolves once the state is durable,
 * so the engine can write ahead (mark `in-flight` before the request goes out).
 *
 * A journal that keeps its own index of rows offers it as `outcomes()`: the engine then asks it for
 * each row's earlier outcome as it reaches the row, instead of loading them all (`load`, kept for
 * journals without an index, and for tests).
 */
export interface Journal {
  /** Rows recorded by an earlier run of the same campaign, latest state per row. */
  load(): Promise<RowOutcome[]>;
  /**
   * The latest state of every row recorded, live: a row recorded by this run reads as this run left
   * it. Read before this run records a row, a row's state is what earlier runs left.
   */
  outcomes?(): RowOutcomes;
  record(outcome: RowOutcome): Promise<void>;
  close(): Promise<void>;
}

/** MemoryJournal keeps state in memory only: for tests, dry runs and the sandbox. */
export class MemoryJournal implements Journal {
  readonly #rows: RowStore;
  constructor(initial: RowOutcome[] = []) {
    this.#rows = RowStore.of(initial);
  }
  async load(): Promise<RowOutcome[]> {
    return [...this.#rows.values()];
  }
  outcomes(): RowOutcomes {
    return this.#rows;
  }
  async record(outcome: RowOutcome): Promise<void> {
    this.#rows.set(outcome);
  }
  async close(): Promise<void> {}
}
