import {
  field,
  fieldRemoved,
  fieldRetyped,
  recordArchived,
  recordCreated,
  recordUnarchived,
  recordUpdated,
  tableCreated,
} from '../../../../../../test/support/fundraising-events';
import { at, givenEvents, type Projected } from '../../../../../../test/support/projector-harness';

const INV = {
  name: field('fld_name', 'Name', 'text', 'investor.name'),
  type: field('fld_type', 'Type', 'single_select', 'investor.type'),
  target: field('fld_target', 'Target commitment', 'currency', 'investor.target_commitment'),
  tags: field('fld_tags', 'Tags', 'multiple_select', 'investor.tags'),
  notes: field('fld_notes', 'Notes', 'long_text', 'investor.notes'),
  extra: field('fld_extra', 'Warm intro?', 'checkbox'),
};
const link = (id: string, name: string, role: string, table_id: string) =>
  field(id, name, 'link', role, { table_id });

const schema = [
  tableCreated('tbl_inv', 'Investors', 'investors', Object.values(INV)),
  tableCreated('tbl_fund', 'Funds', 'funds', [
    field('fld_fname', 'Name', 'text', 'fund.name'),
    field('fld_vintage', 'Vintage', 'number', 'fund.vintage'),
  ]),
  tableCreated('tbl_con', 'Contacts', 'contacts', [
    field('fld_cname', 'Name', 'text', 'contact.name'),
    field('fld_email', 'Email', 'email', 'contact.email'),
    link('fld_cinv', 'Investor', 'contact.investor', 'tbl_inv'),
  ]),
  tableCreated('tbl_com', 'Commitments', 'commitments', [
    field('fld_mname', 'Name', 'text', 'commitment.name'),
    link('fld_minv', 'Investor', 'commitment.investor', 'tbl_inv'),
    link('fld_mfund', 'Fund', 'commitment.fund', 'tbl_fund'),
    field('fld_amount', 'Amount', 'currency', 'commitment.amount'),
  ]),
];

const acme = (when = at(1)) =>
  recordCreated(
    'tbl_inv',
    'rec_acme',
    {
      fld_name: 'Acme Pension',
      fld_type: 'Pension fund',
      fld_target: 5_000_000,
      fld_tags: ['Europe', 'Infra'],
      fld_extra: true,
    },
    { at: when },
  );

const investor = (over: Record<string, unknown>) => ({
  id: 'rec_acme',
  name: 'Acme Pension',
  type: 'Pension fund',
  status: null,
  stage: null,
  owner: null,
  target_commitment: 5_000_000,
  committed_amount: null,
  last_contacted: null,
  next_step: null,
  website: null,
  tags: '["Europe","Infra"]',
  notes: null,
  created_at: at(1),
  updated_at: at(1),
  deleted_at: null,
  ...over,
});

const investors = (p: Projected) => p.rows('SELECT * FROM fundraising_investors ORDER BY id');

describe('RelationalProjector', () => {
  let p: Projected;
  afterEach(async () => {
    await p.close();
  });

  it('writes a created record into its role’s table, one typed column per role field', async () => {
    p = await givenEvents('relational', [...schema, acme()]);
    expect(investors(p)).toEqual([investor({})]);
    expect(p.rows('SELECT * FROM fundraising_funds')).toEqual([]);
  });

  it('updates the changed columns and the time', async () => {
    p = await givenEvents('relational', [
      ...schema,
      acme(),
      recordUpdated(
        'tbl_inv',
        'rec_acme',
        [
          { field_id: 'fld_target', from: 5_000_000, to: 7_500_000 },
          { field_id: 'fld_tags', from: ['Europe', 'Infra'], to: [] },
          { field_id: 'fld_notes', from: null, to: 'Met at SuperReturn' },
          { field_id: 'fld_extra', from: true, to: false },
        ],
        { at: at(9) },
      ),
    ]);
    expect(investors(p)).toEqual([
      investor({
        target_commitment: 7_500_000,
        tags: null,
        notes: 'Met at SuperReturn',
        updated_at: at(9),
      }),
    ]);
  });

  it('soft-deletes an archived record and brings it back when unarchived', async () => {
    p = await givenEvents('relational', [
      ...schema,
      acme(),
      recordArchived('tbl_inv', 'rec_acme', { at: at(2) }),
    ]);
    expect(investors(p)).toEqual([investor({ deleted_at: at(2), updated_at: at(2) })]);
    await p.append(recordUnarchived('tbl_inv', 'rec_acme', { at: at(3) }));
    expect(investors(p)).toEqual([investor({ deleted_at: null, updated_at: at(3) })]);
  });

  it('keeps links as foreign keys to the linked role’s table, and none for a link elsewhere', async () => {
    p = await givenEvents('relational', [
      ...schema,
      acme(),
      recordCreated('tbl_fund', 'rec_f3', { fld_fname: 'Fund III', fld_vintage: 2024.6 }),
      recordCreated('tbl_con', 'rec_jo', {
        fld_cname: 'Jo Lind',
        fld_email: 'jo@acme.example',
        fld_cinv: ['rec_acme'],
      }),
      recordCreated('tbl_com', 'rec_c1', {
        fld_mname: 'Acme – Fund III',
        fld_minv: ['rec_acme'],
        fld_mfund: ['rec_f3'],
        fld_amount: 2_000_000,
      }),
    ]);
    const times = { created_at: at(0), updated_at: at(0), deleted_at: null };
    expect(p.rows('SELECT * FROM fundraising_funds')).toEqual([
      {
        id: 'rec_f3',
        name: 'Fund III',
        vintage: 2024,
        target_size: null,
        currency: null,
        status: null,
        ...times,
      },
    ]);
    expect(p.rows('SELECT * FROM fundraising_contacts')).toEqual([
      {
        id: 'rec_jo',
        name: 'Jo Lind',
        email: 'jo@acme.example',
        phone: null,
        title: null,
        investor_id: 'rec_acme',
        notes: null,
        ...times,
      },
    ]);
    expect(p.rows('SELECT * FROM fundraising_commitments')).toEqual([
      {
        id: 'rec_c1',
        name: 'Acme – Fund III',
        investor_id: 'rec_acme',
        fund_id: 'rec_f3',
        amount: 2_000_000,
        date: null,
        status: null,
        ...times,
      },
    ]);
    // The link now points at the funds table: no longer a foreign key to an investor.
    await p.append(
      fieldRetyped(
        'tbl_con',
        'fld_cinv',
        { type: 'link', options: { table_id: 'tbl_inv' } },
        { type: 'link', options: { table_id: 'tbl_fund' } },
      ),
      recordUpdated('tbl_con', 'rec_jo', [
        { field_id: 'fld_cinv', from: ['rec_acme'], to: ['rec_f3'] },
      ]),
    );
    expect(p.rows('SELECT id, investor_id FROM fundraising_contacts')).toEqual([
      { id: 'rec_jo', investor_id: null },
    ]);
  });

  it('stores no number in a number column once its field was retyped to text', async () => {
    p = await givenEvents('relational', [
      ...schema,
      acme(),
      fieldRetyped('tbl_inv', 'fld_target', { type: 'currency' }, { type: 'text' }, { at: at(2) }),
      recordUpdated(
        'tbl_inv',
        'rec_acme',
        [{ field_id: 'fld_target', from: '5000000', to: 'about 5m' }],
        { at: at(3) },
      ),
    ]);
    expect(investors(p)).toEqual([investor({ target_commitment: null, updated_at: at(3) })]);
  });

  it('empties the column of a removed role field', async () => {
    p = await givenEvents('relational', [
      ...schema,
      acme(),
      fieldRemoved('tbl_inv', INV.tags, { rec_acme: ['Europe', 'Infra'] }, { at: at(4) }),
    ]);
    expect(investors(p)).toEqual([investor({ tags: null })]);
  });

  it('writes nothing for a table without a role', async () => {
    p = await givenEvents('relational', [
      ...schema,
      tableCreated('tbl_events', 'Events', null, [
        field('fld_ename', 'Name', 'text', 'investor.name'),
      ]),
      recordCreated('tbl_events', 'rec_gala', { fld_ename: 'Annual gala' }),
    ]);
    for (const t of ['investors', 'funds', 'contacts', 'commitments'])
      expect(p.rows(`SELECT id FROM fundraising_${t}`)).toEqual([]);
  });

  it('gives the same rows when rebuilt from the log and when every event is applied again', async () => {
    p = await givenEvents('relational', [
      ...schema,
      acme(),
      recordCreated('tbl_fund', 'rec_f3', { fld_fname: 'Fund III', fld_vintage: 2024 }),
      recordCreated(
        'tbl_con',
        'rec_jo',
        { fld_cname: 'Jo', fld_cinv: ['rec_acme'] },
        { at: at(2) },
      ),
      recordCreated('tbl_com', 'rec_c1', { fld_minv: ['rec_acme'], fld_mfund: ['rec_f3'] }),
      recordUpdated('tbl_inv', 'rec_acme', [{ field_id: 'fld_notes', from: null, to: 'Warm' }]),
      recordArchived('tbl_con', 'rec_jo', { at: at(5) }),
      fieldRemoved('tbl_inv', INV.type, { rec_acme: 'Pension fund' }),
    ]);
    const dump = () =>
      ['investors', 'funds', 'contacts', 'commitments'].map((t) =>
        p.rows(`SELECT * FROM fundraising_${t} ORDER BY id`),
      );
    const live = dump();
    await p.applyAgain();
    expect(dump()).toEqual(live);
    await p.rebuild();
    expect(dump()).toEqual(live);
  });
});
