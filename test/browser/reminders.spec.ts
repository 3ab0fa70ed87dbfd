import { describe, expect, it, jest } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';
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
import { ADMIN } from './support/server';
import { browserSuite } from './support/suite';

jest.setTimeout(180_000);

/** A person's typing: a key every 50–100 ms. */
async function typeLikeAPerson(field: Locator, text: string): Promise<void> {
  await field.click();
  for (const ch of text)
    await field
      .page()
      .keyboard.type(ch, { delay: 0 })
      .then(() => pause(50 + Math.random() * 50));
}
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function tallEnough(page: Page, selector: string): Promise<void> {
  const boxes = await page.locator(selector).evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { h: r.height, w: r.width };
    }),
  );
  expect(boxes.length).toBeGreaterThan(0);
  for (const b of boxes) expect(Math.min(b.h, b.w)).toBeGreaterThanOrEqual(44);
}

describe('reminders and the quick log', () => {
  const suite = browserSuite({ admin: true });

  it('logs a call with a next step from the drawer, shows the reminder and marks it done (desktop)', async () => {
    const { page } = await newPerson(suite.browser, suite.server.url);
    await login(page);
    const inv = await investors(page);
    await apiFromPage(page, 'POST', '/api/fundraising/changes', {
      changes: [
        { op: 'create', table_id: inv.table.id, values: { [inv.field('Name')]: 'Harbor LP' } },
      ],
    });
    await page.reload();
    await expectCell(page, 0, 'Name', 'Harbor LP');
    // The row's expand button shows on the selected row.
    await (await cell(page, 0, 'Name')).click();
    await page
      .locator('[data-testid=grid] .ht_clone_inline_start tbody tr:nth-child(1) .rh-expand')
      .click();
    const drawer = page.locator('[data-testid=record-drawer]');
    await expectText(drawer.locator('[data-testid=follow-up-staleness]'), 'fresh');
    await drawer.locator('[data-testid=open-quick-log]').click();
    await drawer.locator('[data-testid=quick-log-call]').click();
    await typeLikeAPerson(
      drawer.locator('[data-testid=quick-log-summary]'),
      'Liked the fund; wants the deck',
    );
    await drawer.locator('[data-testid=quick-log-next]').check();
    await typeLikeAPerson(drawer.locator('[data-testid=quick-log-next-title]'), 'Send deck');
    // The form proposes a week from today.
    const proposed = await drawer.locator('[data-testid=quick-log-next-due]').inputValue();
    expect(proposed).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await drawer.locator('[data-testid=quick-log-submit]').click();
    const reminder = drawer.locator('[data-testid=record-reminders] [data-testid=reminder]');
    await expectText(reminder.locator('.reminder__title'), 'Send deck');
    await expectText(
      drawer.locator('[data-testid=follow-up-last]'),
      new RegExp(`by ${ADMIN.name}$`),
    );
    await drawer.locator('[data-testid=timeline-filter-interactions]').click();
    await expectText(
      drawer.locator('[data-testid=history-entry]').first().locator('.hist__summary'),
      /^logged a call: "Liked the fund/,
    );
    await screenshot(page, 'reminders-drawer-desktop');
    await reminder.locator('[data-testid=reminder-done]').click();
    await eventually(async () => expect(await reminder.count()).toBe(0));
    const list = await apiFromPage<{ reminders: { title: string; status: string }[] }>(
      page,
      'GET',
      '/api/reminders?assignee=me',
    );
    expect(list.reminders.map((r) => [r.title, r.status])).toEqual([['Send deck', 'done']]);
    await page.locator('[data-testid=drawer-close]').click();
    await page.locator('[data-testid=nav-my-day]').click();
    await expectText(
      page.locator('[data-testid=team-interactions] li').first().locator('strong'),
      'call',
    );
    await screenshot(page, 'reminders-my-day-desktop');
  });

  it('at phone width: one-tap quick log on My day, the reminder in my list, done by a tap', async () => {
    const context = await suite.browser.newContext({
      baseURL: suite.server.url,
      viewport: { width: 390, height: 844 },
      hasTouch: true,
      isMobile: true,
      locale: 'en-US',
      timezoneId: 'UTC',
    });
    const page = await context.newPage();
    page.on('dialog', (d) => void d.accept());
    await login(page);
    // On a phone the links are folded under the menu button.
    await page.locator('[data-testid=nav-menu]').tap();
    await page.locator('[data-testid=nav-my-day]').tap();
    const day = page.locator('[data-testid=my-day]');
    await day.waitFor();
    await tallEnough(page, '[data-testid=my-day] .segmented__item');
    await tallEnough(page, '[data-testid=quick-log-submit]');
    await day.locator('[data-testid=quick-log-meeting]').tap();
    await typeLikeAPerson(day.locator('[data-testid=quick-log-investor]'), 'Pier Partners');
    await typeLikeAPerson(day.locator('[data-testid=quick-log-summary]'), 'Coffee in Zug');
    await day.locator('[data-testid=quick-log-next]').tap();
    await typeLikeAPerson(day.locator('[data-testid=quick-log-next-title]'), 'Call back');
    // Due today, so that it is on today's list.
    const today = await page.evaluate(() => new Date().toISOString().slice(0, 10));
    await day.locator('[data-testid=quick-log-next-due]').fill(today);
    await day.locator('[data-testid=quick-log-submit]').tap();
    const mine = day.locator('[data-testid=my-reminders] [data-testid=reminder]');
    await expectText(mine.locator('.reminder__title'), 'Call back');
    await tallEnough(page, '[data-testid=my-reminders] [data-testid=reminder] button');
    await screenshot(page, 'reminders-my-day-phone');
    await mine.locator('[data-testid=reminder-done]').tap();
    await eventually(async () => expect(await mine.count()).toBe(0));
    const inv = await investors(page);
    const pier = inv.records.find((r) => r.values[inv.field('Name')] === 'Pier Partners');
    expect(pier).toBeDefined();
    // The investor's card: the quick log is one tap away, its buttons a thumb's size.
    await page.goto(`/grid/${inv.table.id}?record=${pier!.id}`);
    const drawer = page.locator('[data-testid=record-drawer]');
    await expectText(drawer.locator('[data-testid=follow-up-staleness]'), 'fresh');
    await tallEnough(page, '[data-testid=record-follow-up] .follow-up__btn');
    await drawer.locator('[data-testid=open-quick-log]').tap();
    await drawer.locator('[data-testid=quick-log-summary]').waitFor();
    await screenshot(page, 'reminders-drawer-phone');
    await context.close();
  });
});
