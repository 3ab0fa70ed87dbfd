import { type ChangeOp, decideChanges } from '../record/decide/apply-changes.decide';
import { decideAddField } from '../table/decide/add-field.decide';
import { decideCreateTable } from '../table/decide/create-table.decide';
import { decideRemoveField } from '../table/decide/remove-field.decide';
import { decideRenameField } from '../table/decide/rename-field.decide';
import { decideRetypeField } from '../table/decide/retype-field.decide';
import { domainErrorOf } from '../testing/domain-error-of';
import { Given } from '../testing/given-when-then';
import { decideDeleteView, decideSaveView } from '../view/decide/save-view.decide';
import { type DecideContext, type Decision } from './decide-context';
import { type BaseDocument, type PlannedCommand, planDocument } from './document-diff';

const T = 'tbl_inv';

/** Runs a plan the way a handler would: one command after another, each deciding on the state the last one left. */
function execute(g: Given, plan: PlannedCommand[]): void {
  const decide = (c: PlannedCommand, ctx: DecideContext): Decision => {
    switch (c.kind) {
      case 'create_table':
        return decideCreateTable(c.command, ctx);
      case 'add_field':
        return decideAddField({ table_id: c.table_id, field: c.field }, ctx);
      case 'rename_field':
        return decideRenameField({ field_id: c.field_id, name: c.name }, ctx);
      case 'retype_field':
        return decideRetypeField({ field_id: c.field_id, type: c.type, options: c.options }, ctx);
      case 'remove_field':
        return decideRemoveField({ field_id: c.field_id }, ctx);
      case 'changes': {
        const d = decideChanges({ changes: c.changes, at: g.now, actor_id: 'usr_test' }, ctx);
        if (d.conflicts.length)
          throw new Error(`the plan ran into conflicts: ${JSON.stringify(d.conflicts)}`);
        return d;
      }
      case 'save_view':
        return decideSaveView(
          { view_id: c.view_id, table_id: c.table_id, name: c.name, config: c.config },
          ctx,
        );
      case 'delete_view':
        return decideDeleteView({ view_id: c.view_id }, ctx);
    }
  };
  for (const c of plan) g.apply((ctx) => decide(c, ctx));
}

/** Investors with four fields, three records (rec_3 archived) and two views. */
function givenBase(): Given {
  const g = Given.empty();
  g.apply((ctx) =>
    decideCreateTable(
      {
        table_id: T,
        name: 'Investors',
        fields: [
          { id: 'fld_name', name: 'Name', type: 'text' },
          {
            id: 'fld_stage',
            name: 'Stage',
            type: 'single_select',
            options: { choices: ['Lead', 'Engaged'] },
          },
          { id: 'fld_amount', name: 'Amount', type: 'text' },
          { id: 'fld_old', name: 'Old', type: 'text' },
        ],
      },
      ctx,
    ),
  );
  const changes: ChangeOp[] = [
    {
      op: 'create',
      table_id: T,
      record_id: 'rec_1',
      values: { fld_name: 'Acme', fld_stage: 'Lead', fld_amount: '1000', fld_old: 'x' },
    },
    { op: 'create', table_id: T, record_id: 'rec_2', values: { fld_name: 'Beta' } },
    { op: 'create', table_id: T, record_id: 'rec_3', values: { fld_name: 'Gamma' } },
    { op: 'archive', record_id: 'rec_3' },
  ];
  g.apply((ctx) => decideChanges({ changes, at: g.now, actor_id: 'usr_test' }, ctx));
  g.apply((ctx) =>
    decideSaveView({ view_id: 'viw_1', table_id: T, name: 'Grid', config: { a: 1 } }, ctx),
  );
  g.apply((ctx) =>
    decideSaveView({ view_id: 'viw_2', table_id: T, name: 'Board', config: { b: 1 } }, ctx),
  );
  return g;
}

/** The document that describes the base as it is. */
function currentDocument(g: Given): BaseDocument {
  const s = g.state;
  return {
    tables: [...s.tables.values()].map((t) => ({
      id: t.id,
      name: t.name,
      role: t.role,
      fields: t.fields.map((f) => ({ id: f.id, name: f.name, type: f.type, options: f.options })),
      records: [...s.records.values()]
        .filter((r) => r.table_id === t.id && !r.archived)
        .map((r) => ({ id: r.id, values: r.values })),
    })),
    views: [...s.views.values()].map((v) => ({
      id: v.id,
      table_id: v.table_id,
      name: v.name,
      config: v.config,
    })),
  };
}

describe('planDocument', () => {
  it('on an empty base: creates the tables, then the records, then the views', () => {
    const doc: BaseDocument = {
      tables: [
        {
          id: T,
          name: 'Investors',
          fields: [{ id: 'fld_name', name: 'Name', type: 'text' }],
          records: [{ id: 'rec_1', values: { fld_name: 'Acme' } }],
        },
        {
          id: 'tbl_con',
          name: 'Contacts',
          role: 'contacts',
          fields: [
            { id: 'fld_cname', name: 'Name', type: 'text' },
            { id: 'fld_inv', name: 'Investor', type: 'link', options: { table_id: T } },
          ],
          records: [{ id: 'con_1', values: { fld_inv: ['rec_1'] } }],
        },
      ],
      views: [{ id: 'viw_1', table_id: T, name: 'Grid', config: {} }],
    };
    const plan = planDocument(doc, Given.empty().ctx);
    expect(plan).toEqual([
      {
        kind: 'create_table',
        command: {
          table_id: T,
          name: 'Investors',
          role: null,
          fields: [{ id: 'fld_name', name: 'Name', type: 'text' }],
        },
      },
      {
        kind: 'create_table',
        command: {
          table_id: 'tbl_con',
          name: 'Contacts',
          role: 'contacts',
          fields: doc.tables[1].fields,
        },
      },
      {
        kind: 'changes',
        changes: [
          { op: 'create', table_id: T, record_id: 'rec_1', values: { fld_name: 'Acme' } },
          { op: 'create', table_id: 'tbl_con', record_id: 'con_1', values: { fld_inv: ['rec_1'] } },
        ],
      },
      { kind: 'save_view', view_id: 'viw_1', table_id: T, name: 'Grid', config: {} },
    ]);
    const g = Given.empty();
    execute(g, plan);
    expect(currentDocument(g)).toEqual({
      tables: [
        {
          id: T,
          name: 'Investors',
          role: null,
          fields: [{ id: 'fld_name', name: 'Name', type: 'text', options: {} }],
          records: [{ id: 'rec_1', values: { fld_name: 'Acme' } }],
        },
        {
          id: 'tbl_con',
          name: 'Contacts',
          role: 'contacts',
          fields: [
            { id: 'fld_cname', name: 'Name', type: 'text', options: {} },
            { id: 'fld_inv', name: 'Investor', type: 'link', options: { table_id: T } },
          ],
          records: [{ id: 'con_1', values: { fld_inv: ['rec_1'] } }],
        },
      ],
      views: [{ id: 'viw_1', table_id: T, name: 'Grid', config: {} }],
    });
  });

  it('on an existing base: plans field, record and view changes in that order', () => {
    const g = givenBase();
    const doc: BaseDocument = {
      tables: [
        {
          id: T,
          name: 'Investors',
          fields: [
            { id: 'fld_name', name: 'Name', type: 'text', options: {} },
            {
              id: 'fld_stage',
              name: 'Pipeline stage',
              type: 'single_select',
              options: { choices: [{ name: 'Lead' }, { name: 'Engaged' }] },
            },
            { id: 'fld_amount', name: 'Amount', type: 'number', options: { precision: 0 } },
            { id: 'fld_new', name: 'Anchor', type: 'checkbox' },
          ],
          records: [
            { id: 'rec_1', values: { fld_name: 'Acme', fld_stage: 'Engaged', fld_amount: 1000 } },
            { id: 'rec_3', values: { fld_name: 'Gamma' } },
            { id: 'rec_4', values: { fld_name: 'Delta', fld_new: true } },
          ],
        },
      ],
      views: [{ id: 'viw_1', table_id: T, name: 'Pipeline', config: { a: 1 } }],
    };
    const plan = planDocument(doc, g.ctx);
    expect(plan).toEqual([
      { kind: 'rename_field', field_id: 'fld_stage', name: 'Pipeline stage' },
      { kind: 'retype_field', field_id: 'fld_amount', type: 'number', options: { precision: 0 } },
      {
        kind: 'add_field',
        table_id: T,
        field: { id: 'fld_new', name: 'Anchor', type: 'checkbox' },
      },
      { kind: 'remove_field', field_id: 'fld_old' },
      {
        kind: 'changes',
        changes: [
          { op: 'set', record_id: 'rec_1', field_id: 'fld_stage', from: 'Lead', to: 'Engaged' },
          { op: 'unarchive', record_id: 'rec_3' },
          {
            op: 'create',
            table_id: T,
            record_id: 'rec_4',
            values: { fld_name: 'Delta', fld_new: true },
          },
          { op: 'archive', record_id: 'rec_2' },
        ],
      },
      { kind: 'save_view', view_id: 'viw_1', table_id: T, name: 'Pipeline', config: { a: 1 } },
      { kind: 'delete_view', view_id: 'viw_2' },
    ]);
    execute(g, plan);
    expect(currentDocument(g)).toEqual({
      tables: [
        {
          id: T,
          name: 'Investors',
          role: null,
          fields: [
            { id: 'fld_name', name: 'Name', type: 'text', options: {} },
            {
              id: 'fld_stage',
              name: 'Pipeline stage',
              type: 'single_select',
              options: { choices: [{ name: 'Lead' }, { name: 'Engaged' }] },
            },
            { id: 'fld_amount', name: 'Amount', type: 'number', options: { precision: 0 } },
            { id: 'fld_new', name: 'Anchor', type: 'checkbox', options: {} },
          ],
          records: [
            { id: 'rec_1', values: { fld_name: 'Acme', fld_stage: 'Engaged', fld_amount: 1000 } },
            { id: 'rec_3', values: { fld_name: 'Gamma' } },
            { id: 'rec_4', values: { fld_name: 'Delta', fld_new: true } },
          ],
        },
      ],
      views: [{ id: 'viw_1', table_id: T, name: 'Pipeline', config: { a: 1 } }],
    });
  });

  it('sets a new value in a field the same document retypes', () => {
    const g = givenBase();
    const doc = currentDocument(g);
    doc.tables[0].fields[2] = {
      id: 'fld_amount',
      name: 'Amount',
      type: 'number',
      options: { precision: 0 },
    };
    doc.tables[0].records![0].values = { ...doc.tables[0].records![0].values, fld_amount: 2500 };
    execute(g, planDocument(doc, g.ctx));
    expect(g.state.records.get('rec_1')?.values.fld_amount).toBe(2500);
  });

  it('plans nothing but view saves for the base as it is, and those append nothing', () => {
    const g = givenBase();
    const plan = planDocument(currentDocument(g), g.ctx);
    expect(plan).toEqual([
      { kind: 'save_view', view_id: 'viw_1', table_id: T, name: 'Grid', config: { a: 1 } },
      { kind: 'save_view', view_id: 'viw_2', table_id: T, name: 'Board', config: { b: 1 } },
    ]);
    const before = g.store.lastPosition();
    execute(g, plan);
    expect(g.store.lastPosition()).toBe(before);
  });

  it('leaves views alone when the document has none', () => {
    const g = givenBase();
    const doc = currentDocument(g);
    delete doc.views;
    expect(planDocument(doc, g.ctx)).toEqual([]);
  });

  it('leaves the records of a table sent without a records list alone', () => {
    const g = givenBase();
    const doc = currentDocument(g);
    const tables = doc.tables.map(({ records: _records, ...t }) => t);
    expect(
      planDocument({ tables, views: doc.views }, g.ctx).filter((c) => c.kind === 'changes'),
    ).toEqual([]);
  });

  it('keeps tables the document leaves out', () => {
    const g = givenBase();
    expect(
      planDocument({ tables: [], views: currentDocument(g).views }, g.ctx).map((c) => c.kind),
    ).toEqual(['save_view', 'save_view']);
  });

  it.each([
    ['no tables list', { tables: 'x' }, 'state.tables must be a list'],
    [
      'a table without an id',
      { tables: [{ name: 'X', fields: [] }] },
      'state.tables[0] needs an id and a list of fields',
    ],
    [
      'a field without an id',
      { tables: [{ id: T, name: 'Investors', fields: [{ name: 'X', type: 'text' }] }] },
      'state.tables[0].fields[0] needs an id',
    ],
    [
      'a record without an id',
      { tables: [{ id: T, name: 'Investors', fields: [], records: [{ values: {} }] }] },
      'state.tables[0].records[0] needs an id and values',
    ],
    ['views that are not a list', { tables: [], views: {} }, 'state.views must be a list'],
  ])('refuses %s', (_label, doc, message) => {
    const err = domainErrorOf(() => planDocument(doc as unknown as BaseDocument, givenBase().ctx));
    expect(err.code).toBe('validation');
    expect(err.message).toBe(message);
  });

  it('refuses bad options of a field it retypes before anything runs', () => {
    const g = givenBase();
    const doc = currentDocument(g);
    doc.tables[0].fields[2] = {
      id: 'fld_amount',
      name: 'Amount',
      type: 'number',
      options: { precision: 12 },
    };
    const err = domainErrorOf(() => planDocument(doc, g.ctx));
    expect(err.code).toBe('validation');
    expect(err.message).toBe(
      'field "Amount": options.precision must be a whole number from 0 to 8',
    );
  });

  it('refuses a record listed under another table', () => {
    const g = givenBase();
    g.apply((ctx) =>
      decideCreateTable(
        { table_id: 'tbl_2', name: 'Other', fields: [{ id: 'fld_2', name: 'Name', type: 'text' }] },
        ctx,
      ),
    );
    const doc = currentDocument(g);
    doc.tables[1].records = [{ id: 'rec_1', values: {} }];
    const err = domainErrorOf(() => planDocument(doc, g.ctx));
    expect(err.code).toBe('validation');
    expect(err.message).toBe('record rec_1 belongs to another table');
  });
});
