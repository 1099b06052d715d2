import { expect } from 'vitest';
import type { Scenario, SideRun } from './parity-harness';
import { runBoth } from './parity-harness';
import { maskReport, wireOf } from './parity-compare';

/** Parity is a scenario's two runs, held side by side (see parity-compare.ts for what is masked). */
export interface Parity {
  cli: SideRun;
  desktop: SideRun;
  /** The wire both sides produced (the CLI's; the desktop's is equal). */
  wire: string[];
  /** The masked report both sides wrote (the CLI's; the desktop's is equal). */
  report: string;
}

/** seededIds are the conversation ids the scenario gave the server (never masked). */
function seededIds(s: Scenario): string[] {
  return (s.conversations ?? []).map((c) => c.id);
}

/**
 * expectParity holds two runs of `s` to the same wire, report and totals. The requests are listed
 * one by one in the diff a failure prints, so a difference names the request it is in.
 */
export function expectParity(s: Scenario, cli: SideRun, desktop: SideRun): Parity {
  const wire = wireOf(cli.mock, s.kind);
  expect(wireOf(desktop.mock, s.kind), 'the requests the desktop sent differ from the CLI’s').toEqual(wire);
  const report = maskReport(cli.report, cli.mock, seededIds(s));
  expect(maskReport(desktop.report, desktop.mock, seededIds(s)), 'the desktop’s report differs from the CLI’s').toBe(report);
  expect(desktop.totals, 'the totals shown at the end differ').toEqual(cli.totals);
  expect(desktop.paused).toBe(cli.paused);
  return { cli, desktop, wire, report };
}

/** runParity runs `s` through both front ends and holds them to parity. */
export async function runParity(s: Scenario): Promise<Parity> {
  const { cli, desktop } = await runBoth(s);
  return expectParity(s, cli, desktop);
}

/** posts are the message sends on the wire (the requests' first lines, sorted). */
export function postsOf(p: Parity): string[] {
  return p.wire.filter((w) => w.startsWith('POST ')).map((w) => w.slice(0, w.indexOf('\n')));
}

/** bodiesOf are the sends' bodies, parsed. */
export function bodiesOf(p: Parity): unknown[] {
  return p.wire.filter((w) => w.startsWith('POST ')).map((w) => JSON.parse(w.slice(w.indexOf('\n\n') + 2)) as unknown);
}
