import { describe, expect, it, jest } from '@jest/globals';
import { type Page } from 'playwright-core';
import {
  apiFromPage,
  cell,
  eventually,
  expectCell,
  expectText,
  investors,
  login,
  state,
  waitForGrid,
  waitSaved,
} from './support/app';
import { screenshot } from './support/chromium';
import { browserSuite, type BrowserSuite } from './support/suite';

jest.setTimeout(240_000);

/** Typed at a person's pace, so that every keystroke goes through the editor as it would. */
const HUMAN = { delay: 80 };

interface LocaleCase {
  /** Typed into a Target commitment cell, and the amount it must store. */
  grid: [string, number][];
  /** Refused in the grid and the drawer rather than guessed, and the words of the refusal. */
  refused: [string, RegExp];
  /** How the drawer shows 1,250,000.5 in this locale. */
  display: RegExp;
  /** Typed into the drawer, and the amount it must store. */
  drawer: [string, number];
}

const SPACE = '[\\u0020\\u00A0\\u202F]';
const CASES: Record<string, LocaleCase> = {
  'de-CH': {
    grid: [
      ["1'000'000", 1_000_000],
      ['1.5', 1.5],
      ['1,25', 1.25],
      ["CHF 1'250.50", 1250.5],
      ['2.5M', 2_500_000],
    ],
    refused: ['1,500', /could be read two ways\. The decimal mark here is “\.”/],
    display: new RegExp(`^\\$${SPACE}?1['’]250['’]000\\.5$`),
    drawer: ["1'500'000.25", 1_500_000.25],
  },
  'de-DE': {
    grid: [
      ['1.500,50', 1500.5],
      ['1,5', 1.5],
      ['2,5M', 2_500_000],
      ['1.000.000', 1_000_000],
    ],
    refused: ['1.5', /The decimal mark here is “,”/],
    display: new RegExp(`^1\\.250\\.000,5${SPACE}\\$$`),
    drawer: ['2.500,75', 2500.75],
  },
  'fr-CH': {
    grid: [
      ['1 500,50', 1500.5],
      ["1'000.50", 1000.5],
      ['1,5', 1.5],
      ['2,5M', 2_500_000],
    ],
    refused: ['1.500', /could be read two ways\. The decimal mark here is “,”/],
    display: new RegExp(`^1${SPACE}250${SPACE}000,5${SPACE}\\$US$`),
    drawer: ['2 500,75', 2500.75],
  },
  'en-US': {
    grid: [
      ['1,500.50', 1500.5],
      ["1'000'000", 1_000_000],
      ['2.5M', 2_500_000],
      ['$750,000', 750_000],
    ],
    refused: ['1,5', /The decimal mark here is “\.”/],
    display: /^\$1,250,000\.5$/,
    drawer: ['2,500.75', 2500.75],
  },
};

async function personIn(
  suite: BrowserSuite,
  locale: string,
  viewport = { width: 1280, height: 800 },
) {
  const context = await suite.browser.newContext({
    baseURL: suite.server.url,
    viewport,
    locale,
    timezoneId: 'UTC',
  });
  const page = await context.newPage();
  page.on('dialog', (d) => void d.accept());
  page.on('pageerror', (e) => process.stderr.write(`[browser page error] ${e.message}\n`));
  await login(page);
  return { context, page };
}

async function amountOf(page: Page, recordId: string): Promise<unknown> {
  const inv = await investors(page);
  return inv.records.find((r) => r.id === recordId)?.values[inv.field('Target commitment')];
}

async function setAmount(page: Page, recordId: string, to: number) {
  const inv = await investors(page);
  const from =
    inv.records.find((r) => r.id === recordId)?.values[inv.field('Target commitment')] ?? null;
  await apiFromPage(page, 'POST', '/api/fundraising/changes', {
    changes: [
      { op: 'set', record_id: recordId, field_id: inv.field('Target commitment'), from, to },
    ],
  });
}

describe('amounts typed the way each locale writes them', () => {
  const suite = browserSuite({ admin: true });

  it.each(Object.keys(CASES))(
    "%s: the grid and the record drawer read the locale's marks, show them, and read their own display back",
    async (locale) => {
      const c = CASES[locale];
      const { context, page } = await personIn(suite, locale);
      const inv = await investors(page);
      const created = await apiFromPage<{ applied: { record_id: string }[] }>(
        page,
        'POST',
        '/api/fundraising/changes',
        {
          changes: [
            {
              op: 'create',
              table_id: inv.table.id,
              values: { [inv.field('Name')]: `Investor in ${locale}` },
            },
          ],
        },
      );
      const id = created.applied[0].record_id;
      await page.reload();
      await waitForGrid(page);
      const row = (await investors(page)).records.findIndex((r) => r.id === id);

      // The grid: each text stores its amount.
      for (const [text, amount] of c.grid) {
        await (await cell(page, row, 'Target commitment')).click();
        await page.keyboard.type(text, HUMAN);
        await page.keyboard.press('Enter');
        await waitSaved(page);
        await eventually(async () =>
          expect([text, await amountOf(page, id)]).toEqual([text, amount]),
        );
      }

      // Refused, not guessed: the editor stays open with the reason, and nothing is stored.
      const before = await amountOf(page, id);
      await (await cell(page, row, 'Target commitment')).click();
      await page.keyboard.type(c.refused[0], HUMAN);
      await page.keyboard.press('Enter');
      await expectText(page.locator('[data-testid=cell-message]'), c.refused[1]);
      await page.keyboard.press('Escape');
      await waitSaved(page);
      expect(await amountOf(page, id)).toBe(before);

      // The cell shows dollars as the locale writes them, at the field's 0 places; the drawer shows
      // every digit, and an edit of that display reads back.
      await setAmount(page, id, 1_250_000.5);
      await expectCell(
        page,
        row,
        'Target commitment',
        await page.evaluate(() => {
          const marks = new Intl.NumberFormat().formatToParts(1234.5);
          const mark = (type: string) => marks.find((p) => p.type === type)?.value ?? '';
          return new Intl.NumberFormat(undefined, {
            style: 'currency',
            currency: 'USD',
            maximumFractionDigits: 0,
          })
            .formatToParts(1250000.5)
            .map((p) => (p.type === 'group' ? mark('group') : p.value))
            .join('');
        }),
      );
      await page
        .locator(
          `[data-testid=grid] .ht_clone_inline_start tbody tr:nth-child(${row + 1}) .rh-expand`,
        )
        .click();
      const drawer = page.locator('[data-testid=record-drawer]');
      const input = drawer.locator('[data-field="Target commitment"] input');
      await eventually(async () => expect(await input.inputValue()).toMatch(c.display));
      await input.click();
      // The caret after the last digit (before a currency written after the amount, as in de-DE).
      await page.keyboard.press('End');
      const after = await input.evaluate((el) => {
        const v = (el as HTMLInputElement).value;
        let i = v.length;
        while (i > 0 && !/\d/.test(v[i - 1])) i--;
        return v.length - i;
      });
      for (let i = 0; i < after; i++) await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('Backspace');
      await page.keyboard.type('75', HUMAN);
      await page.keyboard.press('Enter');
      await waitSaved(page);
      await eventually(async () => expect(await amountOf(page, id)).toBe(1_250_000.75));

      await input.click();
      await page.keyboard.press('Control+A');
      await page.keyboard.type(c.drawer[0], HUMAN);
      await page.keyboard.press('Enter');
      await waitSaved(page);
      await eventually(async () => expect(await amountOf(page, id)).toBe(c.drawer[1]));

      await input.click();
      await page.keyboard.press('Control+A');
      await page.keyboard.type(c.refused[0], HUMAN);
      await page.keyboard.press('Enter');
      await expectText(
        drawer.locator('[data-field="Target commitment"] .field-row__error'),
        c.refused[1],
      );
      expect(await amountOf(page, id)).toBe(c.drawer[1]);
      await screenshot(page, `locale-drawer-${locale}`);
      await context.close();
    },
  );

  it.each([
    ['de-DE', '1,5M', '1.5M'],
    ['en-US', '1.5M', '1,5M'],
  ])(
    "%s: the filter's number box reads %s like a cell, and refuses %s with the reason",
    async (locale, good, bad) => {
      const { context, page } = await personIn(suite, locale);
      const inv = await investors(page);
      const amounts = [500_000, 1_250_000, 2_000_000, 3_000_000];
      for (const [i, r] of inv.records.slice(0, 4).entries())
        await setAmount(page, r.id, amounts[i]);
      await page.reload();
      await waitForGrid(page);
      const total = (await state(page)).tables.find((t) => t.role === 'investors')!.records.length;

      await page.click('[data-testid=view-menu]');
      await page.click('[data-testid=view-create]');
      await page.fill('[data-testid=view-name]', `Large in ${locale}`);
      await page.click('[data-testid=view-confirm]');
      await page.locator('.modal').waitFor({ state: 'detached' });
      await page.click('[data-testid=view-filter]');
      await page.click('[data-testid=add-condition]');
      await page.selectOption('[data-testid=filter-field] >> nth=0', {
        label: 'Target commitment',
      });
      await page.selectOption('[data-testid=filter-operator] >> nth=0', '>=');
      const box = page.locator('[data-testid=filter-value]').first();
      await box.click();
      await page.keyboard.type(good, HUMAN);
      await expectText(page.locator('[data-testid=view-count]'), `2 of ${total} records`);

      await box.fill('');
      await box.click();
      await page.keyboard.type(bad, HUMAN);
      await page.keyboard.press('Tab');
      await expectText(
        page.locator('[data-testid=filter-value-error]'),
        /The decimal mark here is/,
      );
      expect(await box.getAttribute('aria-invalid')).toBe('true');
      // The filter keeps its last complete number until the box reads as one.
      await expectText(page.locator('[data-testid=view-count]'), `${total} records`);
      await screenshot(page, `locale-filter-${locale}`);
      await context.close();
    },
  );

  it("shows the fund's vintage as a year, 2026, and amounts with their separators", async () => {
    const { context, page } = await personIn(suite, 'en-US');
    const s = await state(page);
    const funds = s.tables.find((t) => t.role === 'funds')!;
    const field = (name: string) => funds.fields.find((f) => f.name === name)!.id;
    await apiFromPage(page, 'POST', '/api/fundraising/changes', {
      changes: [
        {
          op: 'create',
          table_id: funds.id,
          values: {
            [field('Name')]: 'Fund IV',
            [field('Vintage')]: 2026,
            [field('Target size')]: 250_000_000,
          },
        },
      ],
    });
    await page.click('[data-testid=tab-Funds]');
    await page.waitForSelector('[data-testid=tab-Funds].tab--active');
    await expectCell(page, 0, 'Vintage', '2026');
    await expectCell(page, 0, 'Target size', '$250,000,000');

    // A new number field with the separator turned off in the field dialog.
    await page.click('[data-testid=add-field]');
    await page.fill('input[name=field_name]', 'Year closed');
    await page.selectOption('select[name=field_type]', 'number');
    await page.uncheck('[data-testid=field-grouping]');
    await page.click('.modal button[type=submit]');
    await page.locator('.modal').waitFor({ state: 'detached' });
    const added = (await state(page)).tables
      .find((t) => t.role === 'funds')!
      .fields.find((f) => f.name === 'Year closed') as unknown as { id: string; options: unknown };
    expect(added.options).toEqual({ precision: 0, thousands_separator: false });
    const fund = (await state(page)).tables.find((t) => t.role === 'funds')!.records[0];
    await apiFromPage(page, 'POST', '/api/fundraising/changes', {
      changes: [{ op: 'set', record_id: fund.id, field_id: added.id, from: null, to: 2031 }],
    });
    await expectCell(page, 0, 'Year closed', '2031');
    await context.close();
  });

  it.each(['de-CH', 'de-DE', 'fr-CH', 'en-GB', 'en-US'])(
    '%s: an amount in francs is typed, stored, shown in CHF, edited and read back as the same value',
    async (locale) => {
      const { context, page } = await personIn(suite, locale);
      const name = `Ticket ${locale}`;
      await page.click('[data-testid=add-field]');
      await page.fill('input[name=field_name]', name);
      await page.selectOption('select[name=field_type]', 'currency');
      await page.selectOption('[data-testid=field-currency]', 'CHF');
      await page.fill('input[name=field_precision]', '2');
      await page.click('.modal button[type=submit]');
      await page.locator('.modal').waitFor({ state: 'detached' });
      let inv = await investors(page);
      await apiFromPage(page, 'POST', '/api/fundraising/changes', {
        changes: [{ op: 'create', table_id: inv.table.id, values: { [inv.field('Name')]: name } }],
      });
      inv = await investors(page);
      const row = inv.records.findIndex((r) => r.values[inv.field('Name')] === name);
      const field = (await state(page)).tables
        .find((t) => t.id === inv.table.id)!
        .fields.find((f) => f.name === name) as unknown as { id: string; options: unknown };
      expect(field.options).toEqual({ currency: 'CHF', precision: 2 });

      // Typed with the locale's marks at a person's pace, into the first investor's cell.
      const marks = await page.evaluate(() => {
        const parts = new Intl.NumberFormat().formatToParts(1234.5);
        return { decimal: parts.find((p) => p.type === 'decimal')!.value };
      });
      // The new column is the last one: scroll the grid to it (columns off screen are not drawn).
      await page
        .locator('[data-testid=grid] .ht_master .wtHolder')
        .first()
        .evaluate((el) => (el.scrollLeft = el.scrollWidth));
      const target = await cell(page, row, name);
      await target.click();
      await page.keyboard.type(`1250${marks.decimal}5`, HUMAN);
      await page.keyboard.press('Enter');
      await waitSaved(page);
      const stored = async () =>
        (await investors(page)).records.find((r) => r.id === inv.records[row].id)?.values[field.id];
      await eventually(async () => expect(await stored()).toBe(1250.5));
      const shown = (await target.textContent())?.trim() ?? '';
      expect(shown).toMatch(/CHF/);
      expect(shown).toMatch(new RegExp(`1.?250\\${marks.decimal}50`));

      // Edited: the editor opens on the plain amount; taken as it is, the value does not move.
      await target.click();
      await page.keyboard.press('Enter');
      await page.keyboard.press('Enter');
      await waitSaved(page);
      expect(await stored()).toBe(1250.5);
      await context.close();
    },
  );

  it('de-CH in Zurich: the record drawer shows a date-time on the local clock and stores the moment it names', async () => {
    const context = await suite.browser.newContext({
      baseURL: suite.server.url,
      viewport: { width: 1280, height: 800 },
      locale: 'de-CH',
      timezoneId: 'Europe/Zurich',
    });
    const page = await context.newPage();
    page.on('dialog', (d) => void d.accept());
    await login(page);
    await page.click('[data-testid=add-field]');
    await page.fill('input[name=field_name]', 'Next call');
    await page.selectOption('select[name=field_type]', 'date_time');
    await page.click('.modal button[type=submit]');
    await page.locator('.modal').waitFor({ state: 'detached' });
    let inv = await investors(page);
    await apiFromPage(page, 'POST', '/api/fundraising/changes', {
      changes: [
        {
          op: 'create',
          table_id: inv.table.id,
          values: {
            [inv.field('Name')]: 'Zurich Pension Fund',
            [inv.field('Next call')]: '2026-07-01T12:00:00.000Z',
          },
        },
      ],
    });
    inv = await investors(page);
    const id = inv.records.find((r) => r.values[inv.field('Name')] === 'Zurich Pension Fund')!.id;
    const row = inv.records.findIndex((r) => r.id === id);
    await (await cell(page, row, 'Name')).click();
    await page.keyboard.press('Shift+Space');
    const input = page.locator('[data-testid=record-drawer] [data-field="Next call"] input');
    // Noon UTC in July is two in the afternoon in Zurich.
    await eventually(async () => expect(await input.inputValue()).toBe('2026-07-01T14:00'));
    await input.fill('2026-12-24T09:30');
    await input.press('Enter');
    await waitSaved(page);
    // Half past nine on Christmas Eve in Zurich (winter time) is half past eight UTC.
    await eventually(async () =>
      expect(
        (await investors(page)).records.find((r) => r.id === id)?.values[inv.field('Next call')],
      ).toBe('2026-12-24T08:30:00.000Z'),
    );
    await context.close();
  });
});
