import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../mock-server/mock-server';
import { mockApiKey, startMockServer } from '../mock-server/mock-server';
import type { App } from './harness';
import { buildRenderer, bundlePageBridge, exists, launchChromium, openApp, screensDir, screenshot, serveStatic } from './harness';

/**
 * The whole marketer's flow in Chromium, against the built renderer and the real main-process
 * handlers, sending to the strict Wassist mock on 127.0.0.1: a profile and key in Settings, import,
 * a mapping with a validation error fixed by remapping, preview, a test send, a provider error,
 * start, pause, resume, the report and its export. Each step leaves a screenshot in
 * test-results/screens/.
 */

const contacts = [
  'conversation_id,first_name,city,order_id,promo_url,website',
  'conv-01,Ana,Madrid,ORD-1001,https://shop.example.com/p/1001,https://ana.example.com',
  'conv-02,Ben,Lagos,ORD-1002,https://shop.example.com/p/1002,https://ben.example.com',
  'conv-03,Chloé,Lyon,ORD-1003,https://shop.example.com/p/1003,not a link',
  'conv-04,Deepa,Pune,ORD-1004,https://shop.example.com/p/1004,https://deepa.example.com',
  'conv-05,Erik,Malmö,ORD-1005,https://shop.example.com/p/1005,https://erik.example.com',
  'conv-06,Fatima,Rabat,ORD-1006,https://shop.example.com/p/1006,https://fatima.example.com',
  'conv-07,,Recife,ORD-1007,https://shop.example.com/p/1007,www.example.com',
  'conv-08,Hana,Osaka,ORD-1008,https://shop.example.com/p/1008,https://hana.example.com',
  'conv-09,Ivan,Sofia,ORD-1009,https://shop.example.com/p/1009,https://ivan.example.com',
  'conv-10,Julia,Kraków,ORD-1010,https://shop.example.com/p/1010,https://julia.example.com',
].join('\n');

let browser: Browser;
let server: { url: string; close(): Promise<void> };
let bridge: string;
let work: string;
let mock: MockServer;
let app: App;
const pageErrors: string[] = [];

async function text(page: Page, testId: string): Promise<string> {
  return (await page.getByTestId(testId).first().textContent()) ?? '';
}

async function stat(page: Page, testId: string): Promise<string> {
  return (await page.getByTestId(testId).locator('.stat-value').textContent()) ?? '';
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'campaign-e2e-flow-'));
  await mkdir(screensDir, { recursive: true });
  await buildRenderer(join(work, 'renderer'));
  bridge = await bundlePageBridge();
  server = await serveStatic(join(work, 'renderer'));
  browser = await launchChromium();
  mock = await startMockServer({
    kind: 'wassist',
    conversations: [
      ...['01', '02', '03', '04', '05', '06', '07', '08'].map((n) => ({ id: `conv-${n}` })),
      { id: 'conv-09', active: false },
      // conv-10 does not exist: the provider answers 404
    ],
  });
  await writeFile(join(work, 'contacts.csv'), contacts);
  app = await openApp(browser, server.url, bridge);
  app.page.on('pageerror', (e) => pageErrors.push(e.message));
});

afterAll(async () => {
  await app?.close();
  await browser?.close();
  await server?.close();
  await mock?.close();
  await rm(work, { recursive: true, force: true });
});

describe('the marketer’s flow, import to exported report', () => {
  it('adds a Wassist profile and a write-only key in Settings', async () => {
    const { page } = app;
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('add-profile').click();
    await page.getByTestId('profile-name').fill('Wassist (test)');
    await page.getByTestId('profile-base-url').fill(mock.url);
    await page.getByTestId('profile-save').click();
    const card = page.locator('[data-testid^="profile-"]').filter({ hasText: 'Wassist (test)' });
    await card.locator('input[type=password]').fill(mockApiKey);
    await card.getByRole('button', { name: 'Save key' }).click();
    await expect.poll(() => card.textContent()).toContain('Key saved');
    // The key field is empty again and the stored key appears nowhere on the page.
    expect(await card.locator('input[type=password]').inputValue()).toBe('');
    expect(await page.content()).not.toContain(mockApiKey);
    await screenshot(page, 'settings');
  });

  it('imports a CSV in the worker and shows what main read', async () => {
    const { page } = app;
    await page.getByTestId('nav-import').click();
    await page.getByTestId('csv-input').setInputFiles(join(work, 'contacts.csv'));
    await expect.poll(() => text(page, 'row-count')).toBe('10 rows');
    expect(await page.getByTestId('sample-table').locator('tbody tr').count()).toBe(10);
    expect(await page.getByTestId('delimiter-select').locator('option:checked').textContent()).toContain('Comma');
    await screenshot(page, 'import');
  });

  it('builds a CTA message, pre-filled from the headers', async () => {
    const { page } = app;
    await page.getByTestId('import-continue').click();
    await page.getByTestId('profile-select').selectOption({ label: 'Wassist (test)' });
    expect(await text(page, 'profile-facts')).toContain('key set');
    await page.getByTestId('kind-cta').click();
    // The recipient and the button link were matched from the header names.
    expect(await page.getByTestId('slot-recipient-column').inputValue()).toBe('conversation_id');
    expect(await page.getByTestId('slot-cta-url-column').inputValue()).toBe('promo_url');
    await page.getByTestId('slot-cta-body-text').fill('Hi {{first_name|there}}, your order {{order_id}} is ready for pick-up in {{city}}.');
    await page.getByTestId('slot-cta-buttonText-text').fill('Track order');
    // A mapping mistake: the link comes from a column with invalid URLs in some rows.
    await page.getByTestId('slot-cta-url-column').selectOption('website');
    await page.getByTestId('per-second').fill('3');
    await page.getByTestId('concurrency').fill('1');
    await expect.poll(() => page.getByTestId('live-preview').textContent()).toContain('Hi Ana, your order ORD-1001');
    await screenshot(page, 'map');
  });

  it('lists every invalid row in the preview and jumps to it; remapping fixes it', async () => {
    const { page } = app;
    await page.getByTestId('map-continue').click();
    await expect.poll(() => stat(page, 'stat-skipped')).toBe('2');
    const problems = page.getByTestId('problem');
    expect(await problems.count()).toBe(2);
    expect(await problems.first().textContent()).toContain('must be an http(s) URL');
    await problems.nth(1).click();
    expect(await page.getByTestId('row-input').inputValue()).toBe('7');
    await expect.poll(() => page.getByTestId('row-problems').textContent()).toContain('www.example.com');
    await screenshot(page, 'preview-problems');

    await page.getByRole('button', { name: 'Edit message' }).click();
    await page.getByTestId('slot-cta-url-column').selectOption('promo_url');
    await page.getByTestId('map-continue').click();
    await page.getByTestId('all-clear').waitFor();
    expect(await stat(page, 'stat-sendable')).toBe('10');
    await page.getByTestId('toggle-request').click();
    const request = await text(page, 'request-body');
    expect(request).toContain(`POST ${mock.url}/api/v1/conversations/conv-07/messages/`);
    expect(request).toContain('"buttonText": "Track order"');
    expect(request).toContain('Hi there, your order ORD-1007');
    await screenshot(page, 'preview');
  });

  it('test-sends one row, and says why another would be skipped (its conversation is inactive: checked first)', async () => {
    const { page } = app;
    await page.getByTestId('preview-continue').click();
    await page.getByTestId('test-row').fill('1');
    await page.getByTestId('test-send-button').click();
    await expect.poll(() => text(page, 'test-result')).toContain('Test sent to conv-01');
    expect(mock.delivered('conv-01')).toHaveLength(1);

    await page.getByTestId('test-row').fill('9');
    await page.getByTestId('test-send-button').click();
    await expect.poll(() => text(page, 'test-result')).toContain('conversation is inactive');
    expect(mock.delivered('conv-09')).toHaveLength(0);
    await screenshot(page, 'send-test');
  });

  it('sends after a confirmation, pauses, resumes, and skips the conversations that cannot take the message', async () => {
    const { page } = app;
    await page.getByTestId('start-button').click();
    const confirm = await text(page, 'confirm-text');
    // 10 rows, of which the lookup skips 2 (an inactive and a missing conversation): 8 go out.
    expect(confirm).toContain('8 messages');
    expect(confirm).toContain('Wassist (test)');
    expect(confirm).toContain('3/s');
    await page.getByTestId('confirm-send').click();
    await page.getByTestId('pause').click();
    await expect.poll(() => text(page, 'campaign-state')).toContain('Paused');
    const sentWhenPaused = mock.requests.length;
    await page.waitForTimeout(1200); // nothing may go out while paused: an absence has no event to await
    expect(mock.requests.length).toBe(sentWhenPaused);
    await screenshot(page, 'send-paused');

    await page.getByTestId('resume').click();
    await expect.poll(() => text(page, 'campaign-state'), { timeout: 30_000 }).toContain('Finished');
    expect(await stat(page, 'count-sent')).toBe('8');
    // Checked before sending (Wassist asks for it): the inactive and the missing conversation are skipped with the reason, not refused.
    expect(await stat(page, 'count-failed')).toBe('0');
    expect(await stat(page, 'count-skipped')).toBe('2');
    expect(mock.requests.filter((q) => q.method === 'POST' && /conv-(09|10)\//.test(q.path))).toHaveLength(0);
    await page.getByTestId('status-filter').selectOption('skipped');
    await expect.poll(() => page.getByTestId('status-row').count()).toBe(2);
    const skipped = (await page.getByTestId('status-table').textContent()) ?? '';
    expect(skipped).toContain('conversation is inactive');
    expect(skipped).toContain('no conversation conv-10');
    await page.getByTestId('status-filter').selectOption('all');
    await expect.poll(() => page.getByTestId('status-row').count()).toBe(10);
    await screenshot(page, 'send');
  });

  it('shows the outcome and throughput, exports the delivery report and keeps the history', async () => {
    const { page } = app;
    await page.getByTestId('view-report').click();
    await page.getByTestId('outcome-chart').waitFor();
    await page.getByTestId('throughput-chart').waitFor();
    expect(await page.getByTestId('history-row').count()).toBe(1);
    // The default is the Excel workbook; the plain CSV is one choice away.
    await page.getByTestId('export-report').click();
    await expect.poll(() => text(page, 'export-note')).toContain('saved');
    const workbook = app.dialogs.saved.find((s) => s.kind === 'report');
    expect(workbook?.path).toMatch(/-report\.xlsx$/);
    expect((await readFile(workbook?.path ?? '')).subarray(0, 2).toString('latin1')).toBe('PK');
    await page.getByTestId('export-format').selectOption('csv');
    await page.getByTestId('export-report').click();
    await expect.poll(() => app.dialogs.saved.filter((s) => s.kind === 'report').length).toBe(2);
    const report = app.dialogs.saved.filter((s) => s.kind === 'report')[1];
    expect(report?.path).toMatch(/-report\.csv$/);
    expect(await exists(report?.path ?? '')).toBe(true);
    const lines = (await readFile(report?.path ?? '', 'utf8')).trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^row,recipient,status,message_id,attempts,http_status,error,sent_at,conversation_id,first_name/);
    expect(lines).toHaveLength(11);
    await screenshot(page, 'report');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'report-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('broke no CSP rule, threw no error, and leaked the key nowhere', async () => {
    expect(await app.page.evaluate(() => (globalThis as unknown as { __cspViolations: string[] }).__cspViolations)).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(app.logs.join('\n')).not.toContain(mockApiKey);
    for (const e of app.sent) expect(JSON.stringify(e.payload)).not.toContain(mockApiKey);
  });
});
