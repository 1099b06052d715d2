import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { mockApiKey } from '../test/mock-server/mock-server';
import { makeCsvFile } from './csv-parse';

/**
 * The campaign at scale (issue 9): `campaign send` of ROWS rows through the CLI, in a process of
 * its own, against the strict mock Wassist API in another; then the same command again on the
 * finished campaign (a re-run resumes and sends nothing). Prints wall time, peak RSS and the
 * journal's size for each, as JSON lines. Usage: node --import tsx bench/campaign-scale.ts [rows]
 */

const ROWS = Number(process.argv[2] ?? 1_000_000);
const DATA = join(import.meta.dirname, '.data');
const tsx = ['--import', 'tsx'];

export interface ScaleFigures {
  step: 'send' | 'rerun';
  rows: number;
  ms: number;
  peakRssBytes: number;
  journalBytes: number;
  code: number;
}

async function startMock(): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, [...tsx, join(import.meta.dirname, 'mock-process.ts')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`mock process exited with ${code}`)));
  });
  return { url: (JSON.parse(first) as { url: string }).url, stop: () => child.stdin.end() };
}

async function cli(args: string[]): Promise<{ code: number; peakRssBytes: number; ms: number }> {
  const out = join(DATA, `cli-${process.pid}.json`);
  const t0 = performance.now();
  const child = spawn(process.execPath, [...tsx, join(import.meta.dirname, 'cli-child.ts'), ...args], {
    stdio: 'inherit',
    env: { ...process.env, CAMPAIGN_API_KEY: mockApiKey, BENCH_OUT: out },
  });
  const exit = await new Promise<number | null>((r) => child.on('exit', r));
  const ms = performance.now() - t0;
  if (exit !== 0) throw new Error(`the CLI child exited with ${exit}`);
  const r = JSON.parse(await readFile(out, 'utf8')) as { code: number; peakRssBytes: number };
  return { ...r, ms: Math.round(ms) };
}

async function journalBytes(state: string): Promise<number> {
  let total = 0;
  for (const id of await readdir(join(state, 'campaigns'))) total += (await stat(join(state, 'campaigns', id, 'journal.log'))).size;
  return total;
}

/** benchCampaignScale runs the send and the re-run and returns their figures. */
export async function benchCampaignScale(rows = ROWS): Promise<ScaleFigures[]> {
  await mkdir(DATA, { recursive: true });
  const csv = join(DATA, `scale-${rows}.csv`);
  if (!(await stat(csv).catch(() => undefined))) await makeCsvFile(csv, rows);
  const state = join(DATA, `scale-state-${process.pid}`);
  const mock = await startMock();
  try {
    const spec = join(DATA, `scale-${process.pid}.campaign.json`);
    await writeFile(
      spec,
      JSON.stringify({
        name: 'Scale',
        provider: { kind: 'wassist', baseUrl: mock.url },
        recipient: { conversationId: '{{conversation_id}}' },
        message: { type: 'template', template: { name: 'order_update', variables: { body: ['{{first_name}}', '{{order_id}}'] } } },
        throttle: { concurrency: 32, perSecond: 10_000 },
        retry: { attempts: 3 },
      }),
    );
    const args = ['send', csv, '--spec', spec, '--state', state];
    const out: ScaleFigures[] = [];
    for (const step of ['send', 'rerun'] as const) {
      const r = await cli(args);
      if (r.code !== 0) throw new Error(`campaign ${step} exited with ${r.code}`);
      out.push({ step, rows, ms: r.ms, peakRssBytes: r.peakRssBytes, journalBytes: await journalBytes(state), code: r.code });
    }
    return out;
  } finally {
    mock.stop();
    await rm(state, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\/bench\//, '/bench/'))) {
  for (const f of await benchCampaignScale()) console.log(JSON.stringify(f));
}
