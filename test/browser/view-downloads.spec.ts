import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import Papa from 'papaparse';
import { type Download, type Page } from 'playwright-core';
import {
  apiFromPage,
  eventually,
  expectText,
  gridWithInvestors,
  investors,
  type StateJson,
} from './support/app';
import { browserSuite } from './support/suite';

jest.setTimeout(180_000);

const names = (page: Page) =>
  page.$$eval('[data-testid=grid] .ht_master tbody tr', (trs) =>
    trs.map((tr) => (tr.querySelector('td') as HTMLElement | null)?.innerText.trim() ?? ''),
  );
const headers = (page: Page) =>
  page.$$eval('[data-testid=grid] .ht_clone_top thead th .col-head__name', (els) =>
    els.map((e) => e.textContent ?? ''),
  );

/** Picks an item of the view menu ("⋯") and waits for the file it downloads. */
async function downloadFromMenu(
  page: Page,
  item: 'view-download-csv' | 'view-download-json',
): Promise<{ download: Download; text: string }> {
  await page.click('[data-testid=view-menu]');
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 30_000 }),
    page.click(`[data-testid=${item}]`),
  ]);
  const path = await download.path();
  return { download, text: readFileSync(path!, 'utf8') };
}

function readCsv(text: string): string[][] {
  expect(text.startsWith('\uFEFF')).toBe(true);
  const parsed = Papa.parse<string[]>(text.slice(1), {
    delimiter: ',',
    newline: '\r\n',
    skipEmptyLines: true,
  });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

describe('downloads from the view menu', () => {
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
          ['=Echo Capital', 'Lead', 200_000],
          ['Foxtrot, "Quoted" LP', 'Engaged', 2_000_000],
        ] as const
      ).map(([Name, stage, amount]) => ({
        Name,
        'Pipeline stage': stage,
        'Target commitment': amount,
      })),
    );
  });

  it('Download CSV writes the view on screen: its filter, its sort and without its hidden fields, even when just changed', async () => {
    await page.click('[data-testid=view-menu]');
    await page.click('[data-testid=view-create]');
    await page.fill('[data-testid=view-name]', 'Pipeline');
    await page.click('[data-testid=view-confirm]');
    await page.locator('.modal').waitFor({ state: 'detached' });
    await expectText(page.locator('[data-testid=view-select] option:checked'), 'Pipeline');

    await page.click('[data-testid=view-sort]');
    await page.click('[data-testid=add-sort]');
    await page.selectOption('[data-testid=sort-field]', { label: 'Target commitment' });
    await page.selectOption('[data-testid=sort-direction]', 'desc');
    await page.click('[data-testid=view-fields]');
    await page.click('[data-testid="show-field-Owner"]');
    await eventually(async () => expect(await headers(page)).not.toContain('Owner'));

    await page.click('[data-testid=view-filter]');
    await page.click('[data-testid=add-condition]');
    await page.selectOption('[data-testid=filter-field] >> nth=0', { label: 'Target commitment' });
    await page.selectOption('[data-testid=filter-operator] >> nth=0', '>=');
    await page.click('[data-testid=filter-value] >> nth=0');
    await page.keyboard.type('1000000', { delay: 80 });
    await expectText(page.locator('[data-testid=view-count]'), '4 of 6 records');
    const shownNames = await names(page);
    expect(shownNames).toEqual([
      'Cobalt Trust',
      'Beacon Fund',
      'Foxtrot, "Quoted" LP',
      'Delta Office',
    ]);
    const shownHeaders = await headers(page);

    // At once, while the filter's last keystrokes are still waiting to be saved.
    const { download, text } = await downloadFromMenu(page, 'view-download-csv');
    expect(download.suggestedFilename()).toBe('Investors - Pipeline.csv');
    const [head, ...rows] = readCsv(text);
    const inv = await investors(page);
    expect(head[0]).toBe('Name');
    expect(head).not.toContain('Owner');
    expect(head).toHaveLength(inv.table.fields.length - 1);
    expect(head.slice(0, shownHeaders.length)).toEqual(shownHeaders);
    expect(rows.map((r) => r[0])).toEqual(shownNames);
    const amount = head.indexOf('Target commitment');
    expect(rows.map((r) => r[amount])).toEqual([
      '$8,000,000',
      '$3,000,000',
      '$2,000,000',
      '$1,500,000',
    ]);
    await expectText(
      page.locator('.toast', { hasText: 'Downloaded' }).first(),
      'Downloaded “Investors - Pipeline.csv” (4 records)',
    );

    // The default view shows, and downloads, every record.
    await page.selectOption('[data-testid=view-select]', { label: 'Grid view' });
    await expectText(page.locator('[data-testid=view-count]'), '6 records');
    const all = readCsv((await downloadFromMenu(page, 'view-download-csv')).text);
    expect(all[0]).toContain('Owner');
    expect(
      all
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual([
      "'=Echo Capital",
      'Aspen LP',
      'Beacon Fund',
      'Cobalt Trust',
      'Delta Office',
      'Foxtrot, "Quoted" LP',
    ]);
  });

  it('Download JSON snapshot writes the whole base with values as stored, not as a spreadsheet would need them', async () => {
    await page.selectOption('[data-testid=view-select]', { label: 'Pipeline' });
    await expectText(page.locator('[data-testid=view-count]'), '4 of 6 records');
    const { download, text } = await downloadFromMenu(page, 'view-download-json');
    expect(download.suggestedFilename()).toMatch(/^fundraising-.+\.json$/);
    const snapshot = JSON.parse(text) as StateJson & { views: { name: string }[] };
    const inv = await investors(page);
    expect(snapshot.tables.map((t) => t.id).sort()).toEqual(
      (await apiFromPage<StateJson>(page, 'GET', '/api/fundraising/state')).tables
        .map((t) => t.id)
        .sort(),
    );
    const table = snapshot.tables.find((t) => t.id === inv.table.id)!;
    const echo = table.records.find((r) => r.values[inv.field('Name')] === '=Echo Capital');
    expect(echo?.values[inv.field('Target commitment')]).toBe(200_000);
    expect(table.records).toHaveLength(6);
    expect(snapshot.views.map((v) => v.name)).toContain('Pipeline');
  });
});
