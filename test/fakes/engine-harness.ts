import type { RetrySpec, ThrottleSpec } from '../../shared/campaign/schema';
import type { EngineEvent, EngineEventType, RowOutcome, Totals } from '../../shared/engine/events';
import { emptyTotals } from '../../shared/engine/events';
import type { FakeReply, FakeScript } from './fake-transport';
import { FakeTransport, jsonReply } from './fake-transport';
import type { Clock, HttpRequest, Journal } from '../../electron/core/ports';
import { MemoryJournal, systemClock } from '../../electron/core/ports';
import type { Reconciler } from '../../electron/core/engine/reconciler';
import { CampaignEngine } from '../../electron/core/engine/engine';
import { fakeProvider } from './fake-provider';
import type { Replan, SendJob } from '../../electron/core/engine/types';

/** HarnessOptions: everything optional; defaults are fast (no throttling, no backoff delay). */
export interface HarnessOptions {
  script: FakeScript | readonly FakeReply[];
  throttle?: Partial<ThrottleSpec>;
  retry?: Partial<RetrySpec>;
  clock?: Clock;
  journal?: Journal;
  apiKey?: string;
  resendUncertain?: boolean;
  reconciler?: Reconciler | null;
  breakerThreshold?: number;
  random?: () => number;
  onEvent?: (e: EngineEvent, engine: CampaignEngine) => void;
  replan?: Replan;
}

/** Harness is an engine wired to a fake transport, a memory journal and an event log. */
export interface Harness {
  engine: CampaignEngine;
  transport: FakeTransport;
  journal: Journal;
  events: EngineEvent[];
  clock: Clock;
}

/**
 * harness builds an engine over the fake provider and a FakeTransport, for the engine's tests.
 * The default random is 0, so retries come back at once unless a test says otherwise.
 */
export function harness(o: HarnessOptions): Harness {
  const clock = o.clock ?? systemClock;
  const journal = o.journal ?? new MemoryJournal();
  const transport = new FakeTransport(o.script, { now: () => clock.now() });
  const events: EngineEvent[] = [];
  const engine: CampaignEngine = new CampaignEngine(
    {
      provider: fakeProvider,
      baseUrl: 'http://fake.test/api',
      apiKey: o.apiKey ?? 'test-key',
      throttle: { concurrency: 4, perSecond: 10_000, ...o.throttle },
      retry: { attempts: 5, baseDelayMs: 1000, maxDelayMs: 60_000, timeoutMs: 30_000, pauseAfterFailures: 20, ...o.retry },
      resendUncertain: o.resendUncertain ?? false,
      ...(o.reconciler !== undefined ? { reconciler: o.reconciler } : {}),
      ...(o.breakerThreshold !== undefined ? { breakerThreshold: o.breakerThreshold } : {}),
    },
    {
      transport,
      clock,
      journal,
      random: o.random ?? (() => 0),
      ...(o.replan !== undefined ? { replan: o.replan } : {}),
      onEvent: (e) => {
        events.push(e);
        o.onEvent?.(e, engine);
      },
    },
  );
  return { engine, transport, journal, events, clock };
}

/** sendJobs makes rows `from`..`from+n-1`, recipient `c<row>`, built by the fake provider. */
export function sendJobs(n: number, from = 1): SendJob[] {
  const jobs: SendJob[] = [];
  for (let row = from; row < from + n; row++) {
    jobs.push({ row, recipient: `c${row}`, request: fakeProvider.buildRequest(`c${row}`, { text: `hello ${row}` }) });
  }
  return jobs;
}

/** rowOf reads the row number back from a fake request's URL (`/conversations/c<row>/messages`). */
export function rowOf(req: HttpRequest): number {
  const m = /\/conversations\/c(\d+)\//.exec(req.url);
  if (m === null) throw new Error(`not a fake row URL: ${req.url}`);
  return Number(m[1]);
}

/** accepted is a 201 answer with a message id derived from the request's row. */
export function accepted(req: HttpRequest): FakeReply {
  return jsonReply(201, { id: `m${rowOf(req)}` });
}

/** types lists the event types in order, optionally only for one row. */
export function types(events: readonly EngineEvent[], row?: number): EngineEventType[] {
  return events.filter((e) => row === undefined || ('row' in e && e.row === row)).map((e) => e.type);
}

/** journalTotals counts the journal's rows the way the engine's totals do. */
export async function journalTotals(journal: Journal, total: number): Promise<Totals> {
  const t = emptyTotals(total);
  for (const o of await journal.load()) {
    t.pending--;
    if (o.status === 'pending') t.pending++;
    else if (o.status === 'in-flight') t.inFlight++;
    else t[o.status]++;
  }
  return t;
}

/** byRow indexes journal outcomes by row. */
export async function byRow(journal: Journal): Promise<Map<number, RowOutcome>> {
  return new Map((await journal.load()).map((o) => [o.row, o]));
}
