import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { Agent } from 'undici';
import { encodeForm } from './multipart';
import type { HttpRequest, HttpResponse, MultipartBody, Transport } from './ports';
import { TransportError } from './ports';

/**
 * The production Transport: undici with a keep-alive pool per origin. It resolves with any HTTP
 * response (4xx/5xx included) and turns everything else into a TransportError whose `written`
 * flag says whether the request may have reached the server.
 *
 * How `written` is known: undici calls a dispatch handler's `onRequestStart` when it hands the
 * request to a connected socket, and writes the whole (string) body to that socket in the same
 * tick. So an error before `onRequestStart` (refused, DNS, connect timeout, our timeout or a
 * cancel while queued or connecting) means nothing was sent: written=false, safe to retry. Any
 * error after it (reset, timeout waiting for the answer) means the server may have acted on it:
 * written=true. The error codes alone cannot tell: ECONNRESET happens on both sides of that line.
 * A server that drops the connection after reading the request but before acting on it looks
 * exactly like one that acted and then dropped it, so both are written=true (the engine reconciles).
 *
 * `HttpRequest.timeoutMs` bounds the whole exchange from the call: waiting for a free connection,
 * connecting, writing, and reading the answer to its last byte.
 *
 * A multipart body (files to upload) is encoded by multipart.ts: its files are opened before the
 * request is dispatched (a file that cannot be read fails it with code EFILE, written=false) and
 * streamed from disk as undici writes, with the exact Content-Length; whatever is still open when
 * the exchange ends is closed.
 */

/** HttpTransportOptions tunes the transport; every field has a default that suits a campaign. */
export interface HttpTransportOptions {
  /**
   * Connections per origin. Default: as many as there are requests in flight, which the engine
   * caps at the campaign's `throttle.concurrency`, so the pool ends up that size.
   */
  connections?: number;
  /** Give up connecting after this long. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /** Largest response body accepted; a bigger one fails the request. Default 1 MiB; a request may ask for more (HttpRequest.maxResponseBytes). */
  maxResponseBytes?: number;
  /** Host name resolver with node:dns `lookup`'s signature (tests inject failures). */
  lookup?: LookupFunction;
}

const defaultMaxResponseBytes = 1024 * 1024;

/** createHttpTransport builds the undici-backed transport. Call close() when the campaign ends. */
export function createHttpTransport(options: HttpTransportOptions = {}): Transport {
  const agentOptions: Agent.Options = {
    connectTimeout: options.connectTimeoutMs ?? 10_000,
    // Our own timer bounds each request (HttpRequest.timeoutMs); undici's would only race it.
    headersTimeout: 0,
    bodyTimeout: 0,
  };
  if (options.connections !== undefined) agentOptions.connections = options.connections;
  if (options.lookup !== undefined) agentOptions.connect = { lookup: options.lookup };
  const agent = new Agent(agentOptions);
  const maxBytes = options.maxResponseBytes ?? defaultMaxResponseBytes;
  // undici emits 'connect' and then, in the same tick, writes the request that was waiting for the
  // connection: that request is the next onRequestStart (Exchange reads and clears the flag).
  const fresh = { socket: false };
  agent.on('connect', () => {
    fresh.socket = true;
  });

  return {
    request(req, signal, onWritten) {
      return new Promise<HttpResponse>((resolve, reject) => {
        let url: URL;
        try {
          url = new URL(req.url);
        } catch {
          reject(new TransportError('the request URL is not valid', 'EINVALIDURL', false));
          return;
        }
        if (url.protocol !== 'http:' && url.protocol !== 'https:') {
          reject(new TransportError(`unsupported URL scheme ${url.protocol}`, 'EINVALIDURL', false));
          return;
        }
        const exchange = new Exchange(req, url.origin, req.maxResponseBytes ?? maxBytes, signal, onWritten, fresh, resolve, reject);
        if (exchange.settled) return;
        const target = { origin: url.origin, path: url.pathname + url.search, method: req.method };
        if (typeof req.body === 'object') {
          dispatchForm(agent, target, req.headers, req.body, exchange);
          return;
        }
        agent.dispatch({ ...target, headers: withJsonType(req.headers, req.body), body: req.body ?? null }, exchange);
      });
    },
    async close() {
      await agent.destroy();
    },
  };
}

/** withJsonType adds `content-type: application/json` to a request with a text body and none: every provider takes JSON. */
function withJsonType(headers: Record<string, string>, body: string | undefined): Record<string, string> {
  if (body === undefined) return headers;
  for (const name of Object.keys(headers)) if (name.toLowerCase() === 'content-type') return headers;
  return { ...headers, 'content-type': 'application/json' };
}

/**
 * dispatchForm opens the form's files, then dispatches the request with the form streamed as its
 * body. The files are closed when the exchange ends, however it ends (a timeout or a cancel while
 * they were being opened included).
 */
function dispatchForm(agent: Agent, target: { origin: string; path: string; method: HttpRequest['method'] }, headers: Record<string, string>, body: MultipartBody, exchange: Exchange): void {
  encodeForm(body).then(
    (form) => {
      const stream = Readable.from(form.stream, { objectMode: false });
      exchange.onSettled(() => {
        stream.destroy();
        void form.close();
      });
      if (exchange.settled) return;
      const own = Object.fromEntries(Object.entries(headers).filter(([name]) => !/^content-(type|length)$/i.test(name)));
      agent.dispatch({ ...target, headers: { ...own, 'content-type': form.contentType, 'content-length': String(form.length) }, body: stream }, exchange);
    },
    (e: unknown) => exchange.fail(e instanceof TransportError ? e : new TransportError(`the files of the request could not be read: ${e instanceof Error ? e.message : String(e)}`, TransportError.fileUnreadable, false)),
  );
}

/** Exchange is one request's dispatch handler: it collects the response and settles the promise once. */
class Exchange implements Dispatcher.DispatchHandler {
  settled = false;
  private written = false;
  private controller: Dispatcher.DispatchController | undefined;
  private cancelReason: Error | undefined;
  private status = 0;
  private headers: Record<string, string | undefined> = {};
  private chunks: Buffer[] = [];
  private size = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly ended: (() => void)[] = [];
  private readonly onAbort = () =>
    this.cancel(new TransportError(`the request to ${this.origin} was cancelled`, 'ABORTED', this.written));

  constructor(
    private readonly req: HttpRequest,
    private readonly origin: string,
    private readonly maxBytes: number,
    private readonly signal: AbortSignal | undefined,
    private readonly onWritten: (() => void) | undefined,
    private readonly fresh: { socket: boolean },
    private readonly resolve: (res: HttpResponse) => void,
    private readonly reject: (err: TransportError) => void,
  ) {
    this.timer = setTimeout(
      () => this.cancel(new TransportError(`no answer from ${origin} within ${req.timeoutMs} ms`, 'ETIMEDOUT', this.written)),
      req.timeoutMs,
    );
    if (signal?.aborted) this.onAbort();
    else signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    if (this.cancelReason !== undefined) {
      controller.abort(this.cancelReason);
      return;
    }
    this.controller = controller;
    this.written = true;
    // undici writes the request to the socket right after this returns, in the same tick: this is
    // its wire time, the one the rate limit counts. Except on a connection just made: the server
    // reads that first request only once it has accepted the connection, up to tens of ms later
    // (we measured 54 ms on loopback), so it is not reported and counts as on its way until it
    // ends, when the server has surely seen it (ports.ts).
    const fresh = this.fresh.socket;
    this.fresh.socket = false;
    if (!fresh) this.onWritten?.();
  }

  onResponseStart(_c: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    this.status = statusCode;
    const out: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    this.headers = out;
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      this.cancel(new TransportError(`the response from ${this.origin} is larger than ${this.maxBytes} bytes`, 'ERESPONSETOOLARGE', true));
      return;
    }
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    const body = this.chunks.length === 1 ? (this.chunks[0] as Buffer).toString('utf8') : Buffer.concat(this.chunks).toString('utf8');
    this.settle(() => this.resolve({ status: this.status, headers: this.headers, body }));
  }

  onResponseError(_c: Dispatcher.DispatchController, err: Error): void {
    this.settle(() => this.reject(describeError(err, this.origin, this.written, this.req.headers)));
  }

  /** onSettled runs `fn` once the exchange has settled (at once when it already has). */
  onSettled(fn: () => void): void {
    if (this.settled) fn();
    else this.ended.push(fn);
  }

  /** fail settles with `err` before anything was dispatched (the request's files could not be opened). */
  fail(err: TransportError): void {
    this.cancel(err);
  }

  /** cancel settles with `err` now and stops the request, at once if it is on a socket, else when it gets one. */
  private cancel(err: TransportError): void {
    if (this.settled) return;
    this.cancelReason = err;
    this.settle(() => this.reject(err));
    this.controller?.abort(err);
  }

  private settle(fn: () => void): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.signal?.removeEventListener('abort', this.onAbort);
    fn();
    for (const end of this.ended.splice(0)) end();
  }
}

const notConnected = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/** describeError words an undici or socket error; never with a header value (the API key is one). */
function describeError(err: Error, origin: string, written: boolean, headers: Record<string, string>): TransportError {
  const raw: unknown = (err as { code?: unknown }).code;
  const code = typeof raw === 'string' ? raw : 'EUNKNOWN';
  const host = new URL(origin).hostname;
  let what: string;
  if (code === 'ECONNREFUSED') what = `connection refused by ${origin}`;
  else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL') what = `could not resolve the host name ${host}`;
  else if (code === 'UND_ERR_CONNECT_TIMEOUT') what = `could not connect to ${origin} in time`;
  else if (notConnected.has(code)) what = `could not reach ${origin}`;
  else if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET') {
    what = written ? `the connection to ${origin} closed before the answer came` : `the connection to ${origin} closed before the request was sent`;
  } else what = `the request to ${origin} failed: ${redact(err.message, headers)}`;
  return new TransportError(`${what} (${code})`, code, written);
}

/** redact blanks every header value out of a message, so no key can leak through an error. */
function redact(message: string, headers: Record<string, string>): string {
  let out = message;
  for (const value of Object.values(headers)) {
    if (value.length >= 4) out = out.split(value).join('[redacted]');
  }
  return out;
}
