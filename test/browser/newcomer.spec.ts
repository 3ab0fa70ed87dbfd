import { describe, expect, it, jest } from '@jest/globals';
import { type Page } from 'playwright-core';
import {
  apiFromPage,
  cell,
  eventually,
  expectCell,
  expectText,
  investors,
  waitForGrid,
  waitSaved,
} from './support/app';
import { newPerson, screenshot } from './support/chromium';
import { browserSuite } from './support/suite';

jest.setTimeout(180_000);

/** Types into a field one key at a time, as a person does. */
async function typeField(page: Page, selector: string, text: string): Promise<void> {
  await page.click(selector);
  await page.keyboard.type(text, { delay: 60 });
}

const PASSWORD = 'quiet-harbor-maple-1907';

describe('the first day of a new team', () => {
  const suite = browserSuite();
  let admin: Page;

  it('the setup page speaks to someone who already opened the link, and says what a password needs', async () => {
    admin = (await newPerson(suite.browser, suite.server.url)).page;
    await admin.goto(suite.server.setupLink!.replace(/^https?:\/\/[^/]+/, ''));
    const intro = admin.locator('.auth__card > p.muted');
    await expectText(intro, /first account manages the team/);
    expect(await intro.textContent()).not.toMatch(/open the one-time link/i);
    await expectText(
      admin.locator('[data-testid=password-rule]'),
      /^At least 12 characters, not a common password and not your email or name/,
    );
    expect(await admin.getAttribute('input[name=password]', 'aria-describedby')).toBe(
      'password-rule',
    );

    await typeField(admin, 'input[name=name]', 'Morgan Partner');
    await typeField(admin, 'input[name=email]', 'morgan@fund.example');
    await typeField(admin, 'input[name=password]', PASSWORD);
    await typeField(admin, 'input[name=confirm]', PASSWORD);
    await admin.click('button[type=submit]');
    await waitForGrid(admin);

    // Without the token in the address, the page asks for it instead of sending the person to a link.
    const other = (await newPerson(suite.browser, suite.server.url)).page;
    await other.goto('/setup');
    await expectText(
      other.locator('.auth__card > p.muted'),
      /Paste the setup token the server printed/,
    );
    await other.context().close();
  });

  it('an empty table says how to begin, and both of its buttons work', async () => {
    const hint = admin.locator('[data-testid=empty-hint]');
    await expectText(hint.locator('h2'), 'Investors has no records yet');
    await screenshot(admin, 'empty-grid-hint');

    await admin.click('[data-testid=empty-import]');
    await admin.waitForURL(/\/import\?table=/);
    const inv = await investors(admin);
    await eventually(async () =>
      expect(await admin.locator('[data-testid=import-target]').inputValue()).toBe(inv.table.id),
    );
    await admin.goBack();
    await waitForGrid(admin);

    await admin.click('[data-testid=empty-add-record]');
    await hint.waitFor({ state: 'detached' });
    await (await cell(admin, 0, 'Name')).click();
    await admin.keyboard.type('Aspen LP', { delay: 80 });
    await admin.keyboard.press('Enter');
    await waitSaved(admin);
    await expectCell(admin, 0, 'Name', 'Aspen LP');
    await expectText(admin.locator('[data-testid=view-count]'), '1 record');
    // Another table, still empty, still gets its hint.
    await admin.click('[data-testid=tab-Funds]');
    await expectText(hint.locator('h2'), 'Funds has no records yet');
    await admin.click('[data-testid=tab-Investors]');
    await hint.waitFor({ state: 'detached' });
  });

  it('"?" opens the shortcut sheet over the grid (not into the cell), Escape closes it, and a button opens it too', async () => {
    const name = await cell(admin, 0, 'Name');
    await name.click();
    await admin.keyboard.press('?');
    const sheet = admin.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await sheet.waitFor();
    expect(await sheet.getAttribute('aria-modal')).toBe('true');
    const text = (await sheet.textContent()) ?? '';
    for (const what of [
      'Open the selected record',
      'History of the selected cell',
      'Undo your last change',
      'Redo',
      'Show these shortcuts',
    ])
      expect(text).toContain(what);
    expect(await sheet.locator('dt', { hasText: /^\s*Shift\s*Space\s*$/ }).count()).toBe(1);
    await screenshot(admin, 'shortcut-sheet');
    await admin.keyboard.press('Escape');
    await sheet.waitFor({ state: 'detached' });
    // The "?" went to the sheet, not into the cell.
    expect(await admin.locator('[data-testid=grid] .ht_editor_visible').count()).toBe(0);
    await expectCell(admin, 0, 'Name', 'Aspen LP');

    // The cell is still selected: Enter edits it, and "?" typed in the editor is text.
    await admin.keyboard.press('Enter');
    await admin.keyboard.type(' Fund?', { delay: 80 });
    expect(await admin.getByRole('dialog', { name: 'Keyboard shortcuts' }).count()).toBe(0);
    await admin.keyboard.press('Enter');
    await expectCell(admin, 0, 'Name', 'Aspen LP Fund?');

    // And in a form field.
    await admin.click('[data-testid=view-menu]');
    await admin.click('[data-testid=view-create]');
    await admin.keyboard.type('Who?', { delay: 80 });
    expect(await admin.inputValue('[data-testid=view-name]')).toBe('Who?');
    expect(await admin.getByRole('dialog', { name: 'Keyboard shortcuts' }).count()).toBe(0);
    await admin.keyboard.press('Escape');

    await admin.click('[data-testid=show-shortcuts]');
    await sheet.waitFor();
    await admin.keyboard.press('Escape');
    await sheet.waitFor({ state: 'detached' });
    expect(await admin.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'show-shortcuts',
    );
  });

  it('the invitation page names the address that joins and the password rule', async () => {
    const invite = await apiFromPage<{ url?: string; token?: string }>(
      admin,
      'POST',
      '/api/admin/invites',
      { email: 'jordan@fund.example', role: 'member' },
    );
    const link = invite.url
      ? new URL(invite.url, suite.server.url)
      : new URL(`/invite?token=${invite.token}`, suite.server.url);
    const { page: jordan, context } = await newPerson(suite.browser, suite.server.url, {
      width: 390,
      height: 844,
    });
    await jordan.goto(link.pathname + link.search);
    await expectText(
      jordan.locator('[data-testid=invite-for]'),
      /^You are joining as jordan@fund\.example \(member\)\. The link works until /,
    );
    expect(await jordan.inputValue('[data-testid=invite-email]')).toBe('jordan@fund.example');
    await expectText(jordan.locator('[data-testid=password-rule]'), /^At least 12 characters/);
    await screenshot(jordan, 'accept-invite-phone');
    await typeField(jordan, 'input[name=name]', 'Jordan Lee');
    await typeField(jordan, 'input[name=password]', 'silver-canyon-orbit-5531');
    await typeField(jordan, 'input[name=confirm]', 'silver-canyon-orbit-5531');
    await jordan.click('button[type=submit]');
    await waitForGrid(jordan);

    // The same link, used: the page says so and offers no form.
    const { page: late, context: lateContext } = await newPerson(suite.browser, suite.server.url);
    await late.goto(link.pathname + link.search);
    await expectText(
      late.locator('[data-testid=invite-unusable]'),
      /Ask your admin for a new invitation link\.$/,
    );
    expect(await late.locator('input[name=password]').count()).toBe(0);
    await lateContext.close();
    await context.close();
  });
});
