import { describe, expect, it, jest } from '@jest/globals';
import { apiFromPage, eventually, expectText, login } from './support/app';
import { newPerson, screenshot } from './support/chromium';
import { ADMIN } from './support/server';
import { browserSuite } from './support/suite';

jest.setTimeout(240_000);

/** The feature-request board: filed, voted on, moved by an admin to another column. */
describe('the feature-request board in the browser', () => {
  const suite = browserSuite({ admin: true });

  it('files a request, votes for it once, and an admin moves it to Planned', async () => {
    const { page } = await newPerson(suite.browser, suite.server.url);
    await login(page);
    await page.click('[data-testid=nav-feature-requests]');
    await page.waitForSelector('[data-testid=request-form]');
    await page.fill('input[name=request_title]', 'Dark mode');
    await page.fill('textarea[name=request_body]', 'for late nights');
    await page.click('[data-testid=request-form] button[type=submit]');
    const open = page.locator('[data-testid=requests-open] [data-testid=request]');
    await expectText(open.first(), /Dark mode/);

    const vote = open.first().locator('[data-testid=request-vote]');
    await vote.click();
    await eventually(async () => expect(await vote.getAttribute('aria-pressed')).toBe('true'));
    await expectText(vote, /▲ 1/);

    await open.first().locator('[data-testid=request-status]').selectOption('planned');
    const planned = page.locator('[data-testid=requests-planned] [data-testid=request]');
    await expectText(planned.first(), /Dark mode/);
    await expectText(planned.first().locator('[data-testid=request-vote]'), /▲ 1/);
    expect(await open.count()).toBe(0);
  });
  it('names who filed a request and when, and lets its author fix the text in place', async () => {
    const { page } = await newPerson(suite.browser, suite.server.url);
    await login(page);
    await page.goto('/feature-requests');
    const card = page.locator('[data-testid=request]', { hasText: 'Dark mode' });
    const today = new Date().toLocaleDateString('en-US', { dateStyle: 'medium', timeZone: 'UTC' });
    await expectText(card.locator('[data-testid=request-by]'), `${ADMIN.name} · ${today}`);
    await card.locator('[data-testid=request-edit]').click();
    const title = page.locator('[data-testid=request-edit-title]');
    await title.fill('');
    await title.pressSequentially('   ', { delay: 60 });
    await page.click('[data-testid=request-save]');
    await expectText(page.locator('.requests__error'), /title must not be empty/);
    await title.fill('');
    await title.pressSequentially('Dark mode for the grid', { delay: 60 });
    await page.click('[data-testid=request-save]');
    const renamed = page.locator('[data-testid=request]', { hasText: 'Dark mode for the grid' });
    await expectText(renamed.locator('strong'), 'Dark mode for the grid');
    await expect(page.locator('[data-testid=request-edit-title]').count()).resolves.toBe(0);
    const list = await apiFromPage<{ requests: { title: string }[] }>(
      page,
      'GET',
      '/api/feature-requests',
    );
    expect(list.requests.map((r) => r.title)).toEqual(['Dark mode for the grid']);
    await screenshot(page, 'feature-requests');
  });
});
