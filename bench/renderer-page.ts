import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { buildRenderer, launchChromium, serveStatic } from '../test/e2e/harness';

/**
 * Shared set-up of the renderer benchmarks: the built renderer in Debian's Chromium with a
 * PerformanceObserver collecting every long task (> 50 ms) of the main thread from the first
 * script on. The benchmarks measure the renderer alone, so `window.api` is a stand-in whose
 * calls answer at once (the import's csv:append structured-clones each chunk, as Electron's IPC
 * serialises it on the renderer's main thread); the real main process is measured by its own benchmarks.
 */

/**
 * longTaskScript records long tasks into window.__longTasks, and, since the Long Tasks API only
 * reports tasks over 50 ms, also the lateness of a 10 ms interval timer (window.__lags: the
 * main thread was busy for about that long), which measures blockages below 50 ms too.
 */
export const longTaskScript = `
  window.__lags = [];
  { let last = performance.now(); setInterval(() => { const now = performance.now(); window.__lags.push({ start: last, lag: now - last - 10 }); last = now; }, 10); }
  window.__longTasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration }); })
    .observe({ type: 'longtask', buffered: true });
`;

/** RendererBench is a browser on the built renderer. */
export interface RendererBench {
  browser: Browser;
  url: string;
  /** Opens a page with the stand-in API (its source, an init script) and the long-task recorder. */
  open(apiScript: string): Promise<Page>;
  close(): Promise<void>;
}

/** startRendererBench builds the renderer and starts Chromium on it. */
export async function startRendererBench(): Promise<RendererBench> {
  const work = await mkdtemp(join(tmpdir(), 'renderer-bench-'));
  await buildRenderer(join(work, 'renderer'));
  const server = await serveStatic(join(work, 'renderer'));
  const browser = await launchChromium();
  return {
    browser,
    url: server.url,
    async open(apiScript) {
      const context = await browser.newContext({ viewport: { width: 1320, height: 900 } });
      const page = await context.newPage();
      await page.addInitScript({ content: longTaskScript + apiScript });
      await page.goto(`${server.url}/index.html`);
      return page;
    },
    async close() {
      await browser.close();
      await server.close();
      await rm(work, { recursive: true, force: true });
    },
  };
}

/**
 * longTasks reads what was recorded since `since` (ms on the page's clock): the long tasks (> 50 ms)
 * and the longest lateness of the 10 ms timer, an estimate of the longest main-thread task.
 */
export async function longTasks(page: Page, since = 0): Promise<{ count: number; longestMs: number; maxLagMs: number }> {
  const { tasks, lags } = (await page.evaluate('({ tasks: window.__longTasks, lags: window.__lags })')) as { tasks: { start: number; duration: number }[]; lags: { start: number; lag: number }[] };
  const after = tasks.filter((t) => t.start >= since);
  const lagAfter = lags.filter((l) => l.start >= since);
  return { count: after.length, longestMs: after.reduce((m, t) => Math.max(m, t.duration), 0), maxLagMs: Math.round(lagAfter.reduce((m, l) => Math.max(m, l.lag), 0)) };
}

/** pageNow is the page's performance.now(). */
export function pageNow(page: Page): Promise<number> {
  return page.evaluate(() => performance.now());
}

/** stubApi is the source of a minimal window.api; `extra` is merged over it (JS source of an object). */
export function stubApi(extra = '{}'): string {
  return `
  (() => {
    const listeners = new Set();
    const profile = { id: 'sandbox', name: 'Sandbox', provider: { kind: 'sandbox', simulate: 'wassist', latencyMs: 60, failureRate: 0 }, keyState: 'not-needed' };
    const base = {
      profiles: { list: async () => [profile], save: async (p) => p, remove: async () => null },
      keys: { set: async () => profile, clear: async () => profile },
      vault: { info: async () => ({ backend: 'os', encrypted: true, obfuscationAccepted: false }) },
      csv: {
        load: async () => { throw new Error('not in this bench'); }, open: async () => null,
        begin: async () => { throw new Error('not in this bench'); }, append: async () => { throw new Error('not in this bench'); },
        finish: async () => { throw new Error('not in this bench'); }, abort: async () => null,
      },
      campaign: {
        validate: async () => ({ rowCount: 0, sendable: 0, invalidRows: 0, errorCount: 0, warningCount: 0, problems: [], truncated: false, usedColumns: [] }),
        preview: async ({ row }) => ({ row, values: {}, recipient: 'c' + row, request: { method: 'POST', url: 'sandbox://x', body: { type: 'text', text: { body: 'Hi' } } }, problems: [] }),
        testSend: async () => { throw new Error('no'); }, start: async () => { throw new Error('no'); },
        pause: async () => { throw new Error('no'); }, resume: async () => { throw new Error('no'); }, cancel: async () => { throw new Error('no'); },
        snapshot: async () => null, rows: async () => ({ total: 0, rows: [] }), history: async () => [],
        exportReport: async () => ({ saved: false }), openFile: async () => null, saveFile: async () => ({ saved: false }),
        onEvent: (l) => { listeners.add(l); return () => listeners.delete(l); },
      },
      app: { openExternal: async () => null, openSample: async () => { throw new Error('no'); }, onCommand: () => () => undefined },
    };
    window.__emit = (batch) => { for (const l of listeners) l(batch); };
    const extra = (${extra});
    for (const [k, v] of Object.entries(extra)) base[k] = { ...base[k], ...v };
    window.api = base;
  })();
  `;
}
