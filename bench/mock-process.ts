import { createInterface } from 'node:readline';
import { startMockServer } from '../test/mock-server/mock-server';

/**
 * The strict mock Wassist API in a process of its own, so the benchmark's client and server do not
 * share one event loop. Prints `{"url": ...}` on stdout once listening; exits when stdin closes.
 * Commands, one JSON line each on stdin, each answered by one JSON line on stdout:
 * - `{"cmd":"setup","latencyMs":[10,30],"rateLimit":60}`: every answer waits a uniform latency in
 *   that range (omit for none); the provider refuses past `rateLimit` a second (omit for none);
 *   the arrivals recorded so far are dropped. Answers `{"ok":true}`.
 * - `{"cmd":"arrivals"}`: answers `{"arrivals":[{"at":…,"refused":…},…]}` and drops them.
 * - `{"cmd":"first"}`: answers `{"at":…,"count":…}`, the first arrival's time (null when none came)
 *   and how many came, and drops them (a million arrivals are too many to send back).
 */
const mock = await startMockServer({ kind: 'wassist', acceptAnyConversation: true, record: false });
process.stdout.write(`${JSON.stringify({ url: mock.url })}\n`);

interface Command {
  cmd: 'setup' | 'arrivals' | 'first';
  latencyMs?: [number, number];
  rateLimit?: number;
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (text) => {
  const c = JSON.parse(text) as Command;
  if (c.cmd === 'setup') {
    const [lo, hi] = c.latencyMs ?? [0, 0];
    mock.setFaults(hi > 0 ? () => ({ latencyMs: lo + Math.random() * (hi - lo) }) : undefined);
    mock.setRateLimit(c.rateLimit === undefined ? undefined : { perSecond: c.rateLimit });
    mock.arrivals.length = 0;
    process.stdout.write(`${JSON.stringify({ ok: true })}\n`);
  } else if (c.cmd === 'first') {
    const count = mock.arrivals.length;
    const at = mock.arrivals[0]?.at ?? null;
    mock.arrivals.length = 0;
    process.stdout.write(`${JSON.stringify({ at, count })}\n`);
  } else {
    const arrivals = mock.arrivals.splice(0).map(({ at, refused }) => ({ at, refused }));
    process.stdout.write(`${JSON.stringify({ arrivals })}\n`);
  }
});
lines.on('close', () => {
  void mock.close().then(() => process.exit(0));
});
