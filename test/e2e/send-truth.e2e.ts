import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from './harness';
import type { Suite } from './steps';
import { checkScreen, csvOf, importFile, pageErrors, stat, startSuite, text } from './steps';

/**
 * Issue 14, items 2 and 3, in Chromium over the real main process and the sandbox: a cancelled
 * campaign stays cancelled whatever answer arrives late; every number on the send screens is what
 * will happen or what happened: the rows an invalid one leaves, a restart after a cancel, a second
 * send of a finished campaign, and the live rate against a 0.5/s limit.
 */

let suite: Suite;
let app: App;
let contacts: string;

/** A sandbox that never fails, so every count is exact. */
const steady = { id: 'steady', name: 'Steady sandbox', provider: { kind: 'sandbox', simulate: 'wassist', latencyMs: 40, failureRate: 0 } };

beforeAll(async () => {
  suite = await startSuite('send-truth');
  contacts = await suite.file(
    'five.csv',
    csvOf(
      ['conversation_id', 'first_name'],
      [
        ['c-1', 'Ana'],
        ['c-2', 'Ben'],
        ['', 'Nobody'], // no conversation id: this row cannot be sent
        ['c-4', 'Dee'],
        ['c-5', 'Eve'],
      ],
    ),
  );
  app = await suite.open();
  await app.page.evaluate((p) => (globalThis as unknown as { api: { profiles: { save(p: unknown): Promise<unknown> } } }).api.profiles.save(p), steady);
  await app.page.reload();
});

afterAll(async () => {
  await suite?.close();
});

/** buildAndCheck builds a text message at 0.5 a second through the steady sandbox and opens the send screen. */
async function buildAndCheck(page: Page): Promise<void> {
  await importFile(page, contacts);
  await page.getByTestId('import-continue').click();
  await page.getByTestId('profile-select').selectOption('steady');
  await page.getByTestId('kind-text').click();
  await page.getByTestId('slot-text-body-text').fill('Hi {{first_name}}');
  await page.getByTestId('per-second').fill('0.5');
  await page.getByTestId('concurrency').fill('1');
  await page.getByTestId('map-continue').click();
  await expect.poll(() => stat(page, 'stat-skipped')).toBe('1');
  await page.getByTestId('preview-continue').click();
}

/** watchRate records every rate the send screen shows, until `stop` is called. */
async function watchRate(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = globalThis as unknown as { __rates: string[]; document: { querySelector(s: string): { textContent: string | null } | null }; setInterval(f: () => void, ms: number): number };
    w.__rates = [];
    w.setInterval(() => {
      const t = w.document.querySelector('[data-testid="rate"]')?.textContent;
      if (t != null) w.__rates.push(t);
    }, 50);
  });
}

const rates = (page: Page) => page.evaluate(() => (globalThis as unknown as { __rates: string[] }).__rates);

describe('the send screens say what will happen and what happened', () => {
  it('counts only the rows that can go out, and estimates their time at the real rate', async () => {
    const { page } = app;
    await buildAndCheck(page);
    // Five rows, one without a conversation id: four will go out, skip ticked or not.
    expect(await stat(page, 'send-count')).toBe('4');
    expect(await stat(page, 'send-time')).toBe('6 s'); // 4 messages at 0.5/s: the first at once, then one every 2 s
    await page.getByTestId('skip-invalid').check();
    expect(await stat(page, 'send-count')).toBe('4');
    expect(await checkScreen(page, 'truth-send-count')).toEqual([]);
  });

  it('keeps a cancelled campaign cancelled when the answer to Cancel arrives after the end', async () => {
    const { page } = app;
    // The answer main gives to Cancel is held back until the run's last batch has arrived, then
    // handed over as main saw the campaign before it ended: running, with an ETA.
    await page.evaluate(() => {
      type Campaign = { cancel(r: { campaignId: string }): Promise<unknown>; snapshot(r: { campaignId: string }): Promise<unknown>; onEvent(f: (b: { state: string }) => void): () => void };
      const w = globalThis as unknown as { api: { campaign: Campaign }; __ended: boolean };
      const campaign = w.api.campaign;
      w.__ended = false;
      campaign.onEvent((b) => {
        if (b.state === 'finished') w.__ended = true;
      });
      const real = campaign.cancel.bind(campaign);
      campaign.cancel = async (r) => {
        const before = await campaign.snapshot(r);
        await real(r);
        while (!w.__ended) await new Promise((ok) => setTimeout(ok, 20));
        await new Promise((ok) => setTimeout(ok, 200));
        return before;
      };
    });
    await watchRate(page);
    await page.getByTestId('start-button').click();
    expect(await text(page, 'confirm-text')).toContain('4 messages will go out');
    await page.getByTestId('confirm-send').click();
    await expect.poll(() => stat(page, 'count-sent'), { timeout: 15_000 }).toBe('2');
    await page.getByTestId('cancel').click();
    await page.getByTestId('confirm-cancel').click();
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as { __ended: boolean }).__ended)).toBe(true);
    await expect.poll(() => text(page, 'campaign-state')).toContain('Cancelled');
    // The late answer has arrived (busy is over): still cancelled, nothing to pause, no time left to wait.
    await expect.poll(() => page.getByTestId('new-send').isVisible()).toBe(true);
    await page.waitForTimeout(400); // an absence (no flip back to "Sending…") has no event to wait for
    expect(await text(page, 'campaign-state')).toContain('Cancelled');
    expect(await text(page, 'campaign-state')).not.toContain('Sending');
    expect(await page.getByTestId('pause').count()).toBe(0);
    expect(await page.getByTestId('cancel').count()).toBe(0);
    expect(await text(page, 'eta')).toBe('—');
    expect(await checkScreen(page, 'truth-cancelled')).toEqual([]);
  });

  it('never shows a rate above the 0.5/s limit', async () => {
    const shown = (await rates(app.page)).map((r) => Number(r.replace('/s', '')));
    expect(shown.length).toBeGreaterThan(10);
    expect(Math.max(...shown)).toBeLessThanOrEqual(0.5);
  });

  it('after the cancel, a restart says how many really go out, and that many do', async () => {
    const { page } = app;
    await page.getByTestId('new-send').click();
    await expect.poll(() => text(page, 'earlier-run')).toContain('2 rows sent');
    expect(await text(page, 'earlier-run')).toContain('only the 2 rows not yet sent go out');
    expect(await stat(page, 'send-count')).toBe('2');
    expect(await stat(page, 'send-time')).toBe('2 s');
    expect(await checkScreen(page, 'truth-restart')).toEqual([]);
    await page.getByTestId('skip-invalid').check();
    await page.getByTestId('start-button').click();
    expect(await text(page, 'confirm-text')).toContain('2 messages will go out');
    expect(await text(page, 'confirm-earlier')).toContain('2 rows sent, 1 skipped by an earlier run are not sent again');
    await page.getByTestId('confirm-send').click();
    await expect.poll(() => text(page, 'campaign-state'), { timeout: 20_000 }).toContain('Finished');
    expect(await stat(page, 'count-sent')).toBe('4');
    expect(await stat(page, 'count-skipped')).toBe('1');
    expect(await stat(page, 'count-pending')).toBe('0');
  });

  it('a finished campaign sent again says nothing is left, unless started over', async () => {
    const { page } = app;
    await page.getByTestId('new-send').click();
    await expect.poll(() => text(page, 'earlier-run')).toContain('every row is settled, so nothing would go out');
    expect(await stat(page, 'send-count')).toBe('0');
    expect(await page.getByTestId('start-button').isDisabled()).toBe(true);
    expect(await text(page, 'start-button')).toContain('Nothing left to send');
    await page.getByTestId('start-fresh').check();
    expect(await stat(page, 'send-count')).toBe('4');
    expect(await text(page, 'start-button')).toContain('Send 4 messages');
    expect(await checkScreen(page, 'truth-resend')).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
