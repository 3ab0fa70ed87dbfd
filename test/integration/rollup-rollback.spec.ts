import { decideAddField } from '@crm/domain';
import { newId } from '../../apps/api/src/infrastructure/clock';
import { SYSTEM_ACTOR } from '../../apps/api/src/infrastructure/request-context/actor';
import { openTempCore, type TempCore } from '../support/temp-core';

/**
 * Rollups read the linked table's cells from memory, kept in step by every record written. A
 * command that wrote a commitment and then failed is rolled back: what it wrote must not stay in
 * that memory, or the next rollup over the commitment would count an amount that was never saved.
 */
describe('rollups after a rolled-back command', () => {
  let core: TempCore;
  beforeEach(async () => {
    core = await openTempCore('crm-rollup-rollback-');
  });
  afterEach(async () => {
    await core.dispose();
  });

  const meta = { actor: SYSTEM_ACTOR, source: 'grid' as const };
  const field = (role: string) =>
    core.repo
      .tables()
      .flatMap((t) => t.fields)
      .find((f) => f.role === role)!.id;

  it('given a failed command that changed an amount, when another commitment changes, then the rollup counts only saved amounts', async () => {
    const inv = core.repo.tableByRole('investors')!;
    const com = core.repo.tableByRole('commitments')!;
    const amount = field('commitment.amount');
    const joined = newId('fld');
    await core.commands.decide(meta, (ctx) =>
      decideAddField(
        {
          table_id: inv.id,
          field: {
            id: joined,
            name: 'Amounts',
            type: 'rollup',
            options: {
              link_field_id: field('investor.commitments'),
              target_field_id: amount,
              formula: 'ARRAYJOIN(values, "; ")',
            },
          },
        },
        ctx,
      ),
    );
    const investor = newId('rec');
    const [a, b] = [newId('rec'), newId('rec')];
    await core.commands.applyChanges(
      [
        {
          op: 'create',
          table_id: inv.id,
          record_id: investor,
          values: { [field('investor.name')]: 'LP' },
        },
        ...[a, b].map((id, i) => ({
          op: 'create' as const,
          table_id: com.id,
          record_id: id,
          values: { [amount]: 100 + i, [field('commitment.investor')]: [investor] },
        })),
      ],
      meta,
    );
    expect(core.repo.record(investor)!.computed?.[joined]).toBe('100; 101');

    // When: a command sets a's amount, then fails (rolled back).
    await expect(
      core.executor.execute(meta, async (scope) => {
        await core.commands.applyChanges(
          [{ op: 'set', record_id: a, field_id: amount, from: 100, to: 999 }],
          scope.meta,
        );
        throw new Error('a later step failed');
      }),
    ).rejects.toThrow('a later step failed');
    expect(core.repo.record(a)!.values[amount]).toBe(100);

    // Then: an edit of b recomputes the investor's rollup over what was saved.
    await core.commands.applyChanges(
      [{ op: 'set', record_id: b, field_id: amount, from: 101, to: 102 }],
      meta,
    );
    expect(core.repo.record(investor)!.computed?.[joined]).toBe('100; 102');
  });
});
