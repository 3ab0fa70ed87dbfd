import { join } from 'node:path';
import { manifestOfCopy } from '../../apps/api/src/capabilities/backups/backup-inspection';
import { replayMatches } from '../../apps/api/src/capabilities/backups/backup-replay';
import { FollowUpUndo } from '../../apps/api/src/capabilities/reminders/follow-up-undo';
import { InteractionCommands } from '../../apps/api/src/capabilities/reminders/interaction.commands';
import { ReminderCommands } from '../../apps/api/src/capabilities/reminders/reminder.commands';
import { RemindersRepository } from '../../apps/api/src/capabilities/reminders/reminders.repository';
import { newId } from '../../apps/api/src/infrastructure/clock';
import { SYSTEM_ACTOR } from '../../apps/api/src/infrastructure/request-context/actor';
import { dumpReadModels } from '../support/read-models';
import { openTempCore, type TempCore } from '../support/temp-core';

const FOLLOW_UP_TABLES = ['reminders', 'interactions', 'follow_up_records', 'follow_up_settings'];

/** Reminders' and interactions' read models are rebuilt from the log by the tools as well as the server. */
describe('reminders in the rebuild and in a backup replay', () => {
  let core: TempCore;
  let dir: string;

  beforeEach(async () => {
    core = await openTempCore('crm-rebuild-reminders-');
    dir = core.db.name.replace(/crm\.sqlite$/, '');
  });
  afterEach(async () => {
    await core.dispose();
  });

  const system = { actor: SYSTEM_ACTOR, source: 'system' as const };

  /**
   * Investors with calls, next steps, snoozes, done and deleted reminders, quick logs taken back
   * (and some of those brought back again) and changed settings.
   */
  async function followUpHistory(): Promise<void> {
    const reminders = new ReminderCommands(
      core.executor,
      core.app.get(RemindersRepository),
      core.repo,
      core.clock,
    );
    const interactions = new InteractionCommands(reminders, core.commands);
    const undo = new FollowUpUndo(reminders, core.commands);
    const batchOf = (interactionId: string) => {
      const all = core.store.readAll(0);
      const logged = all.find(
        (e) => (e.data as { interaction_id?: string }).interaction_id === interactionId,
      )!;
      return all.filter((e) => e.metadata.correlation_id === logged.metadata.correlation_id);
    };
    const ann = await core.accounts.createUser(
      { email: 'ann@fund.example', name: 'Ann Lee', role: 'member', via: 'admin' },
      'x',
      system,
    );
    const meta = {
      actor: { ...SYSTEM_ACTOR, id: ann.id, name: 'Ann Lee' },
      source: 'api' as const,
    };
    const investors = core.repo.tableByRole('investors')!;
    const name = investors.fields.find((f) => f.role === 'investor.name')!.id;
    for (let i = 0; i < 12; i++) {
      const id = newId('rec');
      await core.commands.applyChanges(
        [{ op: 'create', table_id: investors.id, record_id: id, values: { [name]: `LP ${i}` } }],
        meta,
      );
      const logged = await interactions.log(
        {
          record_id: id,
          kind: ['call', 'meeting', 'email', 'note'][i % 4],
          occurred_at: `2026-0${1 + (i % 9)}-1${i % 10}T10:00:00.000Z`,
          summary: `talked ${i}`,
          next_step: {
            title: `follow up ${i}`,
            due_date: `2026-12-${10 + i}`,
            assignee_id: ann.id,
          },
        },
        meta,
      );
      const reminder = logged.reminder_id!;
      if (i % 3 === 0) await reminders.snooze(reminder, '2027-01-05', meta);
      if (i % 3 === 1) await reminders.act(reminder, 'done', meta);
      if (i % 5 === 0) await reminders.change(reminder, { note: `deck v${i}` }, meta);
      if (i % 4 === 2) await reminders.act(reminder, 'delete', meta);
      if (i % 4 === 3) {
        const cor = newId('cor');
        await undo.takeBack(batchOf(logged.interaction_id), 'undone', {
          ...meta,
          correlation_id: cor,
          causation_id: 'undo:quick-log',
        });
        if (i % 8 === 7) {
          const undone = core.store.readAll(0).filter((e) => e.metadata.correlation_id === cor);
          await undo.takeBack(undone, 'undone', { ...meta, causation_id: `undo:${cor}` });
        }
      }
    }
    await reminders.changeSettings(
      { aging_days: 21, stale_days: 45, time_zone: 'Europe/Zurich' },
      {
        ...meta,
        actor: { ...meta.actor, role: 'admin' },
      },
    );
  }

  const rows = (table: string) =>
    (core.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

  it('the standalone rebuild truncates and reproduces them from the log', async () => {
    await followUpHistory();
    expect(core.runner.projectors.map((p) => p.name)).toContain('reminders');
    const live = dumpReadModels(core.db);
    expect(FOLLOW_UP_TABLES.map((t) => [t, rows(t) > 0])).toEqual(
      FOLLOW_UP_TABLES.map((t) => [t, true]),
    );
    const retracted = core.db
      .prepare('SELECT COUNT(*) FROM interactions WHERE retracted_at IS NOT NULL')
      .pluck()
      .get();
    // Of the logs at 3 and 11 taken back and the one at 7 taken back and brought back, two stay so.
    expect(retracted).toBe(2);
    // A retracted interaction's investor: no logged contact left (its row is gone, not stale).
    expect(rows('follow_up_records')).toBe(10);
    // A row no event explains must go: the rebuild starts the tables from nothing.
    core.db.prepare(`UPDATE reminders SET title = 'forged'`).run();
    await core.runner.rebuild();
    expect(dumpReadModels(core.db)).toBe(live);
  });

  it("a backup's replay rebuilds them, so the copy's hash is checked against its log", async () => {
    await followUpHistory();
    const file = join(dir, 'copy.sqlite');
    await core.db.backup(file);
    const manifest = await manifestOfCopy(file, {
      id: 'bkp_1',
      created_at: core.clock.now(),
      file_name: 'copy.sqlite',
      size: 0,
      sha256: '',
    });
    expect(manifest.read_model_tables).toEqual(expect.arrayContaining(FOLLOW_UP_TABLES));
    const [ok, message] = await replayMatches({ file, manifest, scratchDir: dir });
    expect([ok, message]).toEqual([true, expect.stringContaining('reproduces')]);
    // A manifest whose reminders differ from what the copy's log gives is caught by the replay.
    const forged = join(dir, 'forged.sqlite');
    await core.db.backup(forged);
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(forged);
    db.prepare(`UPDATE reminders SET due_on = '2030-01-01'`).run();
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
