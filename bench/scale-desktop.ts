import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { bootDesktop } from '../test/desktop/desktop-harness';
import { mockApiKey } from '../test/mock-server/mock-server';
import { scaleSpec } from './scale-spec';

/**
 * The desktop main process at scale, in a process of its own: the real shell and backend
 * (createShell, with fakes for the few Electron objects: test/desktop/desktop-harness.ts) over the
 * same campaign service as the CLI, fed a big contacts file the way the window does (csv:open),
 * started, and its status table paged (campaign:rows) while it sends and once it is done. Prints one
 * JSON line. The process also holds the harness's stand-in for the window (it drops each status
 * batch once seen), so its peak memory is an upper bound of main's.
 * The app started again (`reopen`) is another process, as it is for a person: it reads the finished
 * campaign from the workspace the first process left (which the caller removes). Run in the sending
 * process, its first page held a second copy of the campaign's rows beside the first one's.
 * It runs as an esbuild bundle, as the shipped main process does (dist-electron/main.js): run through
 * tsx, the loader and its compiled sources held ~70 MB more than main ever does (benchDesktopScale
 * builds it). Usage, from the repository's root: node dist-cli/scale-desktop.mjs send <contacts.csv> <mock url>,
 * then node dist-cli/scale-desktop.mjs reopen <workspace> <campaign id> <rows>.
 */

// The samples as the harness finds them from its own file: this file is bundled elsewhere.
const samplesDir = join(process.cwd(), 'resources');

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await work();
  return { ms: performance.now() - t0, value };
}

/** send imports the contacts, sends them all and pages the status table; the workspace stays for `reopen`. */
async function send(csv: string, url: string): Promise<void> {
  const desk = bootDesktop({ samplesDir });
  // The harness keeps every batch for tests to look at; a million rows' worth is not main's memory.
  desk.api.campaign.onEvent(() => void desk.events.splice(0));
  // A failed run leaves nothing behind: only a finished one's workspace is handed on (and removed by the caller).
  process.once('uncaughtException', (e) => {
    rmSync(desk.dir, { recursive: true, force: true });
    throw e;
  });
  await desk.api.profiles.save({ id: 'w1', name: 'Scale', provider: { kind: 'wassist', baseUrl: url } });
  await desk.api.keys.set({ profileId: 'w1', key: mockApiKey });
  desk.dialogs.answer(csv);
  const imported = await timed(() => desk.api.csv.open());
  const dataset = imported.value;
  if (dataset === null) throw new Error('the import was cancelled');
  const t0 = performance.now();
  const { campaignId } = await desk.api.campaign.start({ datasetId: dataset.datasetId, spec: scaleSpec(url), profileId: 'w1', skipInvalid: false });
  const startMs = performance.now() - t0;
  const finished = desk.finished(campaignId);
  let done = false;
  void finished.then(() => (done = true));
  const whileSending: number[] = [];
  let rows = 0;
  while (!done) {
    await new Promise((r) => setTimeout(r, 5_000));
    if (done) break;
    const offset = Math.floor(Math.random() * 900_000);
    const page = await timed(() => desk.api.campaign.rows({ campaignId, offset, limit: 100 }));
    const sent = await timed(() => desk.api.campaign.rows({ campaignId, offset: 0, limit: 100, status: 'sent' }));
    whileSending.push(page.ms, sent.ms);
    rows = sent.value.total;
  }
  const last = await finished;
  const sendMs = performance.now() - t0;
  const total = last.totals.total;
  const after: Record<string, number> = {};
  for (const [name, request] of [
    ['first page', { offset: 0, limit: 100 }],
    ['middle page', { offset: Math.floor(total / 2), limit: 100 }],
    ['last page', { offset: total - 100, limit: 100 }],
    ['last page of sent rows', { offset: total - 100, limit: 100, status: 'sent' as const }],
    ['failed rows (none)', { offset: 0, limit: 100, status: 'failed' as const }],
  ] as const) {
    after[name] = Math.round((await timed(() => desk.api.campaign.rows({ campaignId, ...request }))).ms);
  }
  after.history = Math.round((await timed(() => desk.api.campaign.history())).ms);
  await desk.shell.backend.shutdown();
  desk.shell.dispose();
  process.stdout.write(
    `${JSON.stringify({
      rows: total,
      sent: last.totals.sent,
      campaignId,
      workspace: desk.dir,
      importMs: Math.round(imported.ms),
      startMs: Math.round(startMs),
      sendMs: Math.round(sendMs),
      pagesWhileSendingMaxMs: Math.round(Math.max(0, ...whileSending)),
      pagesWhileSending: whileSending.length,
      sentWhenLastPaged: rows,
      pagesAfterMs: after,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    })}\n`,
  );
}

/** reopen is the app started again over `workspace`: the campaign is a past one, read from its folder. */
async function reopen(workspace: string, campaignId: string, total: number): Promise<void> {
  const again = bootDesktop({ samplesDir, dataDir: join(workspace, 'data') }, workspace);
  const reopened: Record<string, number> = {};
  try {
    reopened['first page (reads the campaign)'] = Math.round((await timed(() => again.api.campaign.rows({ campaignId, offset: 0, limit: 100 }))).ms);
    reopened['middle page'] = Math.round((await timed(() => again.api.campaign.rows({ campaignId, offset: Math.floor(total / 2), limit: 100 }))).ms);
    reopened['last page of sent rows'] = Math.round((await timed(() => again.api.campaign.rows({ campaignId, offset: total - 100, limit: 100, status: 'sent' }))).ms);
    reopened.history = Math.round((await timed(() => again.api.campaign.history())).ms);
  } finally {
    await again.close();
  }
  process.stdout.write(`${JSON.stringify({ pagesReopenedMs: reopened, peakRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'send') await send(args[0] as string, args[1] as string);
else if (mode === 'reopen') await reopen(args[0] as string, args[1] as string, Number(args[2]));
else throw new Error(`usage: scale-desktop send <contacts.csv> <mock url> | reopen <workspace> <campaign id> <rows>`);
