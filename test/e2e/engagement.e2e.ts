import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from './harness';
import { screenshot } from './harness';
import type { Suite } from './steps';
import { checkScreen, openSample, pageErrors, startSuite, text } from './steps';

/**
 * Issue 12 in Chromium: a first-time user sends the sandbox sample and, on the Report step, watches
 * what the simulated recipients do (delivered, read, clicked, replied, some opting out) fill the
 * funnel over the next minutes, with the reply times, and the history comparing it with another
 * campaign. axe-core finds nothing on the Report step in either theme; the funnel's screenshots go
 * to test-results/screens/.
 */

const resources = fileURLToPath(new URL('../../resources', import.meta.url));
let suite: Suite;
let app: App;

beforeAll(async () => {
  suite = await startSuite('engagement');
  app = await suite.open();
});

afterAll(async () => {
  await suite?.close();
});

const count = async (page: Page, stage: string) => Number((await text(page, `funnel-count-${stage}`)).replace(/,/g, ''));

/** refreshUntil refreshes the engagement until `done` holds (the sandbox's recipients act over a minute or two). */
async function refreshUntil(page: Page, done: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const button = page.getByTestId('refresh-engagement');
    await expect.poll(() => button.isEnabled(), { timeout: 30_000 }).toBe(true);
    if (await done()) return;
    if (Date.now() > until) throw new Error('the funnel did not fill in time');
    await button.click();
    await expect.poll(() => button.textContent(), { timeout: 30_000 }).toContain('Refresh now');
    await page.waitForTimeout(3_000);
  }
}

describe('engagement of the sandbox sample', () => {
  it('fills the funnel as the simulated recipients act, compares campaigns, and passes axe in both themes', { timeout: 240_000 }, async () => {
    const { page, shell } = app;
    // An earlier campaign to compare with: the phone-number sample, started in main as the app would.
    const sample = await shell.backend['app:openSample'](undefined);
    const phoneSpec = JSON.parse(await readFile(join(resources, 'sample-sandbox-phone.campaign.json'), 'utf8')) as Record<string, unknown>;
    const earlier = await shell.backend['campaign:start']({ datasetId: sample.dataset.datasetId, spec: phoneSpec, profileId: 'sandbox', skipInvalid: false });
    await expect.poll(async () => (await shell.backend['campaign:snapshot']({ campaignId: earlier.campaignId }))?.state, { timeout: 60_000 }).toBe('finished');

    await openSample(page);
    await page.getByTestId('import-continue').click();
    await page.getByTestId('map-continue').click();
    await page.getByTestId('preview-continue').click();
    await page.getByTestId('start-button').click();
    await page.getByTestId('confirm-send').click();
    await expect.poll(async () => (await page.getByTestId('campaign-state').textContent()) ?? '', { timeout: 60_000 }).toContain('Finished');
    await page.getByTestId('view-report').click();
    await page.getByTestId('engagement-card').waitFor();
    await expect.poll(() => count(page, 'sent'), { timeout: 30_000 }).toBe(20);

    await refreshUntil(page, async () => (await count(page, 'replied')) >= 1 && (await count(page, 'clicked')) >= 1, 150_000);
    const delivered = await count(page, 'delivered');
    const read = await count(page, 'read');
    expect(delivered).toBeGreaterThanOrEqual(read);
    expect(read).toBeGreaterThanOrEqual(await count(page, 'replied'));
    expect(await text(page, 'funnel-read')).toMatch(/\d+\.\d% of delivered/);
    await page.getByTestId('reply-time-chart').waitFor();

    // The earlier campaign's funnel is read too: the history and the chart put them side by side.
    await shell.backend['campaign:refreshEngagement']({ campaignId: earlier.campaignId });
    await page.getByTestId('history').getByRole('button', { name: 'Refresh' }).click();
    await page.getByTestId('compare-card').waitFor();
    expect(await page.getByTestId('history-replied').count()).toBe(2);

    await page.mouse.move(0, 0); // no chart tooltip left open where the last click was
    expect(await checkScreen(page, 'report-funnel')).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'report-funnel-dark');
    await page.emulateMedia({ colorScheme: null });
    expect(pageErrors).toEqual([]);
  });
});
