import type { RowStatus } from '../../../shared/engine/events';
import type { JsonObject } from '../../../shared/json';
import type { UploadApi } from '../../../shared/providers/types';
import type { HttpRequest } from '../ports';
import type { JournalRecord } from '../state/journal-codec';
import type { SendJob, UploadFile } from './types';

/** RowWork is one row on its way: its requests, built once and reused by every retry. */
export interface RowWork {
  job: SendJob;
  /** The message's request; built once every file is uploaded (it references what the uploads answered). */
  http: HttpRequest | undefined;
  /** What the journal (and the tally) says about the row now. */
  status: RowStatus;
  /** Requests made for the row, earlier runs included (RowOutcome.attempts), uploads included. */
  attempts: number;
  /** Requests made in this run for the row's current step (an upload, or the message): what `retry.attempts` caps. */
  tries: number;
  /** What each upload done so far answered (the attachment objects), in file order. */
  uploaded: JsonObject[];
}

/** filesLeft tells whether the row still has files to upload before its message. */
export function filesLeft(work: RowWork): boolean {
  return work.uploaded.length < (work.job.files?.length ?? 0);
}

/**
 * journalled is `outcome` as the journal keeps it for `work`: while the row is not settled (pending,
 * in flight, uncertain) with what its uploads answered, so a resume references those files instead
 * of uploading them again; once settled, without (nothing will send the row again).
 */
export function journalled(work: RowWork, outcome: JournalRecord): JournalRecord {
  const open = outcome.status === 'pending' || outcome.status === 'in-flight' || outcome.status === 'uncertain';
  return open && work.uploaded.length > 0 ? { ...outcome, uploads: work.uploaded } : outcome;
}

/**
 * BYTES_PER_SECOND_FLOOR is the slowest upload speed a file's request allows time for (1 Mbit/s),
 * on top of the campaign's timeout: 25 MiB may take 200 s on such a line and must not time out.
 */
const BYTES_PER_SECOND_FLOOR = 128 * 1024;

/**
 * RowRequests builds the campaign's HTTP requests: each row's uploads and message (each once,
 * however often it is retried) and the reconciliation reads. The header objects are built once and
 * shared by every request, so a million rows do not mean a million copies of the auth headers.
 */
export class RowRequests {
  readonly #baseUrl: string;
  readonly #headers: Record<string, string>;
  readonly #jsonHeaders: Record<string, string>;
  readonly #timeoutMs: number;
  readonly #uploads: UploadApi | undefined;

  /** `headers` are the provider's auth headers; `timeoutMs` is the campaign's request timeout; `uploads` the provider's upload API, if any. */
  constructor(baseUrl: string, headers: Record<string, string>, timeoutMs: number, uploads?: UploadApi) {
    this.#baseUrl = baseUrl;
    this.#headers = headers;
    this.#jsonHeaders = { 'content-type': 'application/json', ...headers };
    this.#timeoutMs = timeoutMs;
    this.#uploads = uploads;
  }

  /**
   * work starts a row on its way: pending, `attempts` counting the requests earlier runs made, and
   * `uploaded` what earlier runs' uploads answered (the journal kept them), so those files are not uploaded again.
   */
  work(job: SendJob, attempts: number, uploaded: JsonObject[] = []): RowWork {
    const work: RowWork = { job, http: undefined, status: 'pending', attempts, tries: 0, uploaded: uploaded.slice(0, job.files?.length ?? 0) };
    if (!filesLeft(work)) work.http = this.message(work);
    return work;
  }

  /** message is the row's message request, referencing every uploaded file. */
  message(work: RowWork): HttpRequest {
    const { request } = work.job;
    const http: HttpRequest = { method: request.method, url: this.#baseUrl + request.path, headers: this.#headers, timeoutMs: this.#timeoutMs };
    if (request.body !== undefined) {
      const body = work.uploaded.length > 0 && this.#uploads !== undefined ? this.#uploads.attach(request.body, work.uploaded) : request.body;
      http.body = JSON.stringify(body);
      http.headers = this.#jsonHeaders;
    }
    return http;
  }

  /** upload is the request that uploads `file` into the row's conversation, as a multipart form. */
  upload(work: RowWork, file: UploadFile): HttpRequest {
    const api = this.#uploads;
    if (api === undefined) throw new Error('this provider takes no uploads');
    const wire = api.buildRequest(work.job.recipient);
    return {
      method: wire.method,
      url: this.#baseUrl + wire.path,
      headers: this.#headers,
      body: { kind: 'multipart', parts: [{ field: api.field, filename: file.name, contentType: file.type, open: () => file.open() }] },
      timeoutMs: this.#timeoutMs + Math.ceil((file.size / BYTES_PER_SECOND_FLOOR) * 1000),
    };
  }

  /** get is a GET of `path` with the campaign's auth headers and timeout (a reconciliation read). */
  get(path: string): HttpRequest {
    return { method: 'GET', url: this.#baseUrl + path, headers: this.#headers, timeoutMs: this.#timeoutMs };
  }
}
