import fc from 'fast-check';
import { decideAddField, decideRemoveField, decideRetypeField, decideSaveView } from '@crm/domain';
import { newId } from '../../apps/api/src/infrastructure/clock';
import { SYSTEM_ACTOR } from '../../apps/api/src/infrastructure/request-context/actor';
import { dumpReadModels } from '../support/read-models';
import { openTempCore, type TempCore } from '../support/temp-core';

/** Live inline projection and a rebuild from the log must give the same read models, byte for byte. */
describe('projection rebuild', () => {
  let core: TempCore;

  beforeEach(async () => {
    core = await openTempCore('crm-rebuild-');
  });
  afterEach(async () => {
    await core.dispose();
  });

  const meta = (actor = 'usr_a') => ({
    actor: { ...SYSTEM_ACTOR, id: actor, name: actor },
    source: 'grid' as const,
  });

  it('equals the live read models after a random history of edits, archives, schema changes and views', async () => {
    const investors = core.repo.tableByRole('investors')!;
    const contacts = core.repo.tableByRole('contacts')!;
    const f = (role: string) => investors.fields.find((x) => x.role === role)!.id;
    const contactInvestor = contacts.fields.find((x) => x.role === 'contact.investor')!.id;
    const ids: string[] = [];
    const rnd = fc.sample(
      fc.tuple(fc.nat(1000), fc.string({ maxLength: 20 }), fc.integer({ min: 0, max: 1e9 })),
      { numRuns: 400, seed: 42 },
    );
    for (const [i, [n, text, amount]] of rnd.entries()) {
      const pick = ids[n % Math.max(ids.length, 1)];
      const op = n % 10;
      if (op < 3 || !pick) {
        const id = newId('rec');
        ids.push(id);
        await core.commands.applyChanges(
          [
            {
              op: 'create',
              table_id: investors.id,
              record_id: id,
              values: {
                [f('investor.name')]: `LP ${i} ${text}`,
                [f('investor.target_commitment')]: amount,
              },
            },
          ],
          meta(`usr_${n % 3}`),
        );
      } else if (op < 7) {
        const current = core.repo.record(pick)!;
        if (current.archived) continue;
        await core.commands.applyChanges(
          [
            {
              op: 'set',
              record_id: pick,
              field_id: f('investor.notes'),
              from: current.values[f('investor.notes')] ?? null,
              to: text || null,
            },
            {
              op: 'set',
              record_id: pick,
              field_id: f('investor.stage'),
              from: current.values[f('investor.stage')] ?? null,
              to: ['Lead', 'Engaged', 'Diligence'][n % 3],
            },
          ],
          meta(`usr_${n % 3}`),
        );
      } else if (op < 9) {
        const current = core.repo.record(pick)!;
        await core.commands.applyChanges(
          [{ op: current.archived ? 'unarchive' : 'archive', record_id: pick }],
          meta(),
        );
      } else {
        await core.commands.applyChanges(
          [
            {
              op: 'create',
              table_id: contacts.id,
              values: { [contactInvestor]: core.repo.record(pick)!.archived ? [] : [pick] },
            },
          ],
          meta(),
        );
      }
      if (i === 150) {
        const fieldId = newId('fld');
        await core.commands.decide(meta(), (ctx) =>
          decideAddField(
            { table_id: investors.id, field: { id: fieldId, name: 'Score', type: 'text' } },
            ctx,
          ),
        );
        await core.commands.applyChanges(
          ids
            .slice(0, 20)
            .filter((id) => !core.repo.record(id)!.archived)
            .map((id, k) => ({
              op: 'set' as const,
              record_id: id,
              field_id: fieldId,
              from: null,
              to: k % 4 === 0 ? 'n/a' : String(k * 10),
            })),
          meta(),
        );
        await core.commands.decide(meta(), (ctx) =>
          decideRetypeField({ field_id: fieldId, type: 'number' }, ctx),
        );
      }
      if (i === 300) {
        await core.commands.decide(meta(), (ctx) =>
          decideRemoveField({ field_id: f('investor.next_step') }, ctx),
        );
        await core.commands.decide(meta(), (ctx) =>
          decideSaveView(
            {
              view_id: newId('viw'),
              table_id: investors.id,
              name: 'Committed',
              config: { filters: { conjunction: 'and', conditions: [] } },
            },
            ctx,
          ),
        );
      }
    }
    const live = dumpReadModels(core.db);
    expect(core.store.lastPosition()).toBeGreaterThan(400);
    const { events, position } = await core.runner.rebuild();
    expect(events).toBe(core.store.lastPosition());
    expect(position).toBe(core.store.lastPosition());
    expect(dumpReadModels(core.db)).toBe(live);
    expect(core.runner.atHead()).toBe(true);
  });

  it('catches up a projector whose checkpoint is behind without applying anything twice', async () => {
    const investors = core.repo.tableByRole('investors')!;
    const name = investors.fields[0].id;
    for (let i = 0; i < 20; i++)
      await core.commands.applyChanges(
        [{ op: 'create', table_id: investors.id, values: { [name]: `LP ${i}` } }],
        meta(),
      );
    const live = dumpReadModels(core.db);
    // As if every projector had been set back by 10 events (a migration asking for a catch-up):
    // the events it applied already are applied again.
    core.db
      .prepare(
        'UPDATE projection_checkpoints SET position = (SELECT max(position) FROM events) - 10, follows_log = 0',
      )
      .run();
    expect(core.runner.atHead()).toBe(false);
    expect(await core.runner.catchUp()).toBe(10 * core.runner.projectors.length);
    expect(dumpReadModels(core.db)).toBe(live);
  });

  it('never updates or deletes a stored event', async () => {
    expect(() =>
      core.db.prepare('UPDATE events SET type = ? WHERE position = 1').run('Forged'),
    ).toThrow(/append-only/);
    expect(() => core.db.prepare('DELETE FROM events WHERE position = 1').run()).toThrow(
      /append-only/,
    );
  });
});
