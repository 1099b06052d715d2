import type { HttpRequest, HttpResponse, Transport } from '../../electron/core/ports';
import { TransportError } from '../../electron/core/ports';

/** FakeReply is what a scripted request answers: an HTTP response, or a TransportError to throw. */
export type FakeReply = HttpResponse | TransportError;

/**
 * FakeScript answers the `index`-th request (0-based, in start order). It may return a promise,
 * which keeps the request in flight until the test resolves it.
 */
export type FakeScript = (req: HttpRequest, index: number) => FakeReply | Promise<FakeReply>;

/** FakeCall is one request the fake received: when it started and, once answered, when and how. */
export interface FakeCall {
  index: number;
  req: HttpRequest;
  startedAt: number;
  endedAt?: number;
  reply?: FakeReply;
}

/** FakeTransportOptions: `now` stamps the calls (default Date.now; pass a fake clock's now). */
export interface FakeTransportOptions {
  now?: () => number;
}

/**
 * FakeTransport is an in-memory Transport for tests: it answers from a script (a function, or a
 * list of replies used in order) and records every request with its start time, plus the most
 * requests it ever had in flight at once.
 */
export class FakeTransport implements Transport {
  readonly calls: FakeCall[] = [];
  inFlight = 0;
  maxInFlight = 0;
  closed = false;
  readonly #script: FakeScript;
  readonly #now: () => number;

  constructor(script: FakeScript | readonly FakeReply[], options: FakeTransportOptions = {}) {
    this.#script = typeof script === 'function' ? script : scriptFromList(script);
    this.#now = options.now ?? Date.now;
  }

  async request(req: HttpRequest, signal?: AbortSignal, onWritten?: () => void): Promise<HttpResponse> {
    if (this.closed) throw new TransportError('transport is closed', 'CLOSED', false);
    if (signal?.aborted) throw new TransportError('request aborted before it was sent', 'ABORTED', false);
    const call: FakeCall = { index: this.calls.length, req, startedAt: this.#now() };
    this.calls.push(call);
    onWritten?.(); // on the fake's wire the moment it is called: `startedAt` is the wire time
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const reply = await this.#script(req, call.index);
      call.reply = reply;
      if (reply instanceof TransportError) throw reply;
      return reply;
    } finally {
      this.inFlight--;
      call.endedAt = this.#now();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

function scriptFromList(replies: readonly FakeReply[]): FakeScript {
  return (_req, index) => {
    const reply = replies[index];
    if (reply === undefined) throw new Error(`FakeTransport: no scripted reply for request #${index + 1}`);
    return reply;
  };
}

/** jsonReply is an HTTP response with a JSON body. */
export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** transportFailure is a request that got no HTTP response; `written` tells whether it may have arrived. */
export function transportFailure(written: boolean, code = written ? 'ECONNRESET' : 'ECONNREFUSED'): TransportError {
  const message = written ? 'connection reset after the request was sent' : 'connection refused';
  return new TransportError(message, code, written);
}

/** deferred is a promise with its resolve function outside, to hold a fake request in flight. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
