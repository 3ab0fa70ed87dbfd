import { describe, expect, it, jest } from '@jest/globals';
import {
  apiFromPage,
  cell,
  eventually,
  expectCell,
  investors,
  login,
  waitSaved,
  ownerAsText,
} from './support/app';
import { newPerson } from './support/chromium';
import { browserSuite } from './support/suite';

jest.setTimeout(120_000);

/** Typing on a selected cell replaces what is there, as in every spreadsheet. */
describe('typing over a filled cell', () => {
  const suite = browserSuite({ admin: true });

  it('replaces the old text instead of appending to it', async () => {
    const { page } = await newPerson(suite.browser, suite.server.url);
    await login(page);
    await ownerAsText(page);
    const inv = await investors(page);
    await apiFromPage(page, 'POST', '/api/fundraising/changes', {
      changes: [
        {
          op: 'create',
          table_id: inv.table.id,
          values: { [inv.field('Name')]: 'Typing LP', [inv.field('Owner')]: 'Sam' },
        },
      ],
    });
    await page.reload();
    await expectCell(page, 0, 'Owner', 'Sam');
    await (await cell(page, 0, 'Owner')).click();
    await page.keyboard.type('Jordan');
    await page.keyboard.press('Enter');
    await waitSaved(page);
    await eventually(async () => {
      const now = await investors(page);
      expect(now.records[0].values[now.field('Owner')]).toBe('Jordan');
    });
  });

  it('saves the choice typed in full even when Enter comes before the list has filtered', async () => {
    const { page } = await newPerson(suite.browser, suite.server.url);
    await login(page);
    for (const stage of ['Diligence', 'Passed', 'Engaged']) {
      await (await cell(page, 0, 'Pipeline stage')).click();
      // No delay between the keys and Enter: faster than the choice list's filter timer.
      await page.keyboard.type(stage);
      await page.keyboard.press('Enter');
      await waitSaved(page);
      await eventually(async () => {
        const now = await investors(page);
        expect(now.records[0].values[now.field('Pipeline stage')]).toBe(stage);
      });
      await page.keyboard.press('ArrowUp');
    }
  });
});
