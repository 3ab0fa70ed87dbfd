import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type Page } from 'playwright-core';
import {
  apiFromPage,
  cell,
  expectCell,
  gridWithInvestors,
  state,
  waitForGrid,
} from './support/app';
import { browserSuite } from './support/suite';

jest.setTimeout(180_000);

/** A rollup added in the field dialog: computed by the server, shown read-only in the grid. */
describe('computed link fields in the web app', () => {
  const suite = browserSuite({ admin: true });
  let page: Page;

  beforeAll(async () => {
    page = await gridWithInvestors(suite, [{ Name: 'Aspen LP' }]);
    const s = await state(page);
    const inv = s.tables.find((x) => x.role === 'investors')!;
    const com = s.tables.find((x) => x.role === 'commitments')!;
    const f = (name: string) => com.fields.find((x) => x.name === name)!.id;
    await apiFromPage(page, 'POST', '/api/fundraising/changes', {
      changes: [100, 50].map((amount) => ({
        op: 'create',
        table_id: com.id,
        values: { [f('Amount')]: amount, [f('Investor')]: [inv.records[0].id] },
      })),
    });
    await page.reload();
    await waitForGrid(page);
  });

  it('adds a rollup over the linked commitments; its cells are computed, not typed into', async () => {
    await page.click('[data-testid=add-field]');
    await page.fill('input[name=field_name]', 'Total committed');
    await page.selectOption('select[name=field_type]', 'rollup');
    await page.selectOption('select[name=link_field_id]', { label: 'Commitments' });
    await page.selectOption('select[name=target_field_id]', { label: 'Amount' });
    await page.fill('input[name=rollup_formula]', 'SUM(values)');
    await page.click('.modal button[type=submit]');
    await page.locator('.modal').waitFor({ state: 'detached' });
    await waitForGrid(page);
    await page
      .locator('[data-testid=grid] .ht_master .wtHolder')
      .first()
      .evaluate((el) => (el.scrollLeft = el.scrollWidth));
    await expectCell(page, 0, 'Total committed', '150');
    const td = await cell(page, 0, 'Total committed');
    expect(await td.getAttribute('class')).toContain('cell--computed');
  });
});
