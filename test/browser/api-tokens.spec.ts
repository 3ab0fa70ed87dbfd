import { describe, expect, it, jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { apiFromPage, eventually, login } from './support/app';
import { newPerson, screenshot } from './support/chromium';
import { browserSuite } from './support/suite';

jest.setTimeout(180_000);

const PHONE = { width: 390, height: 844 };

/** A person's way to the page: the account menu. */
async function openTokensPage(page: Page): Promise<void> {
  await page.click('[data-testid=account-menu]');
  await page.click('[data-testid=nav-tokens]');
  await page.waitForURL(/\/tokens$/);
  await page.locator('[data-testid=token-form]').waitFor();
}

/** Types into a field key by key, at a person's pace. */
async function typeSlowly(page: Page, selector: string, text: string): Promise<void> {
  await page.click(selector);
  await page.keyboard.type(text, { delay: 75 });
}

describe('the API tokens page', () => {
  const suite = browserSuite({ admin: true });

  it('makes a token shown once with a copy button, which then works for a script until it is revoked', async () => {
    const { page, context } = await newPerson(suite.browser, suite.server.url);
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await login(page);
    await openTokensPage(page);
    await typeSlowly(page, 'input[name=token_name]', 'Quarterly LP report');
    await page.selectOption('select[name=token_scope]', 'write');
    await page.click('[data-testid=token-form] button[type=submit]');
    const value = page.locator('[data-testid=token-value]');
    await value.waitFor();
    const token = await value.inputValue();
    expect(token).toMatch(/^crm_[A-Za-z0-9_-]{43}$/);
    await page.click('[data-testid=token-copy]');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);

    // A script calls the API with it, outside the browser.
    const call = () =>
      fetch(`${suite.server.url}/api/fundraising/state`, {
        headers: { Authorization: `Bearer ${token}` },
      });
    const state = (await (await call()).json()) as { tables: { id: string; role: string }[] };
    const write = await fetch(`${suite.server.url}/api/fundraising/changes`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        changes: [
          {
            op: 'create',
            table_id: state.tables.find((x) => x.role === 'investors')!.id,
            values: {},
          },
        ],
      }),
    });
    expect(write.status).toBe(200);

    // Once the page is left, the token is never shown again; the list says when it was used.
    await page.reload();
    await page.locator('[data-testid=my-tokens]').waitFor();
    expect(await page.locator('[data-testid=token-value]').count()).toBe(0);
    expect(await page.content()).not.toContain(token);
    await eventually(async () => {
      await page.reload();
      const row = page.locator('[data-testid=my-tokens] tbody tr', {
        hasText: 'Quarterly LP report',
      });
      await row.waitFor();
      expect(await row.locator('td').nth(3).innerText()).not.toContain('—');
    });
    await screenshot(page, 'api-tokens-desktop');
    const row = page.locator('[data-testid=my-tokens] tbody tr', {
      hasText: 'Quarterly LP report',
    });
    await row.locator('button', { hasText: 'Revoke' }).click();
    await row.locator('button', { hasText: 'Revoke now' }).click();
    await row.locator('td', { hasText: 'Revoked' }).waitFor();
    const refused = await call();
    expect([refused.status, ((await refused.json()) as { reason: string }).reason]).toEqual([
      401,
      'token_revoked',
    ]);
    // The activity feed says which token the script's change came through.
    await page.goto('/activity');
    await page
      .locator('[data-testid=activity-token]', { hasText: 'Quarterly LP report' })
      .first()
      .waitFor();
    await context.close();
  });

  it('fits a phone: a member makes a read token, and the admin sees it among everyone’s', async () => {
    const { page: admin } = await newPerson(suite.browser, suite.server.url);
    await login(admin);
    await apiFromPage(admin, 'POST', '/api/admin/users', {
      email: 'morgan@fund.example',
      name: 'Morgan Reyes',
      role: 'member',
      password: 'quartz-meadow-ember-2291',
    });
    const { page, context } = await newPerson(suite.browser, suite.server.url, PHONE);
    await login(page, 'morgan@fund.example', 'quartz-meadow-ember-2291');
    await openTokensPage(page);
    await typeSlowly(page, 'input[name=token_name]', 'Phone dashboard');
    await page.click('[data-testid=token-form] button[type=submit]');
    await page.locator('[data-testid=token-value]').waitFor();
    await page.locator('[data-testid=my-tokens] tbody tr', { hasText: 'Read only' }).waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    const button = await page.locator('[data-testid=token-form] button[type=submit]').boundingBox();
    expect(button!.x + button!.width).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'api-tokens-phone');
    expect(await page.locator('[data-testid=all-tokens]').count()).toBe(0);
    await context.close();

    await admin.goto('/tokens');
    await admin
      .locator('[data-testid=all-tokens] tbody tr', { hasText: 'Phone dashboard' })
      .filter({ hasText: 'Morgan Reyes' })
      .waitFor();
  });

  it('opens the API documentation from the page, all from this server and within its CSP', async () => {
    const { page, context } = await newPerson(suite.browser, suite.server.url);
    const hosts = new Set<string>();
    const refused: string[] = [];
    await login(page);
    await openTokensPage(page);
    const [docs] = await Promise.all([
      context.waitForEvent('page'),
      page.click('a[href="/api/docs"]'),
    ]);
    // The new tab's first navigation settles before it is watched and loaded again (a reload while
    // the tab was still being attached failed with "Not attached to an active page").
    await docs.waitForLoadState('load');
    docs.on('request', (r) => hosts.add(new URL(r.url()).host));
    docs.on('console', (m) => m.type() === 'error' && refused.push(m.text()));
    await docs.reload();
    await docs.locator('.opblock').first().waitFor();
    expect(await docs.locator('.opblock-summary-path', { hasText: '/api/me/tokens' }).count()).toBe(
      3,
    );
    await screenshot(docs, 'api-docs');
    expect([...hosts]).toEqual([new URL(suite.server.url).host]);
    expect(refused).toEqual([]);
    await context.close();
  });
});
