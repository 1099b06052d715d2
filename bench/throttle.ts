import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { loadavg, setPriority } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Interface } from 'node:readline';
import type { EngineEvent } from '../shared/engine/events';
import { providers } from '../shared/providers';
import { CampaignEngine } from '../electron/core/engine/engine';
import { busiestWindow } from '../electron/core/engine/rate-limit';
import { createHttpTransport } from '../electron/core/http-transport';
import type { Transport } from '../electron/core/ports';
import { MemoryJournal, systemClock } from '../electron/core/ports';
import { mockApiKey } from '../test/mock-server/mock-server';

/**
 * The rate limit as the provider counts it: the strict mock in its own process stamps each request
 * when its request line arrives, and every figure here is computed from those stamps, not from the
 * engine's own events. BENCH_THROTTLE_SECONDS sets the length of the steady runs (default 20 s).
 */

const SECONDS = Number(process.env.BENCH_THROTTLE_SECONDS ?? 20);

interface Arrival {
  at: number;
  refused: boolean;
}

/** MockProcess is bench/mock-process.ts, driven over its stdin/stdout. */
export class MockProcess {
  private constructor(
    readonly url: string,
    private readonly child: ChildProcess,
    private readonly lines: Interface,
  ) {}

  static async start(): Promise<MockProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'mock-process.ts')], { stdio: ['pipe', 'pipe', 'inherit'] });
    // A provider's servers are not starved of CPU by its clients; on a shared 2-core machine this
    // one is unless it comes first, and then stamps late what it read late.
    try {
      setPriority(child.pid as number, -10);
    } catch {
      // Not allowed here: the figures then include the machine's scheduling delays.
    }
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const first = await new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`mock process exited with ${code}`)));
    });
    return new MockProcess((JSON.parse(first) as { url: string }).url, child, lines);
  }

  async setup(latencyMs: [number, number] | undefined, rateLimit?: number): Promise<void> {
    await this.#ask({ cmd: 'setup', latencyMs, rateLimit });
  }

  async arrivals(): Promise<Arrival[]> {
    return ((await this.#ask({ cmd: 'arrivals' })) as { arrivals: Arrival[] }).arrivals;
  }

  stop(): void {
    this.child.stdin?.end();
  }

  #ask(command: object): Promise<unknown> {
    return new Promise((resolve) => {
      this.lines.once('line', (text) => resolve(JSON.parse(text)));
      this.child.stdin?.write(`${JSON.stringify(command)}\n`);
    });
  }
}

interface RunOptions {
  n: number;
  perSecond: number;
  concurrency: number;
  adaptivePace?: boolean;
  retry?: { attempts: number; baseDelayMs: number; maxDelayMs: number };
}

interface RunFigures {
  ms: number;
  sent: number;
  failed: number;
  paceEvents: EngineEvent[];
  /** When each request was written, as the transport reported it to the engine (or ended, when it did not). */
  wires: number[];
}

/** witnessed wraps a transport to keep, at sub-millisecond precision, the wire times the engine is told. */
function witnessed(inner: Transport, wires: number[]): Transport {
  const stamp = () => wires.push(performance.timeOrigin + performance.now());
  return {
    async request(req, signal, onWritten) {
      let reported = false;
      try {
        return await inner.request(req, signal, () => {
          reported = true;
          stamp();
          onWritten?.();
        });
      } finally {
        if (!reported) stamp();
      }
    },
    close: () => inner.close(),
  };
}

async function campaign(url: string, o: RunOptions): Promise<RunFigures> {
  const wires: number[] = [];
  const transport = witnessed(createHttpTransport({ connections: o.concurrency }), wires);
  const paceEvents: EngineEvent[] = [];
  const engine = new CampaignEngine(
    {
      provider: providers.wassist,
      baseUrl: url,
      apiKey: mockApiKey,
      throttle: { concurrency: o.concurrency, perSecond: o.perSecond },
      retry: { attempts: 5, baseDelayMs: 1_000, maxDelayMs: 60_000, ...o.retry, timeoutMs: 30_000, pauseAfterFailures: 0 },
      reconciler: null,
      ...(o.adaptivePace === undefined ? {} : { adaptivePace: o.adaptivePace }),
    },
    { transport, clock: systemClock, journal: new MemoryJournal(), onEvent: (e) => void ((e.type as string) === 'pace' && paceEvents.push(e)) },
  );
  function* jobs() {
    for (let row = 1; row <= o.n; row++) {
      const recipient = `3c90c3cc-0d44-4b50-8888-${String(row).padStart(12, '0')}`;
      yield { row, recipient, request: providers.wassist.buildRequest(recipient, { type: 'text', text: { body: `Hello #${row}` } }) };
    }
  }
  const t0 = performance.now();
  const summary = await engine.run(jobs(), o.n);
  const ms = performance.now() - t0;
  await transport.close();
  return { ms, sent: summary.totals.sent, failed: summary.totals.failed, paceEvents, wires };
}

function line(label: string, value: string): void {
  console.log(`  ${label.padEnd(44)} ${value}`);
}

/** steady runs `perSecond` for SECONDS and prints what the server saw. */
async function steady(mock: MockProcess, perSecond: number): Promise<void> {
  await mock.setup([10, 30]);
  const n = perSecond * SECONDS;
  const r = await campaign(mock.url, { n, perSecond, concurrency: 10 });
  const times = (await mock.arrivals()).map((a) => a.at).sort((a, b) => a - b);
  const late = times.map((t, i) => t - (r.wires.sort((a, b) => a - b)[i] as number)).sort((a, b) => a - b);
  const first = times[0] as number;
  const span = ((times.at(-1) as number) - first) / 1000;
  const rate = (times.length - 1) / span;
  console.log(`\nThrottle at ${perSecond}/s, ${n} messages, concurrency 10, mock latency 10-30 ms (arrivals stamped by the server)`);
  line(`busiest 1-second window (target <= ${perSecond})`, String(busiestWindow(times)));
  line('  on the wire, as the engine counts it', `${busiestWindow(r.wires)} (in 1,010 ms, with the margin: ${busiestWindow(r.wires, 1010)})`);
  line('  server stamp after the wire, p50 / p99 / max', `${late[Math.floor(late.length / 2)]?.toFixed(1)} / ${late[Math.floor(late.length * 0.99)]?.toFixed(1)} / ${late.at(-1)?.toFixed(1)} ms (os load ${loadavg()[0]?.toFixed(1)})`);
  line('first second', String(times.filter((t) => t < first + 1000).length));
  line('achieved rate (target >= 97%)', `${rate.toFixed(2)}/s over ${span.toFixed(2)} s: ${((rate / perSecond) * 100).toFixed(1)}%`);
}

/** refusing runs 600 messages asking 100/s at a provider allowing 60/s, with the adaptive pace off then on. */
async function refusing(mock: MockProcess): Promise<void> {
  console.log('\nProvider allows 60/s (429, no Retry-After), campaign asks 100/s: 600 messages, concurrency 10, latency 10-30 ms');
  console.log('  (the default retry: 5 attempts, backoff 1 s doubling to 60 s; targets: <= 5% refused, no row failed, >= 50 msg/s)');
  for (const adaptivePace of [false, true]) {
    await mock.setup([10, 30], 60);
    const r = await campaign(mock.url, { n: 600, perSecond: 100, concurrency: 10, adaptivePace });
    const arrivals = await mock.arrivals();
    const refused = arrivals.filter((a) => a.refused).length;
    const accepted = arrivals.filter((a) => !a.refused).map((a) => a.at);
    const lowered = r.paceEvents.filter((e) => e.type === 'pace' && e.lowered).length;
    line(adaptivePace ? 'adaptive pace (now)' : 'fixed pace, each row backs off (before)', `${arrivals.length} requests, ${refused} refused (${((refused / arrivals.length) * 100).toFixed(1)}%), ${r.failed} rows failed`);
    line('', `${((r.sent / r.ms) * 1000).toFixed(1)} msg/s sent, busiest accepted second ${busiestWindow(accepted)}, pace lowered ${lowered}x`);
  }
}

/** benchThrottle is `npm run bench throttle`. */
export async function benchThrottle(): Promise<void> {
  const mock = await MockProcess.start();
  try {
    await mock.setup(undefined);
    await campaign(mock.url, { n: 200, perSecond: 1e6, concurrency: 10 }); // warm up
    await steady(mock, 50);
    await steady(mock, 200);
    await refusing(mock);
  } finally {
    mock.stop();
  }
}
