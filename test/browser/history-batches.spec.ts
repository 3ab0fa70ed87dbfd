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
  ownerAsText,
} from './support/app';
import { newPerson, screenshot } from './support/chromium';
import { browserSuite } from './support/suite';

jest.setTimeout(240_000);

const ROWS = 60;
const FILE = 'lp-batch.csv';

/** Uploads a CSV the way the import wizard does, maps nothing by hand, and commits it. */
async function importCsv(page: Page, tableId: string, csv: string, name: string): Promise<void> {
  await page.evaluate(
    async ({ tableId, csv, name }) => {
      const form = new FormData();
      form.append('table_id', tableId);
      form.append('merge_fields', '["Name"]');
      form.append('file', new Blob([csv], { type: 'text/csv' }), name);
      const headers = { 'X-Requested-With': 'XMLHttpRequest', Accept: 'application/json' };
      const up = await fetch('/api/fundraising/imports', {
        method: 'POST',
        body: form,
        headers,
        credentials: 'same-origin',
      });
      if (up.status !== 201) throw new Error(`upload ${up.status}: ${await up.text()}`);
      const { id } = (await up.json()) as { id: string };
      const done = await fetch(`/api/fundraising/imports/${id}/commit`, {
        method: 'POST',
        headers,
        credentials: 'same-origin',
      });
      if (done.status !== 200) throw new Error(`commit ${done.status}: ${await done.text()}`);
    },
    { tableId, csv, name },
  );
}

const entry = (page: Page, text: string | RegExp) =>
  page.locator('[data-testid=activity-entry]', { hasText: text }).first();

describe('batches and values in history, activity and restore', () => {
  const suite = browserSuite({ admin: true });
  let page: Page;

  beforeAll(async () => {
    ({ page } = await newPerson(suite.browser, suite.server.url));
    await login(page);
    await ownerAsText(page);
    const inv = await investors(page);
    const warm = await apiFromPage<{ field: { id: string } }>(
      page,
      'POST',
      `/api/fundraising/tables/${inv.table.id}/fields`,
      { name: 'Warm', type: 'checkbox', options: {} },
    );
    const post = (changes: unknown[]) =>
      apiFromPage<{ applied: { record_id: string }[] }>(page, 'POST', '/api/fundraising/changes', {
        changes,
      });
    const acme = (
      await post([
        {
          op: 'create',
          table_id: inv.table.id,
          values: {
            [inv.field('Name')]: 'Acme Capital',
            [inv.field('Target commitment')]: 5_000_000,
          },
        },
      ])
    ).applied[0].record_id;
    // One edit per request: each is an entry of its own in the feed.
    await post([
      {
        op: 'set',
        record_id: acme,
        field_id: inv.field('Target commitment'),
        from: 5_000_000,
        to: 10_000_000,
      },
    ]);
    await post([
      {
        op: 'set',
        record_id: acme,
        field_id: inv.field('Last contacted'),
        from: null,
        to: '2026-03-04',
      },
    ]);
    await post([{ op: 'set', record_id: acme, field_id: warm.field.id, from: false, to: true }]);
    await post([
      {
        op: 'set',
        record_id: acme,
        field_id: inv.field('Pipeline stage'),
        from: null,
        to: 'Engaged',
      },
    ]);
    const s = await apiFromPage<{
      tables: { id: string; role: string; fields: { id: string; name: string }[] }[];
    }>(page, 'GET', '/api/fundraising/state');
    const contacts = s.tables.find((t) => t.role === 'contacts')!;
    const cf = (name: string) => contacts.fields.find((f) => f.name === name)!.id;
    await post([
      {
        op: 'create',
        table_id: contacts.id,
        values: { [cf('Name')]: 'Lee Contact', [cf('Investor')]: [acme] },
      },
    ]);
    const rows = Array.from(
      { length: ROWS },
      (_, i) => `Import LP ${String(i + 1).padStart(2, '0')},Kim`,
    );
    await importCsv(page, inv.table.id, ['Name,Owner', ...rows].join('\r\n'), FILE);
    await apiFromPage(page, 'POST', '/api/fundraising/backup');
    await page.reload();
    await waitForGrid(page);
  });

  it('shows an import as one entry with its record names, a page at a time', async () => {
    await page.click('[data-testid=nav-activity]');
    const imported = entry(page, `imported ${ROWS} records from "${FILE}"`);
    await imported.waitFor();
    // Folded: no row of the import is listed on its own.
    expect(
      await page.locator('[data-testid=activity-entry]', { hasText: 'Import LP' }).count(),
    ).toBe(0);
    expect(await imported.locator('[data-testid=roll-back-batch]').count()).toBe(1);
    // Account and backup events cannot be rolled back: no button on them.
    const backup = entry(page, /backup created/i);
    await backup.waitFor();
    expect(await backup.locator('[data-testid=roll-back-batch]').count()).toBe(0);

    await imported.locator('[data-testid=activity-batch]').click();
    const rows = imported.locator('[data-testid=batch-row]');
    await eventually(async () => expect(await rows.count()).toBe(50));
    expect(await rows.first().textContent()).toContain('Import LP 01');
    expect(await rows.first().textContent()).toMatch(/Owner:\s*—\s*→\s*Kim/);
    await expectText(imported.locator('[data-testid=batch-more]'), `Show more (50 of ${ROWS})`);
    await screenshot(page, 'activity-batch-open');
    await imported.locator('[data-testid=batch-more]').click();
    await eventually(async () => expect(await rows.count()).toBe(ROWS));
    expect(await rows.last().textContent()).toContain(`Import LP ${ROWS}`);
    expect(await imported.locator('[data-testid=batch-more]').count()).toBe(0);
    // Closed again with one click.
    await imported.locator('[data-testid=activity-batch]').click();
    await eventually(async () => expect(await rows.count()).toBe(0));
  });

  it("shows values in their field's format in the feed and in the record's history", async () => {
    await page.click('[data-testid=nav-activity]');
    await entry(page, 'Target commitment').waitFor();
    const text = (await page.locator('[data-testid=activity-list]').textContent()) ?? '';
    expect(text).toMatch(/Target commitment:\s*\$5,000,000\s*→\s*\$10,000,000/);
    expect(text).toMatch(/Last contacted:\s*—\s*→\s*Mar 4, 2026/);
    expect(text).toMatch(/Warm:\s*—\s*→\s*✓/);
    expect(text).toMatch(/Pipeline stage:\s*—\s*→\s*Engaged/);
    // A link shows the linked record's name, not its id. The contact's link to the investor also
    // sets the investor's side of the two-way link: one batch of two records, opened to read.
    const linked = entry(page, 'created 1 record, changed 1 cell in 1 record');
    await linked.locator('[data-testid=activity-batch]').click();
    await eventually(async () =>
      expect(await linked.locator('[data-testid=batch-row]').count()).toBe(2),
    );
    const batch = (await linked.textContent()) ?? '';
    expect(batch).toMatch(/Investor:\s*—\s*→\s*Acme Capital/);
    expect(batch).toMatch(/Contacts:\s*—\s*→\s*\S/);
    expect(text).not.toMatch(/rec_[a-z0-9]/i);
    await screenshot(page, 'activity-values');

    await page.click('.topbar__nav a[href="/grid"]');
    await waitForGrid(page);
    await (await cell(page, 0, 'Name')).click();
    await page
      .locator('[data-testid=grid] .ht_clone_inline_start tbody tr:nth-child(1) .rh-expand')
      .click();
    const history = page.locator('[data-testid=record-drawer] [data-testid=record-history]');
    await expectText(
      history.locator('[data-testid=history-entry]', { hasText: 'Target commitment' }).first(),
      /\$5,000,000\s*→\s*\$10,000,000/,
    );
    await page.click('[data-testid=drawer-close]');
  });

  it('previews rolling back the import with record names, and the confirm and the result give one count', async () => {
    await page.click('[data-testid=nav-activity]');
    await entry(page, `imported ${ROWS} records`).locator('[data-testid=roll-back-batch]').click();
    await page.waitForSelector('[data-testid=restore-page]');
    const list = page.locator('[data-testid=restore-to_archive]');
    await list.waitFor();
    expect(await list.locator('summary').textContent()).toContain(`· ${ROWS}`);
    // More than a screenful: folded until opened.
    await list.locator('summary').click();
    const names = await list.locator('tr td:first-child').allTextContents();
    expect(names).toHaveLength(ROWS);
    expect(names).toContain('Import LP 01');
    expect(names).toContain(`Import LP ${ROWS}`);
    await page.click('[data-testid=restore-go]');
    await expectText(page.locator('.modal p').first(), new RegExp(`^Write ${ROWS} changes`));
    await page.click('[data-testid=restore-confirm]');
    await expectText(
      page.locator('[data-testid=toast]', { hasText: 'Restored' }),
      `Restored: ${ROWS} changes written. It can be undone like any edit.`,
    );

    await page.click('[data-testid=nav-activity]');
    await entry(page, `rolled back a batch (archived ${ROWS} records)`).waitFor();
  });

  it("shows the values of a rolled-back edit in the field's format", async () => {
    await page.click('[data-testid=nav-activity]');
    const edit = page
      .locator('[data-testid=activity-entry]', { hasText: /\$5,000,000\s*→\s*\$10,000,000/ })
      .first();
    await edit.locator('[data-testid=roll-back-batch]').click();
    const changes = page.locator('[data-testid=restore-changes]');
    await changes.waitFor();
    expect(await changes.textContent()).toMatch(
      /Acme Capital.*Target commitment\s*\$10,000,000\s*\$5,000,000/,
    );
    await screenshot(page, 'restore-values');
  });
});
