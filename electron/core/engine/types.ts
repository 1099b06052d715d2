import type { RetrySpec, ThrottleSpec } from '../../../shared/campaign/schema';
import type { EngineEvent, FinishReason, RowOutcome, Totals } from '../../../shared/engine/events';
import type { ProviderDefinition, WireRequest } from '../../../shared/providers/types';
import type { Clock, Journal, OpenedFile, Transport } from '../ports';
import type { Reconciler } from './reconciler';
import type { Pace, SendQueue, SendQueueSpec } from './send-queue';

/** SendJob is one row ready to send: the request built by shared/campaign/prepare.ts. */
export interface SendJob {
  row: number;
  recipient: string;
  request: WireRequest;
  /**
   * Not before this instant (ms; quiet hours): the row waits, pending, outside the queue, and goes
   * out once it is due, at the campaign's pace. `waitNote` is what the journal says of it meanwhile.
   */
  notBefore?: number;
  waitNote?: string;
  /**
   * Files to upload into the row's conversation before the message (the provider's UploadApi), in
   * order; the message then references what each upload answered. Absent or empty: none.
   */
  files?: UploadFile[];
}

/** UploadFile is one file a row attaches: checked before the run, opened afresh (and checked again) for every attempt. */
export interface UploadFile {
  /** The name it is uploaded under. */
  name: string;
  /** Its content type. */
  type: string;
  /** Its size when it was checked, for the request's timeout. */
  size: number;
  /** Opens it for one attempt; rejects with a FileReadError when it can no longer be sent. */
  open(): Promise<OpenedFile>;
}

/** SkipJob is a row that will not be sent (invalid, no conversation…), with the reason. */
export interface SkipJob {
  row: number;
  recipient: string;
  skip: string;
}

/** EngineJob is what the engine consumes, one per row, in any order of rows. */
export type EngineJob = SendJob | SkipJob;

/** EngineConfig is one campaign's sending setup. */
export interface EngineConfig {
  provider: ProviderDefinition;
  /** Request URL = baseUrl + request.path. */
  baseUrl: string;
  /** May be '' (sandbox). Never put in an event, error, journal record or log. */
  apiKey: string;
  throttle: ThrottleSpec;
  retry: RetrySpec;
  /** On resume, send again rows the journal has as uncertain or in flight (they may be delivered twice). */
  resendUncertain?: boolean;
  /**
   * How to find out whether a request written but not answered was delivered (reconciler.ts). Undefined
   * picks the provider's own: Wassist reads the conversation back; the others have no documented
   * read API, so their rows stay uncertain. `null` turns reconciliation off.
   */
  reconciler?: Reconciler | null;
  /**
   * Circuit breaker: pause the campaign (a `paused` event with the reason) after this many rows in a
   * row ended failed or uncertain. Default 20 (defaultBreakerThreshold); 0 turns it off.
   * A 401/403-style stop still stops at once.
   */
  breakerThreshold?: number;
  /**
   * Let the pace adapt when the provider refuses with 429 and no Retry-After (adaptive-pace.ts):
   * the campaign slows to what the provider accepts, `throttle.perSecond` staying the ceiling.
   * Default true; false keeps the configured pace and leaves each refused row to its backoff.
   */
  adaptivePace?: boolean;
  /**
   * How much later than our wire times the provider may stamp one request relative to another
   * (rate-limit.ts): the limit keeps this much more than a second between a request and the one
   * perSecond before it. Default arrivalMarginMs (10 ms: loopback on a quiet machine); a provider
   * far away, or a test server on a loaded machine, stamps with more jitter.
   */
  arrivalMarginMs?: number;
}

/**
 * EngineDeps are the engine's ports. `onEvent` is called synchronously; an exception thrown by it
 * stops the campaign (reported as the stop reason) rather than leaving rows half recorded.
 * `random` (default Math.random) drives the backoff jitter, so tests can pin it. `queue` builds
 * the queue every request goes through (default: in-process, send-queue.ts): the seam where a
 * shared queue (many senders, one provider rate limit) plugs in.
 */
export interface EngineDeps {
  transport: Transport;
  clock: Clock;
  journal: Journal;
  onEvent: (e: EngineEvent) => void;
  random?: () => number;
  queue?: (spec: SendQueueSpec) => SendQueue;
  /**
   * replan rebuilds the jobs of rows that waited (`notBefore`) once they are due, given their row
   * numbers in order: the engine keeps only a row number and a time for a waiting row, not its job,
   * so a million waiting rows take a few megabytes. Without it the engine keeps the waiting jobs.
   */
  replan?: Replan;
}

/** Replan: see EngineDeps.replan. */
export type Replan = (rows: readonly number[]) => Iterable<EngineJob> | AsyncIterable<EngineJob>;

/** EngineState: `paused` is a pause asked by the user; a Retry-After hold is still `running`. */
export type EngineState = 'idle' | 'running' | 'paused' | 'finished';

/** Halt is why the run stopped starting rows: a stop (with its reason) or the user's cancel. */
export interface Halt {
  reason: 'stopped' | 'cancelled';
  detail?: string;
  httpStatus?: number;
}

/**
 * EngineSnapshot is the engine's progress at a glance: `ratePerSecond` counts sent rows over the
 * last ~10 s; `etaSeconds` is the time the rows left take at the rate rows reach any final state,
 * those waiting for their quiet hours no earlier than their openings (eta.ts; null while nothing
 * has finished yet and nothing waits; once finished, 0, or null when rows were left); `pace` is
 * there while the adaptive pace is below `throttle.perSecond`, with why.
 */
export interface EngineSnapshot {
  state: EngineState;
  totals: Totals;
  ratePerSecond: number;
  etaSeconds: number | null;
  pace?: Pace;
  /** Rows waiting for their quiet-hours window, and when the first of them is due (ms). */
  waiting?: { rows: number; until: number };
}

/**
 * RunSummary is how a run ended. `stopReason` (and `stopHttpStatus` when a response caused it)
 * says why a `stopped` run stopped. `outcomes()` reads every row's latest outcome from the journal,
 * the source of truth, instead of the engine holding a million rows in memory: call it before
 * closing the journal. Rows absent from the map were never attempted (pending).
 */
export interface RunSummary {
  reason: FinishReason;
  totals: Totals;
  stopReason?: string;
  stopHttpStatus?: number;
  /** Why the circuit breaker paused the run, when it was paused by it (and not resumed) at the end. */
  breakerReason?: string;
  outcomes(): Promise<Map<number, RowOutcome>>;
}
