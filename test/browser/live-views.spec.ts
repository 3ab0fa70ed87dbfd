import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type Page } from 'playwright-core';
import {
  apiFromPage,
  cell,
  eventually,
  expectText,
  investors,
  login,
  waitForGrid,
} from './support/app';
import { newPerson, screenshot } from './support/chromium';
import { ADMIN } from './support/server';
import { browserSuite } from './support/suite';

jest.setTimeout(240_000);

const MEMBER = {
  email: 'rae@fund.example',
  name: 'Rae Member',
  password: 'copper-meadow-river-2291',
};
const names = (page: Page) =>
  page.$$eval('[data-testid=grid] .ht_master tbody tr', (trs) =>
    trs.map((tr) => (tr.querySelector('td') as HTMLElement | null)?.innerText.trim() ?? ''),
  );

interface View {
  id: string;
  name: string;
  filters: unknown;
  sorts: unknown[];
}

describe('view changes arrive live, like cell values', () => {
  const suite = browserSuite({ admin: true });
  let avery: Page;
  let rae: Page;
  let view: View;
  let amount: string;

  beforeAll(async () => {
    avery = (await newPerson(suite.browser, suite.server.url)).page;
    await login(avery, ADMIN.email, ADMIN.password);
    await apiFromPage(avery, 'POST', '/api/admin/users', { ...MEMBER, role: 'member' });
    const inv = await investors(avery);
    amount = inv.field('Target commitment');
    await apiFromPage(avery, 'POST', '/api/fundraising/changes', {
      changes: (
        [
          ['Aspen LP', 500_000],
          ['Beacon Fund', 3_000_000],
          ['Cobalt Trust', 8_000_000],
          ['Delta Office', 1_500_000],
          ['Elm Family', 200_000],
        ] as const
      ).map(([name, target]) => ({
        op: 'create',
        table_id: inv.table.id,
        values: { [inv.field('Name')]: name, [amount]: target },
      })),
    });
    view = await apiFromPage<View>(avery, 'POST', '/api/fundraising/views', {
      table_id: inv.table.id,
      name: 'Pipeline',
      personal: false,
    });
    await avery.reload();
    await waitForGrid(avery);
    rae = (await newPerson(suite.browser, suite.server.url)).page;
    await login(rae, MEMBER.email, MEMBER.password);
    for (const p of [avery, rae]) {
      await p.selectOption('[data-testid=view-select]', { label: 'Pipeline' });
      await expectText(p.locator('[data-testid=view-count]'), '5 records');
    }
  });

  it("shows another person's filter and sort on the open view without a reload", async () => {
    // Avery sets them in the grid; Rae, on the same view, sees them arrive.
    await avery.click('[data-testid=view-filter]');
    await avery.click('[data-testid=add-condition]');
    await avery.selectOption('[data-testid=filter-field] >> nth=0', { label: 'Target commitment' });
    await avery.selectOption('[data-testid=filter-operator] >> nth=0', '>=');
    await avery.locator('[data-testid=filter-value] >> nth=0').click();
    await avery.keyboard.type('1000000', { delay: 80 });
    await expectText(avery.locator('[data-testid=view-count]'), '3 of 5 records');
    await avery.click('[data-testid=view-filter]');
    await apiFromPage(avery, 'PATCH', `/api/fundraising/views/${view.id}`, {
      sorts: [{ field_id: amount, direction: 'desc' }],
    });

    await expectText(rae.locator('[data-testid=view-count]'), '3 of 5 records', 10_000);
    await expectText(rae.locator('[data-testid=view-filter]'), 'Filter (1)');
    await expectText(rae.locator('[data-testid=view-sort]'), 'Sort (1)');
    await eventually(
      async () => expect(await names(rae)).toEqual(['Cobalt Trust', 'Beacon Fund', 'Delta Office']),
      10_000,
    );
    await screenshot(rae, 'live-view-change');
  });

  it('puts the view back on every open grid when a restore is undone with Ctrl+Z', async () => {
    // Restore to before the view had a filter and a sort: both grids show every record again.
    const log = await apiFromPage<{ entries: { position: number; summary: string }[] }>(
      avery,
      'GET',
      '/api/activity?types=ViewSaved&limit=500',
    );
    const created = log.entries.find((e) => e.summary === 'created view "Pipeline"')!;
    const preview = await apiFromPage<{ token: string }>(
      avery,
      'POST',
      '/api/fundraising/restore-preview',
      { position: created.position },
    );
    await apiFromPage(avery, 'POST', '/api/fundraising/restore', { token: preview.token });
    for (const p of [avery, rae]) {
      await expectText(p.locator('[data-testid=view-count]'), '5 records', 10_000);
      await expectText(p.locator('[data-testid=view-filter]'), 'Filter');
    }

    // Avery undoes the restore from the grid: her grid reloads; both must show the view as it was.
    await (await cell(avery, 0, 'Name')).click();
    await avery.keyboard.press('Control+z');
    await expect(avery.locator('[data-testid=undo-toast]').textContent()).resolves.toMatch(
      /^Undid: /,
    );
    for (const p of [avery, rae]) {
      await expectText(p.locator('[data-testid=view-count]'), '3 of 5 records', 10_000);
      await expectText(p.locator('[data-testid=view-filter]'), 'Filter (1)');
      await expectText(p.locator('[data-testid=view-sort]'), 'Sort (1)');
    }
  });

  it('keeps a filter the person is typing when someone else changes the same view meanwhile', async () => {
    await rae.click('[data-testid=view-filter]');
    await rae.click('[data-testid=add-condition]');
    const field = rae.locator('[data-testid=filter-field]').nth(1);
    await field.selectOption({ label: 'Target commitment' });
    await rae.locator('[data-testid=filter-operator]').nth(1).selectOption('<=');
    const input = rae.locator('[data-testid=filter-value]').nth(1);
    await input.click();
    await rae.keyboard.type('50', { delay: 80 });
    // Avery changes the view's sort while Rae is typing; it arrives mid-word.
    const before = await apiFromPage<{ entries: { position: number }[] }>(
      avery,
      'GET',
      '/api/activity?limit=1',
    );
    await apiFromPage(avery, 'PATCH', `/api/fundraising/views/${view.id}`, {
      sorts: [{ field_id: amount, direction: 'asc' }],
    });
    await eventually(async () => {
      const after = await apiFromPage<{ entries: { position: number }[] }>(
        rae,
        'GET',
        '/api/activity?limit=1',
      );
      expect(after.entries[0].position).toBeGreaterThan(before.entries[0].position);
    });
    await rae.keyboard.type('00000', { delay: 80 });
    expect(await input.inputValue()).toBe('5000000');
    await rae.click('[data-testid=view-filter]');

    // Rae's filter and Avery's sort both hold, on the screen and on the server.
    await expectText(rae.locator('[data-testid=view-count]'), '2 of 5 records', 10_000);
    await eventually(
      async () => expect(await names(rae)).toEqual(['Delta Office', 'Beacon Fund']),
      10_000,
    );
    await eventually(async () => {
      const saved = await apiFromPage<View & { filters: { conditions: { value: unknown }[] } }>(
        avery,
        'GET',
        `/api/fundraising/views/${view.id}`,
      );
      expect(saved.filters.conditions.map((c) => c.value)).toEqual([1_000_000, 5_000_000]);
      expect(saved.sorts).toEqual([{ field_id: amount, direction: 'asc' }]);
    });
    await expectText(avery.locator('[data-testid=view-count]'), '2 of 5 records', 10_000);
  });
});
