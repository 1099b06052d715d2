import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsvBytes } from '../../shared/csv/parse';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from './harness';
import { buildRenderer, bundlePageBridge, launchChromium, openApp, screensDir, screenshot, serveStatic } from './harness';

/**
 * The chunked import in Chromium against the real main-process handlers: a file of several chunks
 * goes through csv:begin / append / finish (bytes bridged as base64) and main reads exactly what
 * the shared parser reads of the whole file; a re-scan sends the bytes again; cancel drops the upload.
 */

const ROWS = 24_000;
/** About 5 MB: three chunks of 2 MiB, with 2- and 4-byte characters and quoted line breaks to cut through. */
const csv = [
  'conversation_id,first_name,note',
  ...Array.from({ length: ROWS }, (_, i) => `conv-${i},Zoë ${i} 🎉,"São Paulo, line one\r\nline two of a note long enough to make the file a few megabytes ${'·'.repeat(60)}"`),
].join('\r\n');

let browser: Browser;
let server: { url: string; close(): Promise<void> };
let work: string;
let app: App;
const pageErrors: string[] = [];

/** watchUploads wraps the page's csv API to record each call; appends wait while window.__hold is a promise. */
async function watchUploads(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = globalThis as unknown as Record<string, unknown> & { api: { csv: Record<string, (r: unknown) => Promise<unknown>> } };
    const csvApi = w.api.csv;
    const calls: unknown[] = [];
    w.__calls = calls;
    for (const name of ['begin', 'append', 'finish', 'abort']) {
      const real = csvApi[name]!.bind(csvApi);
      csvApi[name] = async (r: unknown) => {
        const req = r as { uploadId?: string; offset?: number; bytes?: Uint8Array };
        calls.push({ name, uploadId: req.uploadId, offset: req.offset, length: req.bytes?.length });
        if (name === 'append' && w.__hold instanceof Promise) await w.__hold;
        const answer = await real(r);
        if (name === 'begin') w.__uploadId = (answer as { uploadId: string }).uploadId;
        if (name === 'finish') w.__finished = answer;
        return answer;
      };
    }
  });
}

type Call = { name: string; uploadId?: string; offset?: number; length?: number };
const calls = (page: Page) => page.evaluate(() => (globalThis as unknown as { __calls: Call[] }).__calls);

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'campaign-e2e-import-'));
  await mkdir(screensDir, { recursive: true });
  await buildRenderer(join(work, 'renderer'));
  const bridge = await bundlePageBridge();
  server = await serveStatic(join(work, 'renderer'));
  browser = await launchChromium();
  await writeFile(join(work, 'contacts.csv'), csv);
  app = await openApp(browser, server.url, bridge);
  app.page.on('pageerror', (e) => pageErrors.push(e.message));
  await watchUploads(app.page);
});

afterAll(async () => {
  await app?.close();
  await browser?.close();
  await server?.close();
  await rm(work, { recursive: true, force: true });
});

describe('the chunked import', () => {
  it('sends a big file in ordered chunks and main reads what the shared parser reads', async () => {
    const { page } = app;
    await page.getByTestId('csv-input').setInputFiles(join(work, 'contacts.csv'));
    await expect.poll(() => page.getByTestId('row-count').textContent(), { timeout: 60_000 }).toBe(`${ROWS.toLocaleString('en-US')} rows`);
    const sent = await calls(page);
    const appends = sent.filter((c) => c.name === 'append');
    expect(sent.map((c) => c.name)).toEqual(['begin', ...appends.map(() => 'append'), 'finish']);
    expect(appends.length).toBe(3);
    let offset = 0;
    for (const a of appends) {
      expect(a.offset).toBe(offset);
      offset += a.length ?? 0;
    }
    const bytes = await readFile(join(work, 'contacts.csv'));
    expect(offset).toBe(bytes.length);

    const shown = (await page.evaluate(() => (globalThis as unknown as { __finished: Record<string, unknown> }).__finished)) as Record<string, unknown>;
    const table = parseCsvBytes(new Uint8Array(bytes));
    expect(shown).toMatchObject({ name: 'contacts.csv', headers: table.headers, rowCount: table.records.length, delimiter: table.delimiter, sample: table.records.slice(0, 20).map((r) => r.fields) });
    expect(await page.getByTestId('sample-table').locator('tbody tr').first().textContent()).toContain('Zoë 0 🎉');
  });

  it('sends the bytes again, with the delimiter the user chose', async () => {
    const { page } = app;
    await page.evaluate(() => ((globalThis as unknown as { __calls: unknown[] }).__calls.length = 0));
    await page.getByTestId('delimiter-select').selectOption(';');
    await expect.poll(async () => (await page.getByTestId('import-summary').textContent()) ?? '', { timeout: 60_000 }).toContain('1 column');
    const sent = await calls(page);
    expect(sent.filter((c) => c.name === 'append').reduce((n, c) => n + (c.length ?? 0), 0)).toBe(Buffer.byteLength(csv));
    expect(sent.at(-1)?.name).toBe('finish');
  });

  it('cancels an upload in flight, and main drops it', async () => {
    const { page } = app;
    const before = await page.getByTestId('row-count').textContent();
    await page.evaluate(() => {
      const w = globalThis as unknown as Record<string, unknown>;
      (w.__calls as unknown[]).length = 0;
      w.__hold = new Promise<void>((release) => (w.__release = release));
    });
    await page.getByTestId('csv-input').setInputFiles(join(work, 'contacts.csv'));
    await page.getByTestId('upload-progress').waitFor({ timeout: 60_000 });
    await expect.poll(async () => (await calls(page)).filter((c) => c.name === 'append').length).toBe(1);
    await screenshot(page, 'import-upload');
    await page.getByTestId('import-cancel').click();
    await page.evaluate(() => {
      const w = globalThis as unknown as { __release(): void; __hold: unknown };
      w.__hold = undefined;
      w.__release();
    });
    await page.getByTestId('upload-progress').waitFor({ state: 'detached' });
    await expect.poll(async () => (await calls(page)).map((c) => c.name)).toEqual(['begin', 'append', 'abort']);
    const late = await page.evaluate(async () => {
      const w = globalThis as unknown as { __uploadId: string; api: { csv: { append(r: unknown): Promise<unknown> } } };
      return w.api.csv.append({ uploadId: w.__uploadId, offset: 0, bytes: new Uint8Array([97]) }).then(
        () => 'accepted',
        (e: unknown) => (e as Error).message,
      );
    });
    expect(late).toMatch(/no longer open/);
    // The dataset read before is still the one shown.
    expect(await page.getByTestId('row-count').textContent()).toBe(before);
    expect(pageErrors).toEqual([]);
  });
});
