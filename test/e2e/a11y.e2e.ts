import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from './harness';
import type { Suite } from './steps';
import { checkScreen, openSample, pageErrors, stat, text } from './steps';
import { startSuite } from './steps';

/**
 * Issue 14, item 13: axe-core on every screen of the app, in the light and the dark theme, with no
 * violation: the first start, settings, import, each message type with its live preview (the
 * carousel too), the phone recipient with the country list open, preview, send, the confirmation,
 * the live status table while sending and once finished, and the report with its history.
 */

let suite: Suite;
let app: App;

beforeAll(async () => {
  suite = await startSuite('a11y');
  app = await suite.open();
});

afterAll(async () => {
  await suite?.close();
});

/** screen checks the page as it is and expects no violation, listing them when there are. */
async function screen(page: Page, name: string): Promise<void> {
  expect(await checkScreen(page, name)).toEqual([]);
}

describe('every screen passes axe-core in both themes', () => {
  it('the first start and settings', async () => {
    const { page } = app;
    await page.getByTestId('dropzone').waitFor();
    await screen(page, 'a11y-import-empty');
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('add-profile').waitFor();
    await screen(page, 'a11y-settings');
  });

  it('import, and each message type with its live preview', async () => {
    const { page } = app;
    await openSample(page);
    await screen(page, 'a11y-import');
    await page.getByTestId('import-continue').click();
    await page.getByTestId('carousel').waitFor();
    await screen(page, 'a11y-map-template');
    for (const kind of ['unified', 'cta', 'text'] as const) {
      await page.getByTestId(`kind-${kind}`).click();
      await page.getByTestId(`bubble-${kind}`).waitFor();
      await screen(page, `a11y-map-${kind}`);
    }
    await page.getByTestId('kind-template').click();
    await page.getByTestId('carousel').waitFor();
  });

  it('the phone recipient, with the country list open', async () => {
    const { page } = app;
    await page.getByTestId('kind-text').click();
    await page.getByTestId('recipient-by-phone').click();
    await page.getByTestId('default-country').fill('ger');
    await page.getByTestId('default-country-options').waitFor();
    await screen(page, 'a11y-map-country');
    await page.getByTestId('default-country').press('Escape');
    await page.getByTestId('recipient-by-conversation').click();
    await page.getByTestId('kind-template').click();
  });

  it('preview, send and the confirmation', async () => {
    const { page } = app;
    await page.getByTestId('map-continue').click();
    await expect.poll(() => stat(page, 'stat-sendable')).toBe('20');
    await page.getByTestId('toggle-request').click();
    await screen(page, 'a11y-preview');
    await page.getByTestId('preview-continue').click();
    await page.getByTestId('start-button').waitFor();
    await screen(page, 'a11y-send');
    await page.getByTestId('start-button').click();
    await page.getByTestId('confirm-text').waitFor();
    await screen(page, 'a11y-send-confirm');
  });

  it('the live status while sending, and once finished', async () => {
    const { page } = app;
    await page.getByTestId('confirm-send').click();
    await page.getByTestId('pause').click();
    await expect.poll(() => text(page, 'campaign-state')).toContain('Paused');
    await screen(page, 'a11y-send-paused');
    await page.getByTestId('resume').click();
    await expect.poll(() => text(page, 'campaign-state'), { timeout: 30_000 }).toContain('Finished');
    await screen(page, 'a11y-send-finished');
  });

  it('the report and the history', async () => {
    const { page } = app;
    await page.getByTestId('view-report').click();
    await page.getByTestId('outcome-chart').waitFor();
    await page.getByTestId('history-row').first().waitFor();
    await screen(page, 'a11y-report');
    expect(pageErrors).toEqual([]);
  });
});
