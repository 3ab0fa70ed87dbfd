import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type Page } from 'playwright-core';
import {
  apiFromPage,
  cell,
  eventually,
  expectCell,
  investors,
  login,
  typeInto,
  waitForGrid,
  waitSaved,
  ownerAsText,
} from './support/app';
import { newPerson, screenshot } from './support/chromium';
import { ADMIN } from './support/server';
import { browserSuite } from './support/suite';

jest.setTimeout(240_000);

/** The server's value of one investor's field, by the record's name. */
async function serverValue(page: Page, name: string, field: string): Promise<unknown> {
  const inv = await investors(page);
  return inv.records.find((r) => r.values[inv.field('Name')] === name)?.values[inv.field(field)];
}

/** Replaces a cell's text: open the editor, select what is there, type over it. */
async function replaceIn(page: Page, row: number, column: string, text: string): Promise<void> {
  await (await cell(page, row, column)).click();
  await page.keyboard.press('Enter');
  await page.locator('textarea.handsontableInput').first().waitFor({ state: 'visible' });
  await page.keyboard.press('Control+a');
  await page.keyboard.type(text, { delay: 10 });
  await page.keyboard.press('Enter');
}

/** A datetime-local value ('YYYY-MM-DDTHH:MM:SS') for a moment, in the page's zone (UTC in these tests). */
const localInput = (d: Date) => d.toISOString().slice(0, 19);

/**
 * Waits for the clock to enter the next whole second and returns its start. The restore form takes
 * whole seconds: a moment taken this way lies after every earlier change and, once the clock has
 * moved on again, before every later one.
 */
async function nextWholeSecond(): Promise<Date> {
  const next = Math.floor(Date.now() / 1000) * 1000 + 1000;
  await eventually(() => expect(Date.now()).toBeGreaterThanOrEqual(next), 5000, 20);
  return new Date(next);
}

describe('history, undo, archive and restore in the browser', () => {
  const suite = browserSuite({ admin: true });
  let page: Page;

  beforeAll(async () => {
    ({ page } = await newPerson(suite.browser, suite.server.url));
    await login(page);
    await ownerAsText(page);
    await page.reload();
    await waitForGrid(page);
    await page.click('[data-testid=add-record]');
    await typeInto(page, 0, 'Name', 'Acme Capital');
    await typeInto(page, 0, 'Owner', 'Sam');
    await waitSaved(page);
  });

  it('Ctrl+Z undoes the last edit on the server and Ctrl+Shift+Z redoes it', async () => {
    await replaceIn(page, 0, 'Owner', 'Jordan');
    await waitSaved(page);
    expect(await serverValue(page, 'Acme Capital', 'Owner')).toBe('Jordan');

    await (await cell(page, 0, 'Name')).click();
    await page.keyboard.press('Control+z');
    await eventually(async () =>
      expect(await serverValue(page, 'Acme Capital', 'Owner')).toBe('Sam'),
    );
    await expectCell(page, 0, 'Owner', 'Sam');
    await expect(page.locator('[data-testid=undo-toast]').textContent()).resolves.toMatch(
      /^Undid: /,
    );

    await page.keyboard.press('Control+Shift+z');
    await eventually(async () =>
      expect(await serverValue(page, 'Acme Capital', 'Owner')).toBe('Jordan'),
    );
    await expectCell(page, 0, 'Owner', 'Jordan');

    // The toast's Redo button does the same as the keys.
    await page.keyboard.press('Control+z');
    await eventually(async () =>
      expect(await serverValue(page, 'Acme Capital', 'Owner')).toBe('Sam'),
    );
    await page.click('[data-testid=undo-toast-redo]');
    await eventually(async () =>
      expect(await serverValue(page, 'Acme Capital', 'Owner')).toBe('Jordan'),
    );
    await expectCell(page, 0, 'Owner', 'Jordan');

    // The server's stack now says the edit stands and the undo is itself undone.
    const stack = await apiFromPage<{ entries: { kind: string; undone: boolean }[] }>(
      page,
      'GET',
      '/api/fundraising/undo-stack',
    );
    expect(stack.entries.filter((e) => e.kind === 'edit' && !e.undone).length).toBeGreaterThan(0);
  });

  it('shows the edit, with who made it, in the drawer and in the cell history', async () => {
    await page
      .locator('[data-testid=grid] .ht_clone_inline_start tbody tr:nth-child(1) .rh-expand')
      .click();
    const drawer = page.locator('[data-testid=record-drawer]');
    const entry = drawer.locator('[data-testid=history-entry]', { hasText: 'Jordan' }).first();
    await entry.waitFor();
    expect(await entry.locator('[data-testid=history-actor]').textContent()).toBe(ADMIN.name);
    expect(await entry.textContent()).toMatch(/Owner:\s*Sam\s*→\s*Jordan/);
    await drawer.locator('[data-testid=record-history]').scrollIntoViewIfNeeded();
    await screenshot(page, 'history-panel');
    await page.click('[data-testid=drawer-close]');

    await (await cell(page, 0, 'Owner')).click();
    await page.keyboard.press('Alt+h');
    const pop = page.locator('[data-testid=cell-history]');
    await pop.locator('[data-testid=cell-last-changed]').waitFor();
    expect(await pop.locator('[data-testid=cell-last-changed]').textContent()).toContain(
      ADMIN.name,
    );
    expect(await pop.locator('[data-testid=history-entry]').count()).toBeGreaterThanOrEqual(3);
    await screenshot(page, 'cell-history');
    await page.keyboard.press('Escape');
    await pop.waitFor({ state: 'detached' });
    // Looking at a cell's history changes nothing.
    const before = (await investors(page)).records.length;
    await page.click('[data-testid=add-record]');
    await eventually(async () => expect((await investors(page)).records).toHaveLength(before + 1));
    await waitSaved(page);
    expect(await serverValue(page, 'Acme Capital', 'Owner')).toBe('Jordan');
  });

  it('archives a row, lists it under Show archived and brings it back', async () => {
    await typeInto(page, 1, 'Name', 'Beacon Trust');
    await waitSaved(page);
    await (await cell(page, 1, 'Name')).click({ button: 'right' });
    await page.locator('.htContextMenu td', { hasText: 'Archive record' }).click();
    await waitSaved(page);
    await eventually(async () => {
      const inv = await investors(page);
      expect(inv.records.map((r) => r.values[inv.field('Name')])).not.toContain('Beacon Trust');
    });

    await page.click('[data-testid=show-archived]');
    const row = page.locator('[data-testid=archived-row]', { hasText: 'Beacon Trust' });
    await row.waitFor();
    await screenshot(page, 'archived-dialog');
    await row.locator('[data-testid=bring-back]').click();
    await row.waitFor({ state: 'detached' });
    await eventually(async () => {
      const inv = await investors(page);
      expect(inv.records.map((r) => r.values[inv.field('Name')])).toContain('Beacon Trust');
    });
    await page.keyboard.press('Escape');
    await expectCell(page, 1, 'Name', 'Beacon Trust');
  });

  it('an admin previews a restore to a moment before later edits, restores, and the grid shows the old values', async () => {
    const moment = await nextWholeSecond();
    await nextWholeSecond();
    await replaceIn(page, 0, 'Owner', 'Later owner');
    // Saved on its own, so that Activity shows it as a one-cell change (edits made within the
    // outbox's debounce leave together, as one batch).
    await waitSaved(page);
    await typeInto(page, 1, 'Owner', 'Someone new');
    await waitSaved(page);
    expect(await serverValue(page, 'Acme Capital', 'Owner')).toBe('Later owner');

    await page.click('[data-testid=nav-restore]');
    await page.waitForSelector('[data-testid=restore-page]');
    await page.fill('[data-testid=restore-at]', localInput(moment));
    await page.click('[data-testid=restore-preview]');
    const changes = page.locator('[data-testid=restore-changes]');
    await changes.waitFor();
    const text = (await changes.textContent()) ?? '';
    expect(text).toContain('Later owner');
    expect(text).toContain('Jordan');
    expect(text).toContain('Someone new');
    await page.locator('[data-testid=restore-result]').scrollIntoViewIfNeeded();
    await screenshot(page, 'restore-preview');

    await page.click('[data-testid=restore-go]');
    await page.click('[data-testid=restore-confirm]');
    await eventually(async () =>
      expect(await serverValue(page, 'Acme Capital', 'Owner')).toBe('Jordan'),
    );
    expect(await serverValue(page, 'Beacon Trust', 'Owner')).toBeFalsy();

    await page.click('.topbar__nav a[href="/grid"]');
    await waitForGrid(page);
    await expectCell(page, 0, 'Owner', 'Jordan');
    await expectCell(page, 1, 'Owner', '');
  });

  it('rolls back one batch from Activity, and refuses a preview the log has moved past', async () => {
    await replaceIn(page, 0, 'Owner', 'Rolled');
    await waitSaved(page);
    await page.click('[data-testid=nav-activity]');
    const entry = page.locator('[data-testid=activity-entry]', { hasText: 'Rolled' }).first();
    await entry.locator('[data-testid=roll-back-batch]').click();
    await page.waitForSelector('[data-testid=restore-page]');
    const changes = page.locator('[data-testid=restore-changes]');
    await changes.waitFor();
    expect(await changes.textContent()).toMatch(/Rolled.*Jordan/);

    // Someone writes between the preview and the restore: the token no longer holds.
    const inv = await investors(page);
    const beacon = inv.records.find((r) => r.values[inv.field('Name')] === 'Beacon Trust')!;
    await apiFromPage(page, 'POST', '/api/fundraising/changes', {
      changes: [
        {
          op: 'set',
          record_id: beacon.id,
          field_id: inv.field('Next step'),
          from: null,
          to: 'Call back',
        },
      ],
    });
    await page.click('[data-testid=restore-go]');
    await page.click('[data-testid=restore-confirm]');
    await expect(page.locator('[data-testid=restore-error]').textContent()).resolves.toMatch(
      /Preview again/,
    );
    expect(await serverValue(page, 'Acme Capital', 'Owner')).toBe('Rolled');

    await page.click('[data-testid=restore-preview]');
    await page.locator('[data-testid=restore-error]').waitFor({ state: 'detached' });
    await changes.waitFor();
    await page.click('[data-testid=restore-go]');
    await page.click('[data-testid=restore-confirm]');
    await eventually(async () =>
      expect(await serverValue(page, 'Acme Capital', 'Owner')).toBe('Jordan'),
    );
    expect(await serverValue(page, 'Beacon Trust', 'Next step')).toBe('Call back');
    await page.click('.topbar__nav a[href="/grid"]');
    await waitForGrid(page);
  });

  it('lists the changes on the Activity page, newest first', async () => {
    await page.click('[data-testid=nav-activity]');
    const first = page.locator('[data-testid=activity-entry]').first();
    await first.waitFor();
    // The page draws its entries, then their values in the fields' format: wait for the condition, not the first entry.
    await eventually(async () => {
      const all = await page.locator('[data-testid=activity-entry]').allTextContents();
      expect(all.some((t) => t.includes('Later owner'))).toBe(true);
    });
    await screenshot(page, 'activity');
  });
});
