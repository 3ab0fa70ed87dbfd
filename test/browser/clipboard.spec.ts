import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type Page } from 'playwright-core';
import {
  apiFromPage,
  cell,
  expectText,
  investors,
  login,
  waitForGrid,
  waitSaved,
  waitSettled,
  eventually,
  ownerAsText,
} from './support/app';
import { newPerson, screenshot } from './support/chromium';
import { browserSuite } from './support/suite';

jest.setTimeout(180_000);

/** What the browser does on Ctrl+V: a paste event carrying the clipboard's text, at the focused element. */
async function paste(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    (document.activeElement ?? document.body).dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    );
  }, text);
}

/** Ctrl+C: returns what the grid put on the clipboard. */
async function copy(page: Page): Promise<string> {
  return page.evaluate(() => {
    const data = new DataTransfer();
    (document.activeElement ?? document.body).dispatchEvent(
      new ClipboardEvent('copy', { clipboardData: data, bubbles: true, cancelable: true }),
    );
    return data.getData('text/plain');
  });
}

describe('clipboard and fill like a spreadsheet', () => {
  const suite = browserSuite({ admin: true });
  let page: Page;
  const changeRequests: string[] = [];

  beforeAll(async () => {
    page = (await newPerson(suite.browser, suite.server.url)).page;
    await login(page);
    await ownerAsText(page);
    const inv = await investors(page);
    await apiFromPage(page, 'POST', '/api/fundraising/changes', {
      changes: ['One', 'Two', 'Three'].map((n) => ({
        op: 'create',
        table_id: inv.table.id,
        values: { [inv.field('Owner')]: n },
      })),
    });
    await page.reload();
    await waitForGrid(page);
    page.on('request', (r) => {
      if (r.url().endsWith('/api/fundraising/changes') && r.method() === 'POST')
        changeRequests.push(r.postData() ?? '');
    });
  });

  it('pastes a 3 × 3 range from another spreadsheet as one request that saves nine cells', async () => {
    changeRequests.length = 0;
    await (await cell(page, 0, 'Name')).click();
    await paste(
      page,
      'Alder Capital\tFamily office\tActive\r\nBirch Partners\tendowment\tOn hold\r\nCedar Trust\tFoundation\tClosed\r\n',
    );
    await eventually(() => expect(changeRequests.length).toBeGreaterThan(0));
    await waitSettled(page);
    expect(changeRequests).toHaveLength(1);
    const body = JSON.parse(changeRequests[0]) as { changes: { op: string }[] };
    expect(body.changes).toHaveLength(9);
    expect(body.changes.every((c) => c.op === 'set')).toBe(true);

    const inv = await investors(page);
    const rows = inv.records.map((r) => [
      r.values[inv.field('Name')],
      r.values[inv.field('Type')],
      r.values[inv.field('Status')],
      r.values[inv.field('Owner')],
    ]);
    expect(rows).toEqual([
      ['Alder Capital', 'Family office', 'Active', 'One'],
      ['Birch Partners', 'Endowment', 'On hold', 'Two'],
      ['Cedar Trust', 'Foundation', 'Closed', 'Three'],
    ]);
    await expectText(await cell(page, 1, 'Type'), 'Endowment');
  });

  it('copies a range out as text another spreadsheet reads (plain numbers, percent with %)', async () => {
    const inv = await investors(page);
    await apiFromPage(page, 'POST', '/api/fundraising/changes', {
      changes: inv.records.map((r, i) => ({
        op: 'set',
        record_id: r.id,
        field_id: inv.field('Target commitment'),
        from: null,
        to: (i + 1) * 1_250_000,
      })),
    });
    await expectText(await cell(page, 2, 'Target commitment'), '$3,750,000', 5000);
    await (await cell(page, 0, 'Owner')).click();
    await (await cell(page, 2, 'Target commitment')).click({ modifiers: ['Shift'] });
    expect(await copy(page)).toBe('One\t1250000\nTwo\t2500000\nThree\t3750000');
  });

  it('refuses pasted text that does not fit a column and saves the rest', async () => {
    changeRequests.length = 0;
    await (await cell(page, 0, 'Target commitment')).click();
    await paste(page, '2m\nnot a number\n$900,000');
    await waitSaved(page);
    await page.locator('[data-testid=toast]').first().waitFor();
    expect(await page.locator('[data-testid=toast]').first().textContent()).toContain(
      'not a number',
    );
    expect(changeRequests).toHaveLength(1);
    const inv = await investors(page);
    expect(inv.records.map((r) => r.values[inv.field('Target commitment')])).toEqual([
      2_000_000, 2_500_000, 900_000,
    ]);
  });

  it('drags the fill handle down as one batch', async () => {
    changeRequests.length = 0;
    await (await cell(page, 0, 'Pipeline stage')).click();
    // At a person's pace: the click below must not fall within the double-click time of this one.
    await page.keyboard.type('Engaged', { delay: 80 });
    await page.keyboard.press('Enter');
    await waitSaved(page);
    changeRequests.length = 0;
    await (await cell(page, 0, 'Pipeline stage')).click();
    const handle = page.locator('[data-testid=grid] .ht_master .wtBorder.current.corner').first();
    const from = (await handle.boundingBox())!;
    const to = (await (await cell(page, 2, 'Pipeline stage')).boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 });
    await page.mouse.up();
    // The fill reaches the outbox a moment after the mouse is released: wait for its request, then for the save.
    await eventually(() => expect(changeRequests.length).toBeGreaterThan(0));
    // A second request (the batch split in two) would have been sent by the time the outbox settles.
    await waitSettled(page);
    expect(changeRequests).toHaveLength(1);
    expect((JSON.parse(changeRequests[0]) as { changes: unknown[] }).changes).toHaveLength(2);
    const inv = await investors(page);
    expect(inv.records.map((r) => r.values[inv.field('Pipeline stage')])).toEqual([
      'Engaged',
      'Engaged',
      'Engaged',
    ]);
    await screenshot(page, 'grid-after-paste-and-fill');
  });
});
