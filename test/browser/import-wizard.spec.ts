import { describe, expect, it, jest } from '@jest/globals';
import { join } from 'node:path';
import { apiFromPage, expectText, investors, login } from './support/app';
import { newPerson, screenshot } from './support/chromium';
import { ADMIN } from './support/server';
import { browserSuite } from './support/suite';

jest.setTimeout(180_000);

const FIXTURE = join(__dirname, '../fixtures/imports/airtable-investors.csv');

describe('the import wizard', () => {
  const suite = browserSuite({ admin: true });

  it('previews an Airtable export, shows the plan, commits with progress, and undoes it', async () => {
    const { page } = await newPerson(suite.browser, suite.server.url);
    await login(page, ADMIN.email, ADMIN.password);
    await page.click('[data-testid=nav-import]');
    await page.waitForURL(/\/import$/);
    await page.setInputFiles('[data-testid=import-file]', FIXTURE);
    await page.selectOption('[data-testid=import-target]', { label: 'Investors' });
    await page.click('[data-testid=import-upload]');
    await page.locator('[data-testid=import-columns]').waitFor();
    // The suggested merge key (Name) is taken; the checkbox column is seen as one.
    // The plan is made again once the suggested key is taken: wait for the page to settle on it.
    await expectText(page.locator('[data-testid=import-merge-help]'), /matched to records by Name/);
    await expectText(page.locator('tr[data-column="Anchor LP"]'), /Checkbox/);
    // The confidence is said in words, not as a bare percentage.
    await expectText(
      page.locator('tr[data-column="Website"] [data-testid=import-confidence]'),
      /^all \d+ values look like web addresses/,
    );
    await expectText(
      page.locator('tr[data-column="Anchor LP"] [data-testid=import-confidence]'),
      /^all \d+ values look like Airtable checkboxes/,
    );
    await expectText(page.locator('[data-testid=plan-create]'), /^5$/);
    await screenshot(page, 'import-preview');

    await page.click('[data-testid=import-commit]');
    await page.locator('[data-testid=import-done]').waitFor();
    await expectText(page.locator('[data-testid=import-done]'), /5 created, 0 updated/);
    const after = await investors(page);
    expect(after.records.map((r) => r.values[after.field('Name')])).toEqual(
      expect.arrayContaining(['Acme Family Office', 'Smith, Jones & Co']),
    );

    await page.click('[data-testid=import-undo]');
    await page.locator('[data-testid=import-undo]:has-text("Undone")').waitFor();
    const undone = await investors(page);
    expect(undone.records.map((r) => r.values[undone.field('Name')])).not.toContain(
      'Acme Family Office',
    );

    const again = await apiFromPage<{ tables: unknown[] }>(
      page,
      'GET',
      '/api/fundraising/imports/targets',
    );
    expect(again.tables.length).toBeGreaterThanOrEqual(4);
  });
});
