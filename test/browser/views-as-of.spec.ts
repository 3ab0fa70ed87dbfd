import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type Page } from 'playwright-core';
import {
  apiFromPage,
  eventually,
  expectText,
  gridWithInvestors,
  investors,
  login,
  waitForGrid,
} from './support/app';
import { screenshot } from './support/chromium';
import { browserSuite } from './support/suite';

jest.setTimeout(240_000);

/** Waits for the clock to enter the next whole second (the picker takes seconds) and returns its start. */
async function nextWholeSecond(): Promise<Date> {
  const next = Math.floor(Date.now() / 1000) * 1000 + 1000;
  await eventually(() => expect(Date.now()).toBeGreaterThan(next), 5000, 20);
  return new Date(next);
}

/** The first column (the primary field) of the as-of table's rows, with each row's mark. */
const rowsShown = (page: Page) =>
  page.$$eval('[data-testid=as-of-row]', (rows) =>
    rows.map((r) => {
      const cells = [...r.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '');
      const mark = r.getAttribute('data-mark') ?? '';
      return mark || r.closest('table')?.querySelector('.as-of__mark-col')
        ? `${cells[1]}:${mark}`
        : cells[0];
    }),
  );

describe('a view as of a past moment in the browser', () => {
  const suite = browserSuite({ admin: true });
  let page: Page;
  let before: Date;

  beforeAll(async () => {
    page = await gridWithInvestors(suite, [{ Name: 'Acme' }, { Name: 'Yale' }]);
    before = await nextWholeSecond();
    const inv = await investors(page);
    const acme = inv.records.find((r) => r.values[inv.field('Name')] === 'Acme')!;
    await apiFromPage(page, 'POST', '/api/fundraising/changes', {
      changes: [
        {
          op: 'set',
          record_id: acme.id,
          field_id: inv.field('Name'),
          from: 'Acme',
          to: 'Acme Capital',
        },
        { op: 'create', table_id: inv.table.id, values: { [inv.field('Name')]: 'Harbor' } },
      ],
    });
  });

  it('picks a past moment on the view bar and shows the view then, read-only and saying so', async () => {
    await page.fill('[data-testid=as-of-date]', before.toISOString().slice(0, 19));
    await page.waitForSelector('[data-testid=as-of-table]');
    await expectText(page.locator('[data-testid=as-of-read-only]'), /Read-only/);
    await expectText(page.locator('[data-testid=as-of-title]'), /^As of /);
    await eventually(async () => expect(await rowsShown(page)).toEqual(['Acme', 'Yale']));
    expect(await page.locator('[data-testid=grid]').isVisible()).toBe(false);
    await screenshot(page, 'view-as-of');
  });

  it('marks what entered or changed since that moment', async () => {
    await page.check('[data-testid=changes-since]');
    await expectText(page.locator('[data-testid=as-of-title]'), /^Changes since /);
    await eventually(async () =>
      expect(await rowsShown(page)).toEqual(['Acme Capital:changed', 'Yale:', 'Harbor:entered']),
    );
    await expect(page.locator('.as-of__cell--changed').count()).resolves.toBe(1);
  });

  it('goes back to the live grid', async () => {
    await page.click('[data-testid=as-of-close]');
    await page.waitForSelector('[data-testid=as-of-panel]', { state: 'detached' });
    expect(await page.locator('[data-testid=grid]').isVisible()).toBe(true);
  });
});

/** A moment as a datetime-local input in `timeZone` writes it (to the second). */
const localInput = (ms: number, timeZone: string) =>
  new Date(ms).toLocaleString('sv-SE', { timeZone, hour12: false }).replace(' ', 'T').slice(0, 19);

describe('a large view as of a moment, in the reader’s locale and zone, and dates it cannot show', () => {
  const suite = browserSuite({ admin: true });
  let page: Page;
  let moment: Date;
  const count = () => page.locator('[data-testid=as-of-count]');

  beforeAll(async () => {
    const names = Array.from({ length: 230 }, (_, i) => ({
      Name: `Investor ${String(i + 1).padStart(3, '0')}`,
    }));
    page = await gridWithInvestors(suite, names);
    moment = await nextWholeSecond();
    const inv = await investors(page);
    await apiFromPage(page, 'POST', '/api/fundraising/changes', {
      changes: [{ op: 'create', table_id: inv.table.id, values: { [inv.field('Name')]: 'Later' } }],
    });
  });

  it('reads a page of 100 rows at a time, never the whole view', async () => {
    await page.fill('[data-testid=as-of-date]', localInput(moment.getTime(), 'UTC'));
    await expectText(count(), '1–100 of 230 records');
    expect(await page.locator('[data-testid=as-of-row]').count()).toBe(100);
    const firstPage = await rowsShown(page);
    await page.click('[data-testid=as-of-next]');
    await expectText(count(), '101–200 of 230 records');
    await page.click('[data-testid=as-of-next]');
    await expectText(count(), '201–230 of 230 records');
    const lastPage = await rowsShown(page);
    expect(lastPage).toHaveLength(30);
    expect(lastPage.filter((n) => firstPage.includes(n))).toEqual([]);
    expect(lastPage).not.toContain('Later');
    expect(await page.locator('[data-testid=as-of-next]').isDisabled()).toBe(true);
    await page.click('[data-testid=as-of-prev]');
    await expectText(count(), '101–200 of 230 records');
  });

  it('pages the view now with the rows that entered since marked', async () => {
    await page.check('[data-testid=changes-since]');
    await expectText(count(), '1–100 of 231 records');
    await page.click('[data-testid=as-of-next]');
    await page.click('[data-testid=as-of-next]');
    await expectText(count(), '201–231 of 231 records');
    expect(await page.locator('[data-testid=as-of-row][data-mark=entered]').count()).toBe(1);
    await page.uncheck('[data-testid=changes-since]');
  });

  it('says so for a date in the future and one before the base existed', async () => {
    await page.fill(
      '[data-testid=as-of-date]',
      localInput(Date.now() + 2 * 86_400_000, 'UTC').slice(0, 11) + '09:00:00',
    );
    await expectText(
      page.locator('[data-testid=as-of-error]'),
      /is in the future: the history goes up to now/,
    );
    await page.fill('[data-testid=as-of-date]', '2001-01-01T09:00:00');
    await expectText(
      page.locator('[data-testid=as-of-error]'),
      /did not exist yet then: its history starts on \w{3} \d+, \d{4}/,
    );
    await page.click('[data-testid=as-of-close]');
  });

  it('takes the date in the reader’s zone and writes it in their locale, and fits a phone', async () => {
    const context = await suite.browser.newContext({
      baseURL: suite.server.url,
      viewport: { width: 390, height: 844 },
      locale: 'de-DE',
      timezoneId: 'Asia/Tokyo',
    });
    const phone = await context.newPage();
    await login(phone);
    await waitForGrid(phone);
    await phone.fill('[data-testid=as-of-date]', localInput(moment.getTime(), 'Asia/Tokyo'));
    const when = moment.toLocaleString('de-DE', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'Asia/Tokyo',
    });
    await expectText(phone.locator('[data-testid=as-of-title]'), `As of ${when}`);
    await expectText(phone.locator('[data-testid=as-of-count]'), /^1–100 of 230 records$/);
    for (const id of ['as-of-close', 'as-of-next', 'as-of-count']) {
      const box = (await phone.locator(`[data-testid=${id}]`).boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    await screenshot(phone, 'view-as-of-phone');
    await context.close();
  });
});
