import { ANY_VERSION, type RecordedEvent } from '@crm/events';
import { type ChangeOp, decideChanges } from '../record/decide/apply-changes.decide';
import { decideAddField } from '../table/decide/add-field.decide';
import { decideCreateTable } from '../table/decide/create-table.decide';
import { decideRemoveField } from '../table/decide/remove-field.decide';
import { decideRenameField } from '../table/decide/rename-field.decide';
import { Given } from '../testing/given-when-then';
import { decideDeleteView, decideSaveView } from '../view/decide/save-view.decide';
import { contextOf, evolveBase, initialBaseState, replay } from './base.state';

const T = 'tbl_inv';
const at = (s: number) => new Date(Date.UTC(2026, 0, 1) + s * 1000).toISOString();

/** A short history touching every kind of event; each apply is one second after the last. */
function givenHistory(): Given {
  const g = Given.empty();
  const changes = (list: ChangeOp[], actor = 'usr_ada') =>
    g.apply((ctx) => decideChanges({ changes: list, at: g.now, actor_id: actor }, ctx), actor);
  g.apply((ctx) =>
    decideCreateTable(
      {
        table_id: T,
        name: 'Investors',
        role: 'investors',
        fields: [
          { id: 'fld_name', name: 'Name', type: 'text' },
          {
            id: 'fld_stage',
            name: 'Stage',
            type: 'single_select',
            options: { choices: ['Lead', 'Engaged'] },
          },
        ],
      },
      ctx,
    ),
  ); // t1
  g.apply((ctx) =>
    decideAddField(
      { table_id: T, field: { id: 'fld_amount', name: 'Amount', type: 'number' } },
      ctx,
    ),
  ); // t2
  g.apply((ctx) => decideRenameField({ field_id: 'fld_stage', name: 'Pipeline stage' }, ctx)); // t3
  changes([
    {
      op: 'create',
      table_id: T,
      record_id: 'rec_1',
      values: { fld_name: 'Acme', fld_stage: 'Lead' },
    },
    { op: 'create', table_id: T, record_id: 'rec_2', values: { fld_name: 'Beta' } },
  ]); // t4
  changes(
    [{ op: 'set', record_id: 'rec_1', field_id: 'fld_stage', from: 'Lead', to: 'Engaged' }],
    'usr_bob',
  ); // t5
  changes([{ op: 'archive', record_id: 'rec_2' }], 'usr_carol'); // t6
  g.apply((ctx) =>
    decideSaveView({ view_id: 'viw_1', table_id: T, name: 'Grid', config: { a: 1 } }, ctx),
  ); // t7
  g.apply((ctx) =>
    decideSaveView({ view_id: 'viw_1', table_id: T, name: 'Pipeline', config: { a: 2 } }, ctx),
  ); // t8
  g.apply((ctx) =>
    decideSaveView({ view_id: 'viw_2', table_id: T, name: 'Other', config: {} }, ctx),
  ); // t9
  g.apply((ctx) => decideDeleteView({ view_id: 'viw_2' }, ctx)); // t10
  return g;
}

describe('replay / evolveBase', () => {
  it('starts empty', () => {
    expect(initialBaseState()).toEqual({
      tables: new Map(),
      records: new Map(),
      views: new Map(),
      position: 0,
    });
  });

  it('rebuilds tables, records and views from the log', () => {
    const g = givenHistory();
    const s = replay(g.store.readAll());
    expect(s.position).toBe(g.store.lastPosition());
    expect([...s.tables.values()]).toEqual([
      {
        id: T,
        name: 'Investors',
        role: 'investors',
        primary_field_id: 'fld_name',
        fields: [
          { id: 'fld_name', name: 'Name', type: 'text', options: {}, role: null },
          {
            id: 'fld_stage',
            name: 'Pipeline stage',
            type: 'single_select',
            options: { choices: [{ name: 'Lead' }, { name: 'Engaged' }] },
            role: null,
          },
          {
            id: 'fld_amount',
            name: 'Amount',
            type: 'number',
            options: { precision: 0 },
            role: null,
          },
        ],
        version: 3,
      },
    ]);
    expect([...s.records.values()]).toEqual([
      {
        id: 'rec_1',
        table_id: T,
        values: { fld_name: 'Acme', fld_stage: 'Engaged' },
        archived: false,
        version: 2,
        created_at: at(4),
        created_by: 'usr_ada',
        updated_at: at(5),
        updated_by: 'usr_bob',
        cells: { fld_stage: { at: at(5), by: 'usr_bob' } },
      },
      {
        id: 'rec_2',
        table_id: T,
        values: { fld_name: 'Beta' },
        archived: true,
        version: 2,
        created_at: at(4),
        created_by: 'usr_ada',
        updated_at: at(6),
        updated_by: 'usr_carol',
        cells: {},
      },
    ]);
    expect([...s.views.values()]).toEqual([
      { id: 'viw_1', table_id: T, name: 'Pipeline', config: { a: 2 }, version: 2 },
    ]);
  });

  it('gives the same state when replayed in two parts', () => {
    const all = givenHistory().store.readAll();
    for (const cut of [0, 1, 4, 7, all.length]) {
      expect(replay(all.slice(cut), replay(all.slice(0, cut)))).toEqual(replay(all));
    }
  });

  it("takes a removed field's values out of its table's records", () => {
    const g = givenHistory();
    g.apply((ctx) => decideRemoveField({ field_id: 'fld_stage' }, ctx));
    const s = g.state;
    expect(s.tables.get(T)?.fields.map((f) => f.id)).toEqual(['fld_name', 'fld_amount']);
    expect(s.records.get('rec_1')).toMatchObject({ values: { fld_name: 'Acme' }, cells: {} });
  });

  describe('never throws', () => {
    const raw = (over: Partial<RecordedEvent>): RecordedEvent => ({
      position: 1,
      event_id: 'evt_x',
      stream_id: 'system',
      stream_version: 1,
      type: 'Unknown',
      schema_version: 1,
      data: {},
      metadata: { actor_id: 'usr_x', correlation_id: 'cor_x', source: 'system' },
      recorded_at: at(1),
      idempotency_key: null,
      hash: 'h',
      ...over,
    });

    it('skips an event type it does not know, but moves to its position', () => {
      const g = givenHistory();
      const before = g.state;
      g.appendAll([
        {
          stream_id: 'system',
          expected_version: ANY_VERSION,
          events: [{ type: 'SomethingNew', data: { x: 1 } }],
        },
      ]);
      g.appendAll([
        {
          stream_id: `table-${T}`,
          expected_version: 3,
          events: [{ type: 'TableArchived', data: { table_id: T } }],
        },
      ]);
      const after = g.state;
      expect(after.position).toBe(before.position + 2);
      expect(after.tables).toEqual(before.tables);
      expect(after.records).toEqual(before.records);
      expect(after.views).toEqual(before.views);
    });

    it('skips an update to a record it never saw created', () => {
      const s = evolveBase(
        initialBaseState(),
        raw({
          stream_id: 'record-rec_9',
          type: 'RecordUpdated',
          data: { table_id: T, record_id: 'rec_9', changes: [] },
        }),
      );
      expect(s.records.size).toBe(0);
      expect(s.position).toBe(1);
    });

    it.each(['table-t', 'record-r', 'view-v', 'system'])(
      'skips an event with no data on stream %s',
      (stream_id) => {
        const s = evolveBase(initialBaseState(), raw({ stream_id, type: 'Unknown', data: null }));
        expect(s).toEqual({ tables: new Map(), records: new Map(), views: new Map(), position: 1 });
      },
    );
  });
});

describe('contextOf', () => {
  it('reads tables, records (archived ones too) and views', () => {
    const s = givenHistory().state;
    const ctx = contextOf(s);
    expect(ctx.table(T)).toBe(s.tables.get(T));
    expect(ctx.table('tbl_nope')).toBeUndefined();
    expect(ctx.tables().map((t) => t.id)).toEqual([T]);
    expect(ctx.record('rec_2')?.archived).toBe(true);
    expect([...ctx.recordsOf(T)].map((r) => r.id)).toEqual(['rec_1', 'rec_2']);
    expect([...ctx.recordsOf('tbl_nope')]).toEqual([]);
    expect(ctx.view('viw_1')?.name).toBe('Pipeline');
    expect([...ctx.viewIds()]).toEqual(['viw_1']);
  });
});
