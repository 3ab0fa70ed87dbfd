import { describe, expect, it, jest } from '@jest/globals';
import { eventually, expectText, login } from './support/app';
import { newPerson } from './support/chromium';
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
});
