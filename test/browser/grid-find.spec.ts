import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type Page } from 'playwright-core';
import { cell, eventually, expectText, gridWithInvestors, nextFrames } from './support/app';
import { screenshot } from './support/chromium';
import { browserSuite } from './support/suite';

jest.setTimeout(240_000);

/** Typed as a person types: a key every 50 to 100 ms. */
async function typeSlowly(page: Page, text: string): Promise<void> {
  for (const [i, ch] of [...text].entries()) {
    await page.keyboard.type(ch);
    await page.waitForTimeout(50 + ((i * 17) % 50));
  }
}

const selected = (page: Page) =>
  page.evaluate(() => {
    const td = document.querySelector('[data-testid=grid] .ht_master td.cell--found-current');
    return td?.textContent?.trim() ?? null;
  });

describe('Ctrl+F in the grid', () => {
  const suite = browserSuite({ admin: true });
  let page: Page;

  beforeAll(async () => {
    const rows = [
      { Name: 'Zürich Pension', 'Next step': 'Zürich' },
      { Name: 'Acme Family Office', 'Next step': 'Paris' },
      { Name: 'Zurich Partners', 'Next step': 'Zug' },
      { Name: 'Basel Trust', 'Next step': 'ZÜRICH' },
      { Name: 'Harbor Capital', 'Next step': 'London' },
    ];
    page = await gridWithInvestors(suite, rows);
  });

  it('highlights matches ignoring case and accents, and steps through them with Enter, Shift+Enter and F3', async () => {
    await (await cell(page, 1, 'Name')).click();
    await page.keyboard.press('Control+f');
    const box = page.locator('[data-testid=grid-find-input]');
    await eventually(async () =>
      expect(await box.evaluate((el) => el === document.activeElement)).toBe(true),
    );
    await typeSlowly(page, 'zurich');
    const count = page.locator('[data-testid=grid-find-count]');
    await expectText(count, '1 of 4');
    await eventually(async () =>
      expect(await page.locator('[data-testid=grid] .ht_master td.cell--found').count()).toBe(4),
    );
    await screenshot(page, 'grid-find-1440');
    await page.keyboard.press('Enter');
    await expectText(count, '2 of 4');
    await page.keyboard.press('Enter');
    await expectText(count, '3 of 4');
    await page.keyboard.press('Shift+Enter');
    await expectText(count, '2 of 4');
    await page.keyboard.press('F3');
    await expectText(count, '3 of 4');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await expectText(count, '1 of 4');
    await eventually(async () => expect(await selected(page)).toMatch(/z(ü|u)rich/i));
  });

  it('closes with Escape and gives the keyboard back to the grid on the match', async () => {
    await page.keyboard.press('Enter');
    await expectText(page.locator('[data-testid=grid-find-count]'), '2 of 4');
    await page.keyboard.press('Escape');
    await eventually(async () =>
      expect(await page.locator('[data-testid=grid-find]').count()).toBe(0),
    );
    expect(await page.locator('td.cell--found').count()).toBe(0);
    // The grid listens again: an arrow key moves its selection (no text box takes it).
    const active = await page.evaluate(() => document.activeElement?.tagName ?? '');
    expect(active).not.toBe('INPUT');
    await page.keyboard.press('ArrowDown');
    await nextFrames(page);
    const current = await page.evaluate(() =>
      document.querySelector('[data-testid=grid] .ht_master td.current')?.textContent?.trim(),
    );
    expect(current).toBeTruthy();
  });

  it('leaves Ctrl+F to the browser while a cell is being edited', async () => {
    await (await cell(page, 4, 'Name')).click();
    await page.keyboard.press('Enter');
    await page.keyboard.type(' X');
    expect(
      await page
        .locator('[data-testid=grid] .handsontableInputHolder:not(.ht_editor_hidden)')
        .count(),
    ).toBeGreaterThan(0);
    await page.keyboard.press('Control+f');
    await nextFrames(page);
    expect(await page.locator('[data-testid=grid-find]').count()).toBe(0);
    await page.keyboard.press('Escape');
  });

  it('fits a phone screen', async () => {
    await page.setViewportSize({ width: 390, height: 780 });
    await (await cell(page, 0, 'Name')).click();
    await page.keyboard.press('Control+f');
    await typeSlowly(page, 'zug');
    await expectText(page.locator('[data-testid=grid-find-count]'), '1 of 1');
    const box = await page.locator('[data-testid=grid-find]').boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await screenshot(page, 'grid-find-390');
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 1440, height: 900 });
  });
});
