import fc from 'fast-check';
import {
  decideAddField,
  decideRemoveField,
  decideRenameField,
  decideRetypeField,
} from '@crm/domain';
import { newId } from '../../apps/api/src/infrastructure/clock';
import { SYSTEM_ACTOR } from '../../apps/api/src/infrastructure/request-context/actor';
import { dumpReadModels } from '../support/read-models';
import { openTempCore, type TempCore } from '../support/temp-core';

/**
 * Formula values are derived, not logged: a rebuild from the log must recompute exactly what the live
 * projection stored, byte for byte, through formula fields added, changed, renamed around and removed.
 */
describe('projection rebuild with formula fields', () => {
  let core: TempCore;
  let tick = Date.parse('2026-02-01T09:00:00.000Z');

  beforeEach(async () => {
    // A clock that moves on with every command, so that NOW() differs from edit to edit.
    core = await openTempCore('crm-rebuild-formulas-', {
      clock: { now: () => new Date((tick += 61_000)).toISOString() },
    });
  });
  afterEach(async () => {
    await core.dispose();
  });

  const meta = (actor = 'usr_a') => ({
    actor: { ...SYSTEM_ACTOR, id: actor, name: actor },
    source: 'grid' as const,
  });
  const addFormula = async (tableId: string, name: string, formula: string) => {
    const id = newId('fld');
    await core.commands.decide(meta(), (ctx) =>
      decideAddField(
        { table_id: tableId, field: { id, name, type: 'formula', options: { formula } } },
        ctx,
      ),
    );
    return id;
  };

  it('equals the live read models after a random history with formulas', async () => {
    const investors = core.repo.tableByRole('investors')!;
    const f = (role: string) => investors.fields.find((x) => x.role === role)!.id;
    await addFormula(investors.id, 'Fee', 'ROUND({Target commitment} * 0.02, 0)');
    await addFormula(investors.id, 'Net', '{Fee} - {Committed amount}');
    await addFormula(
      investors.id,
      'Stamp',
      'DATETIME_FORMAT(NOW(), "YYYY-MM-DD HH:mm") & " " & LAST_MODIFIED_TIME({Notes})',
    );
    await addFormula(investors.id, 'Who', 'IF({Notes}, UPPER({Notes}), ERROR())');
    const ids: string[] = [];
    let scratch: string | null = null;
    const rnd = fc.sample(
      fc.tuple(fc.nat(1000), fc.string({ maxLength: 12 }), fc.integer({ min: 0, max: 1e8 })),
      { numRuns: 300, seed: 99 },
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
                [f('investor.name')]: `LP ${i}`,
                [f('investor.target_commitment')]: amount,
                [f('investor.notes')]: text || null,
              },
            },
          ],
          meta(),
        );
      } else if (op < 8) {
        const current = core.repo.record(pick)!;
        if (current.archived) continue;
        const field = [
          f('investor.notes'),
          f('investor.committed_amount'),
          f('investor.target_commitment'),
        ][n % 3];
        const to = field === f('investor.notes') ? text || null : amount % 1000;
        await core.commands.applyChanges(
          [
            {
              op: 'set',
              record_id: pick,
              field_id: field,
              from: current.values[field] ?? null,
              to,
            },
          ],
          meta(`usr_${n % 3}`),
        );
      } else {
        const current = core.repo.record(pick)!;
        await core.commands.applyChanges(
          [{ op: current.archived ? 'unarchive' : 'archive', record_id: pick }],
          meta(),
        );
      }
      if (i === 60) scratch = await addFormula(investors.id, 'Scratch', 'LEN({Notes}) + {Fee}');
      if (i === 100)
        await core.commands.decide(meta(), (ctx) =>
          decideRenameField({ field_id: f('investor.notes'), name: 'Relationship lead' }, ctx),
        );
      if (i === 140)
        await core.commands.decide(meta(), (ctx) =>
          decideRetypeField(
            {
              field_id: scratch!,
              type: 'formula',
              options: { formula: 'LEN({Relationship lead}) * 10' },
            },
            ctx,
          ),
        );
      if (i === 180)
        await core.commands.decide(meta(), (ctx) =>
          decideRetypeField({ field_id: scratch!, type: 'number' }, ctx),
        );
      if (i === 200)
        await core.commands.decide(meta(), (ctx) =>
          decideRetypeField(
            {
              field_id: f('investor.next_step'),
              type: 'formula',
              options: { formula: '"Call " & {Name}' },
            },
            ctx,
          ),
        );
      if (i === 240)
        await core.commands.decide(meta(), (ctx) =>
          decideRemoveField({ field_id: f('investor.committed_amount') }, ctx),
        );
    }
    const live = dumpReadModels(core.db);
    const rows = core.db
      .prepare("SELECT COUNT(*) AS n FROM fundraising_records WHERE formula_json LIKE '%error%'")
      .get() as { n: number };
    expect(rows.n).toBeGreaterThan(0);
    expect(live).toContain('Call LP');
    await core.runner.rebuild();
    expect(dumpReadModels(core.db)).toBe(live);
  });

  it('equals the live read models with people read by name in formulas', async () => {
    const investors = core.repo.tableByRole('investors')!;
    const owner = investors.fields.find((x) => x.role === 'investor.owner')!.id;
    const name = investors.fields.find((x) => x.role === 'investor.name')!.id;
    const system = { actor: SYSTEM_ACTOR, source: 'system' as const };
    const team = [];
    for (const [who, email] of [
      ['Ann Lee', 'ann@fund.example'],
      ['Bob Ray', 'bob@fund.example'],
    ])
      team.push(
        await core.accounts.createUser(
          { email, name: who, role: 'member', via: 'admin' },
          'x',
          system,
        ),
      );
    await addFormula(investors.id, 'Lead', '"Led by " & {Owner}');
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const id = newId('rec');
      ids.push(id);
      await core.commands.applyChanges(
        [
          {
            op: 'create',
            table_id: investors.id,
            record_id: id,
            values: { [name]: `LP ${i}`, [owner]: i % 3 === 2 ? [] : [team[i % 2].id] },
          },
        ],
        meta(),
      );
    }
    for (const [i, id] of ids.entries())
      if (i % 4 === 0)
        await core.commands.applyChanges(
          [
            {
              op: 'set',
              record_id: id,
              field_id: owner,
              from: core.repo.record(id)!.values[owner] ?? null,
              to: [team[(i + 1) % 2].id],
            },
          ],
          meta(),
        );
    const live = dumpReadModels(core.db);
    expect(live).toContain('Led by Ann Lee');
    expect(live).toContain('Led by Bob Ray');
    await core.runner.rebuild();
    expect(dumpReadModels(core.db)).toBe(live);
  });
});
