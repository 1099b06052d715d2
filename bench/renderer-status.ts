import { longTasks, pageNow, startRendererBench, stubApi } from './renderer-page';

/**
 * Benchmark: the send screen under a status stream of `perSecond` row updates a second (batched
 * ten times a second, as main batches them) for `seconds`, on a campaign of `total` rows, in the
 * built renderer in Chromium. The stream is generated inside the page so the figure is the
 * renderer's own cost. Figures: batches delivered and the longest main-thread task meanwhile
 * (target < 50 ms).
 */

/** StatusFigures are the results of one run. */
export interface StatusFigures {
  seconds: number;
  updatesPerSecond: number;
  total: number;
  batches: number;
  updates: number;
  /** Long tasks (> 50 ms) on the main thread meanwhile, and the longest (0 when none). */
  longTasks: number;
  longestTaskMs: number;
  /** The longest delay of a 10 ms timer: about the longest main-thread task, below 50 ms too. */
  maxLagMs: number;
}

function api(total: number): string {
  return stubApi(`{
    campaign: {
      snapshot: async () => ({ campaignId: 'bench', name: 'Bench', state: 'running', totals: { total: ${total}, pending: ${total}, inFlight: 0, sent: 0, failed: 0, skipped: 0, uncertain: 0 }, ratePerSecond: 0, etaSeconds: null, profileName: 'Sandbox', startedAt: new Date().toISOString() }),
      rows: async ({ offset, limit }) => ({ total: ${total}, rows: Array.from({ length: Math.min(limit, ${total} - offset) }, (_, i) => ({ row: offset + i + 1, status: 'pending', recipient: 'conv-' + (offset + i + 1), attempts: 0 })) }),
    },
    app: { openSample: async () => ({ fileName: 'sample.campaign.json', dataset: { datasetId: 'd', name: 'bench.csv', headers: ['conversation_id'], rowCount: ${total}, delimiter: ',', encoding: 'utf-8', warnings: [], problems: [], sample: [] }, spec: { provider: { kind: 'sandbox' }, recipient: { conversationId: '{{conversation_id}}' }, message: { type: 'text', text: { body: 'Hi' } } } }) },
  }`);
}

/** generator emits batches of row updates ten times a second inside the page, like main's batcher; resolves with the batch count. */
const generator = `({ seconds, updatesPerSecond, total }) => new Promise((done) => {
  const perBatch = Math.round(updatesPerSecond / 10);
  const statuses = ['sent', 'sent', 'sent', 'sent', 'sent', 'sent', 'sent', 'sent', 'failed', 'uncertain'];
  let next = 1;
  let seq = 0;
  const totals = { total, pending: total, inFlight: 0, sent: 0, failed: 0, skipped: 0, uncertain: 0 };
  const started = performance.now();
  function tick() {
    const rows = [];
    for (let i = 0; i < perBatch && next <= total; i++, next++) {
      const status = statuses[next % statuses.length];
      totals.pending--;
      totals[status]++;
      rows.push(status === 'sent'
        ? { row: next, status, recipient: 'conv-' + next, attempts: 1, messageId: 'm-' + next, httpStatus: 201, sentAt: new Date().toISOString() }
        : { row: next, status, recipient: 'conv-' + next, attempts: 1, httpStatus: 404, error: 'Conversation not found: conv-' + next + '.' });
    }
    seq++;
    window.__emit({ campaignId: 'bench', seq, state: 'running', rows, totals: { ...totals }, ratePerSecond: updatesPerSecond, etaSeconds: totals.pending / updatesPerSecond, notices: [] });
    if (performance.now() - started < seconds * 1000) setTimeout(tick, 100);
    else done(seq);
  }
  tick();
})`;

/** benchRendererStatus runs the status-stream benchmark once. */
export async function benchRendererStatus(seconds = 15, updatesPerSecond = 1000, total = 1_000_000): Promise<StatusFigures> {
  const bench = await startRendererBench();
  try {
    const page = await bench.open(api(total));
    await page.getByTestId('open-sample').click();
    await page.getByTestId('nav-send').click();
    await page.getByTestId('status-table').waitFor();
    const since = await pageNow(page);
    // The generator is page source (a string), so no build-time helper leaks into the page.
    const batches = (await page.evaluate(`(${generator})(${JSON.stringify({ seconds, updatesPerSecond, total })})`)) as number;
    const lt = await longTasks(page, since);
    return { seconds, updatesPerSecond, total, batches, updates: batches * Math.round(updatesPerSecond / 10), longTasks: lt.count, longestTaskMs: Math.round(lt.longestMs), maxLagMs: lt.maxLagMs };
  } finally {
    await bench.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\/bench\//, '/bench/'))) {
  const seconds = Number(process.argv[2] ?? 15);
  console.log(JSON.stringify(await benchRendererStatus(seconds)));
}
