import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { SYSTEM_ACTOR } from '../../apps/api/src/infrastructure/request-context/actor';
import { openCore } from '../support/core-handles';
import { apiFromPage, eventually, expectText, login, waitForGrid } from './support/app';
import { clickBar } from './support/charts';
import { launchChromium, newPerson, screenshot } from './support/chromium';
import { type RunningServer, startServer } from './support/server';

jest.setTimeout(240_000);

const DAY = 86_400_000;
/** The day as the browser (in UTC, see newPerson) reads it. */
const localDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * A base whose history starts three days ago: a fund and Yale's soft commitment to it, written
 * then (the store opened on a clock three days back), so that a dashboard of that day differs
 * from today's.
 */
async function baseOfThreeDaysAgo(dir: string, past: Date) {
  let tick = past.getTime();
  const clock = { now: () => new Date((tick += 1000)).toISOString() };
  const core = await openCore({ databaseFile: join(dir, 'crm.sqlite'), clock });
  const table = (role: string) => core.repo.tableByRole(role)!;
  const field = (role: string, r: string) => table(role).fields.find((f) => f.role === r)!.id;
  const meta = { actor: SYSTEM_ACTOR, source: 'import' as const };
  const ids = { fund: 'recFUNDPAST000001', yale: 'recINVPAST0000001', soft: 'recCOMPAST0000001' };
  await core.commands.applyChanges(
    [
      {
        op: 'create',
        table_id: table('funds').id,
        record_id: ids.fund,
        values: {
          [field('funds', 'fund.name')]: 'Fund I',
          [field('funds', 'fund.target_size')]: 10_000_000,
          [field('funds', 'fund.currency')]: 'USD',
        },
      },
      {
        op: 'create',
        table_id: table('investors').id,
        record_id: ids.yale,
        values: { [field('investors', 'investor.name')]: 'Yale' },
      },
      {
        op: 'create',
        table_id: table('commitments').id,
        record_id: ids.soft,
        values: {
          [field('commitments', 'commitment.name')]: 'Yale in Fund I',
          [field('commitments', 'commitment.investor')]: [ids.yale],
          [field('commitments', 'commitment.fund')]: [ids.fund],
          [field('commitments', 'commitment.amount')]: 3_000_000,
          [field('commitments', 'commitment.status')]: 'Soft',
          [field('commitments', 'commitment.date')]: localDay(past),
        },
      },
    ],
    meta,
  );
  const status = field('commitments', 'commitment.status');
  const out = { ...ids, commitments: table('commitments').id, status, field };
  await core.close();
  return out;
}

/** The text of the as-of table's rows (each row's cells joined). */
const rowsShown = (page: Page) =>
  page.$$eval('[data-testid=as-of-row]', (rows) =>
    rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent?.trim()).join('|')),
  );

describe('a dashboard of a past date links into the past', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let ids: Awaited<ReturnType<typeof baseOfThreeDaysAgo>>;
  const past = new Date(Date.now() - 3 * DAY);

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-browser-past-'));
    ids = await baseOfThreeDaysAgo(dir, past);
    [server, browser] = await Promise.all([
      startServer({ admin: true, dataDir: dir }),
      launchChromium(),
    ]);
    ({ page } = await newPerson(browser, server.url));
    await login(page);
    // Today: Yale's commitment is signed, and Acme's soft one is new.
    await apiFromPage(page, 'POST', '/api/fundraising/changes', {
      changes: [
        { op: 'set', record_id: ids.soft, field_id: ids.status, from: 'Soft', to: 'Signed' },
        {
          op: 'create',
          table_id: ids.commitments,
          values: {
            [ids.field('commitments', 'commitment.name')]: 'Acme in Fund I',
            [ids.field('commitments', 'commitment.fund')]: [ids.fund],
            [ids.field('commitments', 'commitment.amount')]: 1_000_000,
            [ids.field('commitments', 'commitment.status')]: 'Soft',
          },
        },
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('opens a bar of a past dashboard as the records were that day, read-only and saying so', async () => {
    await page.goto('/dashboard');
    await page.waitForSelector('[data-testid=chart-funds] canvas');
    await page.fill('[data-testid=dash-as-of]', localDay(past));
    await expectText(page.locator('.dash__note'), /^As of .*from the history/);
    await expectText(page.locator('.dash__figures li').first(), /Fund I\s+\$3,000,000 of/);
    await clickBar(page, 'funds', 0, 0);
    await page.waitForURL(new RegExp(`/grid/${ids.commitments}`));
    await page.waitForSelector('[data-testid=as-of-table]');
    await expectText(page.locator('[data-testid=as-of-title]'), /^As of /);
    await expectText(
      page.locator('[data-testid=as-of-read-only]'),
      /Read-only: .*with today's filter/,
    );
    // That day's soft commitments: Yale's (signed since), not Acme's (made since).
    await eventually(async () => {
      const rows = await rowsShown(page);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatch(/^Yale in Fund I\|/);
    });
    expect(await page.locator('[data-testid=grid]').isVisible()).toBe(false);
    // The view's filter shows, but cannot be changed from the past.
    await page.click('[data-testid=view-filter]');
    const condition = page.locator('.view-popover [data-testid=filter-field]').first();
    await condition.waitFor();
    expect(await condition.isDisabled()).toBe(true);
    await page.click('[data-testid=view-filter]');
    await screenshot(page, 'dashboard-past-link');
  });

  it('goes back to today: the same filter over today’s records', async () => {
    await page.click('[data-testid=as-of-close]');
    await waitForGrid(page);
    await eventually(async () =>
      expect(await page.locator('[data-testid=view-count]').textContent()).toBe('1 of 2 records'),
    );
    await expectText(
      page.locator('[data-testid=grid] .ht_master tbody tr').first(),
      /Acme in Fund I/,
    );
  });

  it('opens today’s records from today’s dashboard, in the live grid', async () => {
    await page.goto('/dashboard');
    await page.waitForSelector('[data-testid=chart-funds] canvas');
    await clickBar(page, 'funds', 0, 0);
    await page.waitForURL(new RegExp(`/grid/${ids.commitments}$`));
    await waitForGrid(page);
    expect(await page.locator('[data-testid=as-of-panel]').count()).toBe(0);
  });
});
