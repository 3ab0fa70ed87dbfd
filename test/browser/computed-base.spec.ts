import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type Page } from 'playwright-core';
import {
  apiFromPage,
  cell,
  expectCell,
  gridWithInvestors,
  state,
  waitForGrid,
} from './support/app';
import { browserSuite } from './support/suite';

jest.setTimeout(180_000);

/** The default base's computed fields as the grid shows them, at desktop width. */
describe('the computed default base in the web app', () => {
  const suite = browserSuite({ admin: true });
  let page: Page;

  const scrollRight = () =>
    page
      .locator('[data-testid=grid] .ht_master .wtHolder')
      .first()
      .evaluate((el) => (el.scrollLeft = el.scrollWidth));

  beforeAll(async () => {
    page = await gridWithInvestors(suite, [{ Name: 'Aspen LP', 'Pipeline stage': 'Diligence' }], {
      width: 1440,
      height: 900,
    });
    const s = await state(page);
    const inv = s.tables.find((x) => x.role === 'investors')!;
    const funds = s.tables.find((x) => x.role === 'funds')!;
    const com = s.tables.find((x) => x.role === 'commitments')!;
    const fund = (name: string) => funds.fields.find((x) => x.name === name)!.id;
    const contacts = s.tables.find((x) => x.role === 'contacts')!;
    const contact = (name: string) => contacts.fields.find((x) => x.name === name)!.id;
    const f = (name: string) => com.fields.find((x) => x.name === name)!.id;
    const created = await apiFromPage<{ applied: { record_id: string }[] }>(
      page,
      'POST',
      '/api/fundraising/changes',
      {
        changes: [
          {
            op: 'create',
            table_id: funds.id,
            values: { [fund('Name')]: 'Fund I', [fund('Target size')]: 2_000_000 },
          },
        ],
      },
    );
    const fundId = created.applied[0].record_id;
    await apiFromPage(page, 'POST', '/api/fundraising/changes', {
      changes: [
        [1_250_000, 'Hard'],
        [500_000, 'Soft'],
      ].map(([amount, status]) => ({
        op: 'create',
        table_id: com.id,
        values: {
          [f('Amount')]: amount,
          [f('Status')]: status,
          [f('Investor')]: [inv.records[0].id],
          [f('Fund')]: [fundId],
        },
      })),
    });
    await apiFromPage(page, 'POST', '/api/fundraising/changes', {
      changes: [
        {
          op: 'create',
          table_id: contacts.id,
          values: { [contact('Name')]: 'Pat', [contact('Investor')]: [inv.records[0].id] },
        },
      ],
    });
    await page.reload();
    await waitForGrid(page);
  });

  it('shows Committed amount as money, computed and read-only, and the commitment count', async () => {
    // The soft commitment is not counted in the amount; both are in the count.
    await expectCell(page, 0, 'Committed amount', '$1,250,000');
    const td = await cell(page, 0, 'Committed amount');
    expect(await td.getAttribute('class')).toContain('cell--computed');
    // Lined up with the typed amounts, to the right.
    expect(await td.getAttribute('class')).toContain('cell--num');
    await scrollRight();
    await expectCell(page, 0, 'Commitment count', '2');
  });

  it("shows a fund's Committed as money and its % of target as a percentage", async () => {
    await page.click('[data-testid="tab-Funds"]');
    await waitForGrid(page);
    await scrollRight();
    await expectCell(page, 0, 'Committed', '$1,250,000');
    // A percent shows up to two decimals, as a percent field does.
    await expectCell(page, 0, '% of target', '62.5%');
  });

  it("shows a contact's Investor stage, looked up from the investor", async () => {
    await page.click('[data-testid="tab-Contacts"]');
    await waitForGrid(page);
    await scrollRight();
    await expectCell(page, 0, 'Investor stage', 'Diligence');
  });
});
