import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type Page, type Request } from 'playwright-core';
import {
  apiFromPage,
  cell,
  eventually,
  expectText,
  gridWithInvestors,
  investors,
  login,
  state,
  waitForGrid,
  waitSaved,
} from './support/app';
import { newPerson, screenshot } from './support/chromium';
import { browserSuite } from './support/suite';

jest.setTimeout(240_000);

/** The names down the frozen first column (the overlay at the left draws them). */
const names = (page: Page) =>
  page.$$eval('[data-testid=grid] .ht_clone_inline_start tbody tr', (trs) =>
    trs.map((tr) => (tr.querySelector('td') as HTMLElement | null)?.innerText.trim() ?? ''),
  );
const headers = (page: Page) =>
  page.$$eval('[data-testid=grid] .ht_clone_top thead th .col-head__name', (els) =>
    els.map((e) => e.textContent),
  );
const frozenHeaders = (page: Page) =>
  page.$$eval(
    '[data-testid=grid] .ht_clone_top_inline_start_corner thead th .col-head__name',
    (els) => els.map((e) => e.textContent),
  );

async function openColumnMenu(page: Page, column: string): Promise<void> {
  const named = (overlay: string) =>
    page
      .locator(`[data-testid=grid] ${overlay} thead th`, {
        has: page.locator('.col-head__name', { hasText: new RegExp(`^${column}$`) }),
      })
      .first();
  // A frozen column's header is drawn on top, in the corner overlay.
  const th = (await named('.ht_clone_top_inline_start_corner').count())
    ? named('.ht_clone_top_inline_start_corner')
    : named('.ht_clone_top');
  await th.hover();
  await th.locator('.changeType').click();
  await page.locator('.htDropdownMenu').first().waitFor();
}

const menuItems = (page: Page) =>
  page.$$eval('.htDropdownMenu td', (tds) =>
    tds.map((td) => td.textContent?.trim() ?? '').filter(Boolean),
  );
const menuItem = (page: Page, name: string) =>
  page.locator('.htDropdownMenu td', { hasText: name }).first().click();

interface ViewJson {
  id: string;
  name: string;
  default: boolean;
  sorts: { field_id: string; direction: string }[];
  hidden_fields: string[];
  frozen_columns: number;
  summaries: Record<string, string>;
  filters: unknown;
}
const defaultView = async (page: Page, tableId: string) =>
  (
    await apiFromPage<{ views: ViewJson[] }>(
      page,
      'GET',
      `/api/fundraising/views?table_id=${tableId}`,
    )
  ).views.find((v) => v.default)!;

/** A locator's box once two looks 50 ms apart agree: not while what loads around it moves it. */
async function settledBox(
  locator: ReturnType<Page['locator']>,
): Promise<{ x: number; y: number; width: number; height: number }> {
  let last = await locator.boundingBox();
  for (let i = 0; i < 40; i++) {
    await new Promise((r) => setTimeout(r, 50));
    const now = await locator.boundingBox();
    if (now && last && now.x === last.x && now.y === last.y && now.width === last.width) return now;
    last = now;
  }
  throw new Error('the element never stood still');
}

describe('the grid around the cells', () => {
  const suite = browserSuite({ admin: true });
  let page: Page;

  beforeAll(async () => {
    page = await gridWithInvestors(
      suite,
      (
        [
          ['Aspen LP', 'Lead', 500_000, 'Morgan'],
          ['Beacon Fund', 'Engaged', 3_000_000, 'Avery'],
          ['Cobalt Trust', 'Committed', 8_000_000, 'Morgan'],
          ['Delta Office', 'Engaged', 1_500_000, 'Sam'],
        ] as const
      ).map(([Name, stage, amount, Owner]) => ({
        Name,
        'Pipeline stage': stage,
        'Target commitment': amount,
        Owner,
      })),
    );
  });

  it('at phone width the record card sits above the view bar: a tap on its Type field reaches the field', async () => {
    const { page: phone, context } = await newPerson(suite.browser, suite.server.url, {
      width: 390,
      height: 844,
    });
    await login(phone);
    // The view freezes Name, but a frozen 220-pixel column would leave a sliver of a phone to scroll.
    expect(await frozenHeaders(phone)).toEqual([]);
    await phone
      .locator('[data-testid=grid] .ht_clone_inline_start tbody tr:nth-child(1) .rh-expand')
      .click();
    const drawer = phone.locator('[data-testid=record-drawer]');
    await drawer.waitFor({ state: 'visible' });
    // Nothing of the grid's chrome shows through the card: wherever a toolbar control is, the card is on top.
    const showingThrough = await phone.evaluate(() =>
      [
        ...document.querySelectorAll<HTMLElement>(
          '[data-testid=view-bar] button, [data-testid=view-bar] select, .grid-toolbar button',
        ),
      ]
        .map((el) => ({ el, r: el.getBoundingClientRect() }))
        .filter(
          ({ r }) =>
            r.width > 0 &&
            r.height > 0 &&
            r.x + r.width / 2 < innerWidth &&
            r.y + r.height / 2 < innerHeight,
        )
        .filter(
          ({ r }) =>
            !document
              .elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)
              ?.closest('[data-testid=record-drawer]'),
        )
        .map(({ el }) => el.textContent?.trim() || el.getAttribute('aria-label') || el.tagName),
    );
    expect(showingThrough).toEqual([]);
    // A tap anywhere on the Type field reaches the field.
    const type = drawer.locator('[data-field="Type"] select');
    for (const at of [0.1, 0.5, 0.9]) {
      // Where the field is once the drawer stands still (what loads above it may move it).
      const box = await settledBox(type);
      const x = box.x + box.width * at;
      const y = box.y + box.height / 2;
      expect(
        await phone.evaluate(
          ([px, py]) => {
            const hit = document.elementFromPoint(px, py);
            return (
              hit?.closest('[data-field]')?.getAttribute('data-field') ??
              hit?.outerHTML.slice(0, 80)
            );
          },
          [x, y],
        ),
      ).toBe('Type');
      await phone.mouse.click(x, y);
      expect(await type.evaluate((el) => el === document.activeElement)).toBe(true);
      await phone.keyboard.press('Escape');
      await drawer.locator('.drawer__title').click();
    }
    await type.selectOption({ index: 1 });
    const picked = await type.inputValue();
    await waitSaved(phone);
    await screenshot(phone, 'drawer-over-view-bar-phone');
    const inv = await investors(phone);
    expect(
      inv.records.find((r) => r.values[inv.field('Name')] === 'Aspen LP')!.values[
        inv.field('Type')
      ],
    ).toBe(picked);
    await context.close();
  });

  it("at phone width the view bar's pop-overs stay on the screen", async () => {
    const { page: phone, context } = await newPerson(suite.browser, suite.server.url, {
      width: 390,
      height: 844,
    });
    await login(phone);
    for (const button of ['view-filter', 'view-sort', 'view-group', 'view-fields']) {
      await phone.click(`[data-testid=${button}]`);
      const pop = phone.locator('.view-popover').first();
      await pop.waitFor({ state: 'visible' });
      const box = (await pop.boundingBox())!;
      const under = (await phone.locator(`[data-testid=${button}]`).boundingBox())!;
      expect({ button, left: box.x >= 0, right: box.x + box.width <= 390 }).toEqual({
        button,
        left: true,
        right: true,
      });
      // It opens below its button, on top of the buttons wrapped under it: what it holds can be reached.
      expect(box.y).toBeGreaterThanOrEqual(under.y + under.height);
      const onTop = await phone.evaluate(
        ([x, y]) => !!document.elementFromPoint(x, y)?.closest('.view-popover'),
        [box.x + 24, box.y + 12],
      );
      expect({ button, onTop }).toEqual({ button, onTop: true });
      if (button === 'view-sort') await screenshot(phone, 'sort-popover-phone');
      // Escape closes it and gives focus back to its button.
      await phone.keyboard.press('Escape');
      await pop.waitFor({ state: 'hidden' });
      expect(
        await phone.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null),
      ).toBe(button);
    }
    await context.close();
  });

  it('counts agree in number and are grouped the same way on the tab and in the view bar', async () => {
    await expectText(page.locator('[data-testid=view-count]'), '4 records');
    const funds = (await state(page)).tables.find((t) => t.role === 'funds')!;
    const nameId = funds.primary_field_id;
    await apiFromPage(page, 'POST', '/api/fundraising/changes', {
      changes: Array.from({ length: 1825 }, (_, i) => ({
        op: 'create',
        table_id: funds.id,
        values: { [nameId]: `Fund ${i + 1}` },
      })),
    });
    await page.reload();
    await waitForGrid(page);
    await expectText(page.locator('[data-testid=tab-Funds] .tab__count'), '1,825');
    await page.click('[data-testid=tab-Funds]');
    await expectText(page.locator('[data-testid=view-count]'), '1,825 records');
    await eventually(async () =>
      expect(
        await page
          .locator('[data-testid=summary-cell][data-field="Name"] [data-testid=summary-value]')
          .textContent(),
      ).toBe('1,825 records'),
    );

    // One record is "1 record", also when a filter leaves one.
    await page.click('[data-testid=view-filter]');
    await page.click('[data-testid=add-condition]');
    await page.selectOption('[data-testid=filter-operator] >> nth=0', 'is');
    await page.click('[data-testid=filter-value] >> nth=0');
    await page.keyboard.type('Fund 1000', { delay: 80 });
    await expectText(page.locator('[data-testid=view-count]'), '1 of 1,825 records');
    await expectText(
      page.locator('[data-testid=summary-cell][data-field="Name"] [data-testid=summary-value]'),
      '1 record',
    );
    await page.click('[data-testid=view-filter]');
    const fundsView = await defaultView(page, funds.id);
    await apiFromPage(page, 'PATCH', `/api/fundraising/views/${fundsView.id}`, { filters: null });
    await page.click('[data-testid=tab-Investors]');
    await page.reload();
    await waitForGrid(page);
    await expectText(page.locator('[data-testid=tab-Investors].tab--active'), /Investors/);

    // Every type in the new-field list is spelled as a label, capital first (not "attachment").
    await page.click('[data-testid=add-field]');
    const labels = await page.$$eval('select[name=field_type] option', (os) =>
      os.map((o) => o.textContent?.trim() ?? ''),
    );
    expect(labels).toContain('Attachment');
    for (const l of labels) expect(l).toMatch(/^[A-Z]/);
    await page.keyboard.press('Escape');
    await page.locator('.modal').waitFor({ state: 'detached' });
  });

  it('the primary field is frozen by default', async () => {
    const inv = await investors(page);
    expect((await defaultView(page, inv.table.id)).frozen_columns).toBe(1);
    await eventually(async () => expect(await frozenHeaders(page)).toEqual(['Name']));
    // Scrolled right to the end, the names stay in sight.
    await page
      .locator('[data-testid=grid] .ht_master .wtHolder')
      .first()
      .evaluate((el) => (el.scrollLeft = el.scrollWidth));
    await eventually(async () => expect(await headers(page)).not.toContain('Type'));
    await eventually(async () =>
      expect((await names(page)).sort()).toEqual([
        'Aspen LP',
        'Beacon Fund',
        'Cobalt Trust',
        'Delta Office',
      ]),
    );
    expect(
      await page
        .locator('[data-testid=grid] .ht_clone_inline_start tbody tr:first-child td')
        .first()
        .isVisible(),
    ).toBe(true);
    await screenshot(page, 'grid-scrolled-frozen-name');
    await page
      .locator('[data-testid=grid] .ht_master .wtHolder')
      .first()
      .evaluate((el) => (el.scrollLeft = 0));

    // Editing a name in the frozen column is editing: Shift+Space types a space (it does not open the record).
    await (await cell(page, 3, 'Name')).click();
    await page.keyboard.press('Enter');
    await page.keyboard.down('Shift');
    await page.keyboard.press('Space');
    await page.keyboard.up('Shift');
    await page.keyboard.type('LP', { delay: 80 });
    expect(await page.evaluate(() => (document.activeElement as HTMLTextAreaElement).value)).toBe(
      'Delta Office LP',
    );
    expect(await page.locator('[data-testid=record-drawer]').count()).toBe(0);
    await page.keyboard.press('Escape');
    await expectText(await cell(page, 3, 'Name'), 'Delta Office');
  });

  it('the column header menu sorts, filters, hides and freezes through the view', async () => {
    const inv = await investors(page);
    await openColumnMenu(page, 'Target commitment');
    const items = await menuItems(page);
    for (const item of [
      'Sort 1 → 9',
      'Sort 9 → 1',
      'Filter by this field…',
      'Hide field',
      'Freeze up to here',
    ])
      expect(items).toContain(item);
    await screenshot(page, 'column-menu');
    await menuItem(page, 'Sort 9 → 1');
    await eventually(async () =>
      expect(await names(page)).toEqual([
        'Cobalt Trust',
        'Beacon Fund',
        'Delta Office',
        'Aspen LP',
      ]),
    );
    await expectText(page.locator('[data-testid=view-sort]'), 'Sort (1)');
    await eventually(async () =>
      expect((await defaultView(page, inv.table.id)).sorts).toEqual([
        { field_id: inv.field('Target commitment'), direction: 'desc' },
      ]),
    );
    await openColumnMenu(page, 'Name');
    expect(await menuItems(page)).toContain('Sort A → Z');
    await menuItem(page, 'Sort A → Z');
    await eventually(async () =>
      expect(await names(page)).toEqual([
        'Aspen LP',
        'Beacon Fund',
        'Cobalt Trust',
        'Delta Office',
      ]),
    );
    // The newest sort comes first; the one before stays as a tie-breaker.
    await eventually(async () =>
      expect((await defaultView(page, inv.table.id)).sorts.map((x) => x.field_id)).toEqual([
        inv.field('Name'),
        inv.field('Target commitment'),
      ]),
    );

    await openColumnMenu(page, 'Owner');
    await menuItem(page, 'Filter by this field…');
    const field = page.locator('[data-testid=filter-field]').last();
    await field.waitFor();
    expect(await field.inputValue()).toBe(inv.field('Owner'));
    // The value box has the focus: the person just types.
    await page.keyboard.type('Morgan', { delay: 80 });
    await expectText(page.locator('[data-testid=view-count]'), '2 of 4 records');
    await screenshot(page, 'filter-from-column-menu');
    await page.click('[data-testid=view-filter]');
    await eventually(async () =>
      expect(JSON.stringify((await defaultView(page, inv.table.id)).filters)).toContain(
        '"value":"Morgan"',
      ),
    );

    await openColumnMenu(page, 'Name');
    expect(
      await page
        .locator('.htDropdownMenu tr', { hasText: 'Hide field' })
        .first()
        .locator('td')
        .getAttribute('class'),
    ).toContain('htDisabled');
    await page.keyboard.press('Escape');
    await openColumnMenu(page, 'Owner');
    await menuItem(page, 'Hide field');
    await eventually(async () => expect(await headers(page)).not.toContain('Owner'));
    await expectText(page.locator('[data-testid=view-fields]'), 'Fields (1 hidden)');

    // A freeze saves the freeze alone: the columns' order and widths stay as they were, unsaved.
    const layoutSaves: string[] = [];
    const seeLayoutSave = (r: Request) => {
      if (r.method() === 'PATCH' && (r.postData() ?? '').includes('field_order'))
        layoutSaves.push(r.postData()!);
    };
    page.on('request', seeLayoutSave);
    await openColumnMenu(page, 'Status');
    await menuItem(page, 'Freeze up to here');
    await eventually(async () =>
      expect(await frozenHeaders(page)).toEqual(['Name', 'Type', 'Status']),
    );
    await eventually(async () =>
      expect((await defaultView(page, inv.table.id)).frozen_columns).toBe(3),
    );
    await openColumnMenu(page, 'Status');
    await menuItem(page, 'Unfreeze columns');
    await eventually(async () => expect(await frozenHeaders(page)).toEqual([]));
    await openColumnMenu(page, 'Name');
    await menuItem(page, 'Freeze up to here');
    await eventually(async () =>
      expect((await defaultView(page, inv.table.id)).frozen_columns).toBe(1),
    );
    // A layout save comes half a second after a change: wait past it.
    await page.waitForTimeout(800);
    page.off('request', seeLayoutSave);
    expect(layoutSaves).toEqual([]);

    // Back to every record, every field.
    await apiFromPage(
      page,
      'PATCH',
      `/api/fundraising/views/${(await defaultView(page, inv.table.id)).id}`,
      { filters: null, sorts: [], hidden_fields: [] },
    );
    await page.reload();
    await waitForGrid(page);
  });

  it("a view's changes in quick succession are saved in order, the last one kept", async () => {
    const inv = await investors(page);
    // The first save is slow on its way (a busy network); the second must not overtake it.
    await page.route('**/api/fundraising/views/*', async (route) => {
      const body = route.request().postData() ?? '';
      if (route.request().method() === 'PATCH' && body.includes('"frozen_columns":2'))
        await new Promise((r) => setTimeout(r, 1000));
      await route.continue();
    });
    try {
      await openColumnMenu(page, 'Type');
      await menuItem(page, 'Freeze up to here');
      await eventually(async () => expect(await frozenHeaders(page)).toEqual(['Name', 'Type']));
      await openColumnMenu(page, 'Name');
      await menuItem(page, 'Freeze up to here');
      await eventually(async () => expect(await frozenHeaders(page)).toEqual(['Name']));
      await new Promise((r) => setTimeout(r, 1500));
      expect((await defaultView(page, inv.table.id)).frozen_columns).toBe(1);
      expect(await frozenHeaders(page)).toEqual(['Name']);
    } finally {
      await page.unroute('**/api/fundraising/views/*');
    }
  });

  it('the summary bar sums the rows the view shows, follows filters and edits, and is kept with the view', async () => {
    const inv = await investors(page);
    const target = page.locator('[data-testid=summary-cell][data-field="Target commitment"]');
    await target.locator('[data-testid=summary-pick]').selectOption('sum');
    await expectText(target.locator('[data-testid=summary-value]'), '$13,000,000');
    expect(await target.locator('.summary-cell__label').textContent()).toBe('Sum');
    const stage = page.locator('[data-testid=summary-cell][data-field="Pipeline stage"]');
    await stage.locator('[data-testid=summary-pick]').selectOption('unique');
    await expectText(stage.locator('[data-testid=summary-value]'), '3');
    await screenshot(page, 'summary-bar');

    // Only the rows the view shows count.
    await page.click('[data-testid=view-filter]');
    await page.click('[data-testid=add-condition]');
    await page.selectOption('[data-testid=filter-field] >> nth=0', { label: 'Pipeline stage' });
    await page.selectOption('[data-testid=filter-operator] >> nth=0', 'is');
    await page.locator('[data-testid=filter-value]').first().selectOption('Engaged');
    await expectText(page.locator('[data-testid=view-count]'), '2 of 4 records');
    await page.click('[data-testid=view-filter]');
    await expectText(target.locator('[data-testid=summary-value]'), '$4,500,000');
    await expectText(stage.locator('[data-testid=summary-value]'), '1');

    // An edit shows at once.
    const amount = await cell(page, 0, 'Target commitment');
    await amount.click();
    await page.keyboard.type('4000000', { delay: 80 });
    await page.keyboard.press('Enter');
    await waitSaved(page);
    const edited = (await investors(page)).records
      .filter((r) => r.values[inv.field('Pipeline stage')] === 'Engaged')
      .reduce((sum, r) => sum + Number(r.values[inv.field('Target commitment')]), 0);
    await expectText(
      target.locator('[data-testid=summary-value]'),
      `$${edited.toLocaleString('en-US')}`,
    );

    // Average instead, then a reload: the choice is the view's.
    await target.locator('[data-testid=summary-pick]').selectOption('average');
    await expectText(target.locator('.summary-cell__label'), 'Average');
    await expectText(
      target.locator('[data-testid=summary-value]'),
      `$${(edited / 2).toLocaleString('en-US')}`,
    );
    await eventually(async () =>
      expect((await defaultView(page, inv.table.id)).summaries).toEqual({
        [inv.field('Target commitment')]: 'average',
        [inv.field('Pipeline stage')]: 'unique',
      }),
    );
    await page.reload();
    await waitForGrid(page);
    await expectText(
      page.locator(
        '[data-testid=summary-cell][data-field="Target commitment"] [data-testid=summary-value]',
      ),
      `$${(edited / 2).toLocaleString('en-US')}`,
    );

    // A summary that does not fit its field is refused by the server, naming it.
    const view = await defaultView(page, inv.table.id);
    const refused = await page.evaluate(
      async ({ id, field }) => {
        const res = await fetch(`/api/fundraising/views/${id}`, {
          method: 'PATCH',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'XMLHttpRequest' },
          body: JSON.stringify({ summaries: { [field]: 'sum' } }),
        });
        return { status: res.status, body: await res.json() };
      },
      { id: view.id, field: inv.field('Owner') },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.details).toMatchObject({
      field: `summaries.${inv.field('Owner')}`,
      reason: 'summary_does_not_fit',
    });
  });

  it("on a view locked by an admin, a member's summary pick stays in their browser and leaves the view alone", async () => {
    const inv = await investors(page);
    const view = await defaultView(page, inv.table.id);
    await apiFromPage(page, 'PATCH', `/api/fundraising/views/${view.id}`, { locked: true });
    const invite = await apiFromPage<{ token: string }>(page, 'POST', '/api/admin/invites', {
      email: 'sam@fund.example',
      role: 'member',
    });
    const { page: sam, context } = await newPerson(suite.browser, suite.server.url);
    await sam.goto('/login');
    await apiFromPage(sam, 'POST', '/api/auth/accept-invite', {
      token: invite.token,
      name: 'Sam Member',
      password: 'copper-meadow-lantern-77',
    });
    // Accepting signs Sam in.
    await sam.goto('/grid');
    await waitForGrid(sam);
    const committed = sam.locator('[data-testid=summary-cell][data-field="Target commitment"]');
    await expectText(committed.locator('.summary-cell__label'), 'Average');
    await committed.locator('[data-testid=summary-pick]').selectOption('max');
    await expectText(committed.locator('.summary-cell__label'), 'Max');
    // The view still shows only the Engaged investors: Beacon Fund (now 4,000,000) and Delta Office.
    await expectText(committed.locator('[data-testid=summary-value]'), '$4,000,000');
    expect(await sam.locator('.toast').count()).toBe(0);
    await sam.reload();
    await waitForGrid(sam);
    await expectText(
      sam.locator(
        '[data-testid=summary-cell][data-field="Target commitment"] .summary-cell__label',
      ),
      'Max',
    );
    // The view, and so everyone else's bar, is unchanged.
    expect((await defaultView(page, inv.table.id)).summaries).toEqual(view.summaries);
    await context.close();
    await apiFromPage(page, 'PATCH', `/api/fundraising/views/${view.id}`, { locked: false });
  });
});
