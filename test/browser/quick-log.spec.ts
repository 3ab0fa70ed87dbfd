import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { BrowserContext, Page } from 'playwright-core';
import { apiFromPage, eventually, expectText, investors, login, state } from './support/app';
import { axeViolations, describeViolations } from './support/axe';
import { screenshot } from './support/chromium';
import { typeLikeAPerson } from './support/person-typing';
import { browserSuite } from './support/suite';

jest.setTimeout(180_000);

interface InteractionJson {
  contact_id: string | null;
  occurred_at: string;
  summary: string;
  kind: string;
}

describe('the quick log: when, with whom, and an investor searched as it is typed', () => {
  const suite = browserSuite({ admin: true });
  let context: BrowserContext;
  let page: Page;
  let harbor = '';
  let dana = '';
  let tableId = '';
  const interactions = async (recordId: string) =>
    (
      await apiFromPage<{ interactions: InteractionJson[] }>(
        page,
        'GET',
        `/api/fundraising/records/${recordId}/interactions`,
      )
    ).interactions;

  beforeAll(async () => {
    // A partner in Zurich: the time typed is Zurich's, the instant stored is UTC.
    context = await suite.browser.newContext({
      baseURL: suite.server.url,
      viewport: { width: 1440, height: 900 },
      locale: 'en-US',
      timezoneId: 'Europe/Zurich',
      bypassCSP: true,
    });
    page = await context.newPage();
    page.on('dialog', (d) => void d.accept());
    await login(page);
    const inv = await investors(page);
    tableId = inv.table.id;
    await apiFromPage(page, 'POST', '/api/fundraising/changes', {
      changes: [
        { op: 'create', table_id: tableId, values: { [inv.field('Name')]: 'Harbor LP' } },
        { op: 'create', table_id: tableId, values: { [inv.field('Name')]: 'Pier Partners' } },
      ],
    });
    harbor = (await investors(page)).records.find(
      (r) => r.values[inv.field('Name')] === 'Harbor LP',
    )!.id;
    const contacts = (await state(page)).tables.find((t) => t.role === 'contacts')!;
    const f = (name: string) => contacts.fields.find((x) => x.name === name)!.id;
    await apiFromPage(page, 'POST', '/api/fundraising/changes', {
      changes: [
        {
          op: 'create',
          table_id: contacts.id,
          values: { [f('Name')]: 'Dana Diaz', [f('Investor')]: [harbor] },
        },
        { op: 'create', table_id: contacts.id, values: { [f('Name')]: 'Eli Other' } },
      ],
    });
    dana = (await state(page)).tables
      .find((t) => t.role === 'contacts')!
      .records.find((r) => r.values[f('Name')] === 'Dana Diaz')!.id;
  });

  it('logs a past meeting with a contact from the drawer: Last contacted and the history say when', async () => {
    await page.goto(`/grid/${tableId}?record=${harbor}`);
    const drawer = page.locator('[data-testid=record-drawer]');
    await drawer.locator('[data-testid=open-quick-log]').click();
    await drawer.locator('[data-testid=quick-log-meeting]').click();
    // Only the investor's own contacts are offered.
    const contact = drawer.locator('[data-testid=quick-log-contact]');
    expect(await contact.locator('option').allTextContents()).toEqual([
      'No one in particular',
      'Dana Diaz',
    ]);
    await contact.selectOption(dana);
    // "When" proposes now, in the partner's zone.
    expect(await drawer.locator('[data-testid=quick-log-when]').inputValue()).toMatch(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/,
    );
    await drawer.locator('[data-testid=quick-log-when]').fill('2026-11-20T15:30');
    await typeLikeAPerson(drawer.locator('[data-testid=quick-log-summary]'), 'Lunch at the lake');
    await screenshot(page, 'quick-log-drawer-desktop');
    await drawer.locator('[data-testid=quick-log-submit]').click();
    await expectText(
      drawer.locator('[data-testid=follow-up-last]'),
      /^Last contacted 11\/20\/2026, 3:30:00 PM/,
    );
    expect(await interactions(harbor)).toEqual([
      expect.objectContaining({
        kind: 'meeting',
        contact_id: dana,
        occurred_at: '2026-11-20T14:30:00.000Z',
        summary: 'Lunch at the lake',
      }),
    ]);
    await drawer.locator('[data-testid=timeline-filter-interactions]').click();
    await expectText(
      drawer.locator('[data-testid=history-entry]').first().locator('.hist__summary'),
      /^logged a meeting: "Lunch at the lake/,
    );
    const inv = await investors(page);
    expect(inv.records.find((r) => r.id === harbor)!.values[inv.field('Last contacted')]).toBe(
      '2026-11-20',
    );
  });

  it('on My day, finds the investor as it is typed and offers its contacts; a name matching none says it makes one', async () => {
    await page.goto('/my-day');
    const log = page.locator('[data-testid=quick-log]');
    const field = log.locator('[data-testid=quick-log-investor]');
    await typeLikeAPerson(field, 'Harb');
    const options = log.locator('[data-testid=quick-log-investor-option]');
    await expectText(options.first(), 'Harbor LP');
    expect(await options.count()).toBe(1);
    const violations = await axeViolations(page, '[data-testid=quick-log]');
    expect(describeViolations('quick log', violations)).toBe('');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    expect(await field.inputValue()).toBe('Harbor LP');
    await log.locator('[data-testid=quick-log-contact]').selectOption(dana);
    await typeLikeAPerson(log.locator('[data-testid=quick-log-summary]'), 'Quick call on terms');
    await log.locator('[data-testid=quick-log-submit]').click();
    await eventually(async () => expect(await interactions(harbor)).toHaveLength(2));
    expect((await interactions(harbor))[0]).toMatchObject({ contact_id: dana, kind: 'call' });

    // A typo: no investor is named so, and the form says what sending would do.
    await typeLikeAPerson(field, 'Harbour LP');
    await expectText(
      log.locator('[data-testid=quick-log-investor-status]'),
      'No investor is named “Harbour LP”: a new investor named so will be created.',
    );
    expect(await log.locator('[data-testid=quick-log-contact]').count()).toBe(0);
    await field.fill('');
    await typeLikeAPerson(field, 'Pier Partners');
    await expectText(
      log.locator('[data-testid=quick-log-investor-status]'),
      'Logged with the existing investor “Pier Partners”.',
    );
    const names = (await investors(page)).records.length;
    expect(names).toBe(2);
  });

  it('fits a phone: the quick log with the investor list open, at 390 px', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/my-day');
    const log = page.locator('[data-testid=quick-log]');
    await typeLikeAPerson(log.locator('[data-testid=quick-log-investor]'), 'P');
    await expectText(
      log.locator('[data-testid=quick-log-investor-option]').filter({ hasText: 'Pier' }),
      'Pier Partners',
    );
    await screenshot(page, 'quick-log-my-day-phone');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      390,
    );
    const boxes = await log
      .locator('input:not([type=checkbox]), select, [role=option]')
      .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
    for (const h of boxes) expect(h).toBeGreaterThanOrEqual(44);
    await context.close();
  });
});
