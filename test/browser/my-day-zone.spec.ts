import { describe, expect, it, jest } from '@jest/globals';
import { apiFromPage, eventually, expectText, investors, login } from './support/app';
import { screenshot } from './support/chromium';
import { browserSuite } from './support/suite';

jest.setTimeout(180_000);

const READER_ZONE = 'America/New_York';

/** The calendar date (YYYY-MM-DD) of a moment in a zone. */
const dateIn = (at: Date, timeZone: string): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(at)
    .slice(0, 10);

const addDays = (day: string, n: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** A calendar day as en-US writes it ("Mar 6, 2026"), as the page does. */
const dayText = (day: string): string =>
  new Intl.DateTimeFormat('en-US', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${day}T00:00:00Z`));

/** Text that holds `part` (a reminder's line also names its record and person). */
const holding = (part: string): RegExp => new RegExp(part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

/**
 * A fund zone on another date than New York's right now: Kiritimati (UTC+14) is a day ahead of
 * New York from 05:00 there, Pago Pago (UTC−11) a day behind until 06:00, so one of them always is.
 */
function fundZoneApartFrom(now: Date): string {
  const reader = dateIn(now, READER_ZONE);
  const zone = ['Pacific/Kiritimati', 'Pacific/Pago_Pago'].find((z) => dateIn(now, z) !== reader);
  if (!zone) throw new Error('no fund zone on another date than New York');
  return zone;
}

describe('My day in the reader’s time zone', () => {
  const suite = browserSuite({ admin: true });

  it('a partner in New York sees the reminders due on their today, with their overdue count', async () => {
    const context = await suite.browser.newContext({
      baseURL: suite.server.url,
      viewport: { width: 1280, height: 800 },
      locale: 'en-US',
      timezoneId: READER_ZONE,
    });
    const page = await context.newPage();
    page.on('dialog', (d) => void d.accept());
    await login(page);

    const fundZone = fundZoneApartFrom(new Date());
    await apiFromPage(page, 'PATCH', '/api/follow-up-settings', { time_zone: fundZone });
    const inv = await investors(page);
    const created = await apiFromPage<{ applied: { record_id: string }[] }>(
      page,
      'POST',
      '/api/fundraising/changes',
      {
        changes: [
          { op: 'create', table_id: inv.table.id, values: { [inv.field('Name')]: 'Hudson LP' } },
        ],
      },
    );
    const record = created.applied[0].record_id;
    // Read after the writes, so the test's "today" is the one the page will see.
    const today = dateIn(new Date(), READER_ZONE);
    const fundToday = dateIn(new Date(), fundZone);
    expect(fundToday).not.toBe(today);
    // No Owner on the record: the reminders are the author's, the signed-in admin's.
    for (const [title, due_date] of [
      ['Call back yesterday', addDays(today, -1)],
      ['Call back today', today],
      ['Call back tomorrow', addDays(today, 1)],
    ])
      await apiFromPage(page, 'POST', '/api/reminders', { record_id: record, title, due_date });

    // What the fund's zone alone would have shown (the answer without tz): another day.
    const fundDay = await apiFromPage<{ today: string; overdue_count: number }>(
      page,
      'GET',
      '/api/my-day',
    );
    expect(fundDay.today).toBe(fundToday);

    const asked = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/my-day');
    await page.locator('[data-testid=nav-my-day]').click();
    expect(new URL((await asked).url()).searchParams.get('tz')).toBe(READER_ZONE);
    const day = page.locator('[data-testid=my-day]');
    await expectText(day.locator('[data-testid=my-day-date]'), dayText(today));
    const reminders = day.locator('[data-testid=my-reminders] [data-testid=reminder]');
    await eventually(async () =>
      expect(await reminders.locator('.reminder__title').allTextContents()).toEqual([
        'Call back yesterday',
        'Call back today',
      ]),
    );
    await expectText(
      reminders.nth(0).locator('.reminder__meta'),
      holding(`overdue since ${dayText(addDays(today, -1))}`),
    );
    await expectText(
      reminders.nth(1).locator('.reminder__meta'),
      holding(` due ${dayText(today)}`),
    );
    // The nav counts as My day does: one overdue on the reader's calendar (the fund's says
    // two a day ahead, none a day behind).
    await expectText(page.locator('[data-testid=nav-overdue-count]'), '1');
    expect(fundDay.overdue_count).not.toBe(1);
    await screenshot(page, 'my-day-reader-zone');
    await context.close();
  });
});
