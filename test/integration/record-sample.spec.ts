import { SYSTEM_ACTOR } from '../../apps/api/src/infrastructure/request-context/actor';
import { openTempCore, type TempCore } from '../support/temp-core';

/** The sample a formula's cost is estimated on: every record counted, a few read, spread over the table. */
describe('FundraisingRepository.recordSample', () => {
  let core: TempCore;
  let tableId: string;
  let ids: string[];

  beforeAll(async () => {
    core = await openTempCore('crm-sample-');
    const inv = core.repo.tables().find((t) => t.role === 'investors')!;
    tableId = inv.id;
    const meta = { actor: SYSTEM_ACTOR, source: 'grid' as const };
    const result = await core.commands.applyChanges(
      Array.from({ length: 1_000 }, (_, i) => ({
        op: 'create' as const,
        table_id: tableId,
        values: { [inv.primary_field_id]: `LP ${i}` },
      })),
      meta,
    );
    ids = result.applied.map((a) => a.record_id);
    await core.commands.applyChanges(
      ids.slice(0, 100).map((record_id) => ({ op: 'archive' as const, record_id })),
      meta,
    );
  });
  afterAll(() => core?.dispose());

  it('counts archived records too, and reads only the sample, spread from the first live record to the last', async () => {
    const { count, sample } = core.repo.recordSample(tableId, 32);
    expect(count).toBe(1_000);
    expect(sample).toHaveLength(32);
    const at = sample.map((r) => ids.indexOf(r.id));
    expect(new Set(at).size).toBe(32);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(at[0]).toBe(100);
    expect(at[31]).toBeGreaterThan(950);
    expect(sample.every((r) => !r.archived)).toBe(true);
  });

  it('samples archived records when a table holds nothing else, and nothing from an empty table', async () => {
    const emptyId = core.repo.tables().find((t) => t.id !== tableId)!.id;
    expect(core.repo.recordSample(emptyId, 32)).toEqual({ count: 0, sample: [] });
    const meta = { actor: SYSTEM_ACTOR, source: 'grid' as const };
    await core.commands.applyChanges(
      ids.slice(100).map((record_id) => ({ op: 'archive' as const, record_id })),
      meta,
    );
    const { count, sample } = core.repo.recordSample(tableId, 8);
    expect([count, sample.length, sample.every((r) => r.archived)]).toEqual([1_000, 8, true]);
  });
});
