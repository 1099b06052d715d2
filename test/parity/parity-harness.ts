import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ConversationSeed, WassistSimOptions } from '../../electron/core/sandbox/simulator';
import type { WireKind } from '../../shared/providers/types';
import type { Api } from '../../shared/ipc/api';
import type { Totals } from '../../shared/engine/events';
import type { Profile, StatusBatch } from '../../shared/ipc/contract';
import { main } from '../../electron/cli/main';
import type { Desktop } from '../desktop/desktop-harness';
import { bootDesktop, csvBytes, importCsv } from '../desktop/desktop-harness';
import type { FaultPlan } from '../mock-server/faults';
import type { MockServer } from '../mock-server/mock-server';
import { mockApiKey, startMockServer } from '../mock-server/mock-server';

/**
 * The parity harness: one scenario (a contacts file, a campaign, a mock provider with its faults)
 * run once through the `campaign` CLI (its real main(), in process, over a temp workspace) and
 * once through the desktop backend (the real shell, driven through the preload API as the window
 * does), each against a fresh strict mock server built from the same options. Each side answers
 * what the server received, the report it wrote, and the ids the server made up, for
 * parity-compare.ts to hold side by side.
 */

/** Scenario is one campaign as both front ends will run it. */
export interface Scenario {
  kind: WireKind;
  header: string[];
  rows: string[][];
  /** The contacts file's bytes as they are on disk (default: `header` and `rows` as UTF-8 CSV with CRLF). */
  bytes?: Uint8Array;
  /** Send the valid rows and skip the invalid ones (CLI `--skip-invalid`, the desktop's "skip invalid rows"). */
  skipInvalid?: boolean;
  /** The campaign file less its provider (each side points it at its own mock server). */
  campaign: Record<string, unknown>;
  conversations?: readonly ConversationSeed[];
  wassist?: WassistSimOptions;
  /** Pingback: messages the plan allows this month. */
  planLimit?: number;
  /** Built afresh for each side, so per-path counting starts over. */
  faults?: () => FaultPlan;
  /**
   * Files the campaign attaches (Pingback), by path: the CLI finds them in the contacts file's folder;
   * the desktop has them picked in main's dialog, `picks` says how: each file (`files`, a campaign
   * naming them one by one) or their folder (`folder`, a column of file names).
   */
  files?: Record<string, Uint8Array>;
  picks?: 'files' | 'folder';
  /** Between the run and the report: what the provider does meanwhile (e.g. messages read). */
  between?: (mock: MockServer) => void;
  /**
   * When the error threshold pauses the run: `cancel` (default) leaves the rest pending (the CLI's
   * headless run ends there by itself); `resume` carries on as the person would once the cause is
   * fixed: the CLI's same command again, the desktop's Resume button.
   */
  afterPause?: 'cancel' | 'resume';
  /**
   * Read the delivery status before the report: in the desktop "Refresh delivery status" once the
   * run has ended; in the CLI `campaign status --report` afterwards (`after`), or `send
   * --delivery-status` (`with-send`: read as the send ends, so `between` cannot come first).
   */
  deliveryStatus?: 'after' | 'with-send';
}

/** SideRun is what one front end did to the provider and what it reported. */
export interface SideRun {
  side: 'cli' | 'desktop';
  mock: MockServer;
  /** The delivery report, as written on disk. */
  report: string;
  /** The run's totals as the front end showed them at the end. */
  totals: Record<string, number>;
  /** The run was paused by the error threshold. */
  paused: boolean;
  /** What the front end said (CLI stderr; the desktop's notices). */
  said: string;
}

/** contactsOf is the scenario's contacts file as bytes. */
export function contactsOf(s: Scenario): Uint8Array {
  return s.bytes ?? csvBytes(s.header, s.rows);
}

const basePathOf = (kind: WireKind) => (kind === 'generic' ? '/v1' : undefined);

/** startScenarioMock starts a fresh mock of the scenario's provider. */
export function startScenarioMock(s: Scenario): Promise<MockServer> {
  const basePath = basePathOf(s.kind);
  const faults = s.faults?.();
  return startMockServer({
    kind: s.kind,
    conversations: s.conversations ?? [],
    ...(s.wassist === undefined ? {} : { wassist: s.wassist }),
    ...(s.planLimit === undefined ? {} : { planLimit: s.planLimit }),
    ...(basePath === undefined ? {} : { basePath }),
    ...(faults === undefined ? {} : { faults }),
  });
}

/** campaignFile is the scenario's campaign file aimed at `mock`. */
export function campaignFile(s: Scenario, mock: MockServer): Record<string, unknown> {
  return { ...s.campaign, provider: { kind: s.kind, baseUrl: mock.url } };
}

/** CliSide is a temp workspace with the scenario's files, to run `campaign` commands in. */
export interface CliSide {
  dir: string;
  contacts: string;
  spec: string;
  reportPath: string;
  /** The workspace (`--state`): the desktop's data dir when both front ends share one. */
  stateDir: string;
  /** Runs the CLI in-process; `env` replaces the default environment (the mock's key). */
  run(args: string[], env?: Record<string, string>): Promise<{ code: number; stderr: string; stdout: string }>;
  /**
   * crash runs `campaign <args>` in a child process (test/crash/crash-cli.ts: the real CLI with a
   * crash hook) that kills itself with SIGKILL at crash point `crashAt` (see that file).
   */
  crash(args: string[], crashAt: string): Promise<{ signal: NodeJS.Signals | null; stderr: string }>;
  cleanup(): Promise<void>;
}

const root = join(import.meta.dirname, '..', '..');

/** cliSide writes the contacts and the campaign file for `mock` into a fresh workspace. */
export async function cliSide(s: Scenario, mock: MockServer): Promise<CliSide> {
  const dir = await mkdtemp(join(tmpdir(), 'parity-cli-'));
  const contacts = join(dir, 'contacts.csv');
  const spec = join(dir, 'parity.campaign.json');
  await writeFile(contacts, contactsOf(s));
  await writeFile(spec, JSON.stringify(campaignFile(s, mock), null, 2));
  await writeScenarioFiles(dir, s);
  const stateDir = join(dir, 'state');
  return {
    dir,
    contacts,
    spec,
    reportPath: join(dir, 'report.csv'),
    stateDir,
    async run(args, env = { CAMPAIGN_API_KEY: mockApiKey }) {
      let stdout = '';
      let stderr = '';
      const code = await main([...args, '--state', stateDir], {
        env,
        stdout: { write: (t: string) => (stdout += t) },
        stderr: { write: (t: string) => (stderr += t), isTTY: false },
        onInterrupt: () => () => undefined,
      });
      return { code, stdout, stderr };
    },
    crash(args, crashAt) {
      const entry = join(root, 'test', 'crash', 'crash-cli.ts');
      const env = { PATH: process.env.PATH, HOME: dir, CAMPAIGN_API_KEY: mockApiKey, CAMPAIGN_CRASH_AT: crashAt };
      const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args, '--state', stateDir], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      return new Promise((resolve) => child.on('close', (_code, signal) => resolve({ signal, stderr })));
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** writeScenarioFiles writes the scenario's files under `dir`. */
async function writeScenarioFiles(dir: string, s: Scenario): Promise<void> {
  for (const [path, bytes] of Object.entries(s.files ?? {})) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), bytes);
  }
}

/** pickFiles writes the scenario's files in a folder of the desktop's own and picks them in its (fake) dialog, as `picks` says. */
async function pickFiles(desk: Desktop, s: Scenario): Promise<void> {
  if (s.files === undefined) return;
  const folder = join(desk.dir, 'picked-files');
  await writeScenarioFiles(folder, s);
  if (s.picks === 'folder') {
    desk.dialogs.answer(folder);
    await desk.api.attachments.pick({ kind: 'folder' });
    return;
  }
  for (const path of Object.keys(s.files)) {
    desk.dialogs.answer(join(folder, path));
    await desk.api.attachments.pick({ kind: 'file' });
  }
}

/** cliTotals reads the CLI's closing line (`Done: sent 3 · failed 1 · ...`) into numbers. */
export function cliTotals(stderr: string): Record<string, number> {
  const done = stderr.split('\n').findLast((line) => line.startsWith('Done: ')) ?? '';
  const out: Record<string, number> = {};
  for (const m of done.matchAll(/\b(sent|failed|uncertain|skipped|pending) (\d+)/g)) out[m[1] as string] = Number(m[2]);
  return out;
}

/** desktopTotals are a status batch's totals as the CLI counts them (in flight is still pending). */
export function desktopTotals(t: Totals): Record<string, number> {
  return { sent: t.sent, failed: t.failed, uncertain: t.uncertain, skipped: t.skipped, pending: t.pending + t.inFlight };
}

/**
 * runCli runs the scenario as a person at a terminal would: `campaign validate`, then
 * `campaign send --report`, then (for delivery status) `campaign status --report`.
 */
export function runCli(s: Scenario): Promise<SideRun> {
  return withMock(s, async (mock) => {
    const ws = await cliSide(s, mock);
    try {
      const common = [ws.contacts, '--spec', ws.spec];
      const validated = await ws.run(['validate', ...common]);
      if (validated.code !== (s.skipInvalid === true ? 2 : 0)) throw new Error(`campaign validate exited ${validated.code}:\n${validated.stderr}`);
      const flags = [...(s.skipInvalid === true ? ['--skip-invalid'] : []), ...(s.deliveryStatus === 'with-send' ? ['--delivery-status'] : [])];
      const send = ['send', ...common, '--report', ws.reportPath, ...flags];
      const first = await ws.run(send);
      const paused = /Paused by the error threshold/.test(first.stderr);
      const sent = paused && s.afterPause === 'resume' ? await ws.run(send) : first;
      let said = first === sent ? sent.stderr : first.stderr + sent.stderr;
      s.between?.(mock);
      if (s.deliveryStatus === 'after') {
        const status = await ws.run(['status', ...common, '--report', ws.reportPath]);
        if (status.code !== 0) throw new Error(`campaign status exited ${status.code}:\n${status.stderr}`);
        said += status.stderr;
      }
      return { side: 'cli', mock, report: await readFile(ws.reportPath, 'utf8'), totals: cliTotals(sent.stderr), paused, said };
    } finally {
      await ws.cleanup();
    }
  });
}

/** DesktopSide is a booted desktop with a profile for `mock` (its key set through the API) and the contacts imported. */
export interface DesktopSide {
  desk: Desktop;
  datasetId: string;
  profileId: string;
  spec: Record<string, unknown>;
}

/** desktopSide boots the desktop (on `overrides`' data dir when given), saves the profile and key, and imports the contacts. */
export async function desktopSide(s: Scenario, mock: MockServer, overrides: Parameters<typeof bootDesktop>[0] = {}): Promise<DesktopSide> {
  const desk = bootDesktop(overrides);
  const profileId = 'parity-profile';
  await desk.api.profiles.save({ id: profileId, name: 'Parity account', provider: { kind: s.kind, baseUrl: mock.url } as Profile['provider'] });
  await desk.api.keys.set({ profileId, key: mockApiKey });
  const data = await importCsv(desk.api, { name: 'contacts.csv', bytes: contactsOf(s) });
  await pickFiles(desk, s);
  return { desk, datasetId: data.datasetId, profileId, spec: campaignFile(s, mock) };
}

/** nextBatch resolves with the first status batch of `id` (the window's `since`-th on, or from now on) that `pick` accepts. */
export function nextBatch(desk: Desktop, api: Api, id: string, pick: (b: StatusBatch) => boolean, since = 0): Promise<StatusBatch> {
  const seen = desk.events.slice(since).find((b) => b.campaignId === id && pick(b));
  if (seen !== undefined) return Promise.resolve(seen);
  return new Promise((resolve) => {
    const off = api.campaign.onEvent((b) => {
      if (b.campaignId !== id || !pick(b)) return;
      off();
      resolve(b);
    });
  });
}

/**
 * runDesktop runs the scenario as a person in the app would: validate (the preview step), start,
 * watch the status stream to the end (cancelling a run the error threshold paused, as the CLI's
 * headless run ends there), refresh the delivery status when asked, and export the report to the
 * path the save dialog gives.
 */
export function runDesktop(s: Scenario): Promise<SideRun> {
  return withMock(s, async (mock) => {
    const { desk, datasetId, profileId, spec } = await desktopSide(s, mock);
    const { api } = desk;
    try {
      const request = { datasetId, spec, profileId };
      const report = await api.campaign.validate(request);
      if (report.errorCount > 0 && s.skipInvalid !== true) throw new Error(`validation found ${report.errorCount} errors: ${JSON.stringify(report.problems)}`);
      const { campaignId } = await api.campaign.start({ ...request, skipInvalid: s.skipInvalid === true });
      const stopping = await nextBatch(desk, api, campaignId, (b) => b.state === 'finished' || b.state === 'paused');
      const paused = stopping.state === 'paused';
      if (paused && s.afterPause === 'resume') await api.campaign.resume({ campaignId });
      else if (paused) await api.campaign.cancel({ campaignId });
      const last = await desk.finished(campaignId);
      s.between?.(mock);
      if (s.deliveryStatus !== undefined) await api.campaign.refreshEngagement({ campaignId });
      const path = join(desk.dir, 'exported-report.csv');
      desk.dialogs.answer(path);
      const saved = await api.campaign.exportReport({ campaignId, format: 'csv' });
      if (!saved.saved) throw new Error('the report was not saved');
      const said = desk.events.flatMap((b) => b.notices.map((n) => `${n.type}: ${n.message}`)).join('\n');
      return { side: 'desktop', mock, report: await readFile(path, 'utf8'), totals: desktopTotals(last.totals), paused, said };
    } finally {
      await desk.close();
    }
  });
}

/** withMock runs `work` with a fresh mock of the scenario's provider, closed when it answers (its records stay readable). */
async function withMock(s: Scenario, work: (mock: MockServer) => Promise<SideRun>): Promise<SideRun> {
  const mock = await startScenarioMock(s);
  try {
    return await work(mock);
  } finally {
    await mock.close();
  }
}

/** runBoth runs the scenario through the CLI, then through the desktop. */
export async function runBoth(s: Scenario): Promise<{ cli: SideRun; desktop: SideRun }> {
  return { cli: await runCli(s), desktop: await runDesktop(s) };
}
