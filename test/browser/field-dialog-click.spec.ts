import { describe, expect, it, jest } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';
import {
  cell,
  eventually,
  gridWithInvestors,
  investors,
  nextFrames,
  waitSettled,
} from './support/app';
import { browserSuite } from './support/suite';

jest.setTimeout(180_000);

/** Whether a cell editor is on screen: its holder shown and drawn, or focus in its text box. */
const editorOpen = (page: Page) =>
  page.evaluate(() => {
    const grid = document.querySelector('[data-testid=grid]');
    const shown = [
      ...(grid?.querySelectorAll<HTMLElement>(
        '.handsontableInputHolder:not(.ht_editor_hidden), .ht_editor_visible',
      ) ?? []),
    ].some((el) => el.getClientRects().length > 0 && el.style.opacity !== '0');
    return shown || !!document.activeElement?.closest('.handsontableInputHolder');
  });

/**
 * A field's dialog opened from its column menu, closed, then a single click on a cell: the click
 * selects the cell, as in a spreadsheet, and typing replaces its value. Done at a practised
 * person's pace (the keys for the menu, the dialog shut at once), so the click on the cell comes
 * within Handsontable's double-click time of the click that opened the menu: it paired them into a
 * double click and opened the editor, with the old value in it.
 */
describe('a click on a cell after a field dialog from the column menu', () => {
  const suite = browserSuite({ admin: true });

  async function throughDialog(page: Page, td: Locator, item: string, close: () => Promise<void>) {
    await td.click();
    await page.keyboard.press('Shift+Alt+ArrowDown');
    await page.locator('.htDropdownMenu td', { hasText: item }).first().click();
    const dialog = page.locator('.modal');
    await dialog.waitFor();
    await close();
    await dialog.waitFor({ state: 'detached' });
    await td.click();
  }

  it('selects the cell, whether the dialog closed with Escape, Cancel or ×; typing then replaces the value', async () => {
    const page = await gridWithInvestors(suite, [
      { Name: 'Aspen LP', 'Target commitment': 2500000 },
    ]);
    const inv = await investors(page);
    const target = inv.field('Target commitment');
    const td = await cell(page, 0, 'Target commitment');
    const modal = page.locator('.modal');
    const ways: [string, string, () => Promise<void>][] = [
      ['Edit field…', 'Escape', () => page.keyboard.press('Escape')],
      ['Delete field', 'Escape', () => page.keyboard.press('Escape')],
      ['Edit field…', 'Cancel', () => modal.locator('button', { hasText: 'Cancel' }).click()],
      ['Delete field', '×', () => modal.locator('button[aria-label=Close]').click()],
    ];
    // Each way is tried whatever the one before did, and all are compared at the end.
    const seen: { where: string; editor: boolean; selected: boolean; value: unknown }[] = [];
    const expected: typeof seen = [];
    let digit = 3;
    for (const [item, closedWith, close] of ways) {
      const where = `${item} closed with ${closedWith}`;
      await throughDialog(page, td, item, close);
      await nextFrames(page);
      const editor = await editorOpen(page);
      // An editor opened by the click is left the way Escape leaves it, for the next way's sake.
      if (editor) await page.keyboard.press('Escape');
      const selected = await td.evaluate((el) => el.classList.contains('current'));

      // Typing starts an edit with the key typed, in place of the value; Enter saves it.
      await page.keyboard.type(String(digit), { delay: 80 });
      await page.keyboard.press('Enter');
      await waitSettled(page);
      const value = (await investors(page)).records[0].values[target];
      seen.push({ where, editor, selected, value });
      expected.push({ where, editor: false, selected: true, value: digit++ });
    }
    expect(seen).toEqual(expected);

    // A double click is still one: it opens the editor.
    await td.dblclick();
    await eventually(async () => expect(await editorOpen(page)).toBe(true), 5000);
    await page.keyboard.press('Escape');
  });
});
