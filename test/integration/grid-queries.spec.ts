import { GridQueries } from '../../apps/api/src/capabilities/fundraising/queries/grid.queries';
import { SYSTEM_ACTOR } from '../../apps/api/src/infrastructure/request-context/actor';
import { openTempCore, type TempCore } from '../support/temp-core';

/** The grid's big answers are written by SQLite; they must be exactly the records as stored, in order. */
describe('GridQueries JSON', () => {
  let core: TempCore;
  beforeAll(async () => {
    core = await openTempCore('crm-gridq-');
    const inv = core.repo.tableByRole('investors')!;
    const f = (role: string) => inv.fields.find((x) => x.role === role)!.id;
    const awkward = [
      'Ünïcødé “quoted” LP',
      'Line\nbreak\tand "quotes" \\ backslash',
      '😀 emoji, comma',
      '</script><script>alert(1)</script>',
      '\u0001control\u001f',
      '',
    ];
    for (let i = 0; i < 23; i++) {
      const values: Record<string, unknown> = {
        [f('investor.name')]: `${awkward[i % awkward.length]} ${i}`,
        [f('investor.target_commitment')]: i * 1_000_000.5,
        [f('investor.tags')]: i % 2 ? ['Warm intro', 'ESG'] : [],
        [f('investor.notes')]: awkward[(i + 2) % awkward.length],
      };
      await core.commands.applyChanges([{ op: 'create', table_id: inv.id, values }], {
        actor: SYSTEM_ACTOR,
        source: 'grid',
      });
    }
    const ids = [...core.repo.recordsOf(inv.id)].map((r) => r.id);
    for (const id of ids.filter((_, i) => i % 4 === 1))
      await core.commands.applyChanges([{ op: 'archive', record_id: id }], {
        actor: { id: 'usr"odd\\id', name: 'Odd', role: 'admin' },
        source: 'grid',
      });
  });
  afterAll(async () => {
    await core.dispose();
  });

  /** The reference: the stored rows parsed and serialised in JS. */
  const expected = (tableId: string, filter: 'active' | 'archived' | 'all') => {
    const rows = core.db
      .prepare('SELECT * FROM fundraising_records WHERE table_id = ? ORDER BY seq')
      .all(tableId) as Record<string, string | number>[];
    return rows
      .filter((r) => filter === 'all' || (filter === 'archived') === (r.archived === 1))
      .map((r) => ({
        id: r.id,
        values: { ...JSON.parse(r.values_json as string), ...JSON.parse(r.formula_json as string) },
        created_at: r.created_at,
        created_by: r.created_by,
        updated_at: r.updated_at,
        updated_by: r.updated_by,
        ...(filter === 'all' ? { archived: r.archived === 1 } : {}),
      }));
  };

  it.each([1, 3, 5, 20_000])(
    'gives the state and the export exactly as stored, in creation order (chunks of %i)',
    (chunk) => {
      const grid = new GridQueries(core.repo, core.uow, chunk);
      for (const t of core.repo.tables()) {
        const state = JSON.parse(grid.stateJson()).tables.find(
          (x: { id: string }) => x.id === t.id,
        );
        expect(state.records).toEqual(expected(t.id, 'active'));
        const exported = JSON.parse(grid.stateJson({ includeArchived: true })).tables.find(
          (x: { id: string }) => x.id === t.id,
        );
        expect(exported.records).toEqual(expected(t.id, 'all'));
      }
    },
  );

  it('pages with a cursor through live and archived records without gaps or repeats', async () => {
    const grid = new GridQueries(core.repo, core.uow);
    const inv = core.repo.tableByRole('investors')!;
    for (const archived of [false, true]) {
      const seen: unknown[] = [];
      let cursor: string | undefined;
      for (;;) {
        const page = JSON.parse(grid.recordsPageJson(inv.id, cursor, 4, { archived }));
        seen.push(...page.records);
        if (!page.next_cursor) break;
        cursor = page.next_cursor;
      }
      expect(seen).toEqual(expected(inv.id, archived ? 'archived' : 'active'));
    }
  });

  it('answers an empty table with an empty list', async () => {
    const grid = new GridQueries(core.repo, core.uow, 2);
    const funds = core.repo.tableByRole('funds')!;
    expect(JSON.parse(grid.recordsPageJson(funds.id, undefined, 10))).toEqual({
      version: core.store.lastPosition(),
      records: [],
      next_cursor: null,
    });
    expect(
      JSON.parse(grid.stateJson()).tables.find((x: { id: string }) => x.id === funds.id).records,
    ).toEqual([]);
  });
});
