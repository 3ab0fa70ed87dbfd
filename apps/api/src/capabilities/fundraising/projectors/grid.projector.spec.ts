import {
  field,
  fieldAdded,
  fieldRemoved,
  fieldRenamed,
  fieldRetyped,
  recordArchived,
  recordCreated,
  recordUnarchived,
  recordUpdated,
  tableCreated,
  tableRenamed,
} from '../../../../../../test/support/fundraising-events';
import { at, givenEvents, type Projected } from '../../../../../../test/support/projector-harness';

const STAGES = { choices: ['Lead', 'Engaged', 'Committed'] };
const NAME = field('fld_name', 'Name', 'text', 'investor.name');
const STAGE = field('fld_stage', 'Stage', 'single_select', 'investor.stage', STAGES);
const TARGET = field('fld_target', 'Target commitment', 'number', 'investor.target_commitment');
const OWNER = field('fld_owner', 'Owner', 'text', 'investor.owner');

const investorsCreated = (when = at(0)) =>
  tableCreated('tbl_inv', 'Investors', 'investors', [NAME, STAGE, TARGET, OWNER], { at: when });
const fundsCreated = (when = at(0)) =>
  tableCreated('tbl_fund', 'Funds', 'funds', [field('fld_fname', 'Name', 'text', 'fund.name')], {
    at: when,
  });

const acme = (when = at(1), by = 'usr_ada') =>
  recordCreated(
    'tbl_inv',
    'rec_acme',
    { fld_name: 'Acme Pension', fld_stage: 'Lead', fld_target: 5_000_000 },
    { at: when, by },
  );

const tables = (p: Projected) => p.rows('SELECT * FROM fundraising_tables ORDER BY sort_order');
const records = (p: Projected) => p.rows('SELECT * FROM fundraising_records ORDER BY seq');
const head = (p: Projected) => p.rows('SELECT * FROM fundraising_state');

describe('GridProjector', () => {
  let p: Projected;
  afterEach(async () => {
    await p.close();
  });

  it('writes a created table, a created record at its log position, and the head row', async () => {
    p = await givenEvents('grid', [investorsCreated(), acme(at(1), 'usr_bo')]);
    expect(tables(p)).toEqual([
      {
        id: 'tbl_inv',
        name: 'Investors',
        role: 'investors',
        primary_field_id: 'fld_name',
        fields: JSON.stringify([NAME, STAGE, TARGET, OWNER]),
        sort_order: 0,
        version: 1,
      },
    ]);
    expect(records(p)).toEqual([
      {
        id: 'rec_acme',
        table_id: 'tbl_inv',
        seq: 2,
        values_json: JSON.stringify({
          fld_name: 'Acme Pension',
          fld_stage: 'Lead',
          fld_target: 5_000_000,
        }),
        cells_json: '{}',
        archived: 0,
        version: 1,
        created_at: at(1),
        created_by: 'usr_bo',
        updated_at: at(1),
        updated_by: 'usr_bo',
        formula_json: '{}',
      },
    ]);
    expect(head(p)).toEqual([{ id: 1, version: 2, updated_at: at(1), updated_by: 'usr_bo' }]);
  });

  it('applies a cell change with who changed the cell and when, and moves the head', async () => {
    p = await givenEvents('grid', [
      investorsCreated(),
      acme(),
      recordUpdated(
        'tbl_inv',
        'rec_acme',
        [
          { field_id: 'fld_stage', from: 'Lead', to: 'Engaged' },
          { field_id: 'fld_owner', from: null, to: 'Morgan' },
        ],
        { at: at(60), by: 'usr_cy' },
      ),
    ]);
    expect(records(p)).toEqual([
      expect.objectContaining({
        values_json: JSON.stringify({
          fld_name: 'Acme Pension',
          fld_stage: 'Engaged',
          fld_target: 5_000_000,
          fld_owner: 'Morgan',
        }),
        cells_json: JSON.stringify({
          fld_stage: { at: at(60), by: 'usr_cy' },
          fld_owner: { at: at(60), by: 'usr_cy' },
        }),
        version: 2,
        created_at: at(1),
        created_by: 'usr_ada',
        updated_at: at(60),
        updated_by: 'usr_cy',
      }),
    ]);
    expect(head(p)).toEqual([{ id: 1, version: 3, updated_at: at(60), updated_by: 'usr_cy' }]);
  });

  it('archives and unarchives a record, keeping its values', async () => {
    p = await givenEvents('grid', [
      investorsCreated(),
      acme(),
      recordArchived('tbl_inv', 'rec_acme', { at: at(2), by: 'usr_bo' }),
    ]);
    const row = (archived: number, version: number, when: string, by: string) => [
      expect.objectContaining({
        id: 'rec_acme',
        archived,
        version,
        updated_at: when,
        updated_by: by,
        values_json: JSON.stringify({
          fld_name: 'Acme Pension',
          fld_stage: 'Lead',
          fld_target: 5_000_000,
        }),
      }),
    ];
    expect(records(p)).toEqual(row(1, 2, at(2), 'usr_bo'));
    await p.append(recordUnarchived('tbl_inv', 'rec_acme', { at: at(3), by: 'usr_cy' }));
    expect(records(p)).toEqual(row(0, 3, at(3), 'usr_cy'));
  });

  it('renames the table, adds, renames and retypes fields, each a new table version', async () => {
    const committed = field('fld_committed', 'Committed', 'text');
    p = await givenEvents('grid', [
      investorsCreated(),
      fundsCreated(),
      tableRenamed('tbl_inv', 'Investors', 'LPs', { at: at(1) }),
      fieldAdded('tbl_inv', committed, { at: at(2) }),
      fieldRenamed('tbl_inv', 'fld_committed', 'Committed', 'Committed (USD)', { at: at(3) }),
      fieldRetyped(
        'tbl_inv',
        'fld_committed',
        { type: 'text' },
        { type: 'currency' },
        {
          at: at(4),
        },
      ),
    ]);
    expect(tables(p)).toEqual([
      {
        id: 'tbl_inv',
        name: 'LPs',
        role: 'investors',
        primary_field_id: 'fld_name',
        fields: JSON.stringify([
          NAME,
          STAGE,
          TARGET,
          OWNER,
          { ...committed, name: 'Committed (USD)', type: 'currency' },
        ]),
        sort_order: 0,
        version: 5,
      },
      expect.objectContaining({ id: 'tbl_fund', name: 'Funds', sort_order: 1, version: 1 }),
    ]);
  });

  it('strips a removed field from the values and cell stamps of its table only', async () => {
    p = await givenEvents('grid', [
      investorsCreated(),
      fundsCreated(),
      acme(),
      recordCreated('tbl_fund', 'rec_fund1', { fld_fname: 'Fund I', fld_owner: 'kept' }),
      recordUpdated('tbl_inv', 'rec_acme', [{ field_id: 'fld_owner', from: null, to: 'Morgan' }], {
        at: at(5),
      }),
      fieldRemoved('tbl_inv', OWNER, { rec_acme: 'Morgan' }, { at: at(6) }),
    ]);
    expect(
      p.rows('SELECT id, values_json, cells_json, version FROM fundraising_records ORDER BY seq'),
    ).toEqual([
      {
        id: 'rec_acme',
        values_json: JSON.stringify({
          fld_name: 'Acme Pension',
          fld_stage: 'Lead',
          fld_target: 5_000_000,
        }),
        cells_json: '{}',
        version: 2,
      },
      {
        id: 'rec_fund1',
        values_json: JSON.stringify({ fld_fname: 'Fund I', fld_owner: 'kept' }),
        cells_json: '{}',
        version: 1,
      },
    ]);
    expect(
      p.rows('SELECT fields, version FROM fundraising_tables WHERE id = ?', 'tbl_inv'),
    ).toEqual([{ fields: JSON.stringify([NAME, STAGE, TARGET]), version: 2 }]);
  });

  it('computes formula values when a formula field is added, after each edit, and drops them with the field', async () => {
    const fee = field('fld_fee', 'Fee', 'formula', null, {
      formula: '{fld_target} * 0.02',
      result_type: 'number',
    });
    p = await givenEvents('grid', [
      investorsCreated(),
      acme(),
      fieldAdded('tbl_inv', fee, { at: at(2) }),
    ]);
    const formulas = () => p.rows('SELECT id, formula_json FROM fundraising_records');
    expect(formulas()).toEqual([{ id: 'rec_acme', formula_json: '{"fld_fee":100000}' }]);
    await p.append(
      recordUpdated(
        'tbl_inv',
        'rec_acme',
        [{ field_id: 'fld_target', from: 5_000_000, to: 7_500_000 }],
        { at: at(3) },
      ),
      recordCreated('tbl_inv', 'rec_birch', { fld_name: 'Birch Family Office' }, { at: at(4) }),
    );
    expect(formulas()).toEqual([
      { id: 'rec_acme', formula_json: '{"fld_fee":150000}' },
      { id: 'rec_birch', formula_json: '{"fld_fee":0}' },
    ]);
    await p.append(fieldRemoved('tbl_inv', fee, {}, { at: at(5) }));
    expect(formulas()).toEqual([
      { id: 'rec_acme', formula_json: '{}' },
      { id: 'rec_birch', formula_json: '{}' },
    ]);
  });

  it('ignores record events for a record it never saw created', async () => {
    p = await givenEvents('grid', [
      investorsCreated(),
      recordUpdated('tbl_inv', 'rec_ghost', [{ field_id: 'fld_name', from: null, to: 'x' }]),
      recordArchived('tbl_inv', 'rec_ghost'),
    ]);
    expect(records(p)).toEqual([]);
    expect(head(p)).toEqual([{ id: 1, version: 3, updated_at: at(0), updated_by: 'usr_ada' }]);
  });

  it('writes the head once per append, at the batch’s last event', async () => {
    p = await givenEvents('grid', [
      investorsCreated(),
      [
        acme(at(7), 'usr_dee'),
        recordCreated('tbl_inv', 'rec_birch', { fld_name: 'Birch' }, { at: at(7), by: 'usr_dee' }),
      ],
    ]);
    expect(p.rows('SELECT id, seq FROM fundraising_records ORDER BY seq')).toEqual([
      { id: 'rec_acme', seq: 2 },
      { id: 'rec_birch', seq: 3 },
    ]);
    expect(head(p)).toEqual([{ id: 1, version: 3, updated_at: at(7), updated_by: 'usr_dee' }]);
  });

  it('gives the same rows when rebuilt from the log and when every event is applied again', async () => {
    p = await givenEvents('grid', [
      investorsCreated(),
      fundsCreated(),
      acme(),
      recordCreated('tbl_inv', 'rec_birch', { fld_name: 'Birch', fld_owner: 'Sam' }),
      fieldAdded(
        'tbl_inv',
        field('fld_fee', 'Fee', 'formula', null, { formula: '{fld_target} * 0.02' }),
      ),
      recordUpdated('tbl_inv', 'rec_birch', [{ field_id: 'fld_target', from: null, to: 2e6 }]),
      recordArchived('tbl_inv', 'rec_acme'),
      fieldRetyped('tbl_inv', 'fld_owner', { type: 'text' }, { type: 'email' }),
      fieldRemoved('tbl_inv', STAGE, { rec_acme: 'Lead' }),
      recordUnarchived('tbl_inv', 'rec_acme'),
    ]);
    const dump = () => ({ tables: tables(p), records: records(p), head: head(p) });
    const live = dump();
    await p.applyAgain();
    expect(dump()).toEqual(live);
    await p.rebuild();
    expect(dump()).toEqual(live);
  });
});
