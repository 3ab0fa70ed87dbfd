import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type Page } from 'playwright-core';
import { apiFromPage, eventually, expectText, gridWithInvestors, investors } from './support/app';
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
