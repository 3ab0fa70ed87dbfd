import { describe, expect, it, jest } from '@jest/globals';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { newPerson } from './support/chromium';
import { ADMIN } from './support/server';
import { browserSuite } from './support/suite';
import { waitForGrid } from './support/app';

jest.setTimeout(180_000);

const FIXTURE = join(__dirname, '../fixtures/imports/airtable-investors.csv');

/** What has the keyboard now: a short description of the focused element. */
function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return 'body';
    return [
      el.tagName.toLowerCase(),
      el.getAttribute('data-testid') ?? el.getAttribute('name') ?? '',
      el.getAttribute('role') ?? '',
      el.textContent?.trim().slice(0, 40) ?? '',
      el.closest('[data-testid=record-drawer]') ? 'in-drawer' : '',
      el.closest('[data-testid=grid]') ? 'in-grid' : '',
    ].join('|');
  });
}

/** Waits (up to 5 s) until the focused element matches: focus moves a frame after a route change. */
async function focusComesTo(page: Page, match: RegExp): Promise<void> {
  const until = Date.now() + 5_000;
  let now = await focused(page);
  while (!match.test(now) && Date.now() < until) {
    await page.waitForTimeout(50);
    now = await focused(page);
  }
  expect(now).toMatch(match);
}

/** Presses Tab until `match` has the keyboard, at most `limit` times; the number of presses. */
async function tabTo(page: Page, match: RegExp, limit = 40): Promise<number> {
  for (let i = 1; i <= limit; i++) {
    await page.keyboard.press('Tab');
    if (match.test(await focused(page))) return i;
  }
  throw new Error(`${match} not reached in ${limit} Tabs; focus is on ${await focused(page)}`);
}

describe('keyboard only: sign in, edit a cell, open and close the record, import a file', () => {
  const suite = browserSuite({ admin: true });

  it('walks the partner’s first minutes without a mouse', async () => {
    const { page } = await newPerson(suite.browser, suite.server.url);
    await page.goto('/login');
    await page.locator('input[name=email]').waitFor();
    // Focus starts in the email field, or one Tab away.
    if (!/^input\|email\|/.test(await focused(page))) await tabTo(page, /^input\|email\|/);
    await page.keyboard.type(ADMIN.email, { delay: 50 });
    await page.keyboard.press('Tab');
    await page.keyboard.type(ADMIN.password, { delay: 50 });
    await page.keyboard.press('Enter');
    await waitForGrid(page);
    expect(await page.title()).toBe('Fundraising · Venture CRM');

    // Signed in, the keyboard is on the new page's heading, not lost on the body.
    await focusComesTo(page, /^h1\|/);

    // A record added from the toolbar takes the typing like a spreadsheet.
    await tabTo(page, /^button\|add-record\|/);
    await page.keyboard.press('Enter');
    await focusComesTo(page, /in-grid$/);
    await page.keyboard.type('Keyboard Capital', { delay: 60 });
    await page.keyboard.press('Enter');
    await page.locator('.ht_master tbody td', { hasText: 'Keyboard Capital' }).waitFor();

    // On a fresh load the first Tab offers the skip link; taking it lands on the page's heading,
    // and the grid is a few Tabs on.
    await page.reload();
    await waitForGrid(page);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatch(/^a\|\|\|Skip to content/);
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatch(/^h1\|/);
    // The grid is in the Tab order after the toolbar (tables, view bar, lists): 28 stops today.
    expect(await tabTo(page, /in-grid$/, 60)).toBeLessThan(40);

    // The second skip link goes straight to the records, and the grid takes the keys from there.
    await page.reload();
    await waitForGrid(page);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatch(/^a\|skip-to-records\|\|Skip to records/);
    await page.keyboard.press('Enter');
    await focusComesTo(page, /in-grid$/);
    await page.keyboard.type('Keyboard Capital Partners', { delay: 60 });
    await page.keyboard.press('Enter');
    await page.locator('.ht_master tbody td', { hasText: 'Keyboard Capital Partners' }).waitFor();
    // The only record: Enter left the selection on it (↑ from here would go to the headers).

    // Shift+Space opens the record: focus moves into it, Tab stays inside, Escape closes it.
    await page.keyboard.press('Shift+Space');
    await page.locator('[data-testid=record-drawer]').waitFor();
    await focusComesTo(page, /in-drawer/);
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      expect(await focused(page)).toMatch(/in-drawer/);
    }
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=record-drawer]').waitFor({ state: 'detached' });
    await focusComesTo(page, /in-grid$/);

    // Out of the grid by its last column, round to the navigation, and into the import.
    await page.keyboard.press('End');
    await tabTo(page, /^a\|nav-import\|/);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/import$/);
    expect(await page.title()).toBe('Import · Venture CRM');
    await focusComesTo(page, /^h1\|/);
    await tabTo(page, /^input\|import-file\|/);
    const chooser = page.waitForEvent('filechooser');
    await page.keyboard.press('Space');
    await (await chooser).setFiles(FIXTURE);
    await tabTo(page, /^button\|import-upload\|/);
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=import-columns]').waitFor();
  });
});
