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
