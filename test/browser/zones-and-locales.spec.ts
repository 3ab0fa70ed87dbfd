import { describe, expect, it, jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { apiFromPage, cell, eventually, expectText, investors, login } from './support/app';
import { screenshot } from './support/chromium';
import { browserSuite } from './support/suite';

jest.setTimeout(240_000);

const PEOPLE = [
  { locale: 'de-CH', timezoneId: 'Europe/Zurich' },
  { locale: 'en-US', timezoneId: 'America/New_York' },
] as const;
type Person = (typeof PEOPLE)[number];

async function signedIn(browser: Browser, url: string, who: Person): Promise<Page> {
  const context = await browser.newContext({
    baseURL: url,
    viewport: { width: 1280, height: 800 },
    ...who,
  });
  const page = await context.newPage();
  page.on('dialog', (d) => void d.accept());
  await login(page);
  return page;
}

/** The wall-clock date and time (YYYY-MM-DDTHH:mm:ss) of a moment in a zone. */
function wallClock(at: Date, timeZone: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}

/** A day `offset` days from `day` (YYYY-MM-DD) as the locale writes it. */
function dayText(day: string, offset: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(Date.parse(`${day}T00:00:00Z`) + offset * 86_400_000);
}

/** Waits for the clock to enter the next whole second (the picker takes seconds) and returns it. */
async function nextWholeSecond(): Promise<Date> {
  const next = Math.floor(Date.now() / 1000) * 1000 + 1000;
  await eventually(() => expect(Date.now()).toBeGreaterThan(next), 5000, 20);
  return new Date(next);
}

/**
 * Dates and amounts in the reader's locale and zone, away from UTC: the as-of picker takes the
 * local wall clock and the past view shows amounts and its moment as the grid would; the dashboard
 * asks for the reader's week and writes its days in their locale.
 */
describe('dates and amounts in the reader’s locale and time zone', () => {
  const suite = browserSuite({ admin: true });
  let n = 0;

  it.each(PEOPLE)(
    '$locale in $timezoneId: "as of" takes the local clock, and the past view reads like the grid',
    async (who) => {
      const page = await signedIn(suite.browser, suite.server.url, who);
      const name = `Lakeside ${++n}`;
      let inv = await investors(page);
      await apiFromPage(page, 'POST', '/api/fundraising/changes', {
        changes: [
          {
            op: 'create',
            table_id: inv.table.id,
            values: { [inv.field('Name')]: name, [inv.field('Target commitment')]: 1250000.5 },
          },
        ],
      });
      await page.reload();
      inv = await investors(page);
      const row = inv.records.findIndex((r) => r.values[inv.field('Name')] === name);
      const amount = (await (await cell(page, row, 'Target commitment')).textContent())!.trim();
      const before = await nextWholeSecond();
      const id = inv.records[row].id;
      await apiFromPage(page, 'POST', '/api/fundraising/changes', {
        changes: [{ op: 'set', record_id: id, field_id: inv.field('Name'), from: name, to: 'X' }],
      });

      // The local wall clock of that moment: read as UTC it would be hours off, after the rename
      // in Zurich and before the record existed in New York.
      await page.fill('[data-testid=as-of-date]', wallClock(before, who.timezoneId));
      await page.waitForSelector('[data-testid=as-of-table]');
      const title = new Intl.DateTimeFormat(who.locale, {
        dateStyle: 'medium',
        timeStyle: 'short',
        timeZone: who.timezoneId,
      }).format(before);
      await expectText(page.locator('[data-testid=as-of-title]'), `As of ${title}`);
      const columns = await page.$$eval('[data-testid=as-of-table] thead th', (ths) =>
        ths.map((th) => th.textContent?.trim()),
      );
      const shown = page.locator('[data-testid=as-of-row]', { hasText: name });
      await shown.waitFor();
      // The amount as the grid wrote it in this locale, not the export's "$1,250,000.50".
      expect(amount).not.toBe('$1,250,000.50');
      await expectText(shown.locator('td').nth(columns.indexOf('Target commitment')), amount);
      await screenshot(page, `as-of-${who.locale}`);
      await page.context().close();
    },
  );

  it.each(PEOPLE)(
    '$locale in $timezoneId: the dashboard asks for the reader’s week and writes its days as they do',
    async (who) => {
      const page = await signedIn(suite.browser, suite.server.url, who);
      const inv = await investors(page);
      const today = wallClock(new Date(), who.timezoneId).slice(0, 10);
      await apiFromPage(page, 'POST', '/api/reminders', {
        record_id: inv.records[0].id,
        title: `Call ${who.locale}`,
        due_date: today,
      });
      const asked = page.waitForRequest((r) => r.url().includes('/api/dashboard'));
      await page.goto('/dashboard');
      expect(new URL((await asked).url()).searchParams.get('tz')).toBe(who.timezoneId);
      // Due today where the reader is: in their week, whatever day it is in UTC.
      const due = page.locator('[data-testid=dash-reminders] li', {
        hasText: `Call ${who.locale}`,
      });
      const day = dayText(today, 0, who.locale);
      const escaped = day.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      await expectText(due, new RegExp(`${escaped}$`));

      await screenshot(page, `dashboard-${who.locale}`);

      // "As of" a day: the end of that day on the reader's clock (the day before this base began
      // is then refused, which is not what is checked here).
      const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000)
        .toISOString()
        .slice(0, 10);
      const again = page.waitForRequest((r) => r.url().includes('as_of='));
      await page.fill('[data-testid=dash-as-of]', yesterday);
      const asOf = new URL((await again).url()).searchParams.get('as_of')!;
      expect(wallClock(new Date(asOf), who.timezoneId)).toBe(`${yesterday}T23:59:59`);

      // My day writes the reminder's day the same way, not as 2026-12-07 (due, or overdue where
      // the team's day, in the follow-up settings' zone, is already the next).
      await page.goto('/my-day');
      await expectText(
        page.locator('[data-testid=reminder]', { hasText: `Call ${who.locale}` }),
        new RegExp(`(due|overdue since) ${escaped} ·`),
      );
      // Its own date too: the team's today, a day around the reader's.
      const around = [-1, 0, 1].map((d) => dayText(today, d, who.locale));
      expect(around).toContain(await page.locator('[data-testid=my-day-date]').textContent());
      await page.context().close();
    },
  );
});
