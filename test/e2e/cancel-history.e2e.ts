import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../mock-server/mock-server';
import { mockApiKey, startMockServer } from '../mock-server/mock-server';
import type { App } from './harness';
import type { Suite } from './steps';
import { checkScreen, csvOf, importFile, pageErrors, stat, startSuite, text } from './steps';

/**
 * In Chromium over the real main process and the strict mock provider: the person cancels a
 * campaign mid-run. The history says "cancelled" (not "interrupted", which is a crash or a quit),
 * with Resume; opened again, the app does not tell about it as an interruption, and the history's
 * Resume finishes it, every message sent once.
 */

const ids = ['conv-1', 'conv-2', 'conv-3', 'conv-4', 'conv-5', 'conv-6'];
let suite: Suite;
let mock: MockServer;
let first: App;
let again: App;
let appDir: string;

type PageApi = { api: { profiles: { save(p: unknown): Promise<unknown> }; keys: { set(k: unknown): Promise<unknown> } } };

const posts = () => mock.requests.filter((q) => q.method === 'POST').length;

beforeAll(async () => {
  suite = await startSuite('cancel-history');
  mock = await startMockServer({ kind: 'wassist', conversations: ids.map((id) => ({ id })) });
  appDir = join(suite.work, 'app');
  await mkdir(appDir);
});

afterAll(async () => {
  await suite?.close();
  await mock?.close();
});

describe('a campaign the person cancelled', () => {
  it('is cancelled mid-run, and the history says "cancelled" with Resume', async () => {
    first = await suite.open({ dir: appDir });
    const { page } = first;
    await page.evaluate(
      async ({ url, key }) => {
        const g = globalThis as unknown as PageApi;
        await g.api.profiles.save({ id: 'client-a', name: 'Client A', provider: { kind: 'wassist', baseUrl: url } });
        await g.api.keys.set({ profileId: 'client-a', key });
      },
      { url: mock.url, key: mockApiKey },
    );
    await page.reload();
    const contacts = await suite.file('autumn.csv', csvOf(['conversation_id', 'first_name'], ids.map((id, i) => [id, `Name ${i + 1}`])));
    await importFile(page, contacts);
    await page.getByTestId('import-continue').click();
    await page.getByTestId('profile-select').selectOption('client-a');
    await page.getByTestId('campaign-name').fill('Autumn promo');
    await page.getByTestId('kind-text').click();
    await page.getByTestId('slot-text-body-text').fill('Hi {{first_name}}');
    await page.getByTestId('per-second').fill('2');
    await page.getByTestId('concurrency').fill('1');
    await page.getByTestId('map-continue').click();
    await page.getByTestId('all-clear').waitFor();
    await page.getByTestId('preview-continue').click();
    await page.getByTestId('start-button').click();
    await page.getByTestId('confirm-send').click();
    await expect.poll(() => stat(page, 'count-sent'), { timeout: 15_000 }).toBe('2');
    await page.getByTestId('cancel').click();
    await page.getByTestId('confirm-cancel').click();
    await expect.poll(() => text(page, 'campaign-state'), { timeout: 15_000 }).toContain('Cancelled');
    const sent = posts();
    expect(sent).toBeLessThan(6);

    await page.getByTestId('view-report').click();
    const row = page.getByTestId('history-row').filter({ hasText: 'Autumn promo' });
    await expect.poll(() => row.getByTestId('history-state').textContent()).toBe('cancelled');
    expect(await row.getByTestId('history-state').getAttribute('title')).toBe(`You cancelled it: ${6 - sent} rows were not sent.`);
    await row.getByTestId('history-resume').waitFor();
    expect(await checkScreen(page, 'cancel-history')).toEqual([]);
    await first.close();
  });

  it('opened again, the app does not call it interrupted; the history resumes it and every row goes once', async () => {
    again = await suite.open({ dir: appDir });
    const { page } = again;
    await page.getByTestId('nav-report').click();
    const row = page.getByTestId('history-row').filter({ hasText: 'Autumn promo' });
    await expect.poll(() => row.getByTestId('history-state').textContent()).toBe('cancelled');
    expect(await page.getByTestId('interrupted-notice').count()).toBe(0);

    const before = posts();
    await row.getByTestId('history-resume').click();
    await page.getByTestId('campaign-state').waitFor();
    expect(again.dialogs.confirmations).toEqual([{ action: 'send', test: false, campaignName: 'Autumn promo', profileName: 'Client A', recipients: 6 - before }]);
    await expect.poll(() => text(page, 'campaign-state'), { timeout: 20_000 }).toContain('Finished');
    expect(ids.map((id) => mock.delivered(id).length)).toEqual([1, 1, 1, 1, 1, 1]);

    await page.getByTestId('view-report').click();
    await expect.poll(() => row.getByTestId('history-state').textContent()).toBe('finished');
    expect(pageErrors).toEqual([]);
  });
});
