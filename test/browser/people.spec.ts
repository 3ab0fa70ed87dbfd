import { describe, expect, it, jest } from '@jest/globals';
import {
  apiFromPage,
  cell,
  eventually,
  expectCell,
  expectText,
  investors,
  login,
  waitSaved,
} from './support/app';
import { newPerson, screenshot } from './support/chromium';
import { browserSuite } from './support/suite';

jest.setTimeout(120_000);

interface Created {
  id: string;
}

/** The investors' Owner is a people field: picked from the team, shown with an avatar. */
describe('people in the grid', () => {
  const suite = browserSuite({ admin: true });

  it('picks an owner by typing part of a name at human speed, and shows a disabled one greyed', async () => {
    const { page } = await newPerson(suite.browser, suite.server.url);
    await login(page);
    const mia = await apiFromPage<Created>(page, 'POST', '/api/admin/users', {
      email: 'mia@fund.example',
      name: 'Mia Member',
      role: 'member',
      password: 'Quiet-Harbour-77-Lantern',
    });
    const gus = await apiFromPage<Created>(page, 'POST', '/api/admin/users', {
      email: 'gus@fund.example',
      name: 'Gus Gone',
      role: 'member',
      password: 'Quiet-Harbour-78-Lantern',
    });
    const inv = await investors(page);
    await apiFromPage(page, 'POST', '/api/fundraising/changes', {
      changes: [
        {
          op: 'create',
          table_id: inv.table.id,
          values: { [inv.field('Name')]: 'Picked LP' },
        },
        {
          op: 'create',
          table_id: inv.table.id,
          values: { [inv.field('Name')]: 'Former LP', [inv.field('Owner')]: [gus.id] },
        },
      ],
    });
    await apiFromPage(page, 'PATCH', `/api/admin/users/${gus.id}`, { disabled: true });
    await page.reload();
    await expectCell(page, 0, 'Name', 'Picked LP');

    // Enter on the cell opens the team; typing narrows it, a key every 50–100 ms.
    await (await cell(page, 0, 'Owner')).click();
    await page.keyboard.press('Enter');
    const search = page.locator('[data-testid=user-search]');
    await search.waitFor();
    await page.keyboard.type('mia', { delay: 75 });
    const options = page.locator('[data-testid=user-picker] .person-option');
    await eventually(async () => expect(await options.count()).toBe(1));
    expect(await options.first().textContent()).toContain('Mia Member');
    // A disabled member is not offered.
    expect(await page.locator('[data-testid="user-option-gus@fund.example"]').count()).toBe(0);
    await page.keyboard.press('Enter');
    await search.waitFor({ state: 'detached' });
    await waitSaved(page);

    const picked = await cell(page, 0, 'Owner');
    await expectText(picked, /^MM\s*Mia Member$/);
    expect(await picked.locator('.avatar').textContent()).toBe('MM');
    await eventually(async () => {
      const now = await investors(page);
      const rec = now.records.find((r) => r.values[now.field('Name')] === 'Picked LP')!;
      expect(rec.values[now.field('Owner')]).toEqual([mia.id]);
    });

    // The disabled owner still shows, greyed.
    const former = await cell(page, 1, 'Owner');
    await expectText(former, /Gus Gone$/);
    expect(await former.locator('.person--disabled').count()).toBe(1);
    await screenshot(page, 'people-owner');
  });

  it('filters a shared view by "Owner is me": each person sees their own investors', async () => {
    const { page } = await newPerson(suite.browser, suite.server.url);
    await login(page);
    const me = await apiFromPage<{ id: string }>(page, 'GET', '/api/auth/me');
    const sky = await apiFromPage<Created>(page, 'POST', '/api/admin/users', {
      email: 'sky@fund.example',
      name: 'Sky Partner',
      role: 'member',
      password: 'Quiet-Harbour-79-Lantern',
    });
    const inv = await investors(page);
    await apiFromPage(page, 'POST', '/api/fundraising/changes', {
      changes: [
        ['Mine One', me.id],
        ['Skys One', sky.id],
        ['Mine Two', me.id],
      ].map(([name, owner]) => ({
        op: 'create',
        table_id: inv.table.id,
        values: { [inv.field('Name')]: name, [inv.field('Owner')]: [owner] },
      })),
    });
    await page.reload();
    await page.click('[data-testid=view-menu]');
    await page.click('[data-testid=view-create]');
    await page.fill('[data-testid=view-name]', 'My LPs');
    await page.click('[data-testid=view-confirm]');
    await page.locator('.modal').waitFor({ state: 'detached' });
    await page.click('[data-testid=view-filter]');
    await page.click('[data-testid=add-condition]');
    await page.selectOption('[data-testid=filter-field] >> nth=0', { label: 'Owner' });
    await page.selectOption('[data-testid=filter-operator] >> nth=0', 'is');
    await page.selectOption('[data-testid=filter-person] >> nth=0', {
      label: 'me (whoever looks)',
    });
    const total = (await investors(page)).records.length;
    const mine = (await investors(page)).records.filter(
      (r) => JSON.stringify(r.values[inv.field('Owner')]) === JSON.stringify([me.id]),
    ).length;
    await expectText(page.locator('[data-testid=view-count]'), `${mine} of ${total} records`);
    await waitSaved(page);

    // Sky opens the same shared view and sees theirs.
    const other = (await newPerson(suite.browser, suite.server.url)).page;
    await login(other, 'sky@fund.example', 'Quiet-Harbour-79-Lantern');
    await other.selectOption('[data-testid=view-select]', { label: 'My LPs' });
    await expectText(other.locator('[data-testid=view-count]'), `1 of ${total} records`);
    await expectCell(other, 0, 'Name', 'Skys One');
  });

  it('starts the search with the letters typed on the cell, as typing starts an edit', async () => {
    const { page } = await newPerson(suite.browser, suite.server.url);
    await login(page);
    const inv = await investors(page);
    await apiFromPage(page, 'POST', '/api/fundraising/changes', {
      changes: [
        { op: 'create', table_id: inv.table.id, values: { [inv.field('Name')]: 'Typed LP' } },
      ],
    });
    await page.reload();
    const row = (await investors(page)).records.length - 1;
    await expectCell(page, row, 'Name', 'Typed LP');
    await (await cell(page, row, 'Owner')).click();
    // No Enter first: the letters go to the picker's search, a key every 75 ms.
    await page.keyboard.type('aver', { delay: 75 });
    const search = page.locator('[data-testid=user-search]');
    await eventually(async () => expect(await search.inputValue()).toBe('aver'));
    const options = page.locator('[data-testid=user-picker] .person-option');
    await eventually(async () => expect(await options.count()).toBe(1));
    await page.keyboard.press('Enter');
    await search.waitFor({ state: 'detached' });
    await waitSaved(page);
    await expectText(await cell(page, row, 'Owner'), /Avery Admin$/);
  });
});
