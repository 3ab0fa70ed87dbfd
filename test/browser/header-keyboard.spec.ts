import { describe, expect, it, jest } from '@jest/globals';
import { cell, expectText, gridWithInvestors } from './support/app';
import { browserSuite } from './support/suite';

jest.setTimeout(180_000);

/** A column's field menu (sort, filter, hide, edit, insert, delete) opened and used by keyboard alone. */
describe('field actions from the keyboard', () => {
  const suite = browserSuite({ admin: true });

  it('Shift+Alt+↓ on a cell opens its column’s menu; arrows and Enter pick an action', async () => {
    const page = await gridWithInvestors(suite, [{ Name: 'Aspen LP' }]);
    await (await cell(page, 0, 'Target commitment')).click();
    await page.keyboard.press('Shift+Alt+ArrowDown');
    const menu = page.locator('.htDropdownMenu');
    await menu.first().waitFor();
    // The menu has the keyboard: its first item is active, and the arrows walk the items.
    await expectText(menu.locator('td.current').first(), 'Sort 1 → 9');
    for (let i = 0; i < 15; i++) {
      const now = (await menu.locator('td.current').first().textContent())?.trim();
      if (now === 'Edit field…') break;
      await page.keyboard.press('ArrowDown');
    }
    await expectText(menu.locator('td.current').first(), 'Edit field…');
    await page.keyboard.press('Enter');
    const dialog = page.locator('.modal');
    await dialog.waitFor();
    expect(await dialog.locator('input[name=field_name]').inputValue()).toBe('Target commitment');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // Escape closes the menu and leaves the keyboard in the grid.
    await page.keyboard.press('Shift+Alt+ArrowDown');
    await menu.first().waitFor();
    await page.keyboard.press('Escape');
    await menu.first().waitFor({ state: 'hidden' });
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Shift+Alt+ArrowDown');
    await expectText(menu.locator('td.current').first(), 'Sort A → Z');
    await page.keyboard.press('Escape');

    // The shortcut sheet says so.
    await page.locator('body').press('?');
    const sheet = page.locator('[data-testid=shortcut-sheet]');
    await sheet.waitFor();
    expect(await sheet.textContent()).toContain("The selected column's field menu");
  });
});
