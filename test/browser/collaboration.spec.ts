import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type Page } from 'playwright-core';
import {
  apiFromPage,
  cell,
  expectText,
  investors,
  login,
  nextFrames,
  state,
  typeInto,
  waitForGrid,
  waitForLive,
  waitSaved,
  waitSettled,
  watchLiveStream,
  ownerAsText,
} from './support/app';
import { newPerson, screenshot } from './support/chromium';
import { ADMIN, startServer } from './support/server';
import { browserSuite } from './support/suite';

jest.setTimeout(180_000);

const MEMBER = {
  email: 'sam@fund.example',
  name: 'Sam Member',
  password: 'copper-meadow-river-2291',
};

describe('two people in the same base', () => {
  const suite = browserSuite({ admin: true });
  let avery: Page;
  let sam: Page;

  beforeAll(async () => {
    avery = (await newPerson(suite.browser, suite.server.url)).page;
    await login(avery, ADMIN.email, ADMIN.password);
    await apiFromPage(avery, 'POST', '/api/admin/users', { ...MEMBER, role: 'member' });
    await ownerAsText(avery);
    const inv = await investors(avery);
    await apiFromPage(avery, 'POST', '/api/fundraising/changes', {
      changes: [
        {
          op: 'create',
          table_id: inv.table.id,
          values: { [inv.field('Name')]: 'Evergreen Pension' },
        },
      ],
    });
    await avery.reload();
    await waitForGrid(avery);
    sam = (await newPerson(suite.browser, suite.server.url)).page;
    await watchLiveStream(sam);
    await login(sam, MEMBER.email, MEMBER.password);
  });

  /** Sam's page has had, over its live stream, every change saved so far (Avery's last one too). */
  const samIsUpToDate = async () => waitForLive(sam, (await state(avery)).version);

  it('keeps both edits to different cells of one record, and each sees the other within seconds', async () => {
    await typeInto(avery, 0, 'Owner', 'Avery');
    await typeInto(sam, 0, 'Next step', 'Call on Tuesday');
    await Promise.all([waitSaved(avery), waitSaved(sam)]);
    await expectText(await cell(avery, 0, 'Next step'), 'Call on Tuesday', 5000);
    await expectText(await cell(sam, 0, 'Owner'), 'Avery', 5000);
    const inv = await investors(avery);
    expect(inv.records).toHaveLength(1);
    expect(inv.records[0].values).toMatchObject({
      [inv.field('Owner')]: 'Avery',
      [inv.field('Next step')]: 'Call on Tuesday',
    });
  });

  it('shows the second writer of one cell a conflict, and "keep mine" sends theirs as the new base', async () => {
    // Sam starts typing; Avery saves the same cell first.
    await (await cell(sam, 0, 'Name')).click();
    await sam.keyboard.type('Evergreen Pension Fund');
    await typeInto(avery, 0, 'Name', 'Evergreen Pension Plan');
    await waitSaved(avery);
    await samIsUpToDate();
    await sam.keyboard.press('Enter');

    const pop = sam.locator('[data-testid=conflict-popover]');
    await pop.waitFor({ state: 'visible', timeout: 10_000 });
    await expectText(pop.locator('[data-testid=conflict-theirs]'), 'Evergreen Pension Plan');
    await expectText(pop.locator('[data-testid=conflict-mine]'), 'Evergreen Pension Fund');
    expect(await pop.textContent()).toContain(ADMIN.name);
    expect(await (await cell(sam, 0, 'Name')).getAttribute('class')).toContain('cell--conflict');
    await expectText(sam.locator('[data-testid=conflict-count]'), '· 1 conflict');
    // Said politely to a screen reader too, without taking the focus.
    await expectText(
      sam.locator('[data-testid=live-region]'),
      `Not saved: ${ADMIN.name} changed Name of Evergreen Pension Fund first. Keep yours or take theirs.`,
    );
    await screenshot(sam, 'conflict-popover');
    // Put off, then back with a click on the marked cell.
    await pop.locator('.conflict__close').click();
    await pop.waitFor({ state: 'detached' });
    await (await cell(sam, 0, 'Name')).click();
    await pop.waitFor({ state: 'visible' });

    await pop.locator('[data-testid=keep-mine]').click();
    await waitSaved(sam);
    const inv = await investors(sam);
    expect(inv.records[0].values[inv.field('Name')]).toBe('Evergreen Pension Fund');
    await expectText(await cell(avery, 0, 'Name'), 'Evergreen Pension Fund', 5000);
    expect(await (await cell(sam, 0, 'Name')).getAttribute('class')).not.toContain(
      'cell--conflict',
    );
  });

  it('"take theirs" shows the other value and sends nothing', async () => {
    await (await cell(sam, 0, 'Owner')).click();
    await sam.keyboard.type('Sam');
    await typeInto(avery, 0, 'Owner', 'Avery Jones');
    await waitSaved(avery);
    await samIsUpToDate();
    await sam.keyboard.press('Enter');
    const pop = sam.locator('[data-testid=conflict-popover]');
    await pop.waitFor({ state: 'visible', timeout: 10_000 });
    await expectText(pop.locator('[data-testid=conflict-theirs]'), 'Avery Jones');

    const sent: string[] = [];
    sam.on('request', (r) => {
      if (r.url().endsWith('/api/fundraising/changes')) sent.push(r.postData() ?? '');
    });
    await pop.locator('[data-testid=take-theirs]').click();
    await expectText(await cell(sam, 0, 'Owner'), 'Avery Jones');
    await waitSettled(sam);
    expect(sent).toEqual([]);
    const inv = await investors(sam);
    expect(inv.records[0].values[inv.field('Owner')]).toBe('Avery Jones');
  });

  it('carries on after the server restarts: missed edits arrive once, unsent ones are saved', async () => {
    const port = Number(new URL(suite.server.url).port);
    const dataDir = suite.server.dataDir;
    await suite.server.stop({ keepData: true });
    await typeInto(sam, 0, 'Owner', 'Sam (typed while the server was down)');
    await sam.locator('[data-testid=save-state][data-status=offline]').waitFor({ timeout: 15_000 });

    suite.server = await startServer({ admin: true, dataDir, port });
    const inv = await investors(avery);
    await apiFromPage(avery, 'POST', '/api/fundraising/changes', {
      changes: [
        {
          op: 'create',
          table_id: inv.table.id,
          values: { [inv.field('Name')]: 'Restart Partners' },
        },
      ],
    });

    // Sam's stream reconnects with Last-Event-ID and his outbox retries when it does.
    await expectText(await cell(sam, 1, 'Name'), 'Restart Partners', 20_000);
    await waitSaved(sam, 30_000);
    await expectText(
      await cell(avery, 0, 'Owner'),
      'Sam (typed while the server was down)',
      10_000,
    );
    // Everything up to the head has reached Sam's page: a replayed edit would show as a third row by now.
    await samIsUpToDate();
    await nextFrames(sam);
    expect(await sam.locator('[data-testid=grid] .ht_master tbody tr').count()).toBe(2);
    await expectText(sam.locator('[data-testid=tab-Investors] .tab__count'), '2');
    const after = await investors(avery);
    expect(after.records.map((r) => r.values[after.field('Name')])).toEqual([
      'Evergreen Pension Fund',
      'Restart Partners',
    ]);
  });
});
