import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from './harness';
import type { Suite } from './steps';
import { checkScreen, csvOf, importFile, pageErrors, startSuite, text } from './steps';

/**
 * Issue 14, items 7 and 10, in Chromium over the real main process: a file with a header and no
 * rows, a Windows-1252 file read as UTF-8 on purpose, an empty file after a good one; and a cell
 * of 3 MB in a text message (a warning above WhatsApp's limit, previews cut short).
 */

let suite: Suite;

beforeAll(async () => {
  suite = await startSuite('input-edges');
});

afterAll(async () => {
  await suite?.close();
});

/** windows1252 encodes Latin-1 text the way Excel on Windows saves "CSV (semicolon)". */
function windows1252(s: string): Uint8Array {
  return Uint8Array.from([...s].map((c) => c.charCodeAt(0)));
}

describe('item 7: empty and broken input does not look fine', () => {
  let app: App;
  beforeAll(async () => {
    app = await suite.open();
  });

  it('a header without rows is an error, and nothing goes further', async () => {
    const { page } = app;
    await importFile(page, await suite.file('header-only.csv', 'conversation_id,first_name\r\n'));
    await page.getByTestId('no-rows').waitFor();
    expect(await text(page, 'row-count')).toBe('0 rows');
    expect(await page.getByTestId('rows-read').count()).toBe(0);
    expect(await page.getByTestId('import-continue').isDisabled()).toBe(true);
    expect(await page.getByTestId('nav-preview').isDisabled()).toBe(true);
    expect(await page.getByTestId('nav-preview').getAttribute('title')).toBe('The contact list has no contacts');
    expect(await checkScreen(page, 'item7-header-only')).toEqual([]);
  });

  it('UTF-8 forced on a Windows-1252 file shows the unreadable letters and warns about them', async () => {
    const { page } = app;
    const rows = [
      ['c-1', 'Jürgen', 'Köln'],
      ['c-2', 'Zoë', 'Málaga'],
    ];
    await importFile(page, await suite.file('excel.csv', windows1252(csvOf(['conversation_id', 'first_name', 'city'], rows, ';'))));
    await expect.poll(() => text(page, 'import-warning')).toContain('not valid UTF-8');
    expect(await page.getByTestId('sample-table').textContent()).toContain('Jürgen');
    await page.getByTestId('encoding-select').selectOption('utf-8');
    await expect.poll(() => page.getByTestId('sample-table').textContent(), { timeout: 20_000 }).toContain('J\uFFFDrgen');
    await expect.poll(() => text(page, 'import-warning')).toContain('could not be read');
    expect(await text(page, 'import-warning')).toContain('Windows-1252');
    expect(await page.getByTestId('rows-read').getAttribute('class')).toContain('banner-warning');
    expect(await text(page, 'rows-read')).toContain('check the text first');
    expect(await checkScreen(page, 'item7-forced-utf8')).toEqual([]);
  });

  it('an empty file after a good one leaves no old count behind', async () => {
    const { page } = app;
    expect(await page.getByTestId('nav-import').textContent()).toContain('2 contacts');
    await importFile(page, await suite.file('empty.csv', ''));
    await page.getByTestId('import-error').waitFor();
    expect(await text(page, 'import-error')).toContain('empty');
    await expect.poll(() => page.getByTestId('nav-import').textContent()).toContain('Load a contact list');
    expect(await page.getByTestId('nav-import').textContent()).not.toContain('contacts');
    expect(await page.getByTestId('nav-map').isDisabled()).toBe(true);
    expect(await checkScreen(page, 'item7-empty-file')).toEqual([]);
  });
});

describe('item 10: a 3 MB cell is warned about and never drawn whole', () => {
  let app: App;
  const big = 'Lorem ipsum dolor sit amet. '.repeat(107_143).slice(0, 3_000_000);
  beforeAll(async () => {
    app = await suite.open();
  });

  it('imports it with the sample cut short', async () => {
    const { page } = app;
    await importFile(page, await suite.file('big-cell.csv', csvOf(['conversation_id', 'note'], [['c-1', big], ['c-2', 'a short note']])));
    const cell = page.getByTestId('sample-table').locator('tbody tr').first().locator('td').nth(2);
    const shown = (await cell.textContent()) ?? '';
    expect(shown.length).toBeLessThan(300);
    expect(shown).toContain('2,999,800 more characters');
    expect(await checkScreen(page, 'item10-import')).toEqual([]);
  });

  it('warns above WhatsApp’s 4,096 characters, and the previews show a screen’s worth', async () => {
    const { page } = app;
    await page.getByTestId('import-continue').click();
    await page.getByTestId('profile-select').selectOption('sandbox');
    await page.getByTestId('kind-text').click();
    await page.getByTestId('slot-text-body-text').fill('{{note}}');
    const bubble = page.getByTestId('live-preview').getByTestId('bubble-text');
    await expect.poll(async () => (await bubble.textContent()) ?? '', { timeout: 20_000 }).toContain('more characters');
    expect(((await bubble.textContent()) ?? '').length).toBeLessThan(2_100);
    await expect.poll(() => text(page, 'live-preview-problems')).toContain('3,000,000 characters long; WhatsApp refuses text messages over 4,096 characters');
    expect(await checkScreen(page, 'item10-map')).toEqual([]);

    await page.getByTestId('map-continue').click();
    const warning = page.getByTestId('problem').filter({ hasText: 'Row 1' });
    await expect.poll(() => warning.first().textContent(), { timeout: 20_000 }).toContain('Message text: is 3,000,000 characters long');
    expect(await warning.first().textContent()).toContain('warning');
    expect(await page.getByTestId('all-clear').count()).toBe(0);
    await page.getByTestId('toggle-request').click();
    expect(((await page.getByTestId('request-body').textContent()) ?? '').length).toBeLessThan(3_000);
    expect(await checkScreen(page, 'item10-preview')).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
