import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { App } from './harness';
import { buildRenderer, bundlePageBridge, launchChromium, openApp, screensDir, screenshot, serveStatic } from './harness';

/**
 * What the end-to-end tests of the marketer's UI share: one built renderer, server and browser per
 * test file, apps opened over it, axe-core run on a screen in both themes, and the steps a person
 * takes again and again (import a file, open the sample, fill the phone recipient).
 */

/** Suite is one test file's browser, served renderer and temp folder. */
export interface Suite {
  browser: Browser;
  work: string;
  /** open opens an app; `dir` restarts one closed before on its folder (see openApp). */
  open(options?: { colorScheme?: 'light' | 'dark'; dir?: string }): Promise<App>;
  /** file writes a file into the suite's temp folder and returns its path. */
  file(name: string, content: string | Uint8Array): Promise<string>;
  close(): Promise<void>;
}

/** startSuite builds the renderer, serves it and starts Chromium. */
export async function startSuite(name: string): Promise<Suite> {
  const work = await mkdtemp(join(tmpdir(), `campaign-e2e-${name}-`));
  await mkdir(screensDir, { recursive: true });
  await buildRenderer(join(work, 'renderer'));
  const bridge = await bundlePageBridge();
  const server = await serveStatic(join(work, 'renderer'));
  const browser = await launchChromium();
  const apps: App[] = [];
  return {
    browser,
    work,
    open: async (options = {}) => {
      const app = await openApp(browser, server.url, bridge, options);
      app.page.on('pageerror', (e) => pageErrors.push(`${e.message}`));
      apps.push(app);
      return app;
    },
    file: async (fileName, content) => {
      const path = join(work, fileName);
      await writeFile(path, content);
      return path;
    },
    close: async () => {
      for (const app of apps) await app.close().catch(() => undefined);
      await browser.close();
      await server.close();
      await rm(work, { recursive: true, force: true });
    },
  };
}

/** pageErrors collects uncaught errors of every page the suites open; a test may expect it empty. */
export const pageErrors: string[] = [];

const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/**
 * axeViolations runs axe-core (every rule it runs by default) on the page as it is, in the light
 * and the dark theme, and lists what it finds as `theme rule (impact): target — summary` lines.
 * The script is evaluated through the DevTools protocol, which the page's CSP does not govern, so
 * the check leaves no CSP violation behind.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const out: string[] = [];
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(await axeSource);
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await settled(page);
    const violations = await page.evaluate(async () => {
      const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
      const r = await axe.run((globalThis as unknown as { document: unknown }).document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
    });
    for (const v of violations) {
      for (const n of v.nodes) out.push(`${colorScheme} ${v.id} (${v.impact ?? '?'}): ${JSON.stringify(n.target)} — ${(n.failureSummary ?? v.help).replace(/\s+/g, ' ').slice(0, 300)}`);
    }
  }
  await page.emulateMedia({ colorScheme: null });
  await settled(page);
  return out;
}

/** settled waits until no CSS transition runs (colours fading after a theme switch or a click would be measured half-way). */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const doc = (globalThis as unknown as { document: { getAnimations(): { playState: string; constructor: { name: string } }[] } }).document;
    return doc.getAnimations().every((a) => a.constructor.name !== 'CSSTransition' || a.playState !== 'running');
  });
}

/** checkScreen runs axe-core on the screen in both themes and saves its screenshot; the violations come back for the test to expect empty. */
export async function checkScreen(page: Page, name: string): Promise<string[]> {
  const violations = await axeViolations(page);
  await screenshot(page, name);
  return violations;
}

/** text is the text of the first element with a test id ('' when it has none). */
export async function text(page: Page, testId: string): Promise<string> {
  return (await page.getByTestId(testId).first().textContent()) ?? '';
}

/** stat is the figure of a Stat. */
export async function stat(page: Page, testId: string): Promise<string> {
  return (await page.getByTestId(testId).locator('.stat-value').textContent()) ?? '';
}

/** importFile picks a file on the import screen (the hidden input behind "Choose a file…") and waits until main has read it. */
export async function importFile(page: Page, path: string): Promise<void> {
  await page.getByTestId('nav-import').click();
  await page.getByTestId('csv-input').setInputFiles(path);
  await page.getByTestId('row-count').or(page.getByTestId('import-error')).first().waitFor();
  await page.getByTestId('upload-progress').waitFor({ state: 'detached' });
}

/** openSample loads the bundled contacts and sandbox campaign, as a first-time user does. */
export async function openSample(page: Page): Promise<void> {
  await page.getByTestId('nav-import').click();
  await page.getByTestId('open-sample').click();
  await page.getByTestId('row-count').waitFor();
}

/** csvOf writes CSV text from a header and rows (values with a delimiter, quote or line break quoted). */
export function csvOf(header: string[], rows: string[][], delimiter = ','): string {
  const cell = (v: string) => (/["\r\n]/.test(v) || v.includes(delimiter) ? `"${v.replace(/"/g, '""')}"` : v);
  return [header, ...rows].map((r) => r.map(cell).join(delimiter)).join('\r\n') + '\r\n';
}
