import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type Page } from 'playwright-core';
import { apiFromPage, eventually, expectText, investors, login } from './support/app';
import { newPerson, screenshot } from './support/chromium';
import { browserSuite } from './support/suite';

jest.setTimeout(180_000);

const listsOf = async (page: Page, recordId: string) =>
  (
    await apiFromPage<{ memberships: { list: string }[] }>(
      page,
      'GET',
      `/api/fundraising/memberships?record_id=${recordId}`,
    )
  ).memberships
    .map((m) => m.list)
    .filter((l) => l !== 'all')
    .sort();

describe('the Automations page', () => {
  const suite = browserSuite({ admin: true, env: { CRM_BACKUP_SCHEDULER: 'off' } });
  let page: Page;
  let recordId: string;
  let stage: string;

  beforeAll(async () => {
    page = (await newPerson(suite.browser, suite.server.url)).page;
    await login(page);
    const inv = await investors(page);
    stage = inv.field('Pipeline stage');
    const created = await apiFromPage<{ applied: { record_id: string }[] }>(
      page,
      'POST',
      '/api/fundraising/changes',
      {
        changes: [
          {
            op: 'create',
            table_id: inv.table.id,
            values: { [inv.field('Name')]: 'Quiet Capital', [stage]: 'Engaged' },
          },
          {
            op: 'create',
            table_id: inv.table.id,
            values: { [inv.field('Name')]: 'Long Gone LP', [stage]: 'Passed' },
          },
        ],
      },
    );
    recordId = created.applied[0].record_id;
    for (const a of created.applied)
      await apiFromPage(page, 'POST', '/api/fundraising/memberships', {
        record_id: a.record_id,
        list: 'main',
        op: 'add',
      });
  });

  it('lists the shipped rules switched off; a partner switches one on and off again', async () => {
    await page.click('[data-testid=nav-automations]');
    await page.waitForURL(/\/automations$/);
    const rows = page.locator('[data-testid=rule-row]');
    await eventually(async () =>
      expect(await rows.locator('[data-testid=rule-row-name]').allTextContents()).toEqual(
        expect.arrayContaining(['No contact in 30 days → follow-up', 'Passed → graveyard']),
      ),
    );
    const toggles = rows.locator('[data-testid=rule-toggle]');
    for (let i = 0; i < (await toggles.count()); i++)
      expect(await toggles.nth(i).isChecked()).toBe(false);
    const passed = rows.filter({ hasText: 'Passed → graveyard' });
    const enabled = async () =>
      (
        await apiFromPage<{ rules: { name: string; enabled: boolean }[] }>(
          page,
          'GET',
          '/api/automations',
        )
      ).rules.find((r) => r.name === 'Passed → graveyard')!.enabled;
    await passed.locator('[data-testid=rule-toggle]').check();
    await eventually(async () => expect(await enabled()).toBe(true));
    await passed.locator('[data-testid=rule-toggle]').uncheck();
    await eventually(async () => expect(await enabled()).toBe(false));
  });

  it('creates a rule with a live dry run, fires it on an edit, and rolls the run back', async () => {
    // This walk starts from a base without rules: the shipped ones are archived first.
    const shipped = await apiFromPage<{ rules: { id: string }[] }>(page, 'GET', '/api/automations');
    for (const rule of shipped.rules)
      await apiFromPage(page, 'DELETE', `/api/automations/${rule.id}`);
    await page.goto('/grid');
    await page.click('[data-testid=nav-automations]');
    await page.waitForURL(/\/automations$/);
    await page.locator('[data-testid=rules-empty]').waitFor();
    await page.click('[data-testid=new-rule]');
    await page.fill('[data-testid=rule-name]', 'Passed → graveyard');
    await page.selectOption('[data-testid=rule-trigger]', 'record_updated');
    await page.selectOption('[data-testid=rule-trigger-field]', stage);
    await page.selectOption('[data-testid=rule-trigger-to]', 'Passed');
    await page.selectOption('[data-testid=rule-action-op]', 'move');
    await page.selectOption('[data-testid=rule-action-list]', 'graveyard');
    await page.check('[data-testid=rule-enabled]');
    // The dry run answers for the draft as it stands: the investor already Passed would go to Graveyard.
    await expectText(
      page.locator('[data-testid=rule-dry-run] p'),
      /^Right now: 1 record meets the conditions; running it would make 1 change\.$/,
    );
    await expectText(
      page.locator('[data-testid=rule-dry-run] li').first(),
      'lists: Main → Graveyard',
    );
    await page.click('[data-testid=rule-save]');
    await expectText(page.locator('[data-testid=rule-row-name]'), 'Passed → graveyard');
    expect(await page.locator('[data-testid=rule-toggle]').isChecked()).toBe(true);

    await apiFromPage(page, 'POST', '/api/fundraising/changes', {
      changes: [{ op: 'set', record_id: recordId, field_id: stage, from: 'Engaged', to: 'Passed' }],
    });
    await eventually(async () => expect(await listsOf(page, recordId)).toEqual(['graveyard']));
    await page.reload();
    await expectText(
      page.locator('[data-testid=run-row] [data-testid=run-effect]'),
      'lists: Main → Graveyard',
    );
    await expectText(page.locator('[data-testid=rule-counts]'), /^1 run, 0 failed, last /);
    await screenshot(page, 'automations-run-log');

    await page.click('[data-testid=run-rollback]');
    await page.click('[data-testid=rollback-confirm]');
    await expectText(page.locator('[data-testid=run-row] [data-testid=run-status]'), 'rolled back');
    expect(await listsOf(page, recordId)).toEqual(['main']);
  });
});
