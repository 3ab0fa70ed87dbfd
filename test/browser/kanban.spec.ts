import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type Page } from 'playwright-core';
import { apiFromPage, eventually, expectText, investors, login, waitForGrid } from './support/app';
import { newPerson, screenshot } from './support/chromium';
import { browserSuite } from './support/suite';

jest.setTimeout(240_000);

/** Card titles per column, as shown. */
const board = (page: Page) =>
  page.$$eval('[data-testid=kanban-column]', (cols) =>
    Object.fromEntries(
      cols.map((c) => [
        (c as HTMLElement).dataset.value ?? '',
        [...c.querySelectorAll('[data-testid=kanban-card] strong')].map((s) => s.textContent),
      ]),
    ),
  );

const card = (page: Page, name: string) =>
  page.locator('[data-testid=kanban-card]', { hasText: name }).first();
const column = (page: Page, value: string) =>
  page.locator(`[data-testid=kanban-column][data-value="${value}"]`);

describe('a kanban board over the pipeline stage', () => {
  const suite = browserSuite({ admin: true });
  let page: Page;
  let ids: Record<string, string>;
  let stage: string;
  let viewId: string;

  beforeAll(async () => {
    page = (await newPerson(suite.browser, suite.server.url)).page;
    await login(page);
    const inv = await investors(page);
    stage = inv.field('Pipeline stage');
    const rows: [string, string | null][] = [
      ['Aspen LP', 'Lead'],
      ['Beacon Fund', 'Lead'],
      ['Cobalt Trust', 'Engaged'],
      ['Delta Office', null],
    ];
    const res = await apiFromPage<{ applied: { record_id: string }[] }>(
      page,
      'POST',
      '/api/fundraising/changes',
      {
        changes: rows.map(([name, s]) => ({
          op: 'create',
          table_id: inv.table.id,
          values: { [inv.field('Name')]: name, [stage]: s, [inv.field('Target commitment')]: 1e6 },
        })),
      },
    );
    ids = Object.fromEntries(rows.map(([name], i) => [name, res.applied[i].record_id]));
    const view = await apiFromPage<{ id: string }>(page, 'POST', '/api/fundraising/views', {
      table_id: inv.table.id,
      name: 'Pipeline board',
      type: 'kanban',
      kanban: { field_id: stage, card_fields: [inv.field('Target commitment')] },
    });
    viewId = view.id;
    await page.reload();
    await waitForGrid(page);
    await page.selectOption('[data-testid=view-select]', { label: 'Pipeline board' });
    await page.waitForSelector('[data-testid=kanban-card]');
  });

  it('shows a column per stage, empty stage first, with the cards and their fields', async () => {
    const b = await board(page);
    expect(b['']).toEqual(['Delta Office']);
    expect(b.Lead).toEqual(['Aspen LP', 'Beacon Fund']);
    expect(b.Engaged).toEqual(['Cobalt Trust']);
    expect(Object.keys(b)).toEqual(['', 'Lead', 'Engaged', 'Diligence', 'Committed', 'Passed']);
    await expectText(card(page, 'Aspen LP').locator('dd'), '$1,000,000');
    await screenshot(page, 'kanban-1440');
  });

  it('moves a dragged card to another column, as a compare-and-set edit, and keeps its place after a reload', async () => {
    await card(page, 'Beacon Fund').dragTo(column(page, 'Engaged'), {
      targetPosition: { x: 100, y: 20 },
    });
    await eventually(async () =>
      expect((await board(page)).Engaged).toEqual(['Beacon Fund', 'Cobalt Trust']),
    );
    await eventually(async () => {
      const rec = await apiFromPage<{ records: { id: string; values: Record<string, unknown> }[] }>(
        page,
        'GET',
        `/api/fundraising/views/${viewId}/records`,
      );
      const names = rec.records.map((r) => r.id);
      expect(names.indexOf(ids['Beacon Fund'])).toBeLessThan(names.indexOf(ids['Cobalt Trust']));
      expect(rec.records.find((r) => r.id === ids['Beacon Fund'])!.values[stage]).toBe('Engaged');
    });
    await page.reload();
    await page.waitForSelector('[data-testid=kanban-card]');
    expect((await board(page)).Engaged).toEqual(['Beacon Fund', 'Cobalt Trust']);
  });

  it('puts a card back when someone changed its stage first, and says so', async () => {
    // Another client moves Aspen to Committed; this page (its live stream cut) has not heard of it.
    const stream = '**/api/fundraising/events/stream**';
    await page.route(stream, (r) => r.abort());
    await page.reload();
    await page.waitForSelector('[data-testid=kanban-card]');
    await apiFromPage(page, 'POST', '/api/fundraising/changes', {
      changes: [
        { op: 'set', record_id: ids['Aspen LP'], field_id: stage, from: 'Lead', to: 'Committed' },
      ],
    });
    await card(page, 'Aspen LP').dragTo(column(page, 'Diligence'), {
      targetPosition: { x: 100, y: 20 },
    });
    await expectText(
      page.locator('[data-testid=kanban-message]'),
      /changed Aspen LP to Committed first/,
    );
    await eventually(async () => {
      const b = await board(page);
      expect(b.Diligence).toEqual([]);
      expect(b.Committed).toEqual(['Aspen LP']);
    });
    await page.unroute(stream);
    await page.reload();
    await page.waitForSelector('[data-testid=kanban-card]');
  });

  it('moves a focused card between columns and within one with Ctrl+arrow keys', async () => {
    await card(page, 'Delta Office').focus();
    await page.keyboard.press('Control+ArrowRight');
    await eventually(async () => expect((await board(page)).Lead).toEqual(['Delta Office']));
    await page.keyboard.press('Control+ArrowRight');
    await eventually(async () =>
      expect((await board(page)).Engaged).toEqual(['Delta Office', 'Beacon Fund', 'Cobalt Trust']),
    );
    // The move is saved (the server's order has it), and the card kept the focus through the
    // answer's re-render: the next key goes to it. (Pressed before the answer, the key could meet
    // a board in the middle of redrawing on a loaded machine.)
    await eventually(async () => {
      const rec = await apiFromPage<{ records: { id: string; values: Record<string, unknown> }[] }>(
        page,
        'GET',
        `/api/fundraising/views/${viewId}/records`,
      );
      expect(rec.records.filter((r) => r.values[stage] === 'Engaged').map((r) => r.id)[0]).toBe(
        ids['Delta Office'],
      );
    });
    await eventually(async () =>
      expect(await page.evaluate(() => document.activeElement?.textContent)).toContain(
        'Delta Office',
      ),
    );
    await page.keyboard.press('Control+ArrowDown');
    await eventually(async () =>
      expect((await board(page)).Engaged).toEqual(['Beacon Fund', 'Delta Office', 'Cobalt Trust']),
    );
    await page.keyboard.press('ArrowDown');
    await eventually(async () =>
      expect(await page.evaluate(() => document.activeElement?.textContent)).toContain(
        'Cobalt Trust',
      ),
    );
    await eventually(async () => {
      const rec = await apiFromPage<{ records: { id: string; values: Record<string, unknown> }[] }>(
        page,
        'GET',
        `/api/fundraising/views/${viewId}/records`,
      );
      const engaged = rec.records.filter((r) => r.values[stage] === 'Engaged').map((r) => r.id);
      expect(engaged).toEqual([ids['Beacon Fund'], ids['Delta Office'], ids['Cobalt Trust']]);
    });
  });

  it('keeps the focus on a card moved by keys faster than its saves are answered', async () => {
    // Each save answers 150 ms late: the keys (at a fast typist's pace) come while earlier moves
    // wait for their answers, and those answers and their live events arrive between the keys. The
    // live event of the first move used to put the card back in its column, so the focus fell to
    // the page and the last key was lost.
    const changes = '**/api/fundraising/changes';
    await page.route(changes, async (r) => {
      await new Promise((done) => setTimeout(done, 150));
      await r.continue();
    });
    try {
      await card(page, 'Delta Office').focus();
      for (const key of ['Control+ArrowRight', 'Control+ArrowRight', 'Control+ArrowDown']) {
        await page.keyboard.press(key);
        await new Promise((done) => setTimeout(done, 90));
      }
      // Engaged → Diligence → Committed (first) → below Aspen LP.
      await eventually(async () =>
        expect((await board(page)).Committed).toEqual(['Aspen LP', 'Delta Office']),
      );
      await eventually(async () => {
        const rec = await apiFromPage<{
          records: { id: string; values: Record<string, unknown> }[];
        }>(page, 'GET', `/api/fundraising/views/${viewId}/records`);
        const committed = rec.records.filter((r) => r.values[stage] === 'Committed');
        expect(committed.map((r) => r.id)).toEqual([ids['Aspen LP'], ids['Delta Office']]);
      }, 10_000);
    } finally {
      await page.unroute(changes);
    }
    // Every answer has redrawn the board: the card still has the focus, and the next key is its.
    await new Promise((done) => setTimeout(done, 500));
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain(
      'Delta Office',
    );
    await page.keyboard.press('ArrowUp');
    await eventually(async () =>
      expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Aspen LP'),
    );
  });

  it("orders a column's cards by the view's sort on lists, and by the list tab picked", async () => {
    const inv = await investors(page);
    const res = await apiFromPage<{ applied: { record_id: string }[] }>(
      page,
      'POST',
      '/api/fundraising/changes',
      {
        changes: ['Elm Partners', 'Fir Capital', 'Gum Holdings'].map((name) => ({
          op: 'create',
          table_id: inv.table.id,
          values: { [inv.field('Name')]: name, [stage]: 'Diligence' },
        })),
      },
    );
    const [elm, fir] = res.applied.map((a) => a.record_id);
    await apiFromPage(page, 'POST', '/api/fundraising/memberships', {
      record_id: elm,
      list: 'graveyard',
      op: 'add',
    });
    await apiFromPage(page, 'POST', '/api/fundraising/memberships', {
      record_id: fir,
      list: 'main',
      op: 'add',
    });
    await apiFromPage(page, 'PATCH', `/api/fundraising/views/${viewId}`, {
      sorts: [{ field_id: 'lists', direction: 'asc' }],
    });
    // The board is the view this page shows: it replaces the grid after the reload.
    await page.reload();
    await page.waitForSelector('[data-testid=kanban-card]');
    // Main before the graveyard (whatever list, if any, a shipped rule put the third in).
    await eventually(async () =>
      expect((await board(page)).Diligence.filter((n) => n !== 'Gum Holdings')).toEqual([
        'Fir Capital',
        'Elm Partners',
      ]),
    );
    // The Graveyard tab keeps only its records on the board.
    await page.click('[data-testid=list-tab-graveyard]');
    await eventually(async () => expect((await board(page)).Diligence).toEqual(['Elm Partners']));
    await page.click('[data-testid=list-tab-all]');
    await eventually(async () => expect((await board(page)).Diligence).toHaveLength(3));
    await apiFromPage(page, 'PATCH', `/api/fundraising/views/${viewId}`, { sorts: [] });
  });

  it('scrolls its columns sideways on a phone, cards readable', async () => {
    await page.setViewportSize({ width: 390, height: 780 });
    await card(page, 'Delta Office').scrollIntoViewIfNeeded();
    const box = await card(page, 'Delta Office').boundingBox();
    expect(box!.width).toBeGreaterThan(200);
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    const scrolls = await page
      .locator('[data-testid=kanban]')
      .evaluate((el) => el.scrollWidth > el.clientWidth);
    expect(scrolls).toBe(true);
    await screenshot(page, 'kanban-390');
    await page.setViewportSize({ width: 1440, height: 900 });
  });
});
