import { describe, expect, it, jest } from '@jest/globals';
import { apiFromPage, login, waitForGrid } from './support/app';
import { newPerson, screenshot } from './support/chromium';
import { ADMIN } from './support/server';
import { browserSuite } from './support/suite';

jest.setTimeout(180_000);

describe('team administration', () => {
  const suite = browserSuite({ admin: true });

  it('an admin invites a member, who accepts, signs in and does not see user administration', async () => {
    const admin = (await newPerson(suite.browser, suite.server.url)).page;
    await login(admin, ADMIN.email, ADMIN.password);
    await admin.click('[data-testid=nav-users]');
    await admin.waitForURL(/\/admin\/users/);
    await admin.fill('input[name=invite_email]', 'jordan@fund.example');
    await admin.selectOption('select[name=invite_role]', 'member');
    await admin.click('[data-testid=invite-form] button[type=submit]');
    const linkInput = admin.locator('[data-testid=invite-link]');
    await linkInput.waitFor();
    const link = await linkInput.inputValue();
    expect(link).toMatch(/token=/);
    await screenshot(admin, 'team-admin');

    const { page: jordan, context } = await newPerson(suite.browser, suite.server.url);
    await jordan.goto(new URL(link).pathname + new URL(link).search);
    await jordan.fill('input[name=name]', 'Jordan Lee');
    await jordan.fill('input[name=password]', 'silver-canyon-orbit-5531');
    await jordan.fill('input[name=confirm]', 'silver-canyon-orbit-5531');
    await jordan.click('button[type=submit]');
    await waitForGrid(jordan);

    // Change the password from the account menu, then sign out and in with the new one.
    await jordan.click('[data-testid=account-menu]');
    await jordan.locator('.menu__item', { hasText: 'Change password' }).click();
    await jordan.fill('input[name=current_password]', 'silver-canyon-orbit-5531');
    await jordan.fill('input[name=new_password]', 'amber-tundra-falcon-8824');
    await jordan.fill('.modal input[name=confirm]', 'amber-tundra-falcon-8824');
    await jordan.locator('.modal button[type=submit]').click();
    await jordan.locator('.modal').waitFor({ state: 'detached' });
    await jordan.click('[data-testid=account-menu]');
    await jordan.click('[data-testid=logout]');
    await jordan.waitForURL(/\/login/);
    await login(jordan, 'jordan@fund.example', 'amber-tundra-falcon-8824');
    expect(await jordan.locator('[data-testid=nav-users]').count()).toBe(0);
    expect(await jordan.locator('[data-testid=account-menu]').textContent()).toContain(
      'Jordan Lee',
    );
    await jordan.goto('/admin/users');
    await waitForGrid(jordan);
    expect(new URL(jordan.url()).pathname).toMatch(/^\/grid/);
    await expect(apiFromPage(jordan, 'GET', '/api/admin/users')).rejects.toThrow(/403/);
    await context.close();

    // The admin sees the new member and can disable them.
    await admin.reload();
    const row = admin.locator('[data-testid=users-table] tr', { hasText: 'jordan@fund.example' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Jordan Lee');
    await row.locator('button', { hasText: 'Disable' }).click();
    await row.locator('td', { hasText: 'Disabled' }).waitFor();
    const users = await apiFromPage<{ email: string; disabled: boolean }[]>(
      admin,
      'GET',
      '/api/admin/users',
    );
    expect(users.find((u) => u.email === 'jordan@fund.example')!.disabled).toBe(true);
  });

  it('a member whose account is disabled while the grid is open is sent to the sign-in page at once, by the live stream', async () => {
    const admin = (await newPerson(suite.browser, suite.server.url)).page;
    await login(admin, ADMIN.email, ADMIN.password);
    const created = await apiFromPage<{ id: string }>(admin, 'POST', '/api/admin/users', {
      email: 'casey@fund.example',
      name: 'Casey Stone',
      role: 'member',
      password: 'harbor-quill-meadow-7315',
    });
    const { page: casey, context } = await newPerson(suite.browser, suite.server.url);
    await login(casey, 'casey@fund.example', 'harbor-quill-meadow-7315');
    // The live stream is connected (the save indicator no longer says "reconnecting").
    await casey.locator('[data-testid=save-state]:not(:has(.save-state__live))').waitFor();
    await apiFromPage(admin, 'PATCH', `/api/admin/users/${created.id}`, { disabled: true });
    await casey.waitForURL(/\/login/, { timeout: 5_000 });
    await context.close();
  });
});
