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

  const addField = async (tableId: string, name: string, type: string, options: object) => {
    const id = newId('fld');
    await core.commands.decide(meta(), (ctx) =>
      decideAddField({ table_id: tableId, field: { id, name, type, options } }, ctx),
    );
    return id;
  };

  it('equals the live read models after a random history with formulas', async () => {
    const investors = core.repo.tableByRole('investors')!;
    const f = (role: string) => investors.fields.find((x) => x.role === role)!.id;
    // The default base's "Committed amount" is a rollup: a typed amount is a field of its own.
    const typed = await addField(investors.id, 'Committed (typed)', 'currency', {});
    await addFormula(investors.id, 'Fee', 'ROUND({Target commitment} * 0.02, 0)');
    await addFormula(investors.id, 'Net', '{Fee} - {Committed (typed)}');
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
        const field = [f('investor.notes'), typed, f('investor.target_commitment')][n % 3];
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
        await core.commands.decide(meta(), (ctx) => decideRemoveField({ field_id: typed }, ctx));
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

  it('equals the live read models after a random history with rollups, lookups and counts', async () => {
    const inv = core.repo.tableByRole('investors')!;
    const com = core.repo.tableByRole('commitments')!;
    const fi = (role: string) => inv.fields.find((x) => x.role === role)!.id;
    const fc_ = (role: string) => com.fields.find((x) => x.role === role)!.id;
    const deals = fi('investor.commitments');
    const signed = {
      conjunction: 'or',
      conditions: ['Hard', 'Signed'].map((value) => ({
        field_id: fc_('commitment.status'),
        operator: 'is',
        value,
      })),
    };
    const total = await addField(inv.id, 'Total', 'rollup', {
      link_field_id: deals,
      target_field_id: fc_('commitment.amount'),
      formula: 'SUM(values)',
      conditions: signed,
    });
    const count = await addField(inv.id, 'Deals', 'count', { link_field_id: deals });
    await addField(inv.id, 'Names', 'lookup', {
      link_field_id: deals,
      target_field_id: fc_('commitment.name'),
    });
    await addFormula(inv.id, 'Share', `IF({Total}, ROUND({Target commitment} / {Total}, 2), 0)`);
    await addField(com.id, 'LP total', 'lookup', {
      link_field_id: fc_('commitment.investor'),
      target_field_id: total,
    });
    // Links read as names: the investor's, and through a lookup of a link, its other commitments'.
    await addFormula(com.id, 'Who', '{Name} & " of " & {Investor}');
    await addField(com.id, 'LP deals', 'lookup', {
      link_field_id: fc_('commitment.investor'),
      target_field_id: deals,
    });
    await addFormula(com.id, 'Siblings', 'ARRAYJOIN({LP deals}, "; ")');
    const investors: string[] = [];
    const commitments: string[] = [];
    const rnd = fc.sample(fc.tuple(fc.nat(1000), fc.integer({ min: 0, max: 1e6 })), {
      numRuns: 250,
      seed: 7,
    });
    for (const [i, [n, amount]] of rnd.entries()) {
      const op = n % 10;
      const anInvestor = investors[n % Math.max(investors.length, 1)];
      const aCommitment = commitments[(n >> 3) % Math.max(commitments.length, 1)];
      if (op < 2 || !anInvestor) {
        const id = newId('rec');
        investors.push(id);
        const values = {
          [fi('investor.name')]: `LP ${i}`,
          [fi('investor.target_commitment')]: amount,
        };
        await core.commands.applyChanges(
          [{ op: 'create', table_id: inv.id, record_id: id, values }],
          meta(),
        );
      } else if (op < 4 || !aCommitment) {
        const id = newId('rec');
        commitments.push(id);
        const values = {
          [fc_('commitment.name')]: `C ${i}`,
          [fc_('commitment.amount')]: amount,
          [fc_('commitment.status')]: ['Soft', 'Hard', 'Signed'][n % 3],
          [fc_('commitment.investor')]: core.repo.record(anInvestor)!.archived ? [] : [anInvestor],
        };
        await core.commands.applyChanges(
          [{ op: 'create', table_id: com.id, record_id: id, values }],
          meta(),
        );
      } else {
        const c = core.repo.record(aCommitment)!;
        const target = core.repo.record(anInvestor)!;
        const field = [
          fc_('commitment.amount'),
          fc_('commitment.status'),
          fc_('commitment.investor'),
        ][n % 3];
        const to =
          n % 3 === 0
            ? amount
            : n % 3 === 1
              ? ['Soft', 'Hard', 'Signed'][amount % 3]
              : target.archived
                ? []
                : [target.id];
        const archive =
          op === 9 ? [{ op: c.archived ? 'unarchive' : 'archive', record_id: c.id }] : [];
        const inner =
          op === 8 ? [{ op: target.archived ? 'unarchive' : 'archive', record_id: target.id }] : [];
        const set = c.archived
          ? []
          : [{ op: 'set', record_id: c.id, field_id: field, from: c.values[field] ?? null, to }];
        const changes = [...set, ...archive, ...inner];
        if (changes.length)
          await core.commands.applyChanges(changes as never, meta(`usr_${n % 3}`));
        // Renames: of an investor, or of a commitment, which formulas elsewhere show by name.
        const renamed =
          op === 7 ? core.repo.record(anInvestor)! : op === 5 ? core.repo.record(c.id)! : null;
        const nameField = op === 7 ? fi('investor.name') : fc_('commitment.name');
        if (renamed && !renamed.archived)
          await core.commands.applyChanges(
            [
              {
                op: 'set',
                record_id: renamed.id,
                field_id: nameField,
                from: renamed.values[nameField] ?? null,
                to: `${String(renamed.values[nameField] ?? '')}'`,
              },
            ],
            meta(),
          );
      }
      if (i === 150)
        await core.commands.decide(meta(), (ctx) =>
          decideRetypeField(
            {
              field_id: total,
              type: 'rollup',
              options: {
                link_field_id: deals,
                target_field_id: fc_('commitment.amount'),
                formula: 'MAX(values)',
              },
            },
            ctx,
          ),
        );
    }
    const live = dumpReadModels(core.db);
    const withTotals = core.db
      .prepare(
        `SELECT COUNT(*) AS n FROM fundraising_records WHERE json_extract(formula_json, ?) > 0`,
      )
      .get(`$.${total}`) as { n: number };
    expect(withTotals.n).toBeGreaterThan(5);
    // A renamed investor shows in its commitments by its new name (read live, not only rebuilt).
    const renamedLp = investors.find((id) => {
      const r = core.repo.record(id)!;
      return !r.archived && String(r.values[fi('investor.name')]).endsWith("'");
    });
    expect(renamedLp).toBeDefined();
    const lp = core.repo.record(renamedLp!)!;
    for (const c of (lp.values[deals] as string[] | undefined) ?? []) {
      const rec = core.repo.record(c)!;
      const who = Object.values(rec.computed ?? {}).find(
        (v) => typeof v === 'string' && v.includes(' of '),
      );
      expect(who).toBe(
        `${String(rec.values[fc_('commitment.name')])} of ${String(lp.values[fi('investor.name')])}`,
      );
    }
    // Live values are right, not only repeatable: each count is the live commitments linked.
    for (const id of investors) {
      const linked = (core.repo.record(id)!.values[deals] as string[] | undefined) ?? [];
      const alive = linked.filter((c) => !core.repo.record(c)!.archived).length;
      expect(core.repo.record(id)!.computed?.[count] ?? 0).toBe(alive);
    }
    await core.runner.rebuild();
    expect(dumpReadModels(core.db)).toBe(live);
  });
});
