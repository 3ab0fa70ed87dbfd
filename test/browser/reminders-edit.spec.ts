import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { apiFromPage, eventually, expectText, investors, login } from './support/app';
import { axePerson, axeViolations, describeViolations } from './support/axe';
import { newPerson, screenshot } from './support/chromium';
import { retypeLikeAPerson, typeLikeAPerson } from './support/person-typing';
import { browserSuite } from './support/suite';

jest.setTimeout(180_000);

interface ReminderJson {
  id: string;
  title: string;
  due_date: string;
  note: string;
  assignee_id: string;
  status: string;
}

const dayFrom = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** A second member of the team, invited by the admin and signed up in a page of their own. */
async function inviteMember(page: Page, url: string, browser: Parameters<typeof newPerson>[0]) {
  const invite = await apiFromPage<{ token?: string; url?: string }>(
    page,
    'POST',
    '/api/admin/invites',
    { email: 'morgan@fund.example', role: 'member' },
  );
  const token = invite.token ?? new URL(invite.url!, url).searchParams.get('token')!;
  const { page: member, context } = await newPerson(browser, url);
  await member.goto('/login');
  await apiFromPage(member, 'POST', '/api/auth/accept-invite', {
    token,
    name: 'Morgan Member',
    password: 'harbor-quartz-meadow-7719',
  });
  await context.close();
  const team = await apiFromPage<{ people: { id: string; name: string }[] }>(
    page,
    'GET',
    '/api/fundraising/people',
  );
  return team.people.find((p) => p.name === 'Morgan Member')!.id;
}

describe('changing, reassigning, cancelling and deleting a reminder', () => {
  const suite = browserSuite({ admin: true });
  let page: Page;
  let recordId = '';
  let tableId = '';
  let morgan = '';
  const remind = (title: string) =>
    apiFromPage<ReminderJson>(page, 'POST', '/api/reminders', {
      record_id: recordId,
      title,
      due_date: dayFrom(0),
    });
  const reminder = (id: string) => apiFromPage<ReminderJson>(page, 'GET', `/api/reminders/${id}`);

  beforeAll(async () => {
    ({ page } = await axePerson(suite.browser, suite.server.url));
    await login(page);
    const inv = await investors(page);
    await apiFromPage(page, 'POST', '/api/fundraising/changes', {
      changes: [
        { op: 'create', table_id: inv.table.id, values: { [inv.field('Name')]: 'Harbor LP' } },
      ],
    });
    tableId = inv.table.id;
    recordId = (await investors(page)).records[0].id;
    morgan = await inviteMember(page, suite.server.url, suite.browser);
  });

  it('edits a reminder from My day and gives it to another member; a refusal shows by the form', async () => {
    const deck = await remind('Send deck');
    await page.goto('/my-day');
    const item = page.locator('[data-testid=my-reminders] [data-testid=reminder]');
    await expectText(item.locator('.reminder__title'), 'Send deck');
    await item.locator('[data-testid=reminder-edit]').click();
    const editor = item.locator('[data-testid=reminder-editor]');
    const violations = await axeViolations(page, '[data-testid=reminder-editor]');
    expect(describeViolations('reminder editor', violations)).toBe('');
    // A title of spaces: the API names the field, the form says so beside it.
    await retypeLikeAPerson(editor.locator('[data-testid=reminder-form-title]'), '   ');
    await page.keyboard.press('Enter');
    await expectText(editor.locator('[data-testid=reminder-form-problem]'), /title/);
    expect(
      await editor.locator('[data-testid=reminder-form-title]').getAttribute('aria-invalid'),
    ).toBe('true');
    await retypeLikeAPerson(
      editor.locator('[data-testid=reminder-form-title]'),
      'Send the new deck',
    );
    await typeLikeAPerson(editor.locator('[data-testid=reminder-form-note]'), 'With Q3 numbers');
    await editor.locator('[data-testid=reminder-form-due]').fill(dayFrom(3));
    await editor.locator('[data-testid=reminder-form-assignee]').selectOption(morgan);
    await screenshot(page, 'reminders-edit-desktop');
    await editor.locator('[data-testid=reminder-form-submit]').click();
    // Now Morgan's, in three days: off my day.
    await eventually(async () => expect(await item.count()).toBe(0));
    expect(await reminder(deck.id)).toMatchObject({
      title: 'Send the new deck',
      note: 'With Q3 numbers',
      due_date: dayFrom(3),
      assignee_id: morgan,
      status: 'open',
    });
    // The record's drawer lists it, for Morgan.
    await page.goto(`/grid/${tableId}?record=${recordId}`);
    const inDrawer = page.locator('[data-testid=record-reminders] [data-testid=reminder]');
    await expectText(inDrawer.first().locator('.reminder__meta'), /for Morgan Member$/);
  });

  it('cancels one from the drawer and deletes another after a confirmation', async () => {
    const call = await remind('Call about the close');
    const lunch = await remind('Book lunch');
    await page.goto(`/grid/${tableId}?record=${recordId}`);
    const list = page.locator('[data-testid=record-reminders] [data-testid=reminder]');
    const callItem = list.filter({ hasText: 'Call about the close' });
    await callItem.locator('[data-testid=reminder-edit]').click();
    await callItem.locator('[data-testid=reminder-cancel]').click();
    await eventually(async () =>
      expect(await callItem.getAttribute('data-status')).toBe('cancelled'),
    );
    expect((await reminder(call.id)).status).toBe('cancelled');

    const lunchItem = list.filter({ hasText: 'Book lunch' });
    await lunchItem.locator('[data-testid=reminder-edit]').click();
    await lunchItem.locator('[data-testid=reminder-delete]').click();
    const confirm = lunchItem.locator('[data-testid=reminder-delete-confirm]');
    await expectText(confirm.locator('p'), /can still be found in the record’s history/);
    // The safe answer has the focus: Enter keeps it.
    await page.keyboard.press('Enter');
    await eventually(async () => expect(await confirm.count()).toBe(0));
    expect(await lunchItem.count()).toBe(1);
    await lunchItem.locator('[data-testid=reminder-delete]').click();
    await confirm.locator('[data-testid=reminder-delete-yes]').click();
    await eventually(async () => expect(await lunchItem.count()).toBe(0));
    const left = await apiFromPage<{ reminders: { id: string }[] }>(
      page,
      'GET',
      `/api/reminders?record_id=${recordId}`,
    );
    expect(left.reminders.map((r) => r.id)).not.toContain(lunch.id);
  });

  it('tells a member, beside the editor, that only an admin cancels someone else’s reminder', async () => {
    const theirs = await remind('Chase the side letter');
    const { page: member, context } = await newPerson(suite.browser, suite.server.url);
    await login(member, 'morgan@fund.example', 'harbor-quartz-meadow-7719');
    await member.goto(`/grid/${tableId}?record=${recordId}`);
    const item = member
      .locator('[data-testid=record-reminders] [data-testid=reminder]')
      .filter({ hasText: 'Chase the side letter' });
    await item.locator('[data-testid=reminder-edit]').click();
    await item.locator('[data-testid=reminder-cancel]').click();
    await expectText(
      item.locator('[data-testid=reminder-editor-problem]'),
      /^Not allowed: only an admin can cancel a reminder of someone else's/,
    );
    expect((await reminder(theirs.id)).status).toBe('open');
    await context.close();
  });

  it('fits a phone: the editor at 390 px wide, nothing wider than the screen', async () => {
    await remind('Phone follow-up');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/my-day');
    const item = page
      .locator('[data-testid=my-reminders] [data-testid=reminder]')
      .filter({ hasText: 'Phone follow-up' });
    await item.locator('[data-testid=reminder-edit]').click();
    await item.locator('[data-testid=reminder-editor]').waitFor();
    await screenshot(page, 'reminders-edit-phone');
    const widest = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(widest).toBeLessThanOrEqual(390);
    const heights = await item
      .locator('button')
      .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
    for (const h of heights) expect(h).toBeGreaterThanOrEqual(44);
    await page.setViewportSize({ width: 1440, height: 900 });
  });
});
