import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { textUnder } from '../helpers/files';
import Papa from 'papaparse';
import type { WireKind } from '../../shared/providers/types';
import type { MockServer, MockServerOptions } from '../mock-server/mock-server';
import { mockApiKey, startMockServer } from '../mock-server/mock-server';
import { crashTestBundle, freshBundle } from '../../scripts/build-cli.mjs';

/**
 * Crash-test harness: a strict mock API in the test process, the real CLI in a child process
 * (test/crash/crash-cli.ts, bundled like the shipped command into dist-cli/crash-cli.mjs), and a
 * judge that compares what the mock received with what the journal and the report say.
 */

const root = join(import.meta.dirname, '..', '..');

/** conversationId is row `i`'s conversation: a UUID (Pingback wants one), unique per row. */
export function conversationId(i: number): string {
  return `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
}

/** Child is one CLI run: how it ended and what it printed. */
export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** CrashWorld is a mock API, a workspace with a contacts CSV and a campaign file, and the way to run the CLI on them. */
export interface CrashWorld {
  kind: WireKind;
  mock: MockServer;
  dir: string;
  rows: number;
  reportPath: string;
  /** The send command's arguments (same every time, so a re-run resumes). */
  sendArgs(extra?: string[]): string[];
  /** Runs the CLI to its end; `crashAt` sets CAMPAIGN_CRASH_AT. */
  run(args: string[], crashAt?: string): Promise<ChildRun>;
  /** Starts the CLI and gives the process, for kill -9 loops. */
  spawn(args: string[]): { child: ChildProcess; done: Promise<ChildRun>; output: () => string };
  judge(): Promise<Judgement>;
  /** Every file written under the workspace (state, report, temp files), as text. */
  writtenText(): Promise<string>;
  close(): Promise<void>;
}

/** WorldOptions: the provider, the number of rows, and extra mock options (faults, latency). */
export interface WorldOptions {
  kind: WireKind;
  rows: number;
  throttle?: { concurrency: number; perSecond: number };
  retry?: object;
  mock?: Omit<MockServerOptions, 'kind' | 'conversations'>;
  apiKey?: string;
}

function messageFor(kind: WireKind): object {
  if (kind === 'wassist') return { type: 'text', text: { body: 'Hi {{name}}, your code is {{code}}' } };
  if (kind === 'pingback') return { content: 'Hi {{name}}, your code is {{code}}' };
  return { sender_id: 'agent-1', sender_type: 'agent', text: 'Hi {{name}}, your code is {{code}}' };
}

/** startWorld builds a world: `rows` contacts, each in its own conversation. */
export async function startWorld(o: WorldOptions): Promise<CrashWorld> {
  const entry = await freshBundle(crashTestBundle);
  const dir = await mkdtemp(join(tmpdir(), 'campaign-crash-'));
  const apiKey = o.apiKey ?? mockApiKey;
  const basePath = o.kind === 'generic' ? '/v1' : undefined;
  const conversations = Array.from({ length: o.rows }, (_, i) => ({ id: conversationId(i + 1) }));
  const mock = await startMockServer({ kind: o.kind, conversations, apiKey, ...(basePath ? { basePath } : {}), ...o.mock });
  const lines = [['conversation_id', 'name', 'code'], ...conversations.map((c, i) => [c.id, `Name ${i + 1}`, `=HYPERLINK("x${i + 1}")`])];
  const contacts = join(dir, 'contacts.csv');
  await writeFile(contacts, Papa.unparse(lines, { newline: '\r\n' }));
  const spec = join(dir, 'c.campaign.json');
  await writeFile(
    spec,
    JSON.stringify({
      provider: { kind: o.kind, baseUrl: mock.url },
      recipient: { conversationId: '{{conversation_id}}' },
      message: messageFor(o.kind),
      throttle: o.throttle ?? { concurrency: 4, perSecond: 200 },
      retry: { attempts: 5, baseDelayMs: 10, maxDelayMs: 50, timeoutMs: 2_000, ...o.retry },
    }),
  );
  const reportPath = join(dir, 'report.csv');
  const stateDir = join(dir, 'state');
  const env = (crashAt?: string): NodeJS.ProcessEnv => {
    const e: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir, CAMPAIGN_API_KEY: apiKey };
    if (crashAt !== undefined) e.CAMPAIGN_CRASH_AT = crashAt;
    return e;
  };
  const spawnCli = (args: string[], crashAt?: string) => {
    const child = spawn(process.execPath, [entry, ...args, '--state', stateDir], { cwd: root, env: env(crashAt), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    const done = new Promise<ChildRun>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
    return { child, done, output: () => stderr };
  };
  return {
    kind: o.kind,
    mock,
    dir,
    rows: o.rows,
    reportPath,
    sendArgs: (extra = []) => ['send', contacts, '--spec', spec, '--report', reportPath, ...extra],
    run: (args, crashAt) => spawnCli(args, crashAt).done,
    spawn: (args) => spawnCli(args),
    judge: () => judge(mock, o.rows, reportPath),
    writtenText: async () => textUnder(dir),
    async close() {
      await mock.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Judgement compares the truth (what the mock delivered) with the report. */
export interface Judgement {
  /** Rows whose conversation received the message more than once. */
  duplicates: number[];
  /** Rows delivered zero times that the report does not flag as uncertain (or pending/failed with a reason). */
  losses: number[];
  /** Rows the report calls uncertain. */
  uncertain: number[];
  /** Rows whose report line disagrees with the truth (sent without delivery, wrong id, delivered but not sent/uncertain). */
  mismatches: string[];
  statuses: Record<string, number>;
  report: Record<string, string>[];
}

/** readReport parses a delivery report CSV into objects. */
export async function readReport(path: string): Promise<Record<string, string>[]> {
  const text = await readFile(path, 'utf8');
  const parsed = Papa.parse<string[]>(text.trimEnd(), { newline: '\r\n' });
  const [header = [], ...rows] = parsed.data;
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

async function judge(mock: MockServer, rows: number, reportPath: string): Promise<Judgement> {
  const report = await readReport(reportPath);
  const j: Judgement = { duplicates: [], losses: [], uncertain: [], mismatches: [], statuses: {}, report };
  for (let i = 1; i <= rows; i++) {
    const delivered = mock.delivered(conversationId(i));
    const line = report.find((r) => r.row === String(i));
    const status = line?.status ?? 'missing';
    j.statuses[status] = (j.statuses[status] ?? 0) + 1;
    if (delivered.length > 1) j.duplicates.push(i);
    if (status === 'uncertain') j.uncertain.push(i);
    if (delivered.length === 0 && status !== 'uncertain') j.losses.push(i);
    if (status === 'sent' && delivered.length === 0) j.mismatches.push(`row ${i}: reported sent, never delivered`);
    if (status === 'sent' && delivered.length > 0 && !delivered.some((m) => m.id === line?.message_id)) {
      j.mismatches.push(`row ${i}: reported message id ${line?.message_id ?? ''} is not the delivered ${delivered.map((m) => m.id).join(',')}`);
    }
    if (delivered.length > 0 && status !== 'sent' && status !== 'uncertain') j.mismatches.push(`row ${i}: delivered but reported ${status}`);
  }
  return j;
}

/** posts counts the message sends the mock received per conversation. */
export function postsPer(mock: MockServer): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of mock.requests) {
    if (r.method !== 'POST') continue;
    const m = /conversations\/([^/]+)\/messages/.exec(r.path);
    const id = m?.[1] ?? '(created)';
    out.set(id, (out.get(id) ?? 0) + 1);
  }
  return out;
}
