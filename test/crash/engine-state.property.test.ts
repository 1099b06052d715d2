import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EngineEvent, RowOutcome } from '../../shared/engine/events';
import { CampaignEngine } from '../../electron/core/engine/engine';
import { fakeProvider } from '../fakes/fake-provider';
import { journalTotals, rowOf, sendJobs } from '../fakes/engine-harness';
import { jsonReply, transportFailure } from '../fakes/fake-transport';
import type { HttpRequest, HttpResponse, Journal, Transport } from '../../electron/core/ports';
import { MemoryJournal, systemClock } from '../../electron/core/ports';
import type { Reconciler } from '../../electron/core/engine/reconciler';

/**
 * Property tests of the engine's state machine over random sequences of start, pause, resume,
 * cancel, crash and "let answers through". A crash abandons the engine: its journal and its
 * transport go dead at once (nothing more is recorded, no answer ever arrives), and the next start
 * is a new engine on the same journal, as after a real process death. The fake provider counts
 * deliveries, so "no row sent twice" is checked where it matters: at the provider.
 */

type Behaviour = 'ok' | 'busy' | 'refused' | 'reset-after' | 'not-connected';
type Op = { op: 'start' } | { op: 'pause' } | { op: 'resume' } | { op: 'cancel' } | { op: 'crash' } | { op: 'answer'; n: number };

const ROWS = 8;
const never = new Promise<never>(() => undefined);

/** World is the provider's truth and the durable journal, shared by every engine generation. */
class World {
  readonly delivered = new Map<number, string[]>();
  readonly journal = new MemoryJournal();
  readonly held: (() => void)[] = [];
  autoAnswer = false;
  #next = 0;
  #ids = 0;
  constructor(readonly plan: readonly Behaviour[]) {}

  behaviour(): Behaviour {
    return this.plan[this.#next++ % this.plan.length] as Behaviour;
  }
  deliver(row: number): string {
    const id = `m${++this.#ids}`;
    this.delivered.set(row, [...(this.delivered.get(row) ?? []), id]);
    return id;
  }
  answer(n: number): void {
    for (const release of this.held.splice(0, n)) release();
  }
}

/** Generation is one engine's life: its transport and journal die with it. */
class Generation implements Transport, Journal {
  alive = true;
  constructor(private readonly world: World) {}

  async request(req: HttpRequest): Promise<HttpResponse> {
    if (!this.alive) return never;
    const row = rowOf(req);
    if (req.method === 'GET') return jsonReply(200, this.world.delivered.get(row) ?? []);
    const b = this.world.behaviour();
    if (b === 'not-connected') throw transportFailure(false);
    // The provider processes the request when it arrives; the answer comes when the test lets it.
    const id = b === 'ok' || b === 'reset-after' ? this.world.deliver(row) : '';
    if (!this.world.autoAnswer) await new Promise<void>((resolve) => this.world.held.push(resolve));
    if (!this.alive) return never; // the process died before the answer was read
    if (b === 'ok') return jsonReply(201, { id });
    if (b === 'busy') return jsonReply(503, { detail: 'busy' });
    if (b === 'refused') return jsonReply(400, { detail: 'bad' });
    throw transportFailure(true);
  }
  async close(): Promise<void> {}
  load(): Promise<RowOutcome[]> {
    return this.alive ? this.world.journal.load() : never;
  }
  record(o: RowOutcome): Promise<void> {
    return this.alive ? this.world.journal.record(o) : never;
  }
}

/** truthReconciler reads the provider's list of the row's messages and takes one no other row holds. */
const truthReconciler: Reconciler = {
  async reconcile(q, fetch) {
    const res = await fetch({ method: 'GET', path: `/conversations/${q.job.recipient}/messages/` });
    const ids = JSON.parse(res.body) as string[];
    const free = ids.filter((id) => !q.claimed.has(id));
    return free[0] !== undefined ? { kind: 'delivered', messageId: free[0] } : { kind: 'not-delivered' };
  },
};

interface Live {
  gen: Generation;
  engine: CampaignEngine;
  run: Promise<unknown>;
  done: boolean;
}

function startEngine(world: World, reconcile: boolean, finished: EngineEvent[], breakerThreshold?: number): Live {
  const gen = new Generation(world);
  const engine = new CampaignEngine(
    {
      provider: fakeProvider,
      baseUrl: 'http://fake.test',
      apiKey: 'k',
      throttle: { concurrency: 3, perSecond: 100_000 },
      retry: { attempts: 3, baseDelayMs: 0, maxDelayMs: 0, timeoutMs: 1_000, pauseAfterFailures: 20 },
      reconciler: reconcile ? truthReconciler : null,
      ...(breakerThreshold !== undefined ? { breakerThreshold } : {}),
    },
    {
      transport: gen,
      journal: gen,
      clock: systemClock,
      random: () => 0,
      onEvent: (e) => {
        if (e.type === 'finished') finished.push(e);
      },
    },
  );
  const live: Live = { gen, engine, run: Promise.resolve(), done: false };
  live.run = engine.run(sendJobs(ROWS), ROWS).then(() => (live.done = true));
  return live;
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.constant<Op>({ op: 'start' }),
  fc.constant<Op>({ op: 'pause' }),
  fc.constant<Op>({ op: 'resume' }),
  fc.constant<Op>({ op: 'cancel' }),
  fc.constant<Op>({ op: 'crash' }),
  fc.integer({ min: 1, max: 4 }).map<Op>((n) => ({ op: 'answer', n })),
  fc.integer({ min: 1, max: 4 }).map<Op>((n) => ({ op: 'answer', n })),
);
const behaviourArb = fc.array(fc.constantFrom<Behaviour>('ok', 'ok', 'ok', 'busy', 'refused', 'reset-after', 'not-connected'), { minLength: 1, maxLength: 12 });

async function scenario(ops: readonly Op[], plan: readonly Behaviour[], reconcile: boolean): Promise<void> {
  const world = new World(plan);
  const finished: EngineEvent[] = [];
  let live: Live | undefined;
  for (const o of ops) {
    if (o.op === 'start') {
      if (live === undefined || live.done) live = startEngine(world, reconcile, finished);
    } else if (o.op === 'crash') {
      if (live !== undefined) live.gen.alive = false;
      live = undefined;
      world.held.length = 0; // answers to a dead process never arrive
    } else if (o.op === 'answer') world.answer(o.n);
    else if (live !== undefined) live.engine[o.op]();
    await turn();
    await turn();
  }
  // Let the last engine end on its own terms (answers flow, a pause is lifted), then run a clean
  // final engine to completion: every row must end settled, none delivered twice.
  world.autoAnswer = true;
  world.answer(world.held.length);
  if (live !== undefined && !live.done) {
    live.engine.resume();
    await live.run;
  }
  const last = startEngine(world, reconcile, finished, 0);
  await last.run;

  for (const e of finished) {
    if (e.type === 'finished' && e.reason === 'completed') {
      expect(e.totals.pending).toBe(0);
      expect(e.totals.inFlight).toBe(0);
    }
  }
  const final = finished.at(-1);
  expect(final).toMatchObject({ type: 'finished', reason: 'completed' });
  if (final?.type === 'finished') expect(final.totals).toEqual(await journalTotals(world.journal, ROWS));
  for (const [row, ids] of world.delivered) expect(ids.length, `row ${row} delivered ${ids.length} times`).toBeLessThanOrEqual(1);
  const outcomes = await world.journal.load();
  expect(outcomes).toHaveLength(ROWS);
  for (const o of outcomes) {
    expect(['sent', 'failed', 'uncertain']).toContain(o.status);
    const ids = world.delivered.get(o.row) ?? [];
    if (o.status === 'sent') expect(ids).toContain(o.messageId);
    if (o.status === 'failed') expect(ids).toEqual([]);
    // With reconciliation nothing stays in doubt: the provider's list settles every row.
    if (reconcile) expect(o.status).not.toBe('uncertain');
  }
}

describe('engine state machine (property)', () => {
  it('with reconciliation: finished only when nothing is pending or in flight; no row delivered twice; no row left in doubt', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 25 }), behaviourArb, (ops, plan) => scenario([{ op: 'start' }, ...ops], plan, true)),
      { numRuns: 80 },
    );
  });

  it('without a read API: the same, with rows in doubt left uncertain and never resent', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 25 }), behaviourArb, (ops, plan) => scenario([{ op: 'start' }, ...ops], plan, false)),
      { numRuns: 80 },
    );
  });
});
