import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type Page } from 'playwright-core';
import { apiFromPage, eventually, expectText, login, state, waitForGrid } from './support/app';
import { newPerson, screenshot } from './support/chromium';
import { ADMIN } from './support/server';
import { clickBar } from './support/charts';
import { browserSuite } from './support/suite';

jest.setTimeout(240_000);

type Ids = Awaited<ReturnType<typeof seed>>;

/** Two funds in two currencies and a few commitments, through the API. */
async function seed(page: Page) {
  const s = await state(page);
  const table = (role: string) => s.tables.find((t) => t.role === role)!;
  const field = (role: string, name: string) => table(role).fields.find((f) => f.name === name)!.id;
  const create = async (role: string, values: Record<string, unknown>) => {
    const res = await apiFromPage<{ applied: { record_id: string }[] }>(
      page,
      'POST',
      '/api/fundraising/changes',
      {
        changes: [
          {
            op: 'create',
            table_id: table(role).id,
            values: Object.fromEntries(Object.entries(values).map(([k, v]) => [field(role, k), v])),
          },
        ],
      },
    );
    return res.applied[0].record_id;
  };
  const f1 = await create('funds', { Name: 'Fund I', 'Target size': 10_000_000, Currency: 'USD' });
  const f2 = await create('funds', { Name: 'Fund II', 'Target size': 5_000_000, Currency: 'EUR' });
  const yale = await create('investors', { Name: 'Yale', 'Pipeline stage': 'Committed' });
  const acme = await create('investors', { Name: 'Acme', 'Pipeline stage': 'Engaged' });
  const commit = (name: string, inv: string, fund: string, amount: number, status: string) =>
    create('commitments', {
      Name: name,
      Investor: [inv],
      Fund: [fund],
      Amount: amount,
      Status: status,
      Date: '2026-03-01',
    });
  await commit('Yale in Fund I', yale, f1, 3_000_000, 'Soft');
  await commit('Acme in Fund I', acme, f1, 1_000_000, 'Signed');
  await commit('Acme in Fund II', acme, f2, 2_000_000, 'Soft');
  await apiFromPage(page, 'POST', '/api/reminders', {
    record_id: acme,
    title: 'Send the deck',
    due_date: new Date().toISOString().slice(0, 10),
  });
  return { commitments: table('commitments').id, investors: table('investors').id, acme };
}

describe('the pipeline dashboard in the browser', () => {
  const suite = browserSuite({ admin: true });
  let page: Page;
  let ids: Ids;

  beforeAll(async () => {
    ({ page } = await newPerson(suite.browser, suite.server.url));
    await login(page);
    ids = await seed(page);
  });

  it('draws the funds, the funnel, the timeline and staleness, with amounts in each fund’s currency', async () => {
    await page.click('[data-testid=nav-dashboard]');
    await page.waitForSelector('[data-testid=chart-funds] canvas');
    await expectText(
      page.locator('.dash__figures li').first(),
      /Fund I\s+\$4,000,000 of \$10,000,000/,
    );
    await expectText(
      page.locator('.dash__figures li').nth(1),
      /Fund II\s+€2,000,000 of €5,000,000/,
    );
    for (const name of ['funnel', 'timeline', 'staleness'])
      await page.waitForSelector(`[data-testid=chart-${name}] canvas`);
    await screenshot(page, 'dashboard-desktop');
  });

  it('opens the records behind a bar: a click on Fund I’s Soft segment lands on those commitments', async () => {
    await clickBar(page, 'funds', 0, 0);
    await page.waitForURL(new RegExp(`/grid/${ids.commitments}`));
    await waitForGrid(page);
    await expectText(
      page.locator('[data-testid=view-select] option:checked'),
      /From the dashboard/,
    );
    await eventually(async () =>
      expect(await page.locator('[data-testid=view-count]').textContent()).toBe('1 of 3 records'),
    );
    await expectText(
      page.locator('[data-testid=grid] .ht_master tbody tr').first(),
      /Yale in Fund I/,
    );
  });

  it('lists the reminders due this week of the owner whose bar is clicked, each opening its record', async () => {
    await page.goto('/dashboard');
    await page.waitForSelector('[data-testid=chart-reminders] canvas');
    const at = await page.$eval('[data-testid=chart-reminders]', (el) => {
      const c = (
        el as unknown as {
          chart: {
            getOption(): { series: { data: number[] }[] };
            convertToPixel(f: object, v: number[]): number[];
          };
        }
      ).chart;
      return c.convertToPixel({ seriesIndex: 0 }, [0, Number(c.getOption().series[0].data[0]) / 2]);
    });
    const box = (await page
      .locator('[data-testid=chart-reminders] .dash-card__chart')
      .boundingBox())!;
    await page.mouse.click(box.x + at[0], box.y + at[1]);
    const item = page.locator('[data-testid=dash-reminders] li').first();
    await expectText(item, /Acme\s+· Send the deck/);
    await item.locator('button').click();
    await page.waitForURL(new RegExp(`/grid/${ids.investors}\\?record=${ids.acme}`));
  });

  it('is the first page after signing in for someone who chooses it', async () => {
    const person = await newPerson(suite.browser, suite.server.url);
    await login(person.page);
    await person.page.goto('/dashboard');
    const box = person.page.locator('[data-testid=dash-start-page]');
    await box.check();
    await eventually(async () =>
      expect(
        (await apiFromPage<{ start_page: string }>(person.page, 'GET', '/api/auth/me/settings'))
          .start_page,
      ).toBe('dashboard'),
    );
    const again = await newPerson(suite.browser, suite.server.url);
    await again.page.goto('/login');
    await again.page.fill('input[name=email]', ADMIN.email);
    await again.page.fill('input[name=password]', ADMIN.password);
    await again.page.click('button[type=submit]');
    await again.page.waitForURL(/\/dashboard$/);
    await again.page.waitForSelector('[data-testid=chart-funds] canvas');
    expect(await again.page.locator('[data-testid=dash-start-page]').isChecked()).toBe(true);
    // Back to the grid, for the pages after this one.
    await again.page.locator('[data-testid=dash-start-page]').uncheck();
    await eventually(async () =>
      expect(
        (await apiFromPage<{ start_page: string }>(again.page, 'GET', '/api/auth/me/settings'))
          .start_page,
      ).toBe('grid'),
    );
  });

  it('opens the chosen start page at the root, from the logo and for an unknown address', async () => {
    const person = await newPerson(suite.browser, suite.server.url);
    await login(person.page);
    const choose = (start_page: string) =>
      apiFromPage(person.page, 'PATCH', '/api/auth/me/settings', { start_page });
    await choose('dashboard');
    await person.page.goto('/');
    await person.page.waitForURL(/\/dashboard$/);
    await person.page.waitForSelector('[data-testid=chart-funds] canvas');
    await person.page.goto('/grid');
    await waitForGrid(person.page);
    await person.page.click('.brand');
    await person.page.waitForURL(/\/dashboard$/);
    await person.page.goto('/no-such-page');
    await person.page.waitForURL(/\/dashboard$/);
    // Back to the grid: the root follows the change.
    await choose('grid');
    await person.page.goto('/');
    await person.page.waitForURL(/\/grid$/);
    await waitForGrid(person.page);
  });

  it('counts the conversion over the period picked, kept in the address', async () => {
    await page.goto('/dashboard');
    const conversion = page.locator('[data-testid=dash-conversion]');
    const engaged = conversion
      .locator('tr', { hasText: 'Engaged → Diligence' })
      .locator('td')
      .nth(1);
    // The investors entered their stages today: inside the last 30 days.
    await page.selectOption('[data-testid=dash-period]', 'last30');
    await page.waitForURL(/\/dashboard\?period=last30$/);
    await expectText(engaged, '0 of 1');
    await page.selectOption('[data-testid=dash-period]', 'custom');
    await page.fill('[data-testid=dash-from]', '2025-01-01');
    await page.fill('[data-testid=dash-to]', '2025-06-30');
    await page.waitForURL(/period=custom&from=2025-01-01&to=2025-06-30$/);
    await expectText(conversion.locator('caption'), /1\/1\/2025\s+–\s+6\/30\/2025/);
    expect(await engaged.textContent()).toBe('0 of 0');
    // The link alone reproduces it.
    const other = await newPerson(suite.browser, suite.server.url);
    await login(other.page);
    await other.page.goto('/dashboard?period=custom&from=2025-01-01&to=2025-06-30');
    await expectText(
      other.page.locator('[data-testid=dash-conversion] caption'),
      /1\/1\/2025\s+–\s+6\/30\/2025/,
    );
    expect(await other.page.inputValue('[data-testid=dash-period]')).toBe('custom');
    expect(await other.page.inputValue('[data-testid=dash-from]')).toBe('2025-01-01');
    await page.selectOption('[data-testid=dash-period]', 'year');
    await page.waitForURL(/\/dashboard\?period=year$/);
    await expectText(
      conversion.locator('caption'),
      new RegExp(`1/1/${new Date().getUTCFullYear()}\\s+–`),
    );
  });

  it('reads at phone width', async () => {
    const phone = await newPerson(suite.browser, suite.server.url, { width: 390, height: 844 });
    await login(phone.page);
    await phone.page.goto('/dashboard?period=custom&from=2026-01-01&to=2026-03-31');
    await phone.page.waitForSelector('[data-testid=chart-staleness] canvas');
    for (const control of ['dash-period', 'dash-from', 'dash-to']) {
      const box = (await phone.page.locator(`[data-testid=${control}]`).boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    const width = await phone.page.$eval(
      '[data-testid=chart-funds]',
      (el) => el.getBoundingClientRect().width,
    );
    expect(width).toBeLessThanOrEqual(390);
    await screenshot(phone.page, 'dashboard-phone');
    await phone.page.screenshot({
      path: 'test/artifacts/dashboard-phone-full.png',
      fullPage: true,
    });
  });
});
