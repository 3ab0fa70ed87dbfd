import { describe, expect, it, jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { cell, eventually, expectText, gridWithInvestors, investors } from './support/app';
import { browserSuite } from './support/suite';

jest.setTimeout(180_000);

/** The focused element's role and accessible name as the page gives them, and whether it is in the grid. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return {
      role: el?.getAttribute('role') ?? el?.tagName.toLowerCase() ?? '',
      label: el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? '',
      popup: el?.getAttribute('aria-haspopup') ?? '',
      inGrid: !!el?.closest('[data-testid=grid]'),
      col: el?.getAttribute('aria-colindex') ?? '',
    };
  });

/** Presses `key` until the focused header's label starts with `name` (at most 20 times). */
async function walkTo(page: Page, key: string, name: string) {
  for (let i = 0; i < 20 && !(await focused(page)).label.startsWith(name); i++)
    await page.keyboard.press(key);
  expect((await focused(page)).label.startsWith(name)).toBe(true);
}

/** Arrows down the open menu to `item` and picks it with Enter. */
async function pick(page: Page, item: string) {
  const menu = page.locator('.htDropdownMenu');
  await menu.first().waitFor();
  for (let i = 0; i < 15; i++) {
    const now = (await menu.locator('td.current').first().textContent())?.trim();
    if (now === item) break;
    await page.keyboard.press('ArrowDown');
  }
  await expectText(menu.locator('td.current').first(), item);
  await page.keyboard.press('Enter');
}

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

    // Escape closes the menu and leaves the keyboard in the grid. Pressed once the menu has the
    // keyboard (its first item active), as a person would see it before pressing a key.
    await page.keyboard.press('Shift+Alt+ArrowDown');
    await expectText(menu.locator('td.current').first(), 'Sort 1 → 9');
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

  it('the headers take the keyboard: ↑ from the first row, named with their type; Enter opens the field menu, where a field is renamed and deleted', async () => {
    const page = await gridWithInvestors(suite, [{ Name: 'Birch Capital' }]);
    // Keyboard only from here: the skip link to the records, then up into the headers.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await eventually(async () => expect((await focused(page)).inGrid).toBe(true));
    await page.keyboard.press('ArrowUp');
    await eventually(async () =>
      expect(await focused(page)).toMatchObject({
        role: 'columnheader',
        label: 'Name, text field',
        popup: 'menu',
        inGrid: true,
      }),
    );
    await walkTo(page, 'ArrowRight', 'Target commitment');
    expect((await focused(page)).label).toBe('Target commitment, currency field');
    const column = (await focused(page)).col;
    expect(column).toMatch(/^\d+$/);

    // Enter opens the field's menu; rename it from there.
    await page.keyboard.press('Enter');
    await pick(page, 'Edit field…');
    const dialog = page.locator('.modal');
    await dialog.waitFor();
    const name = dialog.locator('input[name=field_name]');
    await eventually(async () =>
      expect(await name.evaluate((e) => e === document.activeElement)).toBe(true),
    );
    await page.keyboard.press('ControlOrMeta+A');
    await name.pressSequentially('Target ticket', { delay: 60 });
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await eventually(async () => {
      const inv = await investors(page);
      expect(inv.table.fields.some((f: { name: string }) => f.name === 'Target ticket')).toBe(true);
    });
    // The keyboard is back in the grid, in the column it left (its first cell); ↑ is its header.
    await eventually(async () =>
      expect(await focused(page)).toMatchObject({ role: 'gridcell', inGrid: true, col: column }),
    );
    await page.keyboard.press('ArrowUp');
    await eventually(async () =>
      expect(await focused(page)).toMatchObject({
        role: 'columnheader',
        label: 'Target ticket, currency field',
      }),
    );

    // Delete it the same way: the confirmation takes Tab and Enter.
    await page.keyboard.press('Enter');
    await pick(page, 'Delete field');
    const confirm = page.locator('[data-testid=confirm-remove-field]');
    await confirm.waitFor();
    for (let i = 0; i < 6 && !(await confirm.evaluate((e) => e === document.activeElement)); i++)
      await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await confirm.waitFor({ state: 'detached' });
    await eventually(async () => {
      const inv = await investors(page);
      expect(inv.table.fields.some((f: { name: string }) => f.name === 'Target ticket')).toBe(
        false,
      );
    });
    await expect(
      page
        .locator('[data-testid=grid] .ht_clone_top thead th .col-head__name', {
          hasText: 'Target ticket',
        })
        .count(),
    ).resolves.toBe(0);
  });
});
