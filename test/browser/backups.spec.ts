import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type Page } from 'playwright-core';
import {
  apiFromPage,
  eventually,
  expectText,
  investors,
  login,
  nextFrames,
  waitForGrid,
} from './support/app';
import { newPerson, screenshot } from './support/chromium';
import { browserSuite } from './support/suite';

jest.setTimeout(180_000);

interface Backup {
  id: string;
  file_name: string;
  verification: string;
  manifest: { size: number; sha256: string; last_position: number };
}
interface Policy {
  enabled: boolean;
  time_of_day: string;
  time_zone: string;
  keep_daily: number;
  keep_weekly: number;
  keep_monthly: number;
}

const backups = async (page: Page) =>
  (await apiFromPage<{ backups: Backup[] }>(page, 'GET', '/api/fundraising/backups')).backups;

describe('the Backups page', () => {
  const suite = browserSuite({ admin: true, env: { CRM_BACKUP_SCHEDULER: 'off' } });
  let page: Page;

  beforeAll(async () => {
    page = (await newPerson(suite.browser, suite.server.url)).page;
    await login(page);
    const inv = await investors(page);
    await apiFromPage(page, 'POST', '/api/fundraising/changes', {
      changes: ['Aspen LP', 'Beacon Fund'].map((name) => ({
        op: 'create',
        table_id: inv.table.id,
        values: { [inv.field('Name')]: name },
      })),
    });
  });

  it('backs up now: the new backup appears verified, with its size and age, and downloads as the same bytes', async () => {
    await page.click('[data-testid=nav-backups]');
    await page.waitForURL(/\/admin\/backups$/);
    await page.locator('[data-testid=backups-empty]').waitFor();
    await page.click('[data-testid=backup-now]');

    const row = page.locator('[data-testid=backup-row]');
    await eventually(async () => expect(await row.count()).toBe(1));
    await page
      .locator('[data-testid=backup-verification][data-state=ok]')
      .waitFor({ timeout: 30_000 });
    await expectText(page.locator('[data-testid=backup-verification]'), 'Verified');
    await expectText(
      page.locator('.toast', { hasText: 'verified' }).first(),
      'Backup taken and verified',
    );
    const [b] = await backups(page);
    expect(b.verification).toBe('ok');
    await expectText(page.locator('[data-testid=backup-size]'), /^\d+(\.\d)? (kB|MB)$/);
    await expectText(page.locator('[data-testid=backup-age]'), /just now|now|second/);
    // The exact time is on hover.
    expect(await page.locator('[data-testid=backup-age]').getAttribute('title')).toMatch(
      /\d{1,2}:\d{2}:\d{2}/,
    );
    await expectText(
      page.locator('[data-testid=backup-freshness]'),
      /^Last verified backup taken (just now|now|\d+ seconds? ago)$/,
    );
    await screenshot(page, 'backups-page');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid=backup-download]'),
    ]);
    expect(download.suggestedFilename()).toBe(b.file_name);
    const bytes = readFileSync((await download.path())!);
    expect([bytes.length, createHash('sha256').update(bytes).digest('hex')]).toEqual([
      b.manifest.size,
      b.manifest.sha256,
    ]);

    // Verify again, on demand.
    await page.click('[data-testid=backup-verify]');
    await expectText(
      page.locator('.toast', { hasText: 'every check passed' }).first(),
      'Backup verified: every check passed',
    );
  });

  it('checks the policy as it is typed, says what is wrong beside the field, and saves a valid one', async () => {
    const before = await apiFromPage<Policy>(page, 'GET', '/api/fundraising/backup-policy');
    const form = page.locator('[data-testid=backup-policy]');
    for (const name of ['keep_daily', 'keep_weekly', 'keep_monthly']) {
      await form.locator(`input[name=${name}]`).fill('');
      await form.locator(`input[name=${name}]`).pressSequentially('0', { delay: 80 });
    }
    const zone = form.locator('input[name=time_zone]');
    await zone.fill('');
    await zone.pressSequentially('Nowhere/City', { delay: 60 });
    await page.click('[data-testid=policy-save]');
    await expectText(
      form.locator('#policy-zone-error'),
      'Not a time zone this server knows: use a name such as UTC or Europe/Paris',
    );
    expect(await zone.getAttribute('aria-invalid')).toBe('true');
    // Nothing was sent: the server's policy is unchanged.
    expect(await apiFromPage<Policy>(page, 'GET', '/api/fundraising/backup-policy')).toEqual(
      before,
    );

    await zone.fill('');
    await zone.pressSequentially('Europe/Paris', { delay: 60 });
    await page.click('[data-testid=policy-save]');
    await expectText(
      page.locator('#policy-keep-error'),
      'Keep at least one backup: set days, weeks or months above 0',
    );
    expect(await form.locator('#policy-zone-error, #policy-daily-error').count()).toBe(0);
    expect(await apiFromPage<Policy>(page, 'GET', '/api/fundraising/backup-policy')).toEqual(
      before,
    );
    await screenshot(page, 'backups-policy-errors');

    await form.locator('input[name=keep_daily]').fill('');
    await form.locator('input[name=keep_daily]').pressSequentially('14', { delay: 80 });
    await form.locator('input[name=time_of_day]').fill('03:30');
    await page.click('[data-testid=policy-save]');
    await expectText(page.locator('.toast', { hasText: 'policy' }).first(), 'Backup policy saved');
    expect(await apiFromPage<Policy>(page, 'GET', '/api/fundraising/backup-policy')).toEqual({
      ...before,
      time_of_day: '03:30',
      time_zone: 'Europe/Paris',
      keep_daily: 14,
      keep_weekly: 0,
      keep_monthly: 0,
    });
    expect(await form.locator('.form__error').count()).toBe(0);
    expect(await page.locator('[data-testid=policy-save]').isDisabled()).toBe(true);
  });

  it('restores to a backup through the restore preview and its confirmation', async () => {
    const inv = await investors(page);
    await apiFromPage(page, 'POST', '/api/fundraising/changes', {
      changes: [
        {
          op: 'create',
          table_id: inv.table.id,
          values: { [inv.field('Name')]: 'Added after the backup' },
        },
      ],
    });
    await page.click('[data-testid=backup-restore]');
    await page.waitForURL(/\/admin\/restore\?/);
    await page.locator('[data-testid=restore-result]').waitFor({ timeout: 30_000 });
    await expectText(page.locator('[data-testid=restore-backup] strong'), /now|second|minute/);
    await expectText(
      page.locator('[data-testid=restore-counts] .counts__n', { hasText: 'to archive' }),
      /^1\s*to archive$/,
    );
    expect(await page.locator('[data-testid=restore-result]').textContent()).toContain(
      'Added after the backup',
    );
    await screenshot(page, 'backups-restore-preview');
    await page.click('[data-testid=restore-go]');
    await page.click('[data-testid=restore-confirm]');
    await expectText(
      page.locator('.toast', { hasText: 'Restored' }).first(),
      /^Restored: \d+ changes? written/,
    );
    const names = (await investors(page)).records.map((r) => r.values[inv.field('Name')]);
    expect(names.sort()).toEqual(['Aspen LP', 'Beacon Fund']);
  });

  it('opens the Restore tab afresh when it is followed from a backup’s preview, even while that preview is on its way', async () => {
    // The backup's preview answers only after the Restore tab was followed: its answer must not land there.
    let tabFollowed!: () => void;
    const followed = new Promise<void>((resolve) => (tabFollowed = resolve));
    await page.route('**/api/fundraising/restore-preview', async (route) => {
      await followed;
      await route.continue();
    });
    const previewAnswered = page.waitForResponse((r) =>
      r.url().includes('/api/fundraising/restore-preview'),
    );
    await page.click('[data-testid=nav-backups]');
    await page.click('[data-testid=backup-restore] >> nth=0');
    await page.locator('[data-testid=restore-backup]').waitFor();
    await page.click('[data-testid=nav-restore]');
    await page.waitForURL(/\/admin\/restore$/);
    await page.locator('[data-testid=restore-backup]').waitFor({ state: 'detached' });
    tabFollowed();
    await (await previewAnswered).finished();
    await page.unroute('**/api/fundraising/restore-preview');
    // Two frames for the answer to be read and drawn, were it not dropped.
    await nextFrames(page);
    expect(await page.locator('[data-testid=mode-backup]').count()).toBe(0);
    expect(await page.locator('[data-testid=mode-moment]').getAttribute('class')).toContain(
      'btn--primary',
    );
    expect(await page.locator('[data-testid=restore-result]').count()).toBe(0);
  });

  it('is for admins only: a member sees no Backups entry, is sent back to the grid, and the API refuses them', async () => {
    const invite = await apiFromPage<{ token?: string; url?: string }>(
      page,
      'POST',
      '/api/admin/invites',
      { email: 'morgan@fund.example', role: 'member' },
    );
    const token = invite.token ?? new URL(invite.url!, suite.server.url).searchParams.get('token')!;
    const { page: member, context } = await newPerson(suite.browser, suite.server.url);
    await member.goto('/login');
    await apiFromPage(member, 'POST', '/api/auth/accept-invite', {
      token,
      name: 'Morgan Member',
      password: 'harbor-quartz-meadow-7719',
    });
    await member.goto('/grid');
    await waitForGrid(member);
    expect(await member.locator('[data-testid=nav-backups]').count()).toBe(0);
    await member.goto('/admin/backups');
    await waitForGrid(member);
    expect(new URL(member.url()).pathname).toMatch(/^\/grid/);
    const [b] = await backups(page);
    await expect(apiFromPage(member, 'GET', '/api/fundraising/backups')).rejects.toThrow(/403/);
    await expect(
      apiFromPage(member, 'GET', `/api/fundraising/backups/${b.id}/download`),
    ).rejects.toThrow(/403/);
    await context.close();
  });
});
