import { buildLinkDirectory } from '@crm/domain';
import { SYSTEM_ACTOR } from '../../apps/api/src/infrastructure/request-context/actor';
import { openTempCore, type TempCore } from '../support/temp-core';

/** A table's records by one cell, read inside SQLite: what an import's look-up of links by name reads. */
describe('FundraisingRepository.namedRecordsOf', () => {
  let core: TempCore;
  afterEach(() => core?.dispose());

  it('given records whose cell is text, a number, a list, empty or absent, and one archived, then it reads each cell as the whole record holds it, archived ones left out', async () => {
    core = await openTempCore('crm-named-');
    const inv = core.repo.tables().find((t) => t.role === 'investors')!;
    const text = inv.primary_field_id;
    const amount = inv.fields.find((f) => f.type === 'currency')!.id;
    const tags = inv.fields.find((f) => f.type === 'multiple_select')!;
    const tag = (tags.options.choices as { name: string }[])[0].name;
    const meta = { actor: SYSTEM_ACTOR, source: 'grid' as const };
    const { applied } = await core.commands.applyChanges(
      [
        { [text]: 'Alpine Capital', [amount]: 2_500_000, [tags.id]: [tag] },
        { [text]: '', [amount]: 0 },
        { [amount]: 1.5 },
        { [text]: 'Gone LP' },
      ].map((values) => ({ op: 'create' as const, table_id: inv.id, values })),
      meta,
    );
    await core.commands.applyChanges([{ op: 'archive', record_id: applied[3].record_id }], meta);

    for (const field of [text, amount, tags.id]) {
      const whole = [...core.repo.recordsOf(inv.id)]
        .filter((r) => !r.archived)
        .map((r) => ({
          id: r.id,
          table_id: r.table_id,
          archived: false,
          values: field in r.values ? { [field]: r.values[field] } : {},
        }));
      expect([...core.repo.cells.namedRecordsOf(inv.id, field)]).toEqual(whole);
    }
    // And a directory built from them finds what one built from the whole records finds.
    const named = buildLinkDirectory(inv, core.repo.cells.namedRecordsOf(inv.id, text));
    const whole = buildLinkDirectory(inv, core.repo.recordsOf(inv.id));
    for (const name of ['Alpine Capital', 'alpine capital ', 'Gone LP', applied[0].record_id])
      expect(named.find(name)).toEqual(whole.find(name));
    expect(named.find('Alpine Capital')).toEqual([applied[0].record_id]);
  });
});
