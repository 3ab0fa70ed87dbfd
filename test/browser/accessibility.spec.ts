import { describe, expect, it, jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { waitForGrid } from './support/app';
import { axePerson, axeViolations, describeViolations } from './support/axe';
import { browserSuite } from './support/suite';

jest.setTimeout(180_000);

const PASSWORD = 'orchard-lantern-velvet-42';
const FIXTURE = join(__dirname, '../fixtures/imports/airtable-investors.csv');

/** Every named route of the web app: a page added without a check here fails the last test. */
const ROUTES = [
  ...readFileSync(join(__dirname, '../../apps/web/src/app/router.ts'), 'utf8').matchAll(
    /name: '([a-z-]+)'/g,
  ),
].map((m) => m[1]);

/**
 * axe-core (WCAG 2.1 A and AA) over every page and dialog of the app, as a new team meets them:
 * setup, sign-in, an invitation, the grid before and after an edit, the record drawer, the dialogs,
 * both steps of an import, and each page of the navigation.
 */
describe('accessibility: no WCAG 2.1 A or AA violation on any page', () => {
  const suite = browserSuite();
  const checked = new Set<string>();
  let page: Page;

  async function expectClean(where: string, within?: string) {
    const violations = await axeViolations(page, within);
    expect(describeViolations(where, violations)).toBe('');
  }

  async function visit(path: string, name: string, ready: string) {
    await page.goto(path);
    await page.locator(ready).first().waitFor();
    await expectClean(path);
    checked.add(name);
  }

  it('setup, then the grid with its first record', async () => {
    page = (await axePerson(suite.browser, suite.server.url)).page;
    await page.goto(suite.server.setupLink!.replace(/^https?:\/\/[^/]+/, ''));
    await page.locator('input[name=password]').waitFor();
    await expectClean('setup');
    checked.add('setup');
    await page.fill('input[name=name]', 'Morgan Partner');
    await page.fill('input[name=email]', 'morgan@fund.example');
    await page.fill('input[name=password]', PASSWORD);
    await page.fill('input[name=confirm]', PASSWORD);
    await page.click('button[type=submit]');
    await waitForGrid(page);
    // A table with no records yet: the grid's empty scroll area is still reachable and named.
    await expectClean('empty grid');
    await page.click('[data-testid=add-record]');
    await page.locator('.ht_master tbody td').first().waitFor();
    await expectClean('grid');
    checked.add('grid');
  });

  it('the grid after a cell was edited, the record drawer, and the dialogs', async () => {
    // Adding the record selected its first cell: typing starts editing it.
    await page.keyboard.type('Yale Investments Office', { delay: 60 });
    await page.keyboard.press('Enter');
    await page.locator('.ht_master tbody td', { hasText: 'Yale Investments Office' }).waitFor();
    await expectClean('grid after an edit');

    await page
      .locator('[data-testid=grid] .ht_clone_inline_start tbody tr:nth-child(1) .rh-expand')
      .click();
    await page.locator('[data-testid=record-drawer]').waitFor();
    await expectClean('record drawer');
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=record-drawer]').waitFor({ state: 'detached' });

    await page.click('[data-testid=add-field]');
    await page.locator('.modal').waitFor();
    await expectClean('new field dialog');
    await page.keyboard.press('Escape');
    await page.locator('.modal').waitFor({ state: 'detached' });

    await page.keyboard.press('Control+K');
    await page.locator('[data-testid=search-input]').waitFor();
    await expectClean('search palette');
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=search-input]').waitFor({ state: 'detached' });

    await page.locator('body').press('?');
    await page.locator('[data-testid=shortcut-sheet]').waitFor();
    await expectClean('keyboard shortcuts');
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=shortcut-sheet]').waitFor({ state: 'detached' });
  });

  it('the filter panel: its choice and people chips say whether they are on', async () => {
    await page.click('[data-testid=view-filter]');
    for (const [field, chip] of [
      ['Pipeline stage', 'Engaged'],
      ['Owner', 'Morgan Partner'],
    ]) {
      await page.click('[data-testid=add-condition]');
      const at = (await page.locator('[data-testid=filter-field]').count()) - 1;
      await page.locator('[data-testid=filter-field]').nth(at).selectOption({ label: field });
      await page.locator('[data-testid=filter-operator]').nth(at).selectOption('has_any_of');
      const toggle = page.locator('[data-testid=filter-chip]', { hasText: chip });
      await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('false');
      await toggle.click();
      await page
        .locator(`[data-testid=filter-chip][aria-pressed=true]`, { hasText: chip })
        .waitFor();
      await expectClean(`filter chips of ${field}`);
      await toggle.click();
      await page
        .locator(`[data-testid=filter-chip][aria-pressed=false]`, { hasText: chip })
        .waitFor();
    }
    // The view is left as it was: no condition.
    while (await page.locator('button[aria-label="Remove condition"]').count())
      await page.locator('button[aria-label="Remove condition"]').first().click();
    await page.click('[data-testid=view-filter]');
  });

  it('both steps of an import', async () => {
    await visit('/import', 'import', 'h1');
    await page.setInputFiles('[data-testid=import-file]', FIXTURE);
    await page.selectOption('[data-testid=import-target]', { label: 'Investors' });
    await page.click('[data-testid=import-upload]');
    await page.locator('[data-testid=import-columns]').waitFor();
    await expectClean('import review');
  });

  it('my day, the dashboard, activity, automations, feature requests, restore, backups, API tokens and the team', async () => {
    await visit('/my-day', 'my-day', 'h1');
    await visit('/dashboard', 'dashboard', 'h1');
    await visit('/activity', 'activity', 'h1');
    await visit('/automations', 'automations', 'h1');
    await visit('/feature-requests', 'feature-requests', '[data-testid=request-form]');
    await visit('/admin/restore', 'restore', '[data-testid=mode-moment]');
    await visit('/admin/backups', 'backups', 'h1');
    await visit('/tokens', 'tokens', 'h1');
    await visit('/admin/users', 'users', '[data-testid=invite-form]');
    await page.fill('input[name=invite_email]', 'jordan@fund.example');
    await page.selectOption('select[name=invite_role]', 'member');
    await page.click('[data-testid=invite-form] button[type=submit]');
    await page.locator('[data-testid=invite-link]').waitFor();
    await expectClean('team with an invitation link');
  });

  it('sign-in and accepting an invitation', async () => {
    const link = await page.locator('[data-testid=invite-link]').inputValue();
    const guest = (await axePerson(suite.browser, suite.server.url)).page;
    await guest.goto(new URL(link).pathname + new URL(link).search);
    await guest.locator('input[name=password]').waitFor();
    page = guest;
    await expectClean('accept invitation');
    checked.add('invite');
    await page.goto('/login');
    await page.locator('input[name=email]').waitFor();
    await expectClean('login');
    checked.add('login');
  });

  it('at 320 px every link of the navigation is reachable, from a menu named after the page', async () => {
    const narrow = (await axePerson(suite.browser, suite.server.url, { width: 320, height: 640 }))
      .page;
    await narrow.goto('/login');
    await narrow.fill('input[name=email]', 'morgan@fund.example');
    await narrow.fill('input[name=password]', PASSWORD);
    await narrow.click('button[type=submit]');
    await waitForGrid(narrow);
    const menu = narrow.locator('[data-testid=nav-menu]');
    expect((await menu.textContent())?.trim()).toMatch(/^Fundraising/);
    await menu.click();
    const links = narrow.locator('#main-nav a');
    expect(await links.count()).toBeGreaterThanOrEqual(8);
    for (const box of await Promise.all((await links.all()).map((l) => l.boundingBox()))) {
      expect(box).not.toBeNull();
      expect(box!.x + box!.width).toBeLessThanOrEqual(320);
      expect(box!.height).toBeGreaterThanOrEqual(44);
    }
    page = narrow;
    await expectClean('navigation menu at 320 px');
    await narrow.keyboard.press('Escape');
    await links.first().waitFor({ state: 'hidden' });
  });

  it('every page of the app is checked above', () => {
    expect(ROUTES.length).toBeGreaterThan(5);
    expect(ROUTES.filter((r) => !checked.has(r))).toEqual([]);
  });
});
