import { describe, expect, it, jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { apiFromPage, cell, investors, login } from './support/app';
import { axePerson, axeViolations, describeViolations } from './support/axe';
import { browserSuite } from './support/suite';

jest.setTimeout(240_000);

/**
 * axe-core (WCAG 2.1 A and AA) over what the page walk in accessibility.spec does not open: every
 * dialog and popover of the grid, the view as of a past moment, the rule editor, a restore's
 * preview and confirmation, a token just made, and pages with content in them (the dashboard's
 * charts, a filed feature request, My day at a phone's width).
 */
describe('accessibility: every dialog, and the pages with content', () => {
  const suite = browserSuite({ admin: true });
  let page: Page;

  async function expectClean(where: string, within?: string) {
    const violations = await axeViolations(page, within);
    expect(describeViolations(where, violations)).toBe('');
  }

  /** Opens the column menu of a field from its cell and picks an item (as a keyboard user does). */
  async function fieldMenu(column: string, item: string) {
    await (await cell(page, 0, column)).click();
    await page.keyboard.press('Shift+Alt+ArrowDown');
    await page.locator('.htDropdownMenu td', { hasText: item }).first().click();
  }

  async function closeWithEscape(selector: string) {
    await page.keyboard.press('Escape');
    await page.locator(selector).first().waitFor({ state: 'detached' });
  }

  it('the grid’s dialogs and popovers', async () => {
    page = (await axePerson(suite.browser, suite.server.url)).page;
    await login(page);
    const inv = await investors(page);
    const before = new Date();
    await apiFromPage(page, 'POST', '/api/fundraising/changes', {
      changes: [
        {
          op: 'create',
          table_id: inv.table.id,
          values: { [inv.field('Name')]: 'Aspen LP', [inv.field('Target commitment')]: 2500000 },
        },
      ],
    });
    await apiFromPage(page, 'POST', '/api/reminders', {
      record_id: (await investors(page)).records[0].id,
      title: 'Send the deck',
      due_date: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10),
    });
    await page.reload();
    await page.locator('.ht_master tbody td', { hasText: 'Aspen LP' }).waitFor();

    await fieldMenu('Target commitment', 'Edit field…');
    await page.locator('.modal input[name=field_name]').waitFor();
    await expectClean('field editor of a currency field');
    await closeWithEscape('.modal');

    await fieldMenu('Target commitment', 'Delete field');
    await page.locator('[data-testid=confirm-remove-field]').waitFor();
    await expectClean('delete field dialog');
    await closeWithEscape('.modal');

    // A click on a cell just after a field's dialog selects it (see field-dialog-click.spec), and
    // Alt+H opens the cell's history.
    await (await cell(page, 0, 'Target commitment')).click();
    await page.keyboard.press('Alt+h');
    await page.locator('[data-testid=cell-history]').waitFor();
    await expectClean('cell history');
    await closeWithEscape('[data-testid=cell-history]');

    await (await cell(page, 0, 'Owner')).click();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=user-picker]').waitFor();
    await expectClean('people picker');
    await closeWithEscape('[data-testid=user-picker]');

    await page.click('[data-testid=view-menu]');
    await page.click('[data-testid=view-create]');
    await page.locator('[data-testid=view-name]').waitFor();
    await expectClean('new view dialog');
    await closeWithEscape('.modal');

    await page.click('[data-testid=show-archived]');
    await page
      .locator('[data-testid=archived-empty], [data-testid=archived-list]')
      .first()
      .waitFor();
    await expectClean('archived records');
    await closeWithEscape('.modal');

    await page.click('[data-testid=account-menu]');
    await page.locator('[role=menuitem]', { hasText: 'Change password' }).click();
    await page.locator('.modal').waitFor();
    await expectClean('change password');
    await closeWithEscape('.modal');

    // The view as it was a moment ago (before its record), in place of the grid.
    const pad = (n: number) => String(n).padStart(2, '0');
    const local = `${before.getFullYear()}-${pad(before.getMonth() + 1)}-${pad(before.getDate())}T${pad(before.getHours())}:${pad(before.getMinutes())}:${pad(before.getSeconds())}`;
    await page.fill('[data-testid=as-of-date]', local);
    // No record was in the view then: it says so in place of the table.
    await page.locator('[data-testid=as-of-empty]').waitFor();
    await expectClean('view as of a past moment');
    await page.click('[data-testid=changes-since]');
    await page.locator('[data-testid=as-of-title]', { hasText: 'Changes since' }).waitFor();
    await page.locator('[data-testid=as-of-table]').waitFor();
    await expectClean('changes since a past moment');
    await page.click('[data-testid=as-of-close]');
  });

  it('the rule editor, a restore’s preview and confirmation, and a new token', async () => {
    await page.goto('/automations');
    await page.click('[data-testid=new-rule]');
    await page.locator('[data-testid=rule-name]').waitFor();
    await expectClean('rule editor');
    await page.click('[data-testid=rule-editor] button:has-text("Cancel")');

    await page.goto('/admin/restore');
    const pad = (n: number) => String(n).padStart(2, '0');
    const d = new Date(Date.now() - 60_000);
    await page.fill(
      '[data-testid=restore-at]',
      `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`,
    );
    await page.click('[data-testid=restore-preview]');
    await page.locator('[data-testid=restore-result]').waitFor();
    await expectClean('restore preview');
    await page.click('[data-testid=restore-go]');
    await page.locator('[data-testid=restore-confirm]').waitFor();
    await expectClean('restore confirmation');
    await closeWithEscape('[data-testid=restore-confirm]');

    await page.goto('/tokens');
    await page.locator('input[name=token_name]').pressSequentially('Reporting', { delay: 60 });
    await page.click('[data-testid=token-form] button[type=submit]');
    await page.locator('[data-testid=token-value]').waitFor();
    await expectClean('a token just made');
  });

  it('the dashboard with its charts, a filed feature request, and My day on a phone', async () => {
    await page.goto('/dashboard');
    await page.locator('[data-testid=chart-funds] canvas').first().waitFor();
    await page.locator('[data-testid=dash-reminders]').waitFor();
    await expectClean('dashboard with figures');
    const today = new Date();
    const pad = (n: number) => String(n).padStart(2, '0');
    await page.fill(
      '[data-testid=dash-as-of]',
      `${today.getFullYear()}-${pad(today.getMonth() + 1)}-${pad(today.getDate())}`,
    );
    await page.locator('.dash__note').waitFor();
    await expectClean('dashboard as of a date');

    await page.goto('/feature-requests');
    await page
      .locator('input[name=request_title]')
      .pressSequentially('Export to PDF', { delay: 60 });
    await page.click('[data-testid=request-form] button[type=submit]');
    await page.locator('[data-testid=request]', { hasText: 'Export to PDF' }).waitFor();
    await expectClean('feature requests with a request');

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/my-day');
    await page.locator('[data-testid=my-reminders]').waitFor();
    await expectClean('my day at 390 px');

    await page.goto('/admin/backups');
    await page.click('[data-testid=backup-now]');
    await page.locator('[data-testid=backups-table]').waitFor();
    await expectClean('backups at 390 px, with a backup');
  });
});
