import { type DecideContext } from '../../base/decide-context';
import { NotLoadedError, preloadedContext } from '../../base/preloaded-context';
import { DomainError } from '../../errors';
import { decideCreateTable } from '../../table/decide/create-table.decide';
import { Given } from '../../testing/given-when-then';
import { type ChangeOp, decideChanges } from './apply-changes.decide';
import { linkedIdsNamedBy, recordIdsNamedBy, tableIdsNamedBy } from './changes-named';

const INV = 'tbl_inv';
const CON = 'tbl_con';

/** Given Investors, Contacts linking to them, two investors (one archived) and a contact. */
function givenBase(): Given {
  const g = Given.empty();
  g.apply((ctx) =>
    decideCreateTable(
      {
        table_id: INV,
        name: 'Investors',
        fields: [
          { id: 'fld_name', name: 'Name', type: 'text' },
          { id: 'fld_amount', name: 'Amount', type: 'currency' },
        ],
      },
      ctx,
    ),
  );
  g.apply((ctx) =>
    decideCreateTable(
      {
        table_id: CON,
        name: 'Contacts',
        fields: [
          { id: 'fld_cname', name: 'Name', type: 'text' },
          { id: 'fld_investor', name: 'Investor', type: 'link', options: { table_id: INV } },
        ],
      },
      ctx,
    ),
  );
  const batch: ChangeOp[] = [
    { op: 'create', table_id: INV, record_id: 'rec_acme', values: { fld_name: 'Acme' } },
    { op: 'create', table_id: INV, record_id: 'rec_gone', values: { fld_name: 'Gone' } },
    { op: 'create', table_id: CON, record_id: 'rec_ann', values: { fld_investor: ['rec_acme'] } },
    { op: 'archive', record_id: 'rec_gone' },
  ];
  g.apply((ctx) => decideChanges({ changes: batch, at: g.now, actor_id: 'usr_ada' }, ctx));
  return g;
}

/** The load step, over the whole state: only what the three steps name ends up in the context. */
function preload(ctx: DecideContext, changes: ChangeOp[]): DecideContext {
  const read = <T>(ids: string[], get: (id: string) => T | undefined) =>
    new Map(ids.map((id) => [id, get(id)]));
  const records = read(recordIdsNamedBy(changes), (id) => ctx.record(id));
  const tables = read(tableIdsNamedBy(changes, records), (id) => ctx.table(id));
  const linked = read(linkedIdsNamedBy(changes, tables, records), (id) => ctx.record(id));
  return preloadedContext({ records: new Map([...records, ...linked]), tables });
}

/** What the decider answers: its decision, or the domain error it refuses with. */
function outcome(ctx: DecideContext, changes: ChangeOp[]): unknown {
  try {
    return decideChanges({ changes, at: '2026-03-02T09:00:00.000Z', actor_id: 'usr_bob' }, ctx);
  } catch (e) {
    if (e instanceof DomainError) return { code: e.code, message: e.message };
    throw e;
  }
}

const BATCHES: [string, ChangeOp[]][] = [
  ['a create', [{ op: 'create', table_id: INV, record_id: 'rec_new', values: { fld_name: 'N' } }]],
  ['a create under a used id', [{ op: 'create', table_id: INV, record_id: 'rec_acme' }]],
  ['a create in a missing table', [{ op: 'create', table_id: 'tbl_none', record_id: 'rec_x' }]],
  [
    'a cell edit, and one in conflict',
    [
      { op: 'set', record_id: 'rec_acme', field_id: 'fld_amount', from: null, to: 5 },
      { op: 'set', record_id: 'rec_acme', field_id: 'fld_name', from: 'Other', to: 'Acme 2' },
    ],
  ],
  [
    'an edit of a missing record',
    [{ op: 'set', record_id: 'rec_no', field_id: 'x', to: 1, from: null }],
  ],
  [
    'an edit of a missing field',
    [{ op: 'set', record_id: 'rec_acme', field_id: 'fld_no', to: 1, from: null }],
  ],
  [
    'an archive and an unarchive',
    [
      { op: 'archive', record_id: 'rec_acme' },
      { op: 'unarchive', record_id: 'rec_gone' },
    ],
  ],
  [
    'a contact linking an investor made in the same batch',
    [
      { op: 'create', table_id: INV, record_id: 'rec_beta', values: { fld_name: 'Beta' } },
      { op: 'create', table_id: CON, record_id: 'rec_bo', values: { fld_investor: ['rec_beta'] } },
      {
        op: 'set',
        record_id: 'rec_bo',
        field_id: 'fld_investor',
        from: ['rec_beta'],
        to: ['rec_acme'],
      },
    ],
  ],
  [
    'a link to a missing record',
    [{ op: 'create', table_id: CON, record_id: 'rec_c', values: { fld_investor: ['rec_none'] } }],
  ],
  [
    'a link to an archived record',
    [
      {
        op: 'set',
        record_id: 'rec_ann',
        field_id: 'fld_investor',
        from: ['rec_acme'],
        to: ['rec_gone'],
      },
    ],
  ],
  [
    'a link to a record of another table',
    [
      {
        op: 'set',
        record_id: 'rec_ann',
        field_id: 'fld_investor',
        from: ['rec_acme'],
        to: ['rec_ann'],
      },
    ],
  ],
  [
    'a link value of the wrong shape',
    [{ op: 'set', record_id: 'rec_ann', field_id: 'fld_investor', from: null, to: { id: 1 } }],
  ],
];

describe('the state a batch of changes names', () => {
  it.each(BATCHES)(
    'given the base, when %s is decided over the loaded state alone, then the outcome is the one over the whole state',
    (_, changes) => {
      const g = givenBase();
      expect(outcome(preload(g.ctx, changes), changes)).toEqual(outcome(g.ctx, changes));
    },
  );

  it('names the records, then their tables and the creates, then what the link values point at', () => {
    const g = givenBase();
    const changes: ChangeOp[] = [
      { op: 'set', record_id: 'rec_ann', field_id: 'fld_investor', from: null, to: ['rec_gone'] },
      { op: 'create', table_id: CON, record_id: 'rec_c', values: { fld_investor: ['rec_acme'] } },
    ];
    const records = new Map(recordIdsNamedBy(changes).map((id) => [id, g.ctx.record(id)]));
    expect([...records.keys()]).toEqual(['rec_ann', 'rec_c']);
    const tables = new Map(tableIdsNamedBy(changes, records).map((id) => [id, g.ctx.table(id)]));
    expect([...tables.keys()]).toEqual([CON]);
    expect(linkedIdsNamedBy(changes, tables, records)).toEqual(['rec_gone', 'rec_acme']);
  });

  it('refuses, as a programming error, a read the load step did not make, naming what it missed', () => {
    const ctx = preloadedContext({ records: new Map([['rec_a', undefined]]), tables: new Map() });
    expect(ctx.record('rec_a')).toBeUndefined();
    const missed = (read: () => unknown) => {
      try {
        read();
      } catch (e) {
        expect(e).toBeInstanceOf(NotLoadedError);
        expect((e as Error).message).toContain('was not loaded before the decision');
        return (e as NotLoadedError).need;
      }
      throw new Error('the read did not fail');
    };
    expect(missed(() => ctx.record('rec_b'))).toEqual({ kind: 'record', id: 'rec_b' });
    expect(missed(() => ctx.tables())).toEqual({ kind: 'schema' });
    expect(missed(() => ctx.recordsOf(CON))).toEqual({ kind: 'records_of', table_id: CON });
    expect(ctx.recordSample).toBeUndefined();
  });

  it('given the whole schema and a table loaded whole, answers for any table and every record of it', () => {
    const g = givenBase();
    const contacts = g.ctx.table(CON)!;
    const all = [...g.ctx.recordsOf(CON)];
    const ctx = preloadedContext({
      records: new Map(),
      tables: new Map(),
      schema: { tables: [contacts], views: new Map() },
      recordsOf: new Map([[CON, all]]),
    });
    expect(ctx.table(CON)).toBe(contacts);
    expect(ctx.table('tbl_nowhere')).toBeUndefined();
    expect([...ctx.viewIds()]).toEqual([]);
    expect(ctx.record(all[0].id)).toBe(all[0]);
    expect([...ctx.recordsOf(CON)]).toEqual(all);
  });
});
