import { describe, expect, it, jest } from '@jest/globals';
import { type Page } from 'playwright-core';
import {
  apiFromPage,
  eventually,
  expectText,
  gridWithInvestors,
  investors,
  waitForGrid,
} from './support/app';
import { screenshot } from './support/chromium';
import { browserSuite } from './support/suite';

jest.setTimeout(180_000);

/** The names in the grid's rows as drawn (the first column's cells). */
const names = (page: Page) =>
  page.$$eval('[data-testid=grid] .ht_master tbody tr', (trs) =>
    trs
      .map((tr) => tr.querySelector('td')?.textContent?.trim() ?? '')
      .filter((n) => n !== '')
      .sort(),
  );

describe('lists above the Investors grid', () => {
  const suite = browserSuite({ admin: true, env: { CRM_BACKUP_SCHEDULER: 'off' } });

  async function base(viewport?: { width: number; height: number }) {
    const page = await gridWithInvestors(
      suite,
      [{ Name: 'Alder Fund' }, { Name: 'Birch Capital' }, { Name: 'Cedar LP' }],
      viewport,
    );
    const inv = await investors(page);
    const id = (name: string) => inv.records.find((r) => r.values[inv.field('Name')] === name)!.id;
    return { page, inv, id };
  }

  it('filters the grid by the list picked, and shows a move by hand as a chip', async () => {
    const { page, inv, id } = await base();
    const move = (name: string, list: string) =>
      apiFromPage(page, 'POST', '/api/fundraising/memberships', {
        record_id: id(name),
        list,
        op: 'add',
      });
    await move('Alder Fund', 'follow_up');
    await move('Birch Capital', 'graveyard');

    await page.click('[data-testid=list-tab-follow_up]');
    await eventually(async () => expect(await names(page)).toEqual(['Alder Fund']));
    await page.click('[data-testid=list-tab-graveyard]');
    await eventually(async () => expect(await names(page)).toEqual(['Birch Capital']));
    await screenshot(page, 'list-tabs-desktop');
    await page.click('[data-testid=list-tab-all]');
    await eventually(async () =>
      expect(await names(page)).toEqual(['Alder Fund', 'Birch Capital', 'Cedar LP']),
    );

    // By hand, in the record's drawer: Cedar goes into Longshot, and its chip shows at once.
    await page.goto(`/grid/${inv.table.id}?record=${id('Cedar LP')}`);
    await waitForGrid(page);
    const drawer = page.locator('[data-testid=record-drawer]');
    await drawer.locator('[data-testid=add-to-list]').selectOption('longshot');
    await drawer.locator('[data-testid=list-chip-longshot]').waitFor();
    await screenshot(page, 'record-lists-chip');
    await page.keyboard.press('Escape');
    await page.click('[data-testid=list-tab-longshot]');
    await eventually(async () => expect(await names(page)).toEqual(['Cedar LP']));
  });

  it('builds "Lists contains Follow-up" in the filter builder and shows only those rows', async () => {
    const { page, inv, id } = await base();
    for (const [name, list] of [
      ['Alder Fund', 'follow_up'],
      ['Birch Capital', 'graveyard'],
    ])
      await apiFromPage(page, 'POST', '/api/fundraising/memberships', {
        record_id: id(name),
        list,
        op: 'add',
      });
    await page.reload();
    await waitForGrid(page);
    await page.locator('[data-testid=list-tab-follow_up]').waitFor();

    await page.click('[data-testid=view-filter]');
    await page.click('[data-testid=add-condition]');
    await page.selectOption('[data-testid=filter-field] >> nth=0', { label: 'Lists' });
    expect(await page.locator('[data-testid=filter-operator]').first().inputValue()).toBe(
      'in_list',
    );
    await page.selectOption('[data-testid=filter-value] >> nth=0', { label: 'Follow-up' });
    await eventually(async () => expect(await names(page)).toEqual(['Alder Fund']));
    await expectText(page.locator('[data-testid=view-count]'), '1 of 3 records');
    await screenshot(page, 'filter-lists-contains');

    await page.selectOption('[data-testid=filter-operator] >> nth=0', {
      label: 'does not contain',
    });
    await eventually(async () => expect(await names(page)).toEqual(['Birch Capital', 'Cedar LP']));
    await page.click('[data-testid=view-filter]');
    // The view holds the same condition a rule or the API would write.
    await eventually(async () => {
      const views = await apiFromPage<{ views: { table_id: string; filters: unknown }[] }>(
        page,
        'GET',
        `/api/fundraising/views?table_id=${inv.table.id}`,
      );
      expect(JSON.stringify(views.views.map((v) => v.filters))).toContain(
        '{"field_id":"lists","operator":"not_in_list","value":"follow_up"}',
      );
    });
  });

  it('fits a phone: the lists scroll in one row above the grid', async () => {
    const { page } = await base({ width: 390, height: 844 });
    const tabs = page.locator('[data-testid=list-tabs]');
    await tabs.waitFor();
    const box = await tabs.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.width).toBeLessThanOrEqual(390);
    // One row of pills, not wrapped over the grid.
    expect(box!.height).toBeLessThan(50);
    await screenshot(page, 'list-tabs-phone');
  });
});
