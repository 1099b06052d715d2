import type { Clock, HttpRequest, HttpResponse, Transport } from '../ports';
import type { PaceChange } from './adaptive-pace';
import { PacedQueue } from './paced-queue';

/**
 * The one queue every request of a campaign goes through (sends, retries, reconciliation reads):
 * it gives the concurrency, the rate limit as the provider counts it (rate-limit.ts), the adaptive
 * pace (adaptive-pace.ts), the user's pause, and the account-wide hold a Retry-After asks for.
 * createSendQueue makes the in-process one (paced-queue.ts).
 *
 * SendQueue is the seam for a shared-queue backend (many senders, one provider rate limit): such a
 * backend implements this interface (its `run` asks a shared limiter for the grant, and reports wire
 * times and refusals to it) and is passed as `EngineDeps.queue`; the engine does not change.
 */

/** WireEnd is how a request ended: whether it reached the wire, and its HTTP status when one came. */
export interface WireEnd {
  written: boolean;
  status?: number;
  /** The answer said when to come back (a Retry-After header). */
  retryAfter?: boolean;
}

/**
 * WireTicket is one request's grant. `written()` when the transport writes it (once); `done()` when
 * it ended, which returns a change of the adaptive pace that this answer caused, to announce.
 * A ticket not reported by the time its task ends is given back as never written.
 */
export interface WireTicket {
  written(): void;
  done(end: WireEnd): PaceChange | undefined;
}

/** Pace is the rate in force: the configured ceiling, and when lower, why. */
export interface Pace {
  perSecond: number;
  ceiling: number;
  reason?: string;
}

/** SendQueue: see the file comment. Priorities: higher first, first in first out within one. */
export interface SendQueue {
  /** run runs `task` once a concurrency slot and a rate grant are free. After halt() it never runs (nor settles). */
  run<T>(task: (ticket: WireTicket) => Promise<T>, priority: number): Promise<T>;
  /** Tasks waiting to start. */
  readonly size: number;
  /** Resolves once fewer than `n` tasks wait. */
  onSizeLessThan(n: number): Promise<void>;
  /** The user's pause: nothing starts while it is on; what runs finishes. */
  setPaused(paused: boolean): void;
  /** Holds every start for at least `ms` from now (a longer hold extends it): a Retry-After is account-wide. */
  holdFor(ms: number): void;
  /** Drops every waiting task and starts nothing more, for good; ends holds and timers. */
  halt(): void;
  pace(): Pace;
}

/** SendQueueSpec: the campaign's throttle, whether the pace adapts to refusals, and the clock. */
export interface SendQueueSpec {
  concurrency: number;
  perSecond: number;
  adaptive: boolean;
  clock: Clock;
  /** See EngineConfig.arrivalMarginMs (default arrivalMarginMs). */
  marginMs?: number;
}

/** createSendQueue is the in-process SendQueue. */
export function createSendQueue(spec: SendQueueSpec): SendQueue {
  return new PacedQueue(spec);
}

/** WireResult is what a request through a ticket gave: a response or the transport's error, and any pace change. */
export type WireResult = { res: HttpResponse; error?: undefined; pace?: PaceChange } | { res?: undefined; error: unknown; pace?: PaceChange };

/**
 * sendOnWire makes one request with its ticket: the transport reports the write; a transport that
 * cannot (or an error saying the request may have been written) is taken as written when it ends.
 */
export async function sendOnWire(transport: Transport, req: HttpRequest, ticket: WireTicket, signal?: AbortSignal): Promise<WireResult> {
  try {
    const res = await transport.request(req, signal, () => ticket.written());
    const pace = ticket.done({ written: true, status: res.status, retryAfter: res.headers['retry-after'] !== undefined });
    return pace === undefined ? { res } : { res, pace };
  } catch (error) {
    const written = (error as { written?: unknown }).written !== false;
    ticket.done({ written });
    return { error };
  }
}
