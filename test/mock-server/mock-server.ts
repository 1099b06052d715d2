import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WireKind } from '../../shared/providers/types';
import type { ConversationSeed, SimForm, SimMessage, SimResponse, SimState, WassistSimOptions } from '../../electron/core/sandbox/simulator';
import { createSimState, errorResponse, simulateRequest } from '../../electron/core/sandbox/simulator';
import { isMultipart, parseForm } from '../../electron/core/sandbox/sim-form';
import type { Fault, FaultPlan } from './faults';
import { FaultPicker, retryAfterValue } from './faults';

/**
 * A strict mock of one provider API on 127.0.0.1 for tests and benchmarks: the simulator of
 * electron/core/sandbox behind node:http, so a request that breaks the API's documents gets the
 * documented error, plus fault injection (latency, a status with Retry-After, a reset before or
 * after processing, a request that never gets an answer). Fast enough for the engine benchmark:
 * no logging, and request recording can be turned off.
 */

/** mockApiKey is the key the mock accepts unless told otherwise. */
export const mockApiKey = 'mock-key-0123456789abcdef';

/** MockServerOptions configures one mock API. */
export interface MockServerOptions {
  /** Which API to speak. */
  kind: WireKind;
  /** The only key accepted. Default mockApiKey. */
  apiKey?: string;
  /** Conversations that exist from the start (active unless said otherwise). */
  conversations?: readonly ConversationSeed[];
  /** Accept any conversation id, creating it active on first use (benchmarks). Default false. */
  acceptAnyConversation?: boolean;
  /** Pingback: messages the plan allows this month. Default unlimited. */
  planLimit?: number;
  /** Wassist: list shapes, page sizes and how message statuses move on. */
  wassist?: WassistSimOptions;
  /** The API lives under this path (the generic API's base URL has one, e.g. `/v1`). Default none. */
  basePath?: string;
  faults?: FaultPlan;
  /**
   * A provider-side rate limit, as a provider that does not say when to come back enforces it: a
   * request arriving when `perSecond` requests were already accepted in the last 1000 ms is refused
   * with 429 and no Retry-After, and not processed. Refused requests do not count against the limit.
   */
  rateLimit?: { perSecond: number };
  /** Keep every request in `requests`. Default true; benchmarks turn it off. */
  record?: boolean;
}

/**
 * Arrival is one request as the provider counts it: when it arrived (ms since the epoch, with
 * sub-millisecond precision, taken when its request line and headers were read, before the body),
 * its method and path, and whether the rate limit refused it.
 */
export interface Arrival {
  at: number;
  method: string;
  /** As received, query included. */
  path: string;
  refused: boolean;
}

/** RecordedRequest is one request the mock received. */
export interface RecordedRequest {
  method: string;
  /** Full path as received, query included. */
  path: string;
  /** Header names lower case, as node:http gives them. */
  headers: IncomingMessage['headers'];
  /** Parsed JSON body; the raw text when it is not JSON; undefined when empty. */
  body: unknown;
  /** The body as UTF-8 text (a form's file bytes that are not UTF-8 come out replaced: compare `bytes` or `form`). */
  rawBody: string;
  /** The body's bytes as received. */
  bytes: Buffer;
  /** A `multipart/form-data` body as the simulated API parsed it (each file's name, type, size and SHA-256). */
  form?: SimForm | { error: string };
  /** Milliseconds since the epoch when the body had arrived. */
  time: number;
}

/** MockServer is a running mock API. */
export interface MockServer {
  /** Base URL to configure the provider with (basePath included, no trailing slash). */
  readonly url: string;
  readonly port: number;
  readonly state: SimState;
  readonly requests: RecordedRequest[];
  /** Every request's arrival, in order, recorded even when `record` is off (one small object each). */
  readonly arrivals: Arrival[];
  /** Messages delivered into a conversation, in order. */
  delivered(conversationId: string): SimMessage[];
  /** Replaces the fault plan; undefined answers everything normally. Counting restarts. */
  setFaults(plan: FaultPlan | undefined): void;
  /** Replaces the provider-side rate limit (undefined: none); its window starts empty. */
  setRateLimit(limit: MockServerOptions['rateLimit']): void;
  close(): Promise<void>;
}

/** startMockServer starts a mock API on 127.0.0.1 on a free port. */
export async function startMockServer(options: MockServerOptions): Promise<MockServer> {
  const { kind } = options;
  const state = createSimState({
    apiKey: options.apiKey ?? mockApiKey,
    conversations: options.conversations ?? [],
    autoCreateConversations: options.acceptAnyConversation ?? false,
    planLimit: options.planLimit ?? Number.POSITIVE_INFINITY,
    wassist: options.wassist ?? {},
  });
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const record = options.record ?? true;
  const requests: RecordedRequest[] = [];
  const arrivals: Arrival[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let picker = new FaultPicker(options.faults);
  let limiter = options.rateLimit === undefined ? undefined : new AcceptWindow(options.rateLimit.perSecond);

  async function answer(req: IncomingMessage, bytes: Buffer): Promise<SimResponse> {
    const full = req.url ?? '/';
    if (basePath !== '' && !(full.startsWith(`${basePath}/`) || full.startsWith(`${basePath}?`))) {
      return errorResponse(kind, 404);
    }
    return simulateRequest(kind, state, { method: req.method ?? 'GET', path: full.slice(basePath.length), headers: req.headers }, bytes);
  }

  async function act(req: IncomingMessage, res: ServerResponse, bytes: Buffer, fault: Fault | undefined): Promise<void> {
    if (fault?.action === 'hang') return;
    if (fault?.action === 'reset-before') {
      req.socket.destroy();
      return;
    }
    let out: SimResponse;
    if (fault?.status !== undefined) {
      out = errorResponse(kind, fault.status, retryAfterValue(fault.retryAfter));
      if (fault.body !== undefined) out.body = fault.body;
    } else {
      out = await answer(req, bytes);
    }
    if (fault?.action === 'reset-after') {
      req.socket.destroy();
      return;
    }
    res.writeHead(out.status, { ...out.headers, 'content-length': Buffer.byteLength(out.body) });
    res.end(out.body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse, bytes: Buffer, refused: boolean): Promise<void> {
    if (refused) {
      const out = errorResponse(kind, 429);
      res.writeHead(out.status, { ...out.headers, 'content-length': Buffer.byteLength(out.body) });
      res.end(out.body);
      return;
    }
    const rawBody = bytes.toString('utf8');
    let parsed: unknown;
    if (record || picker.active) parsed = parseOrText(rawBody);
    if (record) {
      const recorded: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: parsed, rawBody, bytes, time: Date.now() };
      const type = req.headers['content-type'];
      if (isMultipart(type)) recorded.form = await parseForm(type as string, bytes);
      requests.push(recorded);
    }
    const fault = picker.active
      ? picker.pick({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: parsed })
      : undefined;
    if (fault?.latencyMs !== undefined && fault.latencyMs > 0) {
      const t = setTimeout(() => {
        timers.delete(t);
        void act(req, res, bytes, fault);
      }, fault.latencyMs);
      timers.add(t);
    } else {
      await act(req, res, bytes, fault);
    }
  }

  const server = createServer({ noDelay: true }, (req, res) => {
    // Counted on arrival, as a provider counts: before the body, the faults and the answer.
    const at = performance.timeOrigin + performance.now();
    const refused = limiter !== undefined && !limiter.admit(at);
    arrivals.push({ at, method: req.method ?? '', path: req.url ?? '', refused });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void handle(req, res, chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks), refused));
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}${basePath}`,
    port,
    state,
    requests,
    arrivals,
    delivered: (id) => state.conversations.get(id)?.messages ?? [],
    setFaults(plan) {
      picker = new FaultPicker(plan);
    },
    setRateLimit(limit) {
      limiter = limit === undefined ? undefined : new AcceptWindow(limit.perSecond);
    },
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** AcceptWindow accepts at most `perSecond` arrivals in any 1000 ms (sliding), counting only those it accepted. */
class AcceptWindow {
  #accepted: number[] = [];
  #head = 0;

  constructor(private readonly perSecond: number) {}

  admit(at: number): boolean {
    while (this.#head < this.#accepted.length && (this.#accepted[this.#head] as number) <= at - 1000) this.#head++;
    if (this.#head > 1024) {
      this.#accepted = this.#accepted.slice(this.#head);
      this.#head = 0;
    }
    if (this.#accepted.length - this.#head >= this.perSecond) return false;
    this.#accepted.push(at);
    return true;
  }
}

function parseOrText(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}
