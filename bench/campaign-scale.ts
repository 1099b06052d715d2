import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { campaignBundle, freshBundle } from '../scripts/build-cli.mjs';
import { mockApiKey } from '../test/mock-server/mock-server';
import { makeCsvFile } from './csv-parse';
import { scaleSpec } from './scale-spec';

/**
 * The campaign at scale (issue 9): `campaign send` of ROWS rows with the built CLI (the bundle
 * bin/campaign.js runs, built once first), each time in a process of its own, against the strict
 * mock Wassist API in another:
 *   send    a fresh campaign, every row;
 *   rerun   the same command again on the finished campaign (it resumes and sends nothing);
 *   half    the same send in another workspace, interrupted (SIGINT, as Ctrl-C) once half the rows are done;
 *   resume  the same command again there: it sends the rest. `firstRequestMs` is how long after its
 *           start the first request reached the mock: what resuming costs before sending goes on.
 * Each: wall and CPU time, peak RSS (bench/peak-rss.mjs), and the sizes of the journal and its snapshot
 * when it ended. Usage: node --import tsx bench/campaign-scale.ts [rows] [desktop]; BENCH_KEEP_STATE=1
 * keeps the workspaces (in bench/.data) for a closer look.
 */

const DATA = join(import.meta.dirname, '.data');
/** The desktop run's bundle (bench/scale-desktop.ts). */
const desktopScaleBundle = { entry: 'bench/scale-desktop.ts', outfile: 'dist-cli/scale-desktop.mjs' };
const root = join(import.meta.dirname, '..');

export type ScaleStep = 'send' | 'rerun' | 'half' | 'resume';

export interface ScaleFigures {
  step: ScaleStep;
  rows: number;
  ms: number;
  /** CPU time of the process (user + system): steadier than wall time on a busy machine. */
  cpuMs: number;
  peakRssBytes: number;
  journalBytes: number;
  snapshotBytes: number;
  code: number;
  /** Rows done (sent, failed, skipped, uncertain) when the step ended. */
  done: number;
  /** resume only: from the start of the command to the first request at the mock. */
  firstRequestMs?: number;
}

/** MockProcess is bench/mock-process.ts in a process of its own, asked over its stdin and stdout. */
export interface MockProcess {
  url: string;
  ask<T>(command: object): Promise<T>;
  stop(): void;
}

/** startMockProcess starts the strict mock Wassist API in a process of its own. */
export async function startMockProcess(): Promise<MockProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'mock-process.ts')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const next = () => new Promise<string>((resolve) => waiting.push(resolve));
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`mock process exited with ${code}`))));
  exited.catch(() => undefined);
  const first = await Promise.race([next(), exited]);
  return {
    url: (JSON.parse(first) as { url: string }).url,
    ask: async <T>(command: object) => {
      const answer = next();
      child.stdin.write(`${JSON.stringify(command)}\n`);
      return JSON.parse(await Promise.race([answer, exited])) as T;
    },
    stop: () => child.stdin.end(),
  };
}

interface CliRun {
  code: number;
  cpuMs: number;
  /** The last lines it printed on stderr, progress lines left out. */
  stderr: string[];
  ms: number;
  peakRssBytes: number;
  startedAt: number;
  done: number;
}

/** cli runs `campaign <args>`; with `interruptAt`, sends SIGINT once its progress lines say that many rows are done. */
async function cli(args: string[], interruptAt?: number): Promise<CliRun> {
  const out = join(DATA, `peak-${process.pid}.json`);
  await rm(out, { force: true });
  const startedAt = Date.now();
  const t0 = performance.now();
  // The bundle bin/campaign.js runs, built once before the first step: every step runs the same build.
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', join(import.meta.dirname, 'peak-rss.mjs'), join(root, campaignBundle.outfile), ...args], {
    cwd: root,
    stdio: 'pipe',
    env: { ...process.env, CAMPAIGN_API_KEY: mockApiKey, BENCH_PEAK_OUT: out },
  });
  child.stdin.end();
  child.stdout.resume();
  let done = 0;
  let interrupted = false;
  const stderrTail: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    if (process.env.BENCH_VERBOSE) process.stderr.write(`  | ${line}\n`);
    if (!line.startsWith('progress: ')) {
      stderrTail.push(line);
      if (stderrTail.length > 20) stderrTail.shift();
    }
    const progress = /^progress: (\d+)\/\d+/.exec(line);
    const end = /^Done: sent (\d+) · failed (\d+) · uncertain (\d+) · skipped (\d+)/.exec(line);
    if (end !== null) done = Number(end[1]) + Number(end[2]) + Number(end[3]) + Number(end[4]);
    if (progress === null) return;
    done = Number(progress[1]);
    if (interruptAt !== undefined && !interrupted && done >= interruptAt) {
      interrupted = true;
      child.kill('SIGINT');
    }
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (c, sig) => resolve([c, sig])));
  const ms = Math.round(performance.now() - t0);
  if (signal !== null) throw new Error(`campaign ${args.join(' ')} was killed by ${signal}${stderrTail.length > 0 ? `:\n${stderrTail.join('\n')}` : ''}`);
  const { peakRssBytes, cpuMs } = JSON.parse(await readFile(out, 'utf8')) as { peakRssBytes: number; cpuMs: number };
  return { code: code ?? -1, ms, cpuMs, peakRssBytes, startedAt, done, stderr: stderrTail };
}

async function sizes(state: string): Promise<{ journalBytes: number; snapshotBytes: number }> {
  const s = { journalBytes: 0, snapshotBytes: 0 };
  for (const id of await readdir(join(state, 'campaigns'))) {
    s.journalBytes += (await stat(join(state, 'campaigns', id, 'journal.log'))).size;
    s.snapshotBytes += (await stat(join(state, 'campaigns', id, 'journal.snapshot')).catch(() => ({ size: 0 }))).size;
  }
  return s;
}

/** scaleCsv is the contacts file of `rows` rows (made once, kept in bench/.data). */
export async function scaleCsv(rows: number): Promise<string> {
  await mkdir(DATA, { recursive: true });
  const csv = join(DATA, `scale-${rows}.csv`);
  if (!(await stat(csv).catch(() => undefined))) await makeCsvFile(csv, rows);
  return csv;
}

/** benchCampaignScale runs the four steps and returns their figures. */
export async function benchCampaignScale(rows: number, onStep?: (f: ScaleFigures) => void): Promise<ScaleFigures[]> {
  const csv = await scaleCsv(rows);
  await freshBundle(campaignBundle); // built before, not while, the first step is timed
  const states = [join(DATA, `scale-state-${process.pid}`), join(DATA, `scale-half-${process.pid}`)] as const;
  const mock = await startMockProcess();
  try {
    const spec = join(DATA, `scale-${process.pid}.campaign.json`);
    await writeFile(spec, JSON.stringify(scaleSpec(mock.url)));
    const out: ScaleFigures[] = [];
    const steps: [ScaleStep, string, number | undefined][] = [
      ['send', states[0], undefined],
      ['rerun', states[0], undefined],
      ['half', states[1], Math.floor(rows / 2)],
      ['resume', states[1], undefined],
    ];
    for (const [step, state, interruptAt] of steps) {
      await mock.ask({ cmd: 'setup' }); // no faults; forgets the arrivals so far
      const r = await cli(['send', csv, '--spec', spec, '--state', state], interruptAt);
      // Interrupted, the half-sent run leaves rows pending (1); a small campaign may be done before (0).
      const expected = step === 'half' ? [0, 1] : [0];
      if (!expected.includes(r.code)) throw new Error(`campaign send (${step}) exited with ${r.code}:\n${r.stderr.join('\n')}`);
      const f: ScaleFigures = { step, rows, ms: r.ms, cpuMs: r.cpuMs, peakRssBytes: r.peakRssBytes, ...(await sizes(state)), code: r.code, done: r.done };
      if (step === 'resume') {
        const first = await mock.ask<{ at: number | null }>({ cmd: 'first' });
        if (first.at !== null) f.firstRequestMs = Math.round(first.at - r.startedAt);
      }
      out.push(f);
      onStep?.(f);
    }
    return out;
  } finally {
    mock.stop();
    if (!process.env.BENCH_KEEP_STATE) for (const state of states) await rm(state, { recursive: true, force: true });
  }
}

/** DesktopFigures is what bench/scale-desktop.ts measured. */
export interface DesktopFigures {
  rows: number;
  sent: number;
  importMs: number;
  startMs: number;
  sendMs: number;
  pagesWhileSendingMaxMs: number;
  pagesAfterMs: Record<string, number>;
  pagesReopenedMs: Record<string, number>;
  /** Peak RSS of the process that imported and sent. */
  peakRssBytes: number;
  /** Peak RSS of the app started again, reading the finished campaign (a process of its own). */
  reopenedPeakRssBytes: number;
}

/** runJson runs `script` with `args` in a process of its own and reads the JSON line it prints. */
async function runJson<T>(script: string, args: string[]): Promise<T> {
  const child = spawn(process.execPath, [script, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`${script} ${args[0] ?? ''} exited with ${code}`);
  return JSON.parse(out) as T;
}

/** benchDesktopScale sends `rows` rows through the desktop backend in a process of its own (see bench/scale-desktop.ts). */
export async function benchDesktopScale(rows: number): Promise<DesktopFigures> {
  const csv = await scaleCsv(rows);
  const mock = await startMockProcess();
  try {
    // Bundled like the shipped main process (see bench/scale-desktop.ts), built when its sources changed.
    const bundle = await freshBundle(desktopScaleBundle);
    const sent = await runJson<Omit<DesktopFigures, 'pagesReopenedMs' | 'reopenedPeakRssBytes'> & { campaignId: string; workspace: string }>(bundle, ['send', csv, mock.url]);
    try {
      const reopened = await runJson<{ pagesReopenedMs: Record<string, number>; peakRssBytes: number }>(bundle, ['reopen', sent.workspace, sent.campaignId, String(sent.rows)]);
      return { ...sent, pagesReopenedMs: reopened.pagesReopenedMs, reopenedPeakRssBytes: reopened.peakRssBytes };
    } finally {
      await rm(sent.workspace, { recursive: true, force: true });
    }
  } finally {
    mock.stop();
  }
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\/bench\//, '/bench/'))) {
  const rows = Number(process.argv[2] ?? 1_000_000);
  if (process.argv[3] === 'desktop') console.log(JSON.stringify(await benchDesktopScale(rows)));
  else await benchCampaignScale(rows, (f) => console.log(JSON.stringify(f)));
}
