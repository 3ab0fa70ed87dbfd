import { join } from 'node:path';
import { planActions } from '@crm/domain';
import { AutomationCommands } from '../../apps/api/src/capabilities/automations/automation.commands';
import { AutomationRunner } from '../../apps/api/src/capabilities/automations/automation-runner';
import { AutomationsRepository } from '../../apps/api/src/capabilities/automations/automations.repository';
import { manifestOfCopy } from '../../apps/api/src/capabilities/backups/backup-inspection';
import { replayMatches } from '../../apps/api/src/capabilities/backups/backup-replay';
import { FeatureRequestCommands } from '../../apps/api/src/capabilities/feature-requests/feature-request.commands';
import { FeatureRequestsRepository } from '../../apps/api/src/capabilities/feature-requests/feature-requests.repository';
import { newId } from '../../apps/api/src/infrastructure/clock';
import { SYSTEM_ACTOR } from '../../apps/api/src/infrastructure/request-context/actor';
import { dumpReadModels } from '../support/read-models';
import { openTempCore, type TempCore } from '../support/temp-core';

const TABLES = [
  'feature_requests',
  'feature_request_votes',
  'automation_rules',
  'automation_runs',
  'fundraising_memberships',
  'membership_lists',
  'membership_streams',
];

/** The board's and the automations' read models are rebuilt from the log by the tools too. */
describe('feature requests and automations in the rebuild and in a backup replay', () => {
  let core: TempCore;
  let dir: string;

  beforeEach(async () => {
    core = await openTempCore('crm-rebuild-automations-');
    dir = core.db.name.replace(/crm\.sqlite$/, '');
  });
  afterEach(async () => {
    await core.dispose();
  });

  const admin = {
    actor: { ...SYSTEM_ACTOR, id: 'usr_ada', name: 'Ada', role: 'admin' as const },
    source: 'api' as const,
  };
  const member = (i: number) => ({
    actor: { ...SYSTEM_ACTOR, id: `usr_m${i}`, name: `Member ${i}`, role: 'member' as const },
    source: 'api' as const,
  });

  /** Requests with votes, withdrawn votes and status changes. */
  async function boardHistory(): Promise<void> {
    const board = new FeatureRequestCommands(
      core.executor,
      core.app.get(FeatureRequestsRepository),
    );
    for (let i = 0; i < 6; i++) {
      const id = await board.file({ title: `Request ${i}`, body: `why ${i}` }, member(i));
      for (let v = 0; v <= i % 4; v++) await board.vote(id, true, member(v));
      if (i % 3 === 0) await board.vote(id, false, member(0));
      if (i % 2 === 0) await board.change(id, { status: 'planned' }, admin);
      if (i === 4) await board.change(id, { status: 'done', title: 'Request four' }, admin);
    }
  }

  /** Rules created, changed, toggled and archived; runs that succeed and one that fails; moves by hand. */
  async function automationHistory(): Promise<void> {
    const automations = new AutomationCommands(
      core.executor,
      core.app.get(AutomationsRepository),
      core.repo,
    );
    const runner = new AutomationRunner(core.executor, core.store, automations, core.commands);
    const investors = core.repo.tableByRole('investors')!;
    const field = (role: string) => investors.fields.find((f) => f.role === role)!.id;
    const rule = (name: string, list: string) => ({
      name,
      trigger: {
        type: 'record_updated',
        table_id: investors.id,
        fields: [field('investor.stage')],
        to: { operator: 'is', value: 'Passed' },
      },
      conditions: null,
      actions: [{ type: 'set_membership', list, op: 'move' }],
      enabled: true,
    });
    const graveyard = await automations.create(rule('Passed → graveyard', 'graveyard'), admin);
    const other = await automations.create(rule('Passed → longshot', 'longshot'), admin);
    await automations.change(other, { name: 'Passed → long shot' }, admin);
    await automations.toggle(other, false, admin);
    await automations.archive(other, admin);
    await automations.addList('Co-investors', admin);
    for (let i = 0; i < 5; i++) {
      const id = newId('rec');
      const before = await core.store.lastPosition();
      await core.commands.applyChanges(
        [
          {
            op: 'create',
            table_id: investors.id,
            record_id: id,
            values: { [field('investor.name')]: `LP ${i}`, [field('investor.stage')]: 'Passed' },
          },
        ],
        admin,
      );
      const [trigger] = await core.store.readAll(before, 1);
      if (i === 3) await automations.move({ record_id: id, list: 'longshot', op: 'add' }, admin);
      const start = {
        run_id: newId('run'),
        rule: automations.repo.rule(graveyard)!,
        trigger_position: trigger.position,
        trigger_event_id: trigger.event_id,
        record_id: id,
        chain: [],
      };
      await runner.run(start, runner.metaOf(start, trigger.event_id), () => {
        if (i === 4) throw new Error('the list is locked');
        return planActions(start.rule.actions, core.repo.record(id)!, investors);
      });
    }
  }

  const rows = (table: string) =>
    (core.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

  it('the standalone rebuild truncates and reproduces them from the log', async () => {
    await boardHistory();
    await automationHistory();
    expect(core.runner.projectors.map((p) => p.name)).toEqual(
      expect.arrayContaining(['feature_requests', 'automations']),
    );
    const live = dumpReadModels(core.db);
    expect(TABLES.map((t) => [t, rows(t) > 0])).toEqual(TABLES.map((t) => [t, true]));
    expect(
      core.db.prepare(`SELECT status, COUNT(*) AS n FROM automation_runs GROUP BY status`).all(),
    ).toEqual([
      { status: 'failed', n: 1 },
      { status: 'succeeded', n: 4 },
    ]);
    // Rows no event explains must go: the rebuild starts the tables from nothing.
    core.db.prepare(`UPDATE feature_requests SET title = 'forged'`).run();
    core.db.prepare(`UPDATE automation_rules SET name = 'forged'`).run();
    core.db.prepare(`DELETE FROM fundraising_memberships WHERE list = 'graveyard'`).run();
    await core.runner.rebuild();
    expect(dumpReadModels(core.db)).toBe(live);
  });

  it("a backup's replay rebuilds them, so the copy's hash is checked against its log", async () => {
    await boardHistory();
    await automationHistory();
    const file = join(dir, 'copy.sqlite');
    await core.db.backup(file);
    const manifest = await manifestOfCopy(file, {
      id: 'bkp_1',
      created_at: core.clock.now(),
      file_name: 'copy.sqlite',
      size: 0,
      sha256: '',
    });
    expect(manifest.read_model_tables).toEqual(expect.arrayContaining(TABLES));
    const [ok, message] = await replayMatches({ file, manifest, scratchDir: dir });
    expect([ok, message]).toEqual([true, expect.stringContaining('reproduces')]);
    // A copy whose votes differ from what its log gives is caught by the replay.
    const forged = join(dir, 'forged.sqlite');
    await core.db.backup(forged);
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(forged);
    db.prepare(`DELETE FROM feature_request_votes`).run();
    db.close();
    const forgedManifest = await manifestOfCopy(forged, {
      ...manifest,
      file_name: 'forged.sqlite',
    });
    const [forgedOk] = await replayMatches({
      file: forged,
      manifest: forgedManifest,
      scratchDir: dir,
    });
    expect(forgedOk).toBe(false);
  });
});
