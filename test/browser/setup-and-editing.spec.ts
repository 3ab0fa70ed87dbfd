import { describe, expect, it, jest } from '@jest/globals';
import {
  apiFromPage,
  cell,
  expectCell,
  expectText,
  investors,
  typeInto,
  waitForGrid,
  waitSaved,
  waitSettled,
  pickPerson,
} from './support/app';
import { newPerson, screenshot } from './support/chromium';
import { browserSuite } from './support/suite';

jest.setTimeout(180_000);

describe('first admin, then a day in the grid', () => {
  const suite = browserSuite();

  it('sets up the first admin, signs in, adds an investor, types into cells and finds them after a reload', async () => {
    expect(suite.server.setupLink).toMatch(/\/setup\?token=/);
    const { page, context } = await newPerson(suite.browser, suite.server.url);

    // The one-time link the server printed.
    await page.goto(suite.server.setupLink!.replace(/^https?:\/\/[^/]+/, ''));
    await page.fill('input[name=name]', 'Morgan Partner');
    await page.fill('input[name=email]', 'morgan@fund.example');
    await page.fill('input[name=password]', 'quiet-harbor-maple-1907');
    await page.fill('input[name=confirm]', 'quiet-harbor-maple-1907');
    await page.click('button[type=submit]');
    await waitForGrid(page);

    // Log out and back in, as the partner would the next morning.
    await page.click('[data-testid=account-menu]');
    await page.click('[data-testid=logout]');
    await page.waitForURL(/\/login/);
    await page.fill('input[name=email]', 'morgan@fund.example');
    await page.fill('input[name=password]', 'quiet-harbor-maple-1907');
    await page.click('button[type=submit]');
    await waitForGrid(page);
    await page.waitForSelector('[data-testid=tab-Investors].tab--active');

    await page.click('[data-testid=add-record]');
    await typeInto(page, 0, 'Name', 'Northwind Family Office');
    // The Owner is a person of the team: Morgan picks themself.
    await pickPerson(page, 0, 'Owner', 'Morgan');
    await typeInto(page, 0, 'Target commitment', '2.5m');
    await waitSaved(page);
    await page.click('[data-testid=add-record]');
    await typeInto(page, 1, 'Name', 'Blue Harbor Endowment');
    await typeInto(page, 1, 'Target commitment', '$750,000');
    await waitSaved(page);

    // Bad input is refused in the cell, with a message, and never sent.
    const requests: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/fundraising/changes')) requests.push(r.postData() ?? '');
    });
    const target = await cell(page, 1, 'Target commitment');
    await target.click();
    await page.keyboard.type('lots');
    await page.keyboard.press('Enter');
    await expectText(
      page.locator('[data-testid=cell-message]'),
      /Target commitment takes an amount/,
    );
    await page.locator('textarea.handsontableInput').first().waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await waitSettled(page);
    expect(requests).toEqual([]);
    await screenshot(page, 'grid-desktop');

    await page.reload();
    await waitForGrid(page);
    await expectText(await cell(page, 0, 'Name'), 'Northwind Family Office');
    await expectText(await cell(page, 0, 'Target commitment'), '$2,500,000');
    await expectText(await cell(page, 1, 'Target commitment'), '$750,000');

    const inv = await investors(page);
    const me = await apiFromPage<{ id: string }>(page, 'GET', '/api/auth/me');
    const byName = new Map(inv.records.map((r) => [r.values[inv.field('Name')], r.values]));
    expect(byName.get('Northwind Family Office')).toMatchObject({
      [inv.field('Owner')]: [me.id],
      [inv.field('Target commitment')]: 2_500_000,
    });
    expect(byName.get('Blue Harbor Endowment')).toMatchObject({
      [inv.field('Target commitment')]: 750_000,
    });
    expect(inv.records).toHaveLength(2);
    await context.close();
  });

  it('edits a date, a web address and tags with their own editors', async () => {
    const { page, context } = await newPerson(suite.browser, suite.server.url);
    await page.goto('/login');
    await page.fill('input[name=email]', 'morgan@fund.example');
    await page.fill('input[name=password]', 'quiet-harbor-maple-1907');
    await page.click('button[type=submit]');
    await waitForGrid(page);
    await typeInto(page, 1, 'Last contacted', '3/1/2024');
    await typeInto(page, 1, 'Pipeline stage', 'dil');
    await page
      .locator('[data-testid=grid] .ht_master .wtHolder')
      .first()
      .evaluate((el) => (el.scrollLeft = el.scrollWidth));
    // Far along a wide table: each cell is brought to the middle before it is clicked.
    await (await cell(page, 1, 'Website', true)).click();
    await page.keyboard.type('blueharbor.org', { delay: 10 });
    await page.keyboard.press('Enter');
    const tags = await cell(page, 1, 'Tags', true);
    await tags.click();
    await page.keyboard.press('Enter');
    const option = page
      .locator('.htMultiSelectEditor li, .ht-multi-select li, .handsontableEditor li', {
        hasText: 'Anchor',
      })
      .first();
    await option.waitFor();
    await option.click();
    await page.keyboard.press('Escape');
    await waitSaved(page);
    await expectCell(page, 1, 'Website', 'blueharbor.org');
    expect(await (await cell(page, 1, 'Website')).locator('a').getAttribute('href')).toBe(
      'https://blueharbor.org',
    );
    const inv = await investors(page);
    const rec = inv.records.find((r) => r.values[inv.field('Name')] === 'Blue Harbor Endowment')!;
    expect(rec.values).toMatchObject({
      [inv.field('Last contacted')]: '2024-03-01',
      [inv.field('Pipeline stage')]: 'Diligence',
      [inv.field('Website')]: 'https://blueharbor.org',
      [inv.field('Tags')]: ['Anchor'],
    });
    await screenshot(page, 'grid-typed-cells');
    await context.close();
  });

  it('opens the record drawer at phone width and saves an edit from it', async () => {
    const { page, context } = await newPerson(suite.browser, suite.server.url, {
      width: 390,
      height: 844,
    });
    await page.goto('/login');
    await page.fill('input[name=email]', 'morgan@fund.example');
    await page.fill('input[name=password]', 'quiet-harbor-maple-1907');
    await page.click('button[type=submit]');
    await waitForGrid(page);
    await screenshot(page, 'grid-phone');
    await page
      .locator('[data-testid=grid] .ht_clone_inline_start tbody tr:nth-child(1) .rh-expand')
      .click();
    const drawer = page.locator('[data-testid=record-drawer]');
    await drawer.waitFor({ state: 'visible' });
    await expectText(drawer.locator('.drawer__title'), 'Northwind Family Office');
    const box = await drawer.boundingBox();
    expect(box!.width).toBeLessThanOrEqual(390);
    const next = drawer.locator('[data-field="Next step"] input');
    await next.fill('Send Q3 letter');
    await next.press('Enter');
    await drawer.locator('[data-field="Pipeline stage"] select').selectOption('Diligence');
    await waitSaved(page);
    await screenshot(page, 'drawer-phone');
    const inv = await investors(page);
    const rec = inv.records.find((r) => r.values[inv.field('Name')] === 'Northwind Family Office')!;
    expect(rec.values[inv.field('Next step')]).toBe('Send Q3 letter');
    expect(rec.values[inv.field('Pipeline stage')]).toBe('Diligence');
    await context.close();
  });
});
