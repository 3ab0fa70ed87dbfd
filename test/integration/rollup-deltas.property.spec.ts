import fc from 'fast-check';
import { decideAddField, type RecordState } from '@crm/domain';
import { newId } from '../../apps/api/src/infrastructure/clock';
import { SYSTEM_ACTOR } from '../../apps/api/src/infrastructure/request-context/actor';
import { dumpReadModels } from '../support/read-models';
import { openTempCore, type TempCore } from '../support/temp-core';

/**
 * Counts and SUM/COUNTA/MAX/MIN rollups move by the changed commitment's delta instead of reading
 * every linked commitment. Through random edits, relinks, status changes, archives and restores,
 * each value must equal what a full recompute gives: the sums, counts and extremes worked out here
 * from the commitments, and a rebuild from the log (which recomputes in full) byte for byte.
 */
describe('rollups moved by deltas', () => {
  let core: TempCore;

  beforeEach(async () => {
    core = await openTempCore('crm-rollup-deltas-');
  });
  afterEach(async () => {
    await core.dispose();
  });

  const meta = { actor: SYSTEM_ACTOR, source: 'grid' as const };
  const table = (role: string) => core.repo.tableByRole(role)!;
  const field = (role: string) =>
    core.repo
      .tables()
      .flatMap((t) => t.fields)
      .find((f) => f.role === role)!.id;
  const addField = async (tableId: string, type: string, options: object) => {
    const id = newId('fld');
    await core.commands.decide(meta, (ctx) =>
      decideAddField({ table_id: tableId, field: { id, name: id, type, options } }, ctx),
    );
    return id;
  };

  it('equals a full recompute after every step of a random history', async () => {
    const [inv, fund, com] = [table('investors'), table('funds'), table('commitments')];
    const amount = field('commitment.amount');
    const status = field('commitment.status');
    const toInvestor = field('commitment.investor');
    const toFund = field('commitment.fund');
    const signed = {
      conjunction: 'and',
      conditions: [{ field_id: status, operator: 'is', value: 'Signed' }],
    };
    const rollup = (link: string, formula: string, extra = {}) => ({
      link_field_id: link,
      target_field_id: amount,
      formula,
      ...extra,
    });
    const viaInv = field('investor.commitments');
    const viaFund = field('fund.commitments');
    const added = {
      sum: await addField(inv.id, 'rollup', rollup(viaInv, 'SUM(values)')),
      max: await addField(inv.id, 'rollup', rollup(viaInv, 'MAX(values)')),
      min: await addField(inv.id, 'rollup', rollup(viaInv, 'min( values )')),
      counta: await addField(inv.id, 'rollup', rollup(viaInv, 'COUNTA(values)')),
      signed: await addField(inv.id, 'count', { link_field_id: viaInv, conditions: signed }),
      signedSum: await addField(
        fund.id,
        'rollup',
        rollup(viaFund, 'SUM(values)', { conditions: signed }),
      ),
      fundCount: await addField(fund.id, 'count', { link_field_id: viaFund }),
    };
    const create = async (tableId: string, values: Record<string, unknown>) => {
      const id = newId('rec');
      await core.commands.applyChanges(
        [{ op: 'create', table_id: tableId, record_id: id, values }],
        meta,
      );
      return id;
    };
    const investors = [];
    for (let i = 0; i < 4; i++)
      investors.push(await create(inv.id, { [field('investor.name')]: `LP ${i}` }));
    const funds = [];
    for (let i = 0; i < 2; i++)
      funds.push(
        await create(fund.id, {
          [field('fund.name')]: `Fund ${i}`,
          [field('fund.target_size')]: 1e7,
        }),
      );
    const commitments: string[] = [];
    const statuses = ['Soft', 'Hard', 'Signed', 'Funded', 'Withdrawn'];

    const expectFullRecompute = () => {
      const all = commitments.map((id) => core.repo.record(id)!).filter((r) => !r.archived);
      const linked = (to: string, link: string) =>
        all.filter((r) => (r.values[link] as string[] | undefined)?.includes(to));
      const amounts = (rs: RecordState[]) =>
        rs.map((r) => r.values[amount]).filter((v): v is number => typeof v === 'number');
      const isSigned = (r: RecordState) => r.values[status] === 'Signed';
      for (const id of investors) {
        const got = core.repo.record(id)!.computed ?? {};
        const rs = linked(id, toInvestor);
        const xs = amounts(rs);
        expect(got[added.sum]).toBeCloseTo(
          xs.reduce((a, b) => a + b, 0),
          6,
        );
        expect(got[added.max]).toBe(xs.length ? Math.max(...xs) : 0);
        expect(got[added.min]).toBe(xs.length ? Math.min(...xs) : 0);
        expect(got[added.counta]).toBe(xs.length);
        expect(got[added.signed]).toBe(rs.filter(isSigned).length);
      }
      for (const id of funds) {
        const got = core.repo.record(id)!.computed ?? {};
        const rs = linked(id, toFund);
        const sum = amounts(rs.filter(isSigned)).reduce((a, b) => a + b, 0);
        expect(got[added.signedSum]).toBeCloseTo(sum, 6);
        expect(got[added.fundCount]).toBe(rs.length);
      }
    };

    const steps = fc.sample(
      fc.tuple(fc.nat(99), fc.nat(1000), fc.integer({ min: -5e6, max: 5e7 })),
      { numRuns: 160, seed: 16 },
    );
    for (const [i, [op, n, value]] of steps.entries()) {
      const pick = commitments[n % Math.max(commitments.length, 1)];
      const current = pick ? core.repo.record(pick)! : undefined;
      const set = async (fieldId: string, to: unknown) => {
        await core.commands.applyChanges(
          [
            {
              op: 'set',
              record_id: pick,
              field_id: fieldId,
              from: current!.values[fieldId] ?? null,
              to,
            },
          ],
          meta,
        );
      };
      if (op < 15 || !current) {
        commitments.push(
          await create(com.id, {
            [field('commitment.name')]: `C ${n}`,
            [amount]: value,
            [status]: statuses[n % 5],
            [toInvestor]: [investors[n % 4]],
            [toFund]: [funds[n % 2]],
          }),
        );
      } else if (current.archived) {
        await core.commands.applyChanges([{ op: 'unarchive', record_id: pick }], meta);
      } else if (op < 55) {
        // Whole amounts mostly; a fraction or a cleared amount now and then (recomputed in full).
        await set(amount, op % 9 === 0 ? value / 8 : op % 11 === 0 ? null : value);
      } else if (op < 70) await set(status, statuses[value % 5 < 0 ? -(value % 5) : value % 5]);
      else if (op < 80) await set(toInvestor, [investors[value % 4 < 0 ? 0 : value % 4]]);
      else if (op < 88) await set(toFund, [funds[n % 2]]);
      else await core.commands.applyChanges([{ op: 'archive', record_id: pick }], meta);
      // The fund's "% of target" reads its target and its rollup: a new target must be read again.
      if (i % 15 === 7) {
        const target = field('fund.target_size');
        const fundId = funds[i % 2];
        const from = core.repo.record(fundId)!.values[target] ?? null;
        await core.commands.applyChanges(
          [{ op: 'set', record_id: fundId, field_id: target, from, to: Math.abs(value) + 1 }],
          meta,
        );
      }
      expectFullRecompute();
    }

    const share = field('fund.percent_of_target');
    for (const id of funds) {
      const fundNow = core.repo.record(id)!;
      const committed = fundNow.computed?.[field('fund.committed')] as number;
      const target = fundNow.values[field('fund.target_size')] as number;
      expect(fundNow.computed?.[share]).toBeCloseTo(committed / target, 9);
    }
    const live = dumpReadModels(core.db);
    await core.runner.rebuild();
    expect(dumpReadModels(core.db)).toBe(live);
  });
});
