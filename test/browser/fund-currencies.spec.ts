import { describe, expect, it, jest } from '@jest/globals';
import { type Page } from 'playwright-core';
import {
  apiFromPage,
  cell,
  expectCell,
  expectText,
  login,
  state,
  waitForGrid,
} from './support/app';
import { screenshot } from './support/chromium';
import { browserSuite } from './support/suite';

jest.setTimeout(180_000);

/**
 * A commitment's amount in its fund's currency and a fund's target in its own, in a Swiss browser;
 * a sum over two is never one.
 */
describe('commitments in their funds’ currencies', () => {
  const suite = browserSuite({ admin: true });

  async function seed(page: Page) {
    const base = await state(page);
    const table = (role: string) => base.tables.find((t) => t.role === role)!;
    const field = (role: string, f: string) => table(role).fields.find((x) => x.role === f)!.id;
    const create = async (role: string, values: Record<string, unknown>) =>
      (
        await apiFromPage<{ applied: { record_id: string }[] }>(
          page,
          'POST',
          '/api/fundraising/changes',
          { changes: [{ op: 'create', table_id: table(role).id, values }] },
        )
      ).applied[0].record_id;
    const fund = async (name: string, currency: string) =>
      create('funds', {
        [field('funds', 'fund.name')]: name,
        [field('funds', 'fund.currency')]: currency,
        [field('funds', 'fund.target_size')]: 40_000_000,
      });
    const alpine = await fund('Alpine I', 'CHF');
    const growth = await fund('Growth II', 'USD');
    const commit = (name: string, amount: number, to: string) =>
      create('commitments', {
        [field('commitments', 'commitment.name')]: name,
        [field('commitments', 'commitment.amount')]: amount,
        [field('commitments', 'commitment.fund')]: [to],
      });
    await commit('Pension in Alpine', 1_250_000, alpine);
    await commit('Family office in Growth', 500_000, growth);
  }

  it('shows a CHF commitment in francs and a sum over francs and dollars per currency', async () => {
    const context = await suite.browser.newContext({
      baseURL: suite.server.url,
      viewport: { width: 1280, height: 800 },
      locale: 'de-CH',
      timezoneId: 'Europe/Zurich',
    });
    const page = await context.newPage();
    await login(page);
    await seed(page);
    await page.reload();
    await waitForGrid(page);
    await page.click('[data-testid=tab-Commitments]');
    const expected = await page.evaluate(() =>
      ['CHF', 'USD'].map((currency) =>
        new Intl.NumberFormat(undefined, {
          style: 'currency',
          currency,
          maximumFractionDigits: 0,
        }).format(currency === 'CHF' ? 1_250_000 : 500_000),
      ),
    );
    expect(expected[0]).toMatch(/^CHF.1.250.000$/);
    await expectCell(page, 0, 'Amount', expected[0]);
    await expectCell(page, 1, 'Amount', expected[1]);

    // Typed in francs, in the Swiss way, a CHF commitment reads its own currency back.
    await (await cell(page, 0, 'Amount')).click();
    await page.keyboard.type("CHF 1'300'000");
    await page.keyboard.press('Enter');
    await expectCell(page, 0, 'Amount', expected[0].replace('250', '300'));

    const amount = page.locator('[data-testid=summary-cell][data-field="Amount"]');
    await amount.locator('[data-testid=summary-pick]').selectOption('sum');
    await expectText(amount.locator('[data-testid=summary-value]'), /mixed currencies/);
    const text = (await amount.locator('[data-testid=summary-value]').textContent()) ?? '';
    expect(text).toContain(expected[0].replace('250', '300'));
    expect(text).toContain(expected[1]);
    expect(text).not.toMatch(/1.800.000/);
    await screenshot(page, 'fund-currencies');

    // A fund's own target is in the fund's own currency.
    await page.click('[data-testid=tab-Funds]');
    await page.waitForSelector('[data-testid=tab-Funds].tab--active');
    const targets = await page.evaluate(() =>
      ['CHF', 'USD'].map((currency) =>
        new Intl.NumberFormat(undefined, {
          style: 'currency',
          currency,
          maximumFractionDigits: 0,
        }).format(40_000_000),
      ),
    );
    await expectCell(page, 0, 'Target size', targets[0]);
    await expectCell(page, 1, 'Target size', targets[1]);

    await context.close();
  });
});
