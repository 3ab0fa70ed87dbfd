import { describe, expect, it, jest } from '@jest/globals';
import { type Page } from 'playwright-core';
import { cell, expectText, gridWithInvestors, typeInto, waitSaved } from './support/app';
import { browserSuite } from './support/suite';

jest.setTimeout(180_000);

/** Saves and refusals reach a screen reader through one polite live region, in the grid and the drawer. */
describe('the live region', () => {
  const suite = browserSuite({ admin: true });
  const region = (page: Page) => page.locator('[data-testid=live-region]');

  it('is polite, and announces a save, a refused cell and a refused drawer field', async () => {
    const page = await gridWithInvestors(suite, [{ Name: 'Evergreen Pension' }]);
    expect(await region(page).getAttribute('aria-live')).toBe('polite');
    expect(await region(page).getAttribute('role')).toBe('status');

    await typeInto(page, 0, 'Next step', 'Call on Tuesday');
    await waitSaved(page);
    await expectText(region(page), 'All changes saved');

    await typeInto(page, 0, 'Target commitment', 'lots');
    await expectText(
      region(page),
      /^Not saved: Target commitment takes an amount such as .*“lots” is not one\.$/,
    );
    await page.keyboard.press('Escape');

    await (await cell(page, 0, 'Name')).click();
    await page.keyboard.press('Shift+Space');
    const drawer = page.locator('[data-testid=record-drawer]');
    const input = drawer.locator('[data-field="Target commitment"] input');
    await input.click();
    await page.keyboard.type('plenty');
    await page.keyboard.press('Enter');
    await expectText(
      region(page),
      /^Not saved: Target commitment takes an amount such as .*“plenty” is not one\.$/,
    );
  });
});
