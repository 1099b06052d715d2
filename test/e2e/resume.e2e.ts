import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../mock-server/mock-server';
import { mockApiKey, startMockServer } from '../mock-server/mock-server';
import type { App } from './harness';
import type { Suite } from './steps';
import { checkScreen, csvOf, importFile, pageErrors, stat, startSuite, text } from './steps';

/**
 * Issue 14, item 14, in Chromium over the real main process and the strict mock provider: a
 * campaign is sending when the app quits; the app is opened again on the same folder. It says the
 * campaign was interrupted and how far it got, the history offers Resume too, and Resume (main's
 * confirmation, no import, no message to rebuild) shows the live screen from the true counts and
 * finishes it: the provider receives every message exactly once.
 */

const ids = ['conv-1', 'conv-2', 'conv-3', 'conv-4', 'conv-5', 'conv-6'];
let suite: Suite;
let mock: MockServer;
let first: App;
let again: App;
/** The app's folder (settings and data), kept between its two runs. */
let appDir: string;

type PageApi = { api: { profiles: { save(p: unknown): Promise<unknown> }; keys: { set(k: unknown): Promise<unknown> } } };

beforeAll(async () => {
  suite = await startSuite('resume');
  mock = await startMockServer({ kind: 'wassist', conversations: ids.map((id) => ({ id })) });
  appDir = join(suite.work, 'app');
  await mkdir(appDir);
});

afterAll(async () => {
  await suite?.close();
  await mock?.close();
});

describe('a campaign interrupted by a quit is resumed when the app opens again', () => {
  it('sends, and the app quits mid-run', async () => {
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
    const contacts = await suite.file('spring.csv', csvOf(['conversation_id', 'first_name'], ids.map((id, i) => [id, `Name ${i + 1}`])));
    await importFile(page, contacts);
    await page.getByTestId('import-continue').click();
    await page.getByTestId('profile-select').selectOption('client-a');
    await page.getByTestId('campaign-name').fill('Spring promo');
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
    // Quitting the app: main shuts the run down (rows not sent stay pending) and the window goes.
    await first.close();
    const sent = mock.requests.filter((q) => q.method === 'POST').length;
    expect(sent).toBeGreaterThanOrEqual(2);
    expect(sent).toBeLessThan(6);
  });

  it('opened again, it says the campaign was interrupted, how far it got, and offers Resume and Dismiss', async () => {
    again = await suite.open({ dir: appDir });
    const { page } = again;
    const notice = page.getByTestId('interrupted-notice');
    await notice.waitFor();
    expect(await notice.count()).toBe(1);
    const sent = mock.requests.filter((q) => q.method === 'POST').length;
    expect(await text(page, 'interrupted-notice')).toContain('“Spring promo” was interrupted before it finished');
    expect(await text(page, 'interrupted-standing')).toBe(`spring.csv: ${sent} of 6 rows sent, ${6 - sent} not sent yet.`);
    expect(await text(page, 'interrupted-notice')).toContain('Resume sends what is left through “Client A”');
    expect(await page.getByTestId('interrupted-dismiss').isVisible()).toBe(true);
    expect(await checkScreen(page, 'resume-notice')).toEqual([]);
  });

  it('the history marks it interrupted and offers Resume there too', async () => {
    const { page } = again;
    await page.getByTestId('nav-report').click();
    const row = page.getByTestId('history-row').filter({ hasText: 'Spring promo' });
    await row.waitFor();
    expect(await row.locator('.pill').textContent()).toBe('interrupted');
    await row.getByTestId('history-resume').waitFor();
    expect(await checkScreen(page, 'resume-history')).toEqual([]);
  });

  it('Resume asks main’s confirmation for the rows left, shows the live screen from the true counts and finishes every row once', async () => {
    const { page } = again;
    const before = mock.requests.filter((q) => q.method === 'POST').length;
    await page.getByTestId('interrupted-resume').click();
    await page.getByTestId('campaign-state').waitFor();
    expect(again.dialogs.confirmations).toEqual([{ action: 'send', test: false, campaignName: 'Spring promo', profileName: 'Client A', recipients: 6 - before }]);
    // The notice is gone; the live screen counts what the earlier run sent.
    expect(await page.getByTestId('interrupted-notice').count()).toBe(0);
    expect(Number(await stat(page, 'count-sent'))).toBeGreaterThanOrEqual(before);
    await expect.poll(() => text(page, 'campaign-state'), { timeout: 20_000 }).toContain('Finished');
    expect(await stat(page, 'count-sent')).toBe('6');
    expect(await stat(page, 'count-pending')).toBe('0');
    expect(ids.map((id) => mock.delivered(id).length)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(mock.requests.filter((q) => q.method === 'POST')).toHaveLength(6);
    expect(await checkScreen(page, 'resume-finished')).toEqual([]);

    await page.getByTestId('view-report').click();
    const row = page.getByTestId('history-row').filter({ hasText: 'Spring promo' });
    await expect.poll(() => row.locator('.pill').textContent()).toBe('finished');
    expect(await row.getByTestId('history-resume').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
