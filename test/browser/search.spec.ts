import { describe, expect, it, jest } from '@jest/globals';
import { type Page } from 'playwright-core';
import { cell, gridWithInvestors } from './support/app';
import { screenshot } from './support/chromium';
import { browserSuite } from './support/suite';

jest.setTimeout(180_000);

/** Types as a person does: a key every 50 to 100 ms. */
const typeSlowly = async (page: Page, text: string) => {
  for (const ch of text) await page.keyboard.type(ch, { delay: 50 + Math.random() * 50 });
};

describe('search palette', () => {
  const suite = browserSuite({ admin: true });

  it('Ctrl+K from the grid finds an investor by part of its name, accents aside, and Enter opens its record', async () => {
    const page = await gridWithInvestors(suite, [
      { Name: 'Zürich Cantonal Pension', Website: 'https://zkb.example' },
      { Name: 'Helvetia Family Office' },
      { Name: 'Basel Endowment' },
    ]);
    await (await cell(page, 0, 'Owner')).click();
    await page.keyboard.press('Control+k');
    const input = page.locator('[data-testid=search-input]');
    await input.waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'search-input',
    );
    await typeSlowly(page, 'zurich');
    const first = page.locator('[data-testid=search-result]').first();
    await first.waitFor();
    expect(await page.locator('[data-testid=search-result]').count()).toBe(1);
    expect(await first.textContent()).toContain('Zürich Cantonal Pension');
    expect(await first.getAttribute('aria-selected')).toBe('true');
    await screenshot(page, 'search-palette');
    await page.keyboard.press('Enter');
    const drawer = page.locator('[data-testid=record-drawer]');
    await drawer.waitFor({ state: 'visible' });
    expect(await drawer.textContent()).toContain('Zürich Cantonal Pension');
    expect(new URL(page.url()).searchParams.get('record')).toMatch(/^rec/);
  });

  it('says when nothing matches, and the header button opens it at phone width', async () => {
    const page = await gridWithInvestors(suite, [{ Name: 'Granite Partners' }], {
      width: 390,
      height: 844,
    });
    await page.click('[data-testid=open-search]');
    await page.locator('[data-testid=search-input]').waitFor();
    await typeSlowly(page, 'nowhere to be found');
    await page.locator('[data-testid=search-empty]').waitFor();
    await screenshot(page, 'search-palette-phone');
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=search-input]').waitFor({ state: 'detached' });
  });
});
