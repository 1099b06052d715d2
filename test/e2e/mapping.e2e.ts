import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/main';
import type { App } from './harness';
import type { Suite } from './steps';
import { checkScreen, csvOf, importFile, openSample, pageErrors, stat, startSuite, text } from './steps';

/**
 * Issue 14, items 5, 6 and 11, in Chromium over the real main process: columns whose names hold
 * `|`, braces or `}}` mapped in the app, saved to a campaign file and read by the command line;
 * another file imported under a built message (re-mapped by name, the rest asked about, the live
 * preview in words), a body kept per message type; German and French columns matched by themselves.
 */

let suite: Suite;
const odd = "=cmd|' /C calc'!A0";

beforeAll(async () => {
  suite = await startSuite('mapping');
});

afterAll(async () => {
  await suite?.close();
});

const livePreview = (page: Page) => text(page, 'live-preview');

describe('item 5: any header a CSV can have can be mapped', () => {
  let app: App;
  let contacts: string;
  beforeAll(async () => {
    app = await suite.open();
    contacts = await suite.file('odd.csv', csvOf(['conversation_id', odd, 'size {cm}', 'a}}b'], [['c-1', 'formula cell', '42', 'braces'], ['c-2', 'second', '43', 'more']]));
  });

  it('maps a column named like a formula with a bar, and one with braces, in the app', async () => {
    const { page } = app;
    await importFile(page, contacts);
    await page.getByTestId('import-continue').click();
    await page.getByTestId('profile-select').selectOption('sandbox');
    await page.getByTestId('campaign-name').fill('Odd columns');
    await page.getByTestId('slot-template-name-text').fill('odd_columns');
    await page.getByTestId('slot-template-variables-body-0-column').selectOption(odd);
    await page.getByTestId('add-template-variables-body').click();
    await page.getByTestId('slot-template-variables-body-1-column').selectOption('size {cm}');
    await page.getByTestId('add-template-variables-body').click();
    await page.getByTestId('slot-template-variables-body-2-column').selectOption('a}}b');
    for (const [i, header] of [odd, 'size {cm}', 'a}}b'].entries()) {
      expect(await page.getByTestId(`slot-template-variables-body-${i}-column`).inputValue()).toBe(header);
    }
    expect(await page.getByTestId('message-form').textContent()).not.toContain('not in this file');
    await expect.poll(() => livePreview(page)).toContain('formula cell');
    expect(await livePreview(page)).toContain('42');
    expect(await livePreview(page)).toContain('braces');
    expect(await checkScreen(page, 'item5-odd-columns')).toEqual([]);
  });

  it('saves them to a campaign file that the command line previews the same', async () => {
    const { page } = app;
    await page.getByTestId('save-campaign').click();
    await expect.poll(() => text(page, 'file-note')).toContain('Saved');
    const saved = app.dialogs.saved.find((s) => s.kind === 'campaign');
    const file = JSON.parse(await readFile(saved?.path ?? '', 'utf8')) as { message: { template: { variables: { body: string[] } } } };
    expect(file.message.template.variables.body).toEqual([`{{${JSON.stringify(odd)}}}`, '{{"size {cm}"}}', '{{"a}}b"}}']);
    let stdout = '';
    let stderr = '';
    const code = await main(['preview', contacts, '--spec', saved?.path ?? '', '--row', '2', '--json', '--state', join(suite.work, 'cli-state')], {
      env: {},
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t), isTTY: false },
      onInterrupt: () => () => undefined,
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('"second"');
    expect(stdout).toContain('"43"');
    expect(stdout).toContain('"more"');
    await page.getByTestId('map-continue').click();
    await page.getByTestId('all-clear').waitFor();
    expect(await checkScreen(page, 'item5-preview')).toEqual([]);
  });
});

describe('item 6: switching files or message types keeps the work', () => {
  let app: App;
  beforeAll(async () => {
    app = await suite.open();
  });

  it('re-maps the sample’s message to another file by name, and asks about the rest', async () => {
    const { page } = app;
    await openSample(page);
    await page.getByTestId('import-continue').click();
    await expect.poll(() => livePreview(page)).toContain('order_update');
    const other = await suite.file(
      'andere.csv',
      csvOf(['Conversation ID', 'First Name', 'Stadt', 'Bestellnummer', 'Link'], [['k-1', 'Jürgen', 'Köln', 'B-77', 'https://shop.example.com/77']], ';'),
    );
    await importFile(page, other);
    await page.getByTestId('import-continue').click();
    const card = page.getByTestId('remap-card');
    await card.waitFor();
    // Matched by name: the same name written otherwise, the same kind of column.
    expect(await card.textContent()).toContain('“first_name” → “First Name”');
    expect(await card.textContent()).toContain('“promo_url” → “Link”');
    expect(await page.getByTestId('slot-recipient-column').inputValue()).toBe('Conversation ID');
    // The rest are asked about.
    const asked = await page.getByTestId('remap-select').evaluateAll((els) => els.map((e) => e.getAttribute('data-column')));
    expect(asked).toEqual(['order_id', 'city']);
    expect(await page.getByTestId('map-continue').isDisabled()).toBe(true);
    // Meanwhile the live preview lists the problems as the problem list does, in words.
    await expect.poll(() => text(page, 'live-preview-problems')).toContain('the column order_id is not in this file');
    const shown = await livePreview(page);
    expect(shown).not.toMatch(/campaign, |message\.template|variables\./);
    expect(await checkScreen(page, 'item6-remap-asked')).toEqual([]);
    await page.locator('[data-testid=remap-select][data-column=order_id]').selectOption('Bestellnummer');
    await page.locator('[data-testid=remap-select][data-column=city]').selectOption('Stadt');
    await page.getByTestId('remap-apply').click();
    await expect.poll(() => page.getByTestId('remap-card').count()).toBe(0);
    await expect.poll(() => livePreview(page)).toContain('B-77');
    expect(await livePreview(page)).toContain('Köln');
    await page.getByTestId('map-continue').click();
    await expect.poll(() => stat(page, 'stat-sendable')).toBe('1');
    expect(await checkScreen(page, 'item6-remapped-preview')).toEqual([]);
    await page.getByTestId('nav-map').click();
  });

  it('keeps the text typed for each message type: Text -> CTA -> Text', async () => {
    const { page } = app;
    await page.getByTestId('kind-text').click();
    const body = page.getByTestId('slot-text-body-text');
    await body.fill('Hallo {{First Name}}, Ihre Bestellung {{Bestellnummer}} ist unterwegs.');
    await page.getByTestId('kind-cta').click();
    await page.getByTestId('slot-cta-buttonText-text').fill('Verfolgen');
    await page.getByTestId('kind-text').click();
    expect(await body.inputValue()).toBe('Hallo {{First Name}}, Ihre Bestellung {{Bestellnummer}} ist unterwegs.');
    await page.getByTestId('kind-cta').click();
    expect(await page.getByTestId('slot-cta-buttonText-text').inputValue()).toBe('Verfolgen');
    await page.getByTestId('kind-text').click();
    await expect.poll(() => livePreview(page)).toContain('Hallo Jürgen, Ihre Bestellung B-77 ist unterwegs.');
    expect(await checkScreen(page, 'item6-text-kept')).toEqual([]);
  });
});

describe('item 11: columns named in the languages people write their lists in match by themselves', () => {
  let app: App;
  beforeAll(async () => {
    app = await suite.open();
  });

  for (const [lang, header, first, phone] of [
    ['de', ['Nachname', 'Vorname', 'Telefon', 'E-Mail'], 'Vorname', 'Telefon'],
    ['fr', ['Nom', 'Prénom', 'Téléphone portable', 'Ville'], 'Prénom', 'Téléphone portable'],
  ] as const) {
    it(`${lang}: ${phone} is the phone column and ${first} the first name`, async () => {
      const { page } = app;
      const file = await suite.file(`${lang}.csv`, csvOf([...header], [['Schmidt', 'Jürgen', '+49 30 9876543', 'x']], ';'));
      await importFile(page, file);
      await page.getByTestId('import-continue').click();
      await page.getByTestId('profile-select').selectOption('sandbox');
      await page.getByTestId('kind-text').click();
      await page.getByTestId('recipient-by-phone').click();
      expect(await page.getByTestId('slot-phone-column').inputValue()).toBe(phone);
      expect(await page.getByTestId('slot-text-body-text').inputValue()).toBe(`Hi {{${first}|there}}!`);
      await page.getByTestId('bot-id').fill('6f1c9a2e-1b3d-4c5e-8f70-0a1b2c3d4e5f');
      await expect.poll(() => livePreview(page)).toContain('Hi Jürgen!');
      expect(await checkScreen(page, `item11-${lang}`)).toEqual([]);
      await page.getByTestId('recipient-by-conversation').click();
    });
  }

  it('threw no error', () => {
    expect(pageErrors).toEqual([]);
  });
});
