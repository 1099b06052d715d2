import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../mock-server/mock-server';
import { startMockServer } from '../mock-server/mock-server';
import type { App } from './harness';
import type { Suite } from './steps';
import { checkScreen, csvOf, importFile, pageErrors, settled, stat, startSuite, text } from './steps';

/**
 * Issue 14, items 1, 4, 8 and 12, in Chromium over the real main process: the default country
 * picked by name, an agent id that is not one and a lookup that fails, the form's own checks (a
 * cleared number, out-of-range speed, an empty required part) before Preview, problems in words,
 * "1 row", and the keyboard: "Choose a file…" and the message-type cards.
 */

const BOT = '6f1c9a2e-1b3d-4c5e-8f70-0a1b2c3d4e5f';
let suite: Suite;
let mock: MockServer;
let german: string;

beforeAll(async () => {
  suite = await startSuite('form-fields');
  mock = await startMockServer({ kind: 'wassist', conversations: [{ id: 'c-1', botId: BOT, number: '+49309876543' }] });
  german = await suite.file(
    'kunden.csv',
    csvOf(
      ['Telefon', 'Vorname', 'Nachname'],
      [
        ['030 9876543', 'Jürgen', 'Schmidt'],
        ['0151 23456789', 'Anna', 'Weber'],
      ],
      ';',
    ),
  );
});

afterAll(async () => {
  await suite?.close();
  await mock?.close();
});

/** phoneText builds a text message to the German file's phone numbers through `profile`. */
async function phoneText(page: Page, profile: string): Promise<void> {
  await importFile(page, german);
  await page.getByTestId('import-continue').click();
  await page.getByTestId('profile-select').selectOption(profile);
  await page.getByTestId('kind-text').click();
  await page.getByTestId('recipient-by-phone').click();
}

describe('item 1: the default country is picked, never guessed from letters', () => {
  let app: App;
  beforeAll(async () => {
    app = await suite.open();
  });

  it('offers countries by name and code, and takes "Germany" typed in full as DE, not GE (Georgia)', async () => {
    const { page } = app;
    await phoneText(page, 'sandbox');
    await page.getByTestId('bot-id').fill(BOT);
    await page.getByTestId('default-country').fill('Germ');
    const options = page.getByTestId('default-country-options').getByRole('option');
    await expect.poll(() => options.first().getAttribute('data-code')).toBe('DE');
    expect(await checkScreen(page, 'item1-country-list')).toEqual([]);
    await page.getByTestId('default-country').fill('Germany');
    await page.getByTestId('default-country').press('Tab');
    expect(await page.getByTestId('default-country').inputValue()).toBe('Germany (DE)');
    // Typed by code it is that code: "ge" offers Georgia first.
    await page.getByTestId('default-country').fill('ge');
    await expect.poll(() => options.first().textContent()).toBe('GeorgiaGE');
    await page.getByTestId('default-country').press('Escape');
    expect(await page.getByTestId('default-country').inputValue()).toBe('Germany (DE)');
  });

  it('previews the Berlin number 030 9876543 as +49 30 9876543', async () => {
    const { page } = app;
    await page.getByTestId('map-continue').click();
    await expect.poll(() => text(page, 'row-route'), { timeout: 15_000 }).toContain('+49309876543');
    expect(await text(page, 'row-route')).not.toContain('+995');
    expect(await checkScreen(page, 'item1-preview-germany')).toEqual([]);
  });
});

describe('item 4: an agent id that is not one, and a lookup that fails, are errors next to the field', () => {
  let app: App;
  beforeAll(async () => {
    app = await suite.open();
  });

  it('says "my-bot" is not an agent id under the field, and keeps Preview off', async () => {
    const { page } = app;
    await phoneText(page, 'sandbox');
    await page.getByTestId('bot-id').fill('my-bot');
    await expect.poll(() => text(page, 'bot-id-note')).toContain('“my-bot” is not an agent id');
    expect(await page.getByTestId('bot-id').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('map-continue').isDisabled()).toBe(true);
    expect(await text(page, 'form-problems')).toContain('Agent (bot) id');
    expect(await page.getByTestId('nav-preview').isDisabled()).toBe(true);
    expect(await checkScreen(page, 'item4-bot-id')).toEqual([]);
  });

  it('a lookup the provider refuses means no row is ready: an error, never "ready to send"', async () => {
    const { page } = app;
    // A Wassist account whose key the provider refuses.
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('add-profile').click();
    await page.getByTestId('profile-name').fill('Wassist (wrong key)');
    await page.getByTestId('profile-base-url').fill(mock.url);
    await page.getByTestId('profile-save').click();
    const card = page.locator('[data-testid^="profile-"]').filter({ hasText: 'Wassist (wrong key)' });
    await card.locator('input[type=password]').fill('not-the-right-key-0000');
    await card.getByRole('button', { name: 'Save key' }).click();
    await expect.poll(() => card.textContent()).toContain('Key saved');
    await page.getByTestId('nav-map').click();
    await page.getByTestId('profile-select').selectOption({ label: 'Wassist (wrong key)' });
    await page.getByTestId('recipient-by-phone').click();
    await page.getByTestId('bot-id').fill(BOT);
    await page.getByTestId('default-country').fill('DE');
    await page.getByTestId('default-country').press('Tab');
    await expect.poll(() => text(page, 'lookup-error'), { timeout: 15_000 }).toContain('Could not look the conversations up');
    expect(await checkScreen(page, 'item4-lookup-map')).toEqual([]);
    await page.getByTestId('map-continue').click();
    await expect.poll(() => text(page, 'lookup-error'), { timeout: 15_000 }).toContain('no row is ready');
    expect(await stat(page, 'stat-sendable')).toBe('0');
    expect(await text(page, 'stat-sendable')).toContain('ready (conversations not found)');
    await page.getByTestId('row-not-ready').waitFor();
    expect(await page.getByTestId('row-ok').count()).toBe(0);
    expect(await page.getByTestId('preview-continue').isDisabled()).toBe(true);
    // The rows themselves are fine: the lookup alone keeps them from being ready.
    expect(await page.getByTestId('problem').count()).toBe(0);
    expect(await page.getByTestId('all-clear').count()).toBe(0);
    expect(await checkScreen(page, 'item4-lookup-preview')).toEqual([]);
  });
});

describe('item 8: the form checks itself, in plain words, before Preview', () => {
  let app: App;
  let cards: string;
  beforeAll(async () => {
    app = await suite.open();
    cards = await suite.file(
      'cards.csv',
      csvOf(
        ['conversation_id', 'first_name', 'bild_url'],
        Array.from({ length: 6 }, (_, i) => [`c-${i + 1}`, `Name ${i + 1}`, i === 4 ? '' : `https://img.example.com/${i + 1}.png`]),
      ),
    );
  });

  it('a cleared number field is empty, not 0, and says what it wants', async () => {
    const { page } = app;
    await importFile(page, cards);
    await page.getByTestId('import-continue').click();
    await page.getByTestId('profile-select').selectOption('sandbox');
    const perSecond = page.getByTestId('per-second');
    await perSecond.fill('');
    expect(await perSecond.inputValue()).toBe('');
    await expect.poll(() => text(page, 'per-second-note')).toContain('This field is empty');
    await perSecond.pressSequentially('5');
    expect(await perSecond.inputValue()).toBe('5');
    await perSecond.fill('0');
    expect(await text(page, 'per-second-note')).toBe('Enter how many messages a second, more than 0 and at most 10,000 (for example 0.5 or 20).');
    expect(await text(page, 'form-problems')).toContain('Messages per second');
    expect(await page.getByTestId('map-continue').isDisabled()).toBe(true);
    await page.getByTestId('concurrency').fill('1.5');
    expect(await text(page, 'concurrency-note')).toBe('Enter a whole number from 1 to 256.');
    expect(await checkScreen(page, 'item8-numbers')).toEqual([]);
    await perSecond.fill('2,5');
    expect(await text(page, 'per-second-note')).toContain('this sends 2 a second');
    await perSecond.fill('20');
    await page.getByTestId('concurrency').fill('4');
    // What is left is the new template's empty name, not the numbers.
    expect(await text(page, 'form-problems')).not.toMatch(/Messages per second|At once/);
  });

  it('an empty required part is named next to it, and Preview waits for it', async () => {
    const { page } = app;
    await page.getByTestId('kind-template').click();
    await page.getByTestId('slot-template-name-text').fill('');
    await page.getByTestId('slot-template-name-required').waitFor();
    expect(await text(page, 'form-problems')).toContain('Template name');
    expect(await page.getByTestId('map-continue').isDisabled()).toBe(true);
    // Jumping from the list to the field.
    await page.getByTestId('form-problem').filter({ hasText: 'Template name' }).click();
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } } }).document.activeElement.getAttribute('data-testid'))).toBe('slot-template-name-text');
    await page.getByTestId('slot-template-name-text').fill('gallery');
    expect(await page.getByTestId('map-continue').isDisabled()).toBe(false);
  });

  it('row problems read as words: "Card 1 header: the column bild_url is empty in row 5"', async () => {
    const { page } = app;
    await page.getByTestId('add-card').click();
    await expect.poll(() => page.getByTestId('slot-template-variables-cards-0-header-column').inputValue()).toBe('bild_url');
    await page.getByTestId('map-continue').click();
    const problem = page.getByTestId('problem').filter({ hasText: 'Row 5' });
    await expect.poll(() => problem.first().textContent()).toContain('Card 1 header: the column bild_url is empty in row 5');
    const all = (await page.getByTestId('problems-card').textContent()) ?? '';
    expect(all).not.toMatch(/message\.template|variables|cards\[/);
    expect(await checkScreen(page, 'item8-row-words')).toEqual([]);
  });

  it('one row is "1 row", one message "1 message"', async () => {
    const { page } = app;
    await importFile(page, await suite.file('one.csv', csvOf(['conversation_id', 'first_name'], [['c-1', 'Ana']])));
    expect(await text(page, 'row-count')).toBe('1 row');
    expect(await text(page, 'rows-read')).toContain('1 contact read');
    expect(await page.getByTestId('nav-import').textContent()).toContain('1 contact');
    await page.getByTestId('import-continue').click();
    await page.getByTestId('kind-text').click();
    await page.getByTestId('map-continue').click();
    await expect.poll(() => text(page, 'all-clear')).toContain('The one row is ready to send.');
    await page.getByTestId('preview-continue').click();
    await expect.poll(() => text(page, 'start-button')).toContain('Send 1 message…');
    expect(await text(page, 'send-count')).toContain('message to send');
    expect(await checkScreen(page, 'item8-one-row')).toEqual([]);
  });
});

describe('item 12: the keyboard reaches and moves everything, with a focus ring of its own', () => {
  let app: App;
  beforeAll(async () => {
    app = await suite.open();
  });

  const focused = (page: Page) => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('data-testid') ?? null);

  /** ring is the focused element's outline and border, as drawn. */
  const ring = (page: Page) =>
    page.evaluate(() => {
      const w = globalThis as unknown as { document: { activeElement: unknown }; getComputedStyle(e: unknown): Record<string, string> };
      const s = w.getComputedStyle(w.document.activeElement);
      return { style: s.outlineStyle, width: parseFloat(s.outlineWidth ?? '0'), offset: parseFloat(s.outlineOffset ?? '0'), color: s.outlineColor, border: s.borderTopColor };
    });

  it('tabs to "Choose a file…", shows where the focus is, and opens the file chooser with Enter', async () => {
    const { page } = app;
    // Listening for the chooser turns Playwright's interception of it on, which takes a round trip
    // to the browser: start listening before the keys, not beside the Enter (under load the Enter
    // could open the chooser before interception was on, and no event would ever come).
    const chooserOpened = page.waitForEvent('filechooser');
    await page.getByTestId('dropzone').waitFor();
    let at: string | null = null;
    for (let i = 0; i < 12 && at !== 'choose-file'; i++) {
      await page.keyboard.press('Tab');
      at = await focused(page);
    }
    expect(at).toBe('choose-file');
    await settled(page);
    const r = await ring(page);
    expect(r.style).not.toBe('none');
    expect(r.width).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: 'test-results/screens/item12-choose-file-focus.png' });
    expect(await focused(page)).toBe('choose-file');
    await page.keyboard.press('Enter');
    const chooser = await chooserOpened;
    await chooser.setFiles(german);
    await expect.poll(() => text(page, 'row-count')).toBe('2 rows');
    expect(await checkScreen(page, 'item12-imported-by-keyboard')).toEqual([]);
  });

  it('the message types are one radio group: one Tab stop, arrows move the choice', async () => {
    const { page } = app;
    await page.getByTestId('import-continue').click();
    await page.getByTestId('profile-select').selectOption('sandbox');
    const group = page.getByRole('radiogroup', { name: 'Message type' });
    expect(await group.locator('[role=radio][tabindex="0"]').count()).toBe(1);
    expect(await group.locator('[role=radio][tabindex="0"]').getAttribute('aria-checked')).toBe('true');
    // From the control before the group, one Tab lands on the checked card, the next leaves the group.
    await page.getByTestId('action-send').focus();
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('kind-template');
    await settled(page);
    const r = await ring(page);
    expect(r.style).toBe('solid');
    expect(r.offset).toBeGreaterThanOrEqual(3);
    expect(r.color).not.toBe(r.border);
    await page.screenshot({ path: 'test-results/screens/item12-card-focus.png' });
    await page.keyboard.press('ArrowRight');
    expect(await focused(page)).toBe('kind-unified');
    expect(await page.getByTestId('kind-unified').getAttribute('aria-checked')).toBe('true');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    expect(await focused(page)).toBe('kind-text');
    expect(await page.getByTestId('kind-text').getAttribute('aria-checked')).toBe('true');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } } }).document.activeElement.getAttribute('role'))).not.toBe('radio');
    expect(await checkScreen(page, 'item12-radio-group')).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
