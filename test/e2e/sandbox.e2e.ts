import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from './harness';
import { buildRenderer, bundlePageBridge, launchChromium, openApp, screensDir, screenshot, serveStatic } from './harness';

/**
 * A first-time user with no account and no files: the bundled sample contacts and sandbox
 * campaign, through the built-in Sandbox profile, from import to a finished campaign and its
 * report, in Chromium against the real main-process handlers. Also the dark theme.
 */

let browser: Browser;
let server: { url: string; close(): Promise<void> };
let work: string;
let app: App;
const pageErrors: string[] = [];

async function stat(page: Page, testId: string): Promise<string> {
  return (await page.getByTestId(testId).locator('.stat-value').textContent()) ?? '';
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'campaign-e2e-sandbox-'));
  await mkdir(screensDir, { recursive: true });
  await buildRenderer(join(work, 'renderer'));
  server = await serveStatic(join(work, 'renderer'));
  browser = await launchChromium();
  app = await openApp(browser, server.url, await bundlePageBridge(), { colorScheme: 'dark', safeStorageBackend: 'basic_text' });
  app.page.on('pageerror', (e) => pageErrors.push(e.message));
});

afterAll(async () => {
  await app?.close();
  await browser?.close();
  await server?.close();
  await rm(work, { recursive: true, force: true });
});

describe('a first run with no account', () => {
  it('says plainly that keys would only be obfuscated on this system', async () => {
    const { page } = app;
    await page.getByTestId('nav-settings').click();
    await expect.poll(async () => (await page.getByTestId('vault-warning').textContent()) ?? '').toContain('not encrypted');
    await screenshot(page, 'settings-dark');
  });

  it('sends the sample campaign through the sandbox, start to finish', async () => {
    const { page } = app;
    await page.getByTestId('nav-import').click();
    await page.getByTestId('open-sample').click();
    await expect.poll(async () => (await page.getByTestId('row-count').textContent()) ?? '').toBe('20 rows');
    await page.getByTestId('import-continue').click();
    await expect.poll(async () => (await page.getByTestId('live-preview').textContent()) ?? '').toContain('order_update');
    await screenshot(page, 'map-dark');
    await page.getByTestId('map-continue').click();
    await expect.poll(() => stat(page, 'stat-sendable')).toBe('20');
    await screenshot(page, 'preview-dark');
    await page.getByTestId('preview-continue').click();
    await page.getByTestId('start-button').click();
    expect(await page.getByTestId('confirm-text').textContent()).toContain('sandbox: nothing really sent');
    await page.getByTestId('confirm-send').click();
    await expect.poll(async () => (await page.getByTestId('campaign-state').textContent()) ?? '', { timeout: 30_000 }).toContain('Finished');
    expect(await stat(page, 'count-sent')).toBe('20');
    await screenshot(page, 'send-dark');
    await page.getByTestId('view-report').click();
    await page.getByTestId('outcome-chart').waitFor();
    expect(pageErrors).toEqual([]);
    expect(await page.evaluate(() => (globalThis as unknown as { __cspViolations: string[] }).__cspViolations)).toEqual([]);
  });
});
