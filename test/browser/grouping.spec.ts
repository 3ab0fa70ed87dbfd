import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type Page } from 'playwright-core';
import { apiFromPage, eventually, investors, login, waitForGrid } from './support/app';
import { newPerson, screenshot } from './support/chromium';
import { browserSuite } from './support/suite';

jest.setTimeout(240_000);

const headers = (page: Page) =>
  page.$$eval('[data-testid=group-header]', (bs) =>
    bs.map((b) => ({
      text: (b as HTMLElement).innerText.replace(/\s+/g, ' ').trim(),
      expanded: b.getAttribute('aria-expanded') === 'true',
    })),
  );
const names = (page: Page) =>
  page.$$eval('[data-testid=grid] .ht_master tbody tr', (trs) =>
    trs.map((tr) => (tr.querySelector('td') as HTMLElement | null)?.innerText.trim() ?? ''),
  );

describe('a grid grouped by pipeline stage', () => {
  const suite = browserSuite({ admin: true });
  let page: Page;

  beforeAll(async () => {
    page = (await newPerson(suite.browser, suite.server.url)).page;
    await login(page);
    const inv = await investors(page);
    const rows: [string, string | null, number][] = [
      ['Aspen LP', 'Engaged', 2_000_000],
      ['Beacon Fund', 'Lead', 1_000_000],
      ['Cobalt Trust', 'Lead', 2_500_000],
      ['Delta Office', null, 500_000],
    ];
    await apiFromPage(page, 'POST', '/api/fundraising/changes', {
      changes: rows.map(([name, stage, amount]) => ({
        op: 'create',
        table_id: inv.table.id,
        values: {
          [inv.field('Name')]: name,
          [inv.field('Pipeline stage')]: stage,
          [inv.field('Target commitment')]: amount,
        },
      })),
    });
    await apiFromPage(page, 'POST', '/api/fundraising/views', {
      table_id: inv.table.id,
      name: 'By stage',
      group_by: [{ field_id: inv.field('Pipeline stage'), direction: 'asc' }],
      sorts: [{ field_id: inv.field('Target commitment'), direction: 'desc' }],
    });
    await page.reload();
    await waitForGrid(page);
    await page.selectOption('[data-testid=view-select]', { label: 'By stage' });
  });

  it('shows a header per group with its value, count and sum, rows in group order', async () => {
    await eventually(async () =>
      expect(await headers(page)).toEqual([
        {
          text: '▾ Pipeline stage: (empty) 1 record · Σ Target commitment $500,000',
          expanded: true,
        },
        {
          text: '▾ Pipeline stage: Lead 2 records · Σ Target commitment $3,500,000',
          expanded: true,
        },
        {
          text: '▾ Pipeline stage: Engaged 1 record · Σ Target commitment $2,000,000',
          expanded: true,
        },
      ]),
    );
    expect(await names(page)).toEqual(['Delta Office', 'Cobalt Trust', 'Beacon Fund', 'Aspen LP']);
    await screenshot(page, 'grouping-1440');
  });

  it('collapses a group on a click and remembers it in the view after a reload', async () => {
    await page.locator('[data-testid=group-header]', { hasText: 'Lead' }).click();
    await eventually(async () => expect(await names(page)).toEqual(['Delta Office', 'Aspen LP']));
    await eventually(async () => {
      const views = await apiFromPage<{ views: { name: string; collapsed_groups: string[] }[] }>(
        page,
        'GET',
        '/api/fundraising/views',
      );
      expect(views.views.find((v) => v.name === 'By stage')!.collapsed_groups).toHaveLength(1);
    });
    await page.reload();
    await waitForGrid(page);
    await eventually(async () => {
      expect(await names(page)).toEqual(['Delta Office', 'Aspen LP']);
      expect((await headers(page)).map((h) => h.expanded)).toEqual([true, false, true]);
    });
  });

  it('expands a group from the keyboard', async () => {
    await page.locator('[data-testid=group-header]', { hasText: 'Lead' }).focus();
    await page.keyboard.press('Enter');
    await eventually(async () =>
      expect(await names(page)).toEqual([
        'Delta Office',
        'Cobalt Trust',
        'Beacon Fund',
        'Aspen LP',
      ]),
    );
  });

  it('fits a phone screen', async () => {
    await page.setViewportSize({ width: 390, height: 780 });
    await eventually(async () => {
      const boxes = await page.$$eval('[data-testid=group-header]', (bs) =>
        bs.map((b) => b.getBoundingClientRect().right),
      );
      expect(boxes.length).toBe(3);
      for (const right of boxes) expect(right).toBeLessThanOrEqual(390);
    });
    await screenshot(page, 'grouping-390');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('turns the view into a board over the stage and back from the Group panel', async () => {
    await page.click('[data-testid=view-group]');
    await page.selectOption('[data-testid=view-type]', 'kanban');
    await page.waitForSelector('[data-testid=kanban-card]');
    expect(await page.locator('[data-testid=kanban-column]').count()).toBe(6);
    await eventually(async () => {
      const views = await apiFromPage<{ views: { name: string; type: string }[] }>(
        page,
        'GET',
        '/api/fundraising/views',
      );
      expect(views.views.find((v) => v.name === 'By stage')!.type).toBe('kanban');
    });
    await page.selectOption('[data-testid=view-type]', 'grid');
    await eventually(async () =>
      expect(await names(page)).toEqual([
        'Delta Office',
        'Cobalt Trust',
        'Beacon Fund',
        'Aspen LP',
      ]),
    );
    expect(await page.locator('[data-testid=kanban]').count()).toBe(0);
  });

  it('moves a record to its new group when someone changes its stage', async () => {
    const inv = await investors(page);
    const id = (inv.records as { id: string; values: Record<string, unknown> }[]).find(
      (r) => r.values[inv.field('Name')] === 'Aspen LP',
    )?.id;
    expect(id).toBeTruthy();
    await apiFromPage(page, 'POST', '/api/fundraising/changes', {
      changes: [
        {
          op: 'set',
          record_id: id,
          field_id: inv.field('Pipeline stage'),
          from: 'Engaged',
          to: 'Lead',
        },
      ],
    });
    await eventually(async () => {
      expect(await names(page)).toEqual([
        'Delta Office',
        'Cobalt Trust',
        'Aspen LP',
        'Beacon Fund',
      ]);
      expect((await headers(page)).map((h) => h.text)).toEqual([
        '▾ Pipeline stage: (empty) 1 record · Σ Target commitment $500,000',
        '▾ Pipeline stage: Lead 3 records · Σ Target commitment $5,500,000',
      ]);
    });
  });
});
