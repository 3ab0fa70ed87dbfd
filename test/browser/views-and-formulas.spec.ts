import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type Page } from 'playwright-core';
import {
  apiFromPage,
  cell,
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

const names = (page: Page) =>
  page.$$eval('[data-testid=grid] .ht_master tbody tr', (trs) =>
    trs.map((tr) => (tr.querySelector('td') as HTMLElement | null)?.innerText.trim() ?? ''),
  );
const headers = (page: Page) =>
  page.$$eval('[data-testid=grid] .ht_clone_top thead th .col-head__name', (els) =>
    els.map((e) => e.textContent),
  );

/** The parts of a saved view (GET /api/fundraising/views) this spec reads. */
interface SavedView {
  name: string;
  hidden_fields: string[];
  sorts: { field_id: string; direction: string }[];
  filters: unknown;
}

describe('views and formulas in the grid', () => {
  const suite = browserSuite({ admin: true });
  let page: Page;

  beforeAll(async () => {
    page = await gridWithInvestors(
      suite,
      (
        [
          ['Aspen LP', 'Lead', 500_000],
          ['Beacon Fund', 'Engaged', 3_000_000],
          ['Cobalt Trust', 'Committed', 8_000_000],
          ['Delta Office', 'Engaged', 1_500_000],
        ] as const
      ).map(([name, stage, amount]) => ({
        Name: name,
        'Pipeline stage': stage,
        'Target commitment': amount,
      })),
    );
  });

  it('creates a view, filters it with nested groups, sorts it and hides a field; the view outlives a reload', async () => {
    await page.click('[data-testid=view-menu]');
    await page.click('[data-testid=view-create]');
    await page.fill('[data-testid=view-name]', 'Pipeline');
    await page.click('[data-testid=view-confirm]');
    await page.locator('.modal').waitFor({ state: 'detached' });
    await expectText(page.locator('[data-testid=view-select] option:checked'), 'Pipeline');

    await page.click('[data-testid=view-filter]');
    await page.click('[data-testid=add-condition]');
    await page.selectOption('[data-testid=filter-field] >> nth=0', { label: 'Target commitment' });
    await page.selectOption('[data-testid=filter-operator] >> nth=0', '>=');
    await page.fill('[data-testid=filter-value] >> nth=0', '1000000');
    await expectText(page.locator('[data-testid=view-count]'), '3 of 4 records');
    // A nested OR group: Engaged, or Committed.
    await page.click('[data-testid=add-group] >> nth=0');
    const nested = page.locator('[data-testid=filter-group] [data-testid=filter-group]').first();
    await nested
      .locator('[data-testid=filter-field]')
      .first()
      .selectOption({ label: 'Pipeline stage' });
    await nested.locator('[data-testid=filter-operator]').first().selectOption('is');
    await nested.locator('[data-testid=filter-value]').first().selectOption('Committed');
    await expectText(page.locator('[data-testid=view-count]'), '1 of 4 records');
    await nested.locator('[data-testid=add-condition]').click();
    await nested
      .locator('[data-testid=filter-field]')
      .nth(1)
      .selectOption({ label: 'Pipeline stage' });
    await nested.locator('[data-testid=filter-operator]').nth(1).selectOption('is');
    await nested.locator('[data-testid=filter-value]').nth(1).selectOption('Engaged');
    // A group inside an AND group starts as OR: Committed or Engaged.
    await expectText(page.locator('[data-testid=view-count]'), '3 of 4 records');
    await nested.locator('[data-testid=filter-conjunction]').selectOption('and');
    await expectText(page.locator('[data-testid=view-count]'), '0 of 4 records');
    await nested.locator('[data-testid=filter-conjunction]').selectOption('or');
    await expectText(page.locator('[data-testid=view-count]'), '3 of 4 records');
    await screenshot(page, 'view-filter-builder');
    await page.click('[data-testid=view-filter]');

    await page.click('[data-testid=view-sort]');
    await page.click('[data-testid=add-sort]');
    await page.selectOption('[data-testid=sort-field]', { label: 'Target commitment' });
    // The field's sort is in place (ascending) before its direction changes.
    await eventually(async () =>
      expect(await names(page)).toEqual(['Delta Office', 'Beacon Fund', 'Cobalt Trust']),
    );
    await page.selectOption('[data-testid=sort-direction]', 'desc');
    await eventually(async () =>
      expect(await names(page)).toEqual(['Cobalt Trust', 'Beacon Fund', 'Delta Office']),
    );
    await page.click('[data-testid=view-sort]');

    await page.click('[data-testid=view-fields]');
    await page.click('[data-testid="show-field-Owner"]');
    await page.click('[data-testid=view-fields]');
    await eventually(async () => expect(await headers(page)).not.toContain('Owner'));
    await screenshot(page, 'view-filtered-sorted');

    // Saved on the server as the view's events: a reload shows the same view.
    const inv = await investors(page);
    await eventually(async () => {
      const { views } = await apiFromPage<{ views: SavedView[] }>(
        page,
        'GET',
        `/api/fundraising/views?table_id=${inv.table.id}`,
      );
      const saved = views.find((v) => v.name === 'Pipeline');
      expect(saved?.hidden_fields).toContain(inv.field('Owner'));
      expect(saved?.sorts).toEqual([
        { field_id: inv.field('Target commitment'), direction: 'desc' },
      ]);
      expect(JSON.stringify(saved?.filters)).toMatch(/Committed.*Engaged/);
    });
    await page.reload();
    await waitForGrid(page);
    await expectText(page.locator('[data-testid=view-count]'), '3 of 4 records');
    await eventually(async () =>
      expect(await names(page)).toEqual(['Cobalt Trust', 'Beacon Fund', 'Delta Office']),
    );
    await eventually(async () => expect(await headers(page)).not.toContain('Owner'));
    // The default view still shows everything.
    await page.selectOption('[data-testid=view-select]', { label: 'Grid view' });
    await expectText(page.locator('[data-testid=view-count]'), '4 records');
    await eventually(async () => expect(await headers(page)).toContain('Owner'));
  });

  it('writes a formula with autocomplete, previews it on a record, marks a mistake, and shows #ERROR! cells', async () => {
    await page.click('[data-testid=add-field]');
    await page.fill('input[name=field_name]', 'Fee');
    await page.selectOption('select[name=field_type]', 'formula');
    const box = page.locator('[data-testid=formula-input]');
    await box.click();
    await page.keyboard.type('ROUND({Targ', { delay: 10 });
    await page.locator('[data-testid=formula-suggestions]').waitFor();
    expect(
      await page.locator('[data-testid=formula-suggestions] li').first().textContent(),
    ).toContain('Target commitment');
    await page.keyboard.press('Enter');
    expect(await box.inputValue()).toBe('ROUND({Target commitment}');
    await expectText(page.locator('[data-testid=formula-error]'), /ends too early|expected/);
    await page.keyboard.type(' * 0.02, ', { delay: 10 });
    await expectText(
      page.locator('[data-testid=formula-signature]'),
      /^ROUND\(value, precision\) — /,
    );
    await page.keyboard.type('0)', { delay: 10 });
    await expectText(page.locator('[data-testid=formula-preview]'), /number: ?\d/);
    await page.click('.modal button[type=submit]');
    await page.locator('.modal').waitFor({ state: 'detached' });
    await waitForGrid(page);

    await page.click('[data-testid=add-field]');
    await page.fill('input[name=field_name]', 'Ratio');
    await page.selectOption('select[name=field_type]', 'formula');
    await page.fill(
      '[data-testid=formula-input]',
      '{Committed amount} / {Target commitment} + {Nope}',
    );
    await expectText(
      page.locator('[data-testid=formula-error]'),
      /unknown field \{Nope\} \(character 44\)$/,
    );
    expect(await page.locator('[data-testid=formula-error] mark').textContent()).toBe('{Nope}');
    await screenshot(page, 'formula-editor-error');
    await page.fill(
      '[data-testid=formula-input]',
      '{Committed amount} / ({Target commitment} - {Target commitment})',
    );
    await expectText(page.locator('[data-testid=formula-preview]'), /#ERROR! Division by zero/);
    await page.click('.modal button[type=submit]');
    await page.locator('.modal').waitFor({ state: 'detached' });
    await waitForGrid(page);
    await page
      .locator('[data-testid=grid] .ht_master .wtHolder')
      .first()
      .evaluate((el) => (el.scrollLeft = el.scrollWidth));
    await page
      .locator('[data-testid=grid] .ht_clone_top thead th', { hasText: 'Ratio' })
      .first()
      .waitFor();
    await expectCell(page, 0, 'Ratio', '#ERROR!');
    expect(await (await cell(page, 0, 'Ratio')).getAttribute('title')).toBe('Division by zero');
    await screenshot(page, 'formula-error-cells');
  });

  it('keys typed in a dialog go to the dialog, not to the cell selected behind it', async () => {
    await page.selectOption('[data-testid=view-select]', { label: 'Grid view' });
    await page.reload();
    await waitForGrid(page);
    const td = await cell(page, 0, 'Name');
    const before = (await td.textContent()) ?? '';
    await td.click();
    const th = page.locator('.ht_clone_top th', { hasText: 'Owner' }).first();
    await th.hover();
    await th.locator('.changeType').click();
    await page.locator('.htDropdownMenu').first().waitFor();
    await page.keyboard.press('Escape');
    await page.click('[data-testid=view-menu]');
    await page.click('[data-testid=view-create]');
    // The dialog puts the keyboard in its name box: a person types straight away.
    await expect(
      page.evaluate(() => document.activeElement?.getAttribute('data-testid')),
    ).resolves.toBe('view-name');
    await page.keyboard.type('Typed here', { delay: 80 });
    expect(await page.inputValue('[data-testid=view-name]')).toBe('Typed here');
    await page.keyboard.press('Escape');
    await page.locator('.modal').waitFor({ state: 'detached' });
    await expectCell(page, 0, 'Name', before);
    const inv = await investors(page);
    expect(inv.records.map((r) => r.values[inv.field('Name')])).toContain(before);
  });
});
