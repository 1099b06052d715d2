import type { RowStatus } from '../../../shared/engine/events';
import type { HttpRequest } from '../ports';
import type { SendJob } from './types';

/** RowWork is one row on its way: the request built once, reused by every retry. */
export interface RowWork {
  job: SendJob;
  http: HttpRequest;
  /** What the journal (and the tally) says about the row now. */
  status: RowStatus;
  /** Requests made for the row, earlier runs included (RowOutcome.attempts). */
  attempts: number;
  /** Requests made in this run: what `retry.attempts` caps. */
  tries: number;
}

/**
 * RowRequests builds the campaign's HTTP requests: each row's send (once, however often it is
 * retried) and the reconciliation reads. The header objects are built once and shared by every
 * request, so a million rows do not mean a million copies of the auth headers.
 */
export class RowRequests {
  readonly #baseUrl: string;
  readonly #headers: Record<string, string>;
  readonly #jsonHeaders: Record<string, string>;
  readonly #timeoutMs: number;

  /** `headers` are the provider's auth headers; `timeoutMs` is the campaign's request timeout. */
  constructor(baseUrl: string, headers: Record<string, string>, timeoutMs: number) {
    this.#baseUrl = baseUrl;
    this.#headers = headers;
    this.#jsonHeaders = { 'content-type': 'application/json', ...headers };
    this.#timeoutMs = timeoutMs;
  }

  /** work starts a row on its way: pending, its request built, `attempts` counting the requests earlier runs made. */
  work(job: SendJob, attempts: number): RowWork {
    return { job, http: this.#httpFor(job), status: 'pending', attempts, tries: 0 };
  }

  /** get is a GET of `path` with the campaign's auth headers and timeout (a reconciliation read). */
  get(path: string): HttpRequest {
    return { method: 'GET', url: this.#baseUrl + path, headers: this.#headers, timeoutMs: this.#timeoutMs };
  }

  #httpFor(job: SendJob): HttpRequest {
    const { request } = job;
    const http: HttpRequest = { method: request.method, url: this.#baseUrl + request.path, headers: this.#headers, timeoutMs: this.#timeoutMs };
    if (request.body !== undefined) {
      http.body = JSON.stringify(request.body);
      http.headers = this.#jsonHeaders;
    }
    return http;
  }
}
