import { expect } from '@jest/globals';
import type { Browser, Locator, Page } from 'playwright-core';
import { newPerson } from './chromium';
import { ADMIN } from './server';

/** Calls the API as the signed-in page does (cookie + CSRF header), from inside the page. */
export async function apiFromPage<T>(
  page: Page,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  return page.evaluate(
    async ({ method, path, body, headers }) => {
      const res = await fetch(path, {
        method,
        credentials: 'same-origin',
        headers: {
          'X-Requested-With': 'XMLHttpRequest',
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
      return text ? JSON.parse(text) : null;
    },
    { method, path, body, headers },
  ) as Promise<T>;
}

export async function login(
  page: Page,
  email = ADMIN.email,
  password = ADMIN.password,
): Promise<void> {
  await page.goto('/login');
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await waitForGrid(page);
}

/** The grid is rendered: the base is loaded and Handsontable has drawn its column headers. */
export async function waitForGrid(page: Page, timeout = 60_000): Promise<void> {
  try {
    await page.waitForSelector(
      '[data-testid=grid][data-ready=true] .ht_clone_top thead th .col-head',
      { timeout },
    );
  } catch (e) {
    const body = await page
      .evaluate(() => document.body.innerText.slice(0, 600))
      .catch(() => '(no page)');
    throw new Error(
      `the grid did not render at ${page.url()}: ${(e as Error).message}\npage text: ${body}`,
      { cause: e },
    );
  }
}

export interface StateJson {
  version: number;
  tables: {
    id: string;
    name: string;
    role: string;
    primary_field_id: string;
    fields: { id: string; name: string; type: string }[];
    records: { id: string; values: Record<string, unknown> }[];
  }[];
}

export async function state(page: Page): Promise<StateJson> {
  return apiFromPage<StateJson>(page, 'GET', '/api/fundraising/state');
}

export async function investors(page: Page) {
  const s = await state(page);
  const t = s.tables.find((x) => x.role === 'investors')!;
  const field = (name: string) => t.fields.find((f) => f.name === name)!.id;
  return { table: t, field, records: t.records };
}

/**
 * The investors' Owner as a text field, for specs that use it as a column of free text (a fresh
 * base makes it a people field). A person's retype, which the upgrade of older bases leaves alone.
 * Call it before the grid is loaded, or reload after.
 */
export async function ownerAsText(page: Page): Promise<void> {
  const inv = await investors(page);
  const owner = inv.table.fields.find((f) => f.name === 'Owner');
  if (owner && owner.type !== 'text')
    await apiFromPage(page, 'PATCH', `/api/fundraising/fields/${owner.id}`, { type: 'text' });
}

/**
 * Picks the person of a people cell as someone would: Enter opens the team, part of a name is
 * typed at human speed (a key every 75 ms), Enter takes the one person left.
 */
export async function pickPerson(
  page: Page,
  row: number,
  column: string,
  text: string,
): Promise<void> {
  await (await cell(page, row, column)).click();
  await page.keyboard.press('Enter');
  const search = page.locator('[data-testid=user-search]');
  await search.waitFor();
  await page.keyboard.type(text, { delay: 75 });
  const options = page.locator('[data-testid=user-picker] .person-option');
  await eventually(async () => expect(await options.count()).toBe(1));
  await page.keyboard.press('Enter');
  await search.waitFor({ state: 'detached' });
}

/** The TD of a cell, by the record's row number (0-based) and the column's header text. */
export async function cell(page: Page, row: number, column: string, centre = false) {
  let col = -1;
  // Columns are drawn as they scroll into view: wait for this one's header.
  const read = () =>
    page.$$eval('[data-testid=grid] .ht_clone_top thead th', (ths) =>
      ths.map((th) => th.textContent?.trim() ?? '').join('|'),
    );
  await eventually(
    async () => {
      // The same headers on either side of a drawn frame: the grid has finished drawing after a scroll.
      const first = await read();
      await nextFrames(page);
      const headers = await read();
      expect(headers).toBe(first);
      col = headers.split('|').findIndex((h) => h.endsWith(column));
      // Not drawn (scrolled past, as the grid draws only the columns in view): scroll it into view.
      if (col <= 0) await scrollTowards(page, column);
      expect(col).toBeGreaterThan(0);
      // Drawn at the edge, partly hidden (a click there scrolls and redraws it away): centred first
      // when asked (a spec that scrolls far along a wide table).
      if (centre) expect(await centred(page, col)).toBe(true);
    },
    5000,
    50,
  );
  // A frozen column is drawn again in the overlay at the left, which takes the clicks: use that copy.
  const frozen = page.locator(
    `[data-testid=grid] .ht_clone_inline_start tbody tr:nth-child(${row + 1}) > td:nth-child(${col + 1})`,
  );
  if (await frozen.count()) return frozen;
  return page.locator(
    `[data-testid=grid] .ht_master tbody tr:nth-child(${row + 1}) > :nth-child(${col + 1})`,
  );
}

/**
 * Whether the middle of the column at `index` of the drawn headers is in view (beside the frozen columns);
 * if not, it is scrolled to the middle of the grid and false is answered, so the caller looks again.
 */
function centred(page: Page, index: number): Promise<boolean> {
  return page.evaluate((i) => {
    const grid = document.querySelector('[data-testid=grid]');
    const holder = grid?.querySelector<HTMLElement>('.ht_master .wtHolder');
    const th = grid?.querySelectorAll<HTMLElement>('.ht_clone_top thead th')[i];
    if (!holder || !th) return false;
    // A frozen column (or the row header) is drawn again at the left, always in view.
    const drawnAtLeft = grid?.querySelectorAll('.ht_clone_inline_start tbody tr:first-child > *');
    if (i < (drawnAtLeft?.length ?? 0)) return true;
    const frozen = grid?.querySelector<HTMLElement>('.ht_clone_inline_start')?.offsetWidth ?? 0;
    const box = holder.getBoundingClientRect();
    const cellBox = th.getBoundingClientRect();
    const left = box.left + frozen;
    const right = box.left + holder.clientWidth;
    // Its middle is where a click lands: in view is enough (others are left where they are).
    const middle = cellBox.left + cellBox.width / 2;
    if (middle >= left && middle <= right) return true;
    holder.scrollLeft += middle - (left + right) / 2;
    return false;
  }, index);
}

/**
 * Scrolls the grid one step towards a column that is not drawn: back to the start when it is not
 * among the columns drawn so far (the caller looks again after each step), then right by half a
 * screen at a time until it is.
 */
async function scrollTowards(page: Page, column: string): Promise<void> {
  await page
    .locator('[data-testid=grid] .ht_master .wtHolder')
    .first()
    .evaluate((el, name) => {
      const seen = el.getAttribute('data-seeking');
      if (seen !== name) {
        el.setAttribute('data-seeking', name);
        el.scrollLeft = 0;
      } else if (el.scrollLeft + el.clientWidth >= el.scrollWidth) el.scrollLeft = 0;
      else el.scrollLeft += Math.max(100, el.clientWidth / 2);
    }, column);
}

/** Selects a cell and types a value into it the way a person does: type, then Enter. */
export async function typeInto(
  page: Page,
  row: number,
  column: string,
  text: string,
): Promise<void> {
  const td = await cell(page, row, column);
  await td.click();
  await page.keyboard.type(text, { delay: 10 });
  await page.keyboard.press('Enter');
}

/** Resolves once the page has drawn two more frames: whatever was scheduled before is on screen. */
export async function nextFrames(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((drawn) =>
        requestAnimationFrame(() => requestAnimationFrame(() => drawn())),
      ),
  );
}

/**
 * What the last action put in the outbox has left it: the page has drawn since (so the save
 * indicator counts anything it enqueued) and nothing is pending. Where a spec checks that an action
 * sent nothing, or nothing more, this is the moment it would have been sent by.
 */
export async function waitSettled(page: Page, timeout = 20_000): Promise<void> {
  await nextFrames(page);
  await waitSaved(page, timeout);
}

/**
 * Has the page note the newest log position each live message brings (before the app reads the
 * message), so that a spec can wait for another person's edit to have reached this page. Call it
 * before the page loads the app.
 */
export async function watchLiveStream(page: Page): Promise<void> {
  await page.addInitScript(() => {
    type Source = new (url: string | URL, init?: object) => EventTarget;
    const w = window as unknown as { EventSource: Source; crmLivePosition: number };
    const Native = w.EventSource;
    w.crmLivePosition = 0;
    w.EventSource = class extends Native {
      constructor(url: string | URL, init?: object) {
        super(url, init);
        this.addEventListener('message', (e) => {
          const { last } = JSON.parse((e as unknown as { data: string }).data) as { last: number };
          w.crmLivePosition = Math.max(w.crmLivePosition, last);
        });
      }
    };
  });
}

/** Waits until the page's live stream (see watchLiveStream) has brought the log up to `position`. */
export async function waitForLive(page: Page, position: number, timeout = 15_000): Promise<void> {
  await page.waitForFunction(
    (p) => ((window as unknown as { crmLivePosition?: number }).crmLivePosition ?? 0) >= p,
    position,
    { timeout },
  );
}

export async function waitSaved(page: Page, timeout = 20_000): Promise<void> {
  await page.waitForSelector(
    '[data-testid=save-state][data-pending="0"]:not([data-status=saving]):not([data-status=offline])',
    { timeout },
  );
}

/** Retries an assertion until it holds or the time is up (the page updates asynchronously). */
export async function eventually(
  check: () => Promise<void> | void,
  timeout = 15_000,
  every = 150,
): Promise<void> {
  const end = Date.now() + timeout;
  for (;;) {
    try {
      await check();
      return;
    } catch (e) {
      if (Date.now() > end) throw e;
      await new Promise((r) => setTimeout(r, every));
    }
  }
}

export async function expectText(
  locator: Locator,
  text: string | RegExp,
  timeout = 15_000,
): Promise<void> {
  await eventually(async () => {
    const t = ((await locator.textContent({ timeout: 2000 })) ?? '').trim();
    if (typeof text === 'string') expect(t).toBe(text);
    else expect(t).toMatch(text);
  }, timeout);
}

/** Like expectText on a cell, but finds the cell again on every try (columns shift while the grid scrolls). */
export async function expectCell(
  page: Page,
  row: number,
  column: string,
  text: string,
  timeout = 15_000,
): Promise<void> {
  await eventually(async () => {
    const t = ((await (await cell(page, row, column)).textContent({ timeout: 2000 })) ?? '').trim();
    expect(t).toBe(text);
  }, timeout);
}

/**
 * A new person signed in as the admin, on a grid that holds these investors (values by field name),
 * created through the API and loaded: the usual start of a browser spec.
 */
export async function gridWithInvestors(
  suite: { browser: Browser; server: { url: string } },
  rows: Record<string, unknown>[],
  viewport?: { width: number; height: number },
): Promise<Page> {
  const { page } = await newPerson(suite.browser, suite.server.url, viewport);
  await login(page);
  // Rows that give the Owner a text are from specs that type free text into it.
  if (rows.some((r) => typeof r.Owner === 'string')) await ownerAsText(page);
  const inv = await investors(page);
  await apiFromPage(page, 'POST', '/api/fundraising/changes', {
    changes: rows.map((row) => ({
      op: 'create',
      table_id: inv.table.id,
      values: Object.fromEntries(
        Object.entries(row).map(([name, value]) => [inv.field(name), value]),
      ),
    })),
  });
  await page.reload();
  await waitForGrid(page);
  return page;
}
