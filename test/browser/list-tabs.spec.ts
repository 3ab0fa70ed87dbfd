import { describe, expect, it, jest } from '@jest/globals';
import { type Page } from 'playwright-core';
import {
  apiFromPage,
  eventually,
  expectCell,
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

/** The names in the grid's rows, in the order drawn. */
const rowNames = (page: Page) =>
  page.$$eval('[data-testid=grid] .ht_master tbody tr', (trs) =>
    trs.map((tr) => tr.querySelector('td')?.textContent?.trim() ?? ''),
  );

describe('lists above the Investors grid', () => {
  const suite = browserSuite({ admin: true, env: { CRM_BACKUP_SCHEDULER: 'off' } });

  async function base(
    viewport?: { width: number; height: number },
    [a, b, c] = ['Alder Fund', 'Birch Capital', 'Cedar LP'],
  ) {
    const page = await gridWithInvestors(suite, [{ Name: a }, { Name: b }, { Name: c }], viewport);
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

  it("shows each record's lists in the Lists column, live as records move, and hides it", async () => {
    const { page, inv, id } = await base(undefined, ['Elm Partners', 'Fir Holdings', 'Gum LP']);
    const rowOf = async (name: string) => (await rowNames(page)).indexOf(name);
    const move = (name: string, list: string, op: 'add' | 'remove') =>
      apiFromPage(page, 'POST', '/api/fundraising/memberships', { record_id: id(name), list, op });
    await page.locator('[data-testid=list-tab-follow_up]').waitFor();
    // Every field but the name hidden: the Lists column sits beside it.
    await page.click('[data-testid=view-fields]');
    await page.click('[data-testid=fields-panel] button:has-text("Hide all")');
    await expectCell(page, await rowOf('Elm Partners'), 'Lists', '');

    // Moves by others (here the API) arrive through the live stream, with no reload.
    await move('Elm Partners', 'follow_up', 'add');
    await expectCell(page, await rowOf('Elm Partners'), 'Lists', 'Follow-up');
    await move('Elm Partners', 'main', 'add');
    await expectCell(page, await rowOf('Elm Partners'), 'Lists', 'MainFollow-up');
    await move('Elm Partners', 'follow_up', 'remove');
    await expectCell(page, await rowOf('Elm Partners'), 'Lists', 'Main');
    await expectCell(page, await rowOf('Fir Holdings'), 'Lists', '');
    await screenshot(page, 'lists-column');

    // Hidden from its column menu like a field's column (saved with the view), shown again in Fields.
    await page.click('[data-testid=view-fields]');
    const head = page
      .locator('[data-testid=grid] .ht_clone_top thead th', {
        has: page.locator('.col-head__name', { hasText: /^Lists$/ }),
      })
      .first();
    await head.hover();
    await head.locator('.changeType').click();
    await page.locator('.htDropdownMenu td', { hasText: 'Hide field' }).first().click();
    await eventually(async () => {
      const headers = await page.$$eval('[data-testid=grid] .ht_clone_top thead th', (ths) =>
        ths.map((th) => th.textContent?.trim() ?? ''),
      );
      expect(headers.some((h) => h.endsWith('Lists'))).toBe(false);
    });
    await eventually(async () => {
      const views = await apiFromPage<{ views: { hidden_fields: string[] }[] }>(
        page,
        'GET',
        `/api/fundraising/views?table_id=${inv.table.id}`,
      );
      expect(views.views.some((v) => v.hidden_fields.includes('lists'))).toBe(true);
    });
    await page.click('[data-testid=view-fields]');
    await page.check('[data-testid=show-field-Lists]');
    await expectCell(page, await rowOf('Elm Partners'), 'Lists', 'Main');
  });

  it('computes a formula reading {Lists} and follows the record into and out of a list', async () => {
    const { page, inv, id } = await base(undefined, ['Kauri Fund', 'Larch LP', 'Maple Capital']);
    await page.locator('[data-testid=list-tab-follow_up]').waitFor();
    await apiFromPage(page, 'POST', `/api/fundraising/tables/${inv.table.id}/fields`, {
      name: 'Follow up?',
      type: 'formula',
      options: { formula: 'IF(FIND("follow_up", {Lists}), "yes", "no")' },
    });
    await page.click('[data-testid=view-fields]');
    await page.click('[data-testid=fields-panel] button:has-text("Hide all")');
    await page.check('[data-testid="show-field-Follow up?"]');
    const row = async () => (await rowNames(page)).indexOf('Kauri Fund');
    await expectCell(page, await row(), 'Follow up?', 'no');

    const move = (op: 'add' | 'remove') =>
      apiFromPage(page, 'POST', '/api/fundraising/memberships', {
        record_id: id('Kauri Fund'),
        list: 'follow_up',
        op,
      });
    await move('add');
    await expectCell(page, await row(), 'Follow up?', 'yes');
    await move('remove');
    await expectCell(page, await row(), 'Follow up?', 'no');
    // The server stored the same value the grid shows.
    const after = await investors(page);
    const kauri = after.records.find((r) => r.id === id('Kauri Fund'))!;
    expect(kauri.values[after.field('Follow up?')]).toBe('no');
  });

  it('builds "Lists contains Follow-up" in the filter builder and shows only those rows', async () => {
    const { page, inv, id } = await base(undefined, ['Hazel Fund', 'Ivy Capital', 'Juniper LP']);
    for (const [name, list] of [
      ['Hazel Fund', 'follow_up'],
      ['Ivy Capital', 'graveyard'],
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
    // Only the records in Follow-up (earlier specs' records share this base).
    await eventually(async () => {
      const shown = await names(page);
      expect(shown).toContain('Hazel Fund');
      expect(shown).not.toContain('Ivy Capital');
      expect(shown).not.toContain('Juniper LP');
    });
    await expectText(page.locator('[data-testid=view-count]'), /^\d+ of \d+ records$/);
    await screenshot(page, 'filter-lists-contains');

    await page.selectOption('[data-testid=filter-operator] >> nth=0', {
      label: 'does not contain',
    });
    await eventually(async () => {
      const shown = await names(page);
      expect(shown).toEqual(expect.arrayContaining(['Ivy Capital', 'Juniper LP']));
      expect(shown).not.toContain('Hazel Fund');
    });
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

describe('sorting and grouping the Investors grid by its Lists column', () => {
  const suite = browserSuite({ admin: true, env: { CRM_BACKUP_SCHEDULER: 'off' } });

  it('sorts by lists from the column menu and groups by them, following moves live', async () => {
    const page = await gridWithInvestors(suite, [
      { Name: 'Oak Trust' },
      { Name: 'Pine Ventures' },
      { Name: 'Quince LP' },
    ]);
    const inv = await investors(page);
    const id = (name: string) => inv.records.find((r) => r.values[inv.field('Name')] === name)!.id;
    const move = (name: string, list: string, op: 'add' | 'move' = 'add') =>
      apiFromPage(page, 'POST', '/api/fundraising/memberships', { record_id: id(name), list, op });
    await move('Oak Trust', 'graveyard');
    await move('Pine Ventures', 'main');
    await move('Quince LP', 'follow_up');
    await page.locator('[data-testid=list-tab-follow_up]').waitFor();
    await page.click('[data-testid=view-fields]');
    await page.click('[data-testid=fields-panel] button:has-text("Hide all")');
    await page.click('[data-testid=view-fields]');
    const ours = async () =>
      (await rowNames(page)).filter((n) => ['Oak Trust', 'Pine Ventures', 'Quince LP'].includes(n));

    // The Lists column's menu sorts like a field's: Main, Follow-up, …, Graveyard.
    const head = page
      .locator('[data-testid=grid] .ht_clone_top thead th', {
        has: page.locator('.col-head__name', { hasText: /^Lists$/ }),
      })
      .first();
    await head.hover();
    await head.locator('.changeType').click();
    await page.locator('.htDropdownMenu td', { hasText: 'Sort Main → Graveyard' }).first().click();
    await eventually(async () =>
      expect(await ours()).toEqual(['Pine Ventures', 'Quince LP', 'Oak Trust']),
    );
    await eventually(async () => {
      const views = await apiFromPage<{ views: { sorts: unknown[] }[] }>(
        page,
        'GET',
        `/api/fundraising/views?table_id=${inv.table.id}`,
      );
      expect(JSON.stringify(views.views.map((v) => v.sorts))).toContain(
        '{"field_id":"lists","direction":"asc"}',
      );
    });
    // A move (a rule's, a teammate's) puts the record in its new place without a reload.
    await move('Oak Trust', 'main', 'move');
    await eventually(async () =>
      expect(await ours()).toEqual(['Oak Trust', 'Pine Ventures', 'Quince LP']),
    );

    // Grouped by lists: one header per set of lists, named as the tabs name them.
    await page.click('[data-testid=view-group]');
    await page.click('[data-testid=add-group]');
    await page.selectOption('[data-testid=group-field] >> nth=0', { label: 'Lists' });
    await page.click('[data-testid=view-group]');
    const labels = () =>
      page.$$eval('[data-testid=group-header] .group-header__label', (els) =>
        els.map((e) => e.textContent?.trim() ?? ''),
      );
    await eventually(async () => {
      const shown = await labels();
      expect(shown).toEqual(expect.arrayContaining(['Lists: Main', 'Lists: Follow-up']));
      expect(shown.indexOf('Lists: Main')).toBeLessThan(shown.indexOf('Lists: Follow-up'));
    });
    await screenshot(page, 'grouped-by-lists');
    await page.click('[data-testid=view-sort]');
    await expectText(
      page.locator('[data-testid=sort-direction]').first(),
      /Main → Graveyard → yours/,
    );
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'sorted-by-lists-phone');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.click('[data-testid=view-sort]');
    await move('Quince LP', 'graveyard', 'move');
    await eventually(async () => expect(await labels()).toContain('Lists: Graveyard'));
  });
});
