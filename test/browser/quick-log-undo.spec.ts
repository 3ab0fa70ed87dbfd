import { describe, expect, it, jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import {
  apiFromPage,
  cell,
  eventually,
  expectCell,
  expectText,
  investors,
  login,
} from './support/app';
import { newPerson, screenshot } from './support/chromium';
import { typeLikeAPerson } from './support/person-typing';
import { ADMIN } from './support/server';
import { browserSuite } from './support/suite';

jest.setTimeout(180_000);

/** Opens the first row's drawer from the grid (its expand button shows on the selected row). */
async function openDrawer(page: Page) {
  await (await cell(page, 0, 'Name')).click();
  await page
    .locator('[data-testid=grid] .ht_clone_inline_start tbody tr:nth-child(1) .rh-expand')
    .click();
  const drawer = page.locator('[data-testid=record-drawer]');
  await drawer.locator('[data-testid=record-follow-up]').waitFor();
  return drawer;
}

describe('undoing a quick log from the grid', () => {
  const suite = browserSuite({ admin: true });

  it('Ctrl+Z after a quick log takes back the call and its next step; Ctrl+Shift+Z brings them back', async () => {
    const { page } = await newPerson(suite.browser, suite.server.url);
    await login(page);
    const inv = await investors(page);
    await apiFromPage(page, 'POST', '/api/fundraising/changes', {
      changes: [
        { op: 'create', table_id: inv.table.id, values: { [inv.field('Name')]: 'Undo Harbor LP' } },
      ],
    });
    await page.reload();
    await expectCell(page, 0, 'Name', 'Undo Harbor LP');

    let drawer = await openDrawer(page);
    await expectText(drawer.locator('[data-testid=follow-up-last]'), /never/);
    await drawer.locator('[data-testid=open-quick-log]').click();
    await drawer.locator('[data-testid=quick-log-call]').click();
    await typeLikeAPerson(drawer.locator('[data-testid=quick-log-summary]'), 'Asked for the deck');
    await drawer.locator('[data-testid=quick-log-next]').check();
    await typeLikeAPerson(drawer.locator('[data-testid=quick-log-next-title]'), 'Send deck');
    await drawer.locator('[data-testid=quick-log-submit]').click();
    await expectText(
      drawer.locator('[data-testid=follow-up-last]'),
      new RegExp(`by ${ADMIN.name}$`),
    );
    await page.locator('[data-testid=drawer-close]').click();

    // The partner thinks better of it: Ctrl+Z in the grid.
    await (await cell(page, 0, 'Name')).click();
    await page.keyboard.press('Control+z');
    await expectText(page.locator('[data-testid=undo-toast]'), /^Undid: logged a call/);
    const reminders = () =>
      apiFromPage<{ reminders: { title: string; status: string }[] }>(
        page,
        'GET',
        '/api/reminders?assignee=me',
      );
    await eventually(async () =>
      expect((await reminders()).reminders.map((r) => [r.title, r.status])).toEqual([
        ['Send deck', 'cancelled'],
      ]),
    );
    drawer = await openDrawer(page);
    await expectText(drawer.locator('[data-testid=follow-up-last]'), /never/);
    await expectText(drawer.locator('[data-testid=follow-up-staleness]'), 'fresh');
    await drawer.locator('[data-testid=timeline-filter-interactions]').click();
    await expectText(
      drawer.locator('[data-testid=history-entry]').first().locator('.hist__summary'),
      'took back a logged interaction (undone)',
    );
    await screenshot(page, 'quick-log-undone-drawer');
    await page.locator('[data-testid=drawer-close]').click();

    await (await cell(page, 0, 'Name')).click();
    await page.keyboard.press('Control+Shift+z');
    await eventually(async () =>
      expect((await reminders()).reminders.map((r) => [r.title, r.status])).toEqual([
        ['Send deck', 'open'],
      ]),
    );
    drawer = await openDrawer(page);
    await expectText(
      drawer.locator('[data-testid=follow-up-last]'),
      new RegExp(`by ${ADMIN.name}$`),
    );
  });
});
