import type { RetrySpec, ThrottleSpec } from '../../../shared/campaign/schema';
import { parseJson } from '../../../shared/providers/response';
import { wassist } from '../../../shared/providers/wassist';
import { retryDelay } from '../engine/backoff';
import type { SendQueue } from '../engine/send-queue';
import { createSendQueue, sendOnWire } from '../engine/send-queue';
import { judgeError, judgeResponse, keyRedactor } from '../engine/verdict';
import type { Redact } from '../engine/verdict';
import type { Clock, HttpRequest, Transport } from '../ports';

/**
 * WassistClient makes the read requests around a campaign (listing conversations, getting one,
 * reading messages) at a polite pace: at most `politeRate` requests a second and `politeConcurrency`
 * at once, never above the campaign's own throttle. They are GETs, so any transient failure (429
 * with its Retry-After, 5xx, a dropped connection) is retried with the campaign's backoff; a refused
 * key (401/403) is a WassistStopError, which stops the campaign as a refused send would.
 */

/** The pace of read requests, whatever the campaign's throttle allows above it. */
export const politeRate = 10;
export const politeConcurrency = 4;

/** WassistApiError is a read request that failed for good; `message` never holds the API key. */
export class WassistApiError extends Error {
  readonly httpStatus: number | undefined;
  constructor(message: string, httpStatus?: number) {
    super(message);
    this.name = 'WassistApiError';
    this.httpStatus = httpStatus;
  }
}

/** WassistStopError is a refusal of the whole account (bad key, no access): nothing more should be sent. */
export class WassistStopError extends WassistApiError {
  constructor(message: string, httpStatus?: number) {
    super(message, httpStatus);
    this.name = 'WassistStopError';
  }
}

/** WassistClientOptions: where to go, with which key, and the campaign's throttle and retry settings. */
export interface WassistClientOptions {
  transport: Transport;
  baseUrl: string;
  apiKey: string;
  clock: Clock;
  throttle: ThrottleSpec;
  retry: RetrySpec;
  random?: () => number;
  /**
   * Lower the pace when the provider refuses reads with 429 and no Retry-After (engine/adaptive-pace.ts),
   * as a campaign's sends do. Default false.
   */
  adaptive?: boolean;
  /** The cap on the pace; default politeRate. Benchmarks lift it to time the reading code alone. */
  politeRate?: number;
}

/** WassistClient sends paced, retried GETs and parses their JSON. */
export class WassistClient {
  readonly #o: WassistClientOptions;
  readonly #queue: SendQueue;
  readonly #headers: Record<string, string>;
  readonly #redact: Redact;
  /** Requests made so far (retries included), for progress and figures. */
  requests = 0;

  constructor(options: WassistClientOptions) {
    this.#o = options;
    const perSecond = Math.min(options.throttle.perSecond, options.politeRate ?? politeRate);
    const concurrency = Math.min(options.throttle.concurrency, politeConcurrency);
    // The campaign's own queue kind: the pace counted on the wire, as the provider counts it.
    this.#queue = createSendQueue({ concurrency, perSecond, adaptive: options.adaptive ?? false, clock: options.clock });
    this.#headers = { accept: 'application/json', ...wassist.authHeaders(options.apiKey) };
    this.#redact = keyRedactor(options.apiKey);
  }

  /** redact removes the key from text, for callers that build messages from errors. */
  redact(text: string): string {
    return this.#redact(text);
  }

  /**
   * getJson GETs `path` and returns its parsed JSON. Throws WassistStopError (401/403),
   * WassistApiError (any other refusal, retries exhausted, an answer that is not JSON).
   * `what` names the request in messages ("listing conversations").
   */
  async getJson(path: string, what: string, options: ReadOptions = {}): Promise<unknown> {
    const { text, httpStatus } = await this.getText(path, what, options);
    const json = parseJson(text);
    if (json === undefined) throw new WassistApiError(`${what}: the answer (HTTP ${httpStatus}) is not JSON`, httpStatus);
    return json;
  }

  /**
   * getText GETs `path` and returns its answer's text, for a reader that parses a long answer piece
   * by piece (see getJson for the errors). A 429's Retry-After holds every read of this client, not
   * only the one refused: the provider's limit is the account's.
   */
  async getText(path: string, what: string, options: ReadOptions = {}): Promise<{ text: string; httpStatus: number }> {
    const { retry } = this.#o;
    const http: HttpRequest = { method: 'GET', url: this.#o.baseUrl + path, headers: this.#headers, timeoutMs: retry.timeoutMs };
    if (options.maxResponseBytes !== undefined) http.maxResponseBytes = options.maxResponseBytes;
    for (let attempt = 1; ; attempt++) {
      const wire = await this.#queue.run((ticket) => {
        this.requests++;
        return sendOnWire(this.#o.transport, http, ticket);
      }, 0);
      const res = wire.res ?? wire.error;
      const now = this.#o.clock.now();
      const v = res instanceof Error || !isResponse(res) ? judgeError(res, this.#redact) : judgeResponse(wassist, res, now, this.#redact);
      if (v.kind === 'sent') return { text: isResponse(res) ? res.body : '', httpStatus: v.httpStatus };
      if (v.kind === 'stop') throw new WassistStopError(`${what}: ${v.reason}`, v.httpStatus);
      if (v.kind === 'fail') throw new WassistApiError(`${what}: HTTP ${v.httpStatus}: ${v.reason}`, v.httpStatus);
      // retry, or uncertain: a GET changes nothing, so asking again is safe.
      const status = 'httpStatus' in v ? v.httpStatus : undefined;
      if (attempt >= retry.attempts) {
        throw new WassistApiError(`${what}: gave up after ${attempt} attempts: ${v.reason}`, status);
      }
      const after = v.kind === 'retry' ? v.retryAfterMs : undefined;
      if (after !== undefined) this.#queue.holdFor(after);
      await this.#o.clock.sleep(retryDelay(attempt, retry, this.#o.random ?? Math.random, after));
    }
  }

  /** pace is the read pace in force (lower than asked after the provider refused reads without Retry-After). */
  pace(): { perSecond: number; ceiling: number } {
    return this.#queue.pace();
  }
}

/** ReadOptions tune one read: `maxResponseBytes` above the transport's cap, for answers that may be long. */
export interface ReadOptions {
  maxResponseBytes?: number;
}

function isResponse(v: unknown): v is { status: number; headers: Record<string, string | undefined>; body: string } {
  return typeof v === 'object' && v !== null && typeof (v as { status?: unknown }).status === 'number' && typeof (v as { body?: unknown }).body === 'string';
}
