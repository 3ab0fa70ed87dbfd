import { describe, expect, it, jest } from '@jest/globals';
import { apiFromPage, eventually, expectText, investors, login } from './support/app';
import { newPerson, screenshot } from './support/chromium';
import { retypeLikeAPerson, typeLikeAPerson } from './support/person-typing';
import { ADMIN } from './support/server';
import { browserSuite } from './support/suite';

jest.setTimeout(180_000);

/** `YYYY-MM-DD` days after a `YYYY-MM-DD`. */
const daysAfter = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe('a rule that makes a reminder, written in the editor', () => {
  const suite = browserSuite({ admin: true });

  it('creates the rule with a create_reminder action; a new investor then gets the reminder', async () => {
    const { page, context } = await newPerson(suite.browser, suite.server.url);
    await login(page);
    const team = await apiFromPage<{ people: { id: string; name: string }[] }>(
      page,
      'GET',
      '/api/fundraising/people',
    );
    const me = team.people.find((p) => p.name === ADMIN.name)!.id;
    await page.click('[data-testid=nav-automations]');
    await page.waitForURL(/\/automations$/);
    await page.click('[data-testid=new-rule]');
    const editor = page.locator('[data-testid=rule-editor]');
    await typeLikeAPerson(editor.locator('[data-testid=rule-name]'), 'Welcome call');
    await editor.locator('[data-testid=rule-trigger]').selectOption('record_created');
    await editor.locator('[data-testid=rule-action-type]').selectOption('create_reminder');
    await editor.locator('[data-testid=rule-action-assignee]').selectOption(me);
    await typeLikeAPerson(
      editor.locator('[data-testid=rule-action-title]'),
      'Call to welcome them',
    );
    const days = editor.locator('[data-testid=rule-action-days]');
    // Out of range: the dry run's refusal, worded by its reason, marks the part.
    await retypeLikeAPerson(days, '5000');
    await expectText(
      editor.locator('[data-testid=rule-problem]'),
      'Due in: a whole number of days, from 0 to 3650.',
    );
    expect(await days.getAttribute('aria-invalid')).toBe('true');
    await retypeLikeAPerson(days, '3');
    await expectText(editor.locator('[data-testid=rule-dry-run] p'), /^Right now: /);
    expect(await days.getAttribute('aria-invalid')).toBeNull();
    // Funds have no reminders: said by the reason, on the action's type.
    const tables = editor.locator('[data-testid=rule-table]');
    const investorsTable = await tables.inputValue();
    await tables.selectOption({ label: 'Funds' });
    await expectText(
      editor.locator('[data-testid=rule-problem]'),
      'A reminder is for an investor or a contact: pick one of those tables.',
    );
    expect(
      await editor.locator('[data-testid=rule-action-type]').getAttribute('aria-invalid'),
    ).toBe('true');
    await tables.selectOption(investorsTable);
    await expectText(editor.locator('[data-testid=rule-dry-run] p'), /^Right now: /);
    await editor.locator('[data-testid=rule-enabled]').check();
    await screenshot(page, 'rule-reminder-editor-desktop');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'rule-reminder-editor-phone');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      390,
    );
    await page.setViewportSize({ width: 1440, height: 900 });
    await editor.locator('[data-testid=rule-save]').click();
    // A new base also lists the rules it ships with (switched off): this one is the rule made here.
    await expectText(
      page.locator('[data-testid=rule-row-name]', { hasText: 'Welcome call' }),
      'Welcome call',
    );

    const { rules } = await apiFromPage<{ rules: { name: string; actions: unknown[] }[] }>(
      page,
      'GET',
      '/api/automations',
    );
    expect(rules.find((r) => r.name === 'Welcome call')!.actions).toEqual([
      { type: 'create_reminder', title: 'Call to welcome them', due_in_days: 3, assignee: me },
    ]);
    const inv = await investors(page);
    await apiFromPage(page, 'POST', '/api/fundraising/changes', {
      changes: [
        { op: 'create', table_id: inv.table.id, values: { [inv.field('Name')]: 'Harbor LP' } },
      ],
    });
    const harbor = (await investors(page)).records[0].id;
    // Due three days after the run's day in the fund's zone, which My day calls today.
    const { today } = await apiFromPage<{ today: string }>(page, 'GET', '/api/my-day');
    await eventually(async () => {
      const list = await apiFromPage<{
        reminders: { title: string; due_date: string; assignee_id: string }[];
      }>(page, 'GET', `/api/reminders?record_id=${harbor}`);
      expect(list.reminders.map((r) => [r.title, r.due_date, r.assignee_id])).toEqual([
        ['Call to welcome them', daysAfter(today, 3), me],
      ]);
    }, 30_000);
    await context.close();
  });
});
