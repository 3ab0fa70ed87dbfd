import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type Page, type Route } from 'playwright-core';
import {
  apiFromPage,
  cell,
  eventually,
  expectText,
  gridWithInvestors,
  investors,
  typeInto,
  waitForGrid,
  waitSaved,
  ownerAsText,
} from './support/app';
import { screenshot } from './support/chromium';
import { browserSuite } from './support/suite';

jest.setTimeout(180_000);

describe('the network drops while someone types', () => {
  const suite = browserSuite({ admin: true });
  let page: Page;

  beforeAll(async () => {
    page = await gridWithInvestors(suite, [{ Name: 'Juniper Holdings' }]);
    await ownerAsText(page);
    await page.reload();
    await waitForGrid(page);
  });

  it('shows offline, keeps every edit across a reload, and saves each exactly once when the network is back', async () => {
    const keys: string[] = [];
    let mode: 'cut' | 'lost-answer' = 'lost-answer';
    // First the answers are lost after the server applied the batch (the worst case for duplicates), then the requests never arrive.
    const cut = async (route: Route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (mode === 'lost-answer') await route.fetch().catch(() => undefined);
      await route.abort('internetdisconnected');
    };
    await page.route('**/api/fundraising/changes', cut);

    await typeInto(page, 0, 'Owner', 'Riley');
    await page
      .locator('[data-testid=save-state][data-status=offline]')
      .waitFor({ timeout: 15_000 });
    mode = 'cut';
    await page.click('[data-testid=add-record]');
    await typeInto(page, 1, 'Name', 'Offline Ventures');
    await typeInto(page, 1, 'Target commitment', '1.5m');
    const status = page.locator('[data-testid=save-state]');
    await eventually(async () => {
      expect(await status.getAttribute('data-status')).toBe('offline');
      expect(Number(await status.getAttribute('data-pending'))).toBeGreaterThanOrEqual(3);
    });
    await screenshot(page, 'offline-state');

    // A reload while still offline: the edits come back from this device's outbox.
    await page.reload();
    await waitForGrid(page);
    await expectText(await cell(page, 0, 'Owner'), 'Riley');
    await expectText(await cell(page, 1, 'Name'), 'Offline Ventures');
    await page
      .locator('[data-testid=save-state][data-status=offline]')
      .waitFor({ timeout: 15_000 });

    await page.unroute('**/api/fundraising/changes', cut);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await waitSaved(page, 30_000);

    const inv = await investors(page);
    expect(inv.records).toHaveLength(2);
    const byName = new Map(inv.records.map((r) => [r.values[inv.field('Name')], r.values]));
    expect(byName.get('Juniper Holdings')![inv.field('Owner')]).toBe('Riley');
    expect(byName.get('Offline Ventures')![inv.field('Target commitment')]).toBe(1_500_000);
    // Retries reused their keys: the first batch was applied once although its answer was lost.
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(keys[1]).toBe(keys[0]);
    const events = await apiFromPage<{ version: number }>(page, 'GET', '/api/fundraising/state');
    expect(events.version).toBeGreaterThan(0);
    expect(
      await page.evaluate(() =>
        Object.keys(localStorage).filter(
          (k) => k.startsWith('crm.outbox') && localStorage.getItem(k),
        ),
      ),
    ).toEqual([]);
  });

  it("hands a closed tab's unsent edits to the next tab, which saves them", async () => {
    const context = page.context();
    const cut = (route: Route) => route.abort('internetdisconnected');
    await page.route('**/api/fundraising/changes', cut);
    await typeInto(page, 0, 'Next step', 'Closing the tab now');
    await page
      .locator('[data-testid=save-state][data-status=offline]')
      .waitFor({ timeout: 15_000 });
    await page.close({ runBeforeUnload: true });

    const next = await context.newPage();
    next.on('dialog', (d) => void d.accept());
    await next.goto('/grid');
    await waitForGrid(next);
    await expectText(await cell(next, 0, 'Next step'), 'Closing the tab now');
    await waitSaved(next, 30_000);
    const inv = await investors(next);
    const rec = inv.records.find((r) => r.values[inv.field('Name')] === 'Juniper Holdings')!;
    expect(rec.values[inv.field('Next step')]).toBe('Closing the tab now');
    page = next;
  });

  it('sends a batch again under a new key when the server says its key was taken by another request', async () => {
    const inv = await investors(page);
    const answers: { key: string; status: number; reason: string | null }[] = [];
    const takeKeyFirst = async (route: Route) => {
      const headers = route.request().headers();
      if (headers['x-takes-key']) return route.continue();
      const key = headers['idempotency-key'] ?? '';
      // Another request of the same person gets there first with this key and a different body.
      if (answers.length === 0)
        await apiFromPage(
          page,
          'POST',
          '/api/fundraising/changes',
          {
            changes: [
              {
                op: 'create',
                table_id: inv.table.id,
                values: { [inv.field('Name')]: 'Key Taker' },
              },
            ],
          },
          { 'Idempotency-Key': key, 'X-Takes-Key': '1' },
        );
      const res = await route.fetch();
      const body = (await res.json()) as { reason?: string };
      answers.push({ key, status: res.status(), reason: body.reason ?? null });
      await route.fulfill({ response: res, json: body });
    };
    await page.route('**/api/fundraising/changes', takeKeyFirst);
    await typeInto(page, 0, 'Owner', 'Morgan');
    await waitSaved(page, 30_000);
    await page.unroute('**/api/fundraising/changes', takeKeyFirst);

    expect(answers.map((a) => [a.status, a.reason])).toEqual([
      [422, 'idempotency_key_reused'],
      [200, null],
    ]);
    expect(answers[1].key).not.toBe(answers[0].key);
    const after = await investors(page);
    const rec = after.records.find((r) => r.values[after.field('Name')] === 'Juniper Holdings')!;
    expect(rec.values[after.field('Owner')]).toBe('Morgan');
  });
});
