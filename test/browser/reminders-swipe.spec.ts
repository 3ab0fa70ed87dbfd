import { describe, expect, it, jest } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';
import { apiFromPage, eventually, expectText, investors, login } from './support/app';
import { screenshot } from './support/chromium';
import { browserSuite } from './support/suite';

jest.setTimeout(180_000);

/** A finger on the reminder's text, moved sideways by `dx` in small steps, then lifted. */
async function swipe(page: Page, target: Locator, dx: number): Promise<void> {
  const box = (await target.boundingBox())!;
  const cdp = await page.context().newCDPSession(page);
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
  for (let i = 1; i <= 10; i++)
    await cdp.send('Input.dispatchTouchEvent', {
      type: 'touchMove',
      touchPoints: [{ x: x + (dx * i) / 10, y }],
    });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

interface Listed {
  reminders: { title: string; status: string; snoozed_until: string | null }[];
}

describe('My day on a phone: reminders swipe', () => {
  const suite = browserSuite({ admin: true });

  it('right is done, left is snoozed to tomorrow, a short move springs back (390×844, touch)', async () => {
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
    const inv = await investors(page);
    const made = await apiFromPage<{ applied: { record_id: string }[] }>(
      page,
      'POST',
      '/api/fundraising/changes',
      {
        changes: [
          { op: 'create', table_id: inv.table.id, values: { [inv.field('Name')]: 'Swell LP' } },
        ],
      },
    );
    const today = await page.evaluate(() => new Date().toISOString().slice(0, 10));
    for (const title of ['Send the deck', 'Book the visit'])
      await apiFromPage(page, 'POST', '/api/reminders', {
        record_id: made.applied[0].record_id,
        title,
        due_date: today,
      });
    await page.goto('/my-day');
    const mine = page.locator('[data-testid=my-reminders] [data-testid=reminder]');
    const titled = (title: string) =>
      mine.filter({ has: page.locator('.reminder__title', { hasText: title }) });
    await expectText(titled('Send the deck').locator('.reminder__title'), 'Send the deck');
    await screenshot(page, 'reminders-swipe-phone');

    // Too short: it springs back (were it done, it would be gone before the swipe left below).
    await swipe(page, titled('Book the visit').locator('.reminder__title'), 40);
    await swipe(page, titled('Send the deck').locator('.reminder__title'), 150);
    await eventually(async () => expect(await titled('Send the deck').count()).toBe(0));
    await swipe(page, titled('Book the visit').locator('.reminder__title'), -150);
    await eventually(async () => expect(await mine.count()).toBe(0));

    const listed = await apiFromPage<Listed>(page, 'GET', '/api/reminders?assignee=me');
    const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000)
      .toISOString()
      .slice(0, 10);
    expect(listed.reminders.map((r) => [r.title, r.status, r.snoozed_until]).sort()).toEqual([
      ['Book the visit', 'snoozed', tomorrow],
      ['Send the deck', 'done', null],
    ]);
    await context.close();
  });
});
