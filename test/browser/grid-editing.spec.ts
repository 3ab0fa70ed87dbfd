import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type CDPSession, type Page } from 'playwright-core';
import {
  apiFromPage,
  cell,
  eventually,
  expectCell,
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

/** A person's pace: about 80 ms a key. */
const typeSlowly = (page: Page, text: string) => page.keyboard.type(text, { delay: 80 });

async function valuesOf(
  page: Page,
  tableName: string,
  recordName: string,
): Promise<Record<string, unknown>> {
  const s = await state(page);
  const t = s.tables.find((x) => x.name === tableName)!;
  const r = t.records.find((x) => x.values[t.primary_field_id] === recordName)!;
  return Object.fromEntries(t.fields.map((f) => [f.name, r.values[f.id]]));
}

/**
 * A laptop busy with other tabs: the page runs several times slower, so keys can arrive before the
 * grid's own deferred work after Tab has run (Chromium serves input before timers).
 */
async function slowDown(page: Page): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 6 });
  return cdp;
}

describe('typing from cell to cell with Tab', () => {
  const suite = browserSuite({ admin: true });
  let page: Page;

  beforeAll(async () => {
    page = (await newPerson(suite.browser, suite.server.url)).page;
    await login(page);
    const inv = await investors(page);
    await apiFromPage(page, 'POST', '/api/fundraising/changes', {
      changes: [
        { op: 'create', table_id: inv.table.id, values: { [inv.field('Name')]: 'Linked LP' } },
      ],
    });
    const text = (name: string) => ({ name, type: 'text' });
    const { table } = await apiFromPage<{
      table: { id: string; fields: { id: string; name: string }[] };
    }>(page, 'POST', '/api/fundraising/tables', {
      name: 'Editors',
      fields: [
        text('Name'),
        { name: 'Met', type: 'date' },
        text('After date'),
        {
          name: 'Stage',
          type: 'single_select',
          options: { choices: [{ name: 'Lead' }, { name: 'Committed' }] },
        },
        text('After select'),
        {
          name: 'Labels',
          type: 'multiple_select',
          options: { choices: [{ name: 'Anchor' }, { name: 'ESG' }] },
        },
        text('After tags'),
        { name: 'Size', type: 'number', options: { precision: 0 } },
        text('After number'),
        { name: 'Warm', type: 'checkbox' },
        text('After checkbox'),
        { name: 'Investor', type: 'link', options: { table_id: inv.table.id } },
        text('After link'),
      ],
    });
    await apiFromPage(page, 'POST', '/api/fundraising/changes', {
      changes: [{ op: 'create', table_id: table.id, values: { [table.fields[0].id]: 'Row A' } }],
    });
    await page.reload();
    await waitForGrid(page);
    await page.click('[data-testid="tab-Editors"]');
    await waitForGrid(page);
  });

  it('keeps every key typed into the cell after each kind of editor', async () => {
    const cdp = await slowDown(page);
    try {
      // Date: typed, Tab.
      await (await cell(page, 0, 'Met')).click();
      await typeSlowly(page, '4/3/2026');
      await page.keyboard.press('Tab');
      await typeSlowly(page, 'Xnext 0');
      await page.keyboard.press('Tab');
      // Select: typed, Tab.
      await typeSlowly(page, 'Committed');
      await page.keyboard.press('Tab');
      await typeSlowly(page, 'Follow up Q3');
      await page.keyboard.press('Tab');
      // Multiple select: opened with Enter, a choice ticked, Tab.
      await page.keyboard.press('Enter');
      await page.locator('.ht-multi-select-editor li', { hasText: 'ESG' }).click();
      await page.keyboard.press('Tab');
      await typeSlowly(page, 'Tagged ok');
      await page.keyboard.press('Tab');
      // Number: typed, Tab.
      await typeSlowly(page, '250k');
      await page.keyboard.press('Tab');
      await typeSlowly(page, 'Sized ok');
      await page.keyboard.press('Tab');
      // Checkbox: Space, Tab.
      await page.keyboard.press('Space');
      await page.keyboard.press('Tab');
      await typeSlowly(page, 'Checked ok');
      await page.keyboard.press('Tab');
      // Link: Enter opens the picker; a record is ticked and saved; Tab.
      await page.keyboard.press('Enter');
      await page.locator('[data-testid=link-picker] label', { hasText: 'Linked LP' }).click();
      await page.getByRole('button', { name: 'Save links' }).click();
      await page.keyboard.press('Tab');
      await typeSlowly(page, 'Linked ok');
      await page.keyboard.press('Enter');
    } catch (e) {
      await screenshot(page, 'grid-editing-tab-failure');
      throw e;
    } finally {
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    }
    await waitSaved(page);
    await eventually(async () => {
      const v = await valuesOf(page, 'Editors', 'Row A');
      expect(v).toMatchObject({
        Met: '2026-04-03',
        'After date': 'Xnext 0',
        Stage: 'Committed',
        'After select': 'Follow up Q3',
        Labels: ['ESG'],
        'After tags': 'Tagged ok',
        Size: 250_000,
        'After number': 'Sized ok',
        Warm: true,
        'After checkbox': 'Checked ok',
        'After link': 'Linked ok',
      });
      expect((v.Investor as string[]).length).toBe(1);
    });
  });
});

describe('undo after a multiple-select cell', () => {
  const suite = browserSuite({ admin: true });

  it('Ctrl+Z undoes the last edit after the Tags editor was opened and closed', async () => {
    const page = await gridWithInvestors(suite, [{ Name: 'Undo LP', Owner: 'Sam' }]);
    await (await cell(page, 0, 'Owner')).click();
    await typeSlowly(page, 'Jordan');
    await page.keyboard.press('Enter');
    await waitSaved(page);
    // Into the Tags cell with Tab, its editor opened and closed again.
    await (await cell(page, 0, 'Next step')).click();
    await page
      .locator('[data-testid=grid] .ht_master .wtHolder')
      .first()
      .evaluate((el) => (el.scrollLeft = el.scrollWidth));
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.locator('.ht-multi-select-editor').first().waitFor();
    await page.keyboard.press('Escape');
    await page.locator('.ht-multi-select-editor').first().waitFor({ state: 'hidden' });
    await page.keyboard.press('Control+z');
    await eventually(async () => {
      const now = await investors(page);
      expect(now.records[0].values[now.field('Owner')]).toBe('Sam');
    });
  });
});

describe('a refused value', () => {
  const suite = browserSuite({ admin: true });

  it('says why at once when Enter or Tab is pressed, announced and tied to the editor', async () => {
    const page = await gridWithInvestors(suite, [{ Name: 'Refused LP' }]);
    for (const key of ['Enter', 'Tab']) {
      await (await cell(page, 0, 'Target commitment')).click();
      await typeSlowly(page, 'lots');
      await page.keyboard.press(key);
      const message = page.locator('[data-testid=cell-message]');
      await message.waitFor();
      expect(await message.getAttribute('role')).toBe('alert');
      expect(await message.textContent()).toContain('takes an amount');
      const id = await message.getAttribute('id');
      expect(id).toBeTruthy();
      const editor = page.locator('[data-testid=grid] textarea.handsontableInput:focus');
      expect(await editor.getAttribute('aria-describedby')).toContain(id!);
      // Escape gives up the edit; the message goes with it and nothing was saved.
      await page.keyboard.press('Escape');
      await message.waitFor({ state: 'detached' });
    }
    const now = await investors(page);
    expect(now.records[0].values[now.field('Target commitment')] ?? null).toBeNull();
  });
});

describe('a filled single-select cell', () => {
  const suite = browserSuite({ admin: true });

  it('opens with Enter as a fresh picker: Enter alone keeps the choice, typing picks another', async () => {
    const page = await gridWithInvestors(suite, [{ Name: 'Stage LP', 'Pipeline stage': 'Passed' }]);
    await (await cell(page, 0, 'Pipeline stage')).click();
    await page.keyboard.press('Enter');
    const search = page.locator('[data-testid=grid] textarea.handsontableInput:focus');
    await search.waitFor();
    expect(await search.inputValue()).toBe('');
    // The current choice is highlighted in the full list.
    await page
      .locator('.handsontableEditor.autocompleteEditor td.current', { hasText: 'Passed' })
      .waitFor();
    await page.keyboard.press('Enter');
    await expectCell(page, 0, 'Pipeline stage', 'Passed');
    // The only record: Enter left the selection on it (↑ from here would go to the headers).
    await page.keyboard.press('Enter');
    await search.waitFor();
    await typeSlowly(page, 'Pass');
    expect(await search.inputValue()).toBe('Pass');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Enter');
    await typeSlowly(page, 'Engaged');
    await page.keyboard.press('Enter');
    await waitSaved(page);
    await eventually(async () => {
      const now = await investors(page);
      expect(now.records[0].values[now.field('Pipeline stage')]).toBe('Engaged');
    });
  });
});

describe('a name that is not there yet', () => {
  const suite = browserSuite({ admin: true });
  let page: Page;

  beforeAll(async () => {
    page = await gridWithInvestors(suite, [{ Name: 'Choice LP' }]);
  });

  const choicesOf = async (fieldName: string) => {
    const s = await state(page);
    const f = s.tables
      .find((t) => t.role === 'investors')!
      .fields.find((x) => x.name === fieldName) as unknown as {
      options: { choices: { name: string }[] };
    };
    return f.options.choices.map((c) => c.name);
  };

  it('offers to add a typed choice to a single-select field, and adds it on a second Enter', async () => {
    await (await cell(page, 0, 'Pipeline stage')).click();
    await typeSlowly(page, 'Secondary');
    await page.keyboard.press('Enter');
    const message = page.locator('[data-testid=cell-message]');
    await expectText(
      message,
      /“Secondary” is not a choice of Pipeline stage\. Press Enter again to add it/,
    );
    expect(await choicesOf('Pipeline stage')).not.toContain('Secondary');
    await page.keyboard.press('Enter');
    await message.waitFor({ state: 'detached' });
    await waitSaved(page);
    await eventually(async () => {
      expect(await choicesOf('Pipeline stage')).toContain('Secondary');
      const now = await investors(page);
      expect(now.records[0].values[now.field('Pipeline stage')]).toBe('Secondary');
    });
  });

  it('ticks a typed tag on Enter, and offers to add one that is not a choice', async () => {
    await page
      .locator('[data-testid=grid] .ht_master .wtHolder')
      .first()
      .evaluate((el) => (el.scrollLeft = el.scrollWidth));
    await (await cell(page, 0, 'Tags')).click();
    await page.keyboard.press('Enter');
    await page.locator('.ht-multi-select-editor').first().waitFor();
    await typeSlowly(page, 'esg');
    await page.keyboard.press('Enter');
    await typeSlowly(page, 'Co-invest');
    await page.keyboard.press('Enter');
    const message = page.locator('[data-testid=cell-message]');
    await expectText(message, /“Co-invest” is not a choice of Tags/);
    await page.getByRole('button', { name: 'Add “Co-invest”' }).click();
    await message.waitFor({ state: 'detached' });
    await waitSaved(page);
    await eventually(async () => {
      expect(await choicesOf('Tags')).toContain('Co-invest');
      const now = await investors(page);
      expect(now.records[0].values[now.field('Tags')]).toEqual(['ESG', 'Co-invest']);
    });
  });
});

describe('a member adding a choice', () => {
  const suite = browserSuite({ admin: true });

  it('gets the same offer as an admin (the server lets members change fields) and adds the choice', async () => {
    const admin = (await newPerson(suite.browser, suite.server.url)).page;
    await login(admin);
    const inv = await investors(admin);
    await apiFromPage(admin, 'POST', '/api/fundraising/changes', {
      changes: [
        { op: 'create', table_id: inv.table.id, values: { [inv.field('Name')]: 'Member LP' } },
      ],
    });
    const invite = await apiFromPage<{ url: string }>(admin, 'POST', '/api/admin/invites', {
      email: 'riley@fund.example',
      role: 'member',
    });
    const { page } = await newPerson(suite.browser, suite.server.url);
    const url = new URL(invite.url);
    await page.goto(url.pathname + url.search);
    await page.fill('input[name=name]', 'Riley Member');
    await page.fill('input[name=password]', 'copper-meadow-lantern-3381');
    await page.fill('input[name=confirm]', 'copper-meadow-lantern-3381');
    await page.click('button[type=submit]');
    await waitForGrid(page);
    await (await cell(page, 0, 'Status')).click();
    await typeSlowly(page, 'Paused');
    await page.keyboard.press('Enter');
    await expectText(
      page.locator('[data-testid=cell-message]'),
      /“Paused” is not a choice of Status\. Press Enter again/,
    );
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=cell-message]').waitFor({ state: 'detached' });
    await waitSaved(page);
    await eventually(async () => {
      const now = await investors(admin);
      expect(now.records[0].values[now.field('Status')]).toBe('Paused');
    });
  });
});

describe('the link picker and the record drawer', () => {
  const suite = browserSuite({ admin: true });

  it('opens the picker with the search box focused and creates a record named as typed, undone in one step', async () => {
    const { page } = await newPerson(suite.browser, suite.server.url);
    await login(page);
    const s0 = await state(page);
    const contacts = s0.tables.find((t) => t.role === 'contacts')!;
    const field = (name: string) => contacts.fields.find((f) => f.name === name)!.id;
    await apiFromPage(page, 'POST', '/api/fundraising/changes', {
      changes: [{ op: 'create', table_id: contacts.id, values: { [field('Name')]: 'Dana Reyes' } }],
    });
    await page.reload();
    await waitForGrid(page);
    await page.click('[data-testid="tab-Contacts"]');
    await waitForGrid(page);
    await (await cell(page, 0, 'Investor')).click();
    await page.keyboard.press('Enter');
    const search = page.locator('[data-testid=link-search]');
    await search.waitFor();
    expect(await search.evaluate((el) => el === document.activeElement)).toBe(true);
    await typeSlowly(page, 'Northwind Capital');
    await expectText(
      page.locator('[data-testid=link-create]'),
      '+ Create a record named “Northwind Capital” in Investors',
    );
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=link-picker]').waitFor({ state: 'detached' });
    await expectCell(page, 0, 'Investor', 'Northwind Capital');
    await waitSaved(page);
    const linked = async () => {
      const s = await state(page);
      const inv = s.tables.find((t) => t.role === 'investors')!;
      const northwind = inv.records.find(
        (r) => r.values[inv.primary_field_id] === 'Northwind Capital',
      );
      const dana = s.tables.find((t) => t.role === 'contacts')!.records[0];
      return { northwind, link: dana.values[field('Investor')] };
    };
    await eventually(async () => {
      const { northwind, link } = await linked();
      expect(northwind).toBeDefined();
      expect(link).toEqual([northwind!.id]);
    });
    // The keyboard is back in the grid: one Ctrl+Z takes back the new record and the link together.
    await page.keyboard.press('Control+z');
    await eventually(async () => {
      const { northwind, link } = await linked();
      expect(northwind).toBeUndefined();
      expect(link ?? []).toEqual([]);
    });
  });

  it('closes the record drawer with Escape', async () => {
    const page = await gridWithInvestors(suite, [{ Name: 'Drawer LP' }]);
    await (await cell(page, 0, 'Name')).click();
    await page.keyboard.press('Shift+Space');
    const drawer = page.locator('[data-testid=record-drawer]');
    await drawer.waitFor();
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
  });
});
