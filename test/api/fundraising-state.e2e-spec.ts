import { apiSuite } from '../support/api-suite';
import { baseIds, createMember } from '../support/test-app';

describe('fundraising state, schema and reads', () => {
  const t = apiSuite();
  let ids: Awaited<ReturnType<typeof baseIds>>;

  beforeAll(async () => {
    ids = await baseIds(t);
  });

  const create = async (name: string, extra: Record<string, unknown> = {}) =>
    (
      await t
        .http()
        .post('/api/fundraising/changes')
        .send({
          changes: [
            {
              op: 'create',
              table_id: ids.investors,
              values: { [ids.inv('name')]: name, ...extra },
            },
          ],
        })
        .expect(200)
    ).body.applied[0].record_id as string;

  it('seeds the default base: four tables with role keys, Investors first, a default view each, links with two sides', async () => {
    const res = await t.http().get('/api/fundraising/state').expect(200);
    expect(res.body.tables.map((x: { name: string }) => x.name)).toEqual([
      'Investors',
      'Funds',
      'Contacts',
      'Commitments',
    ]);
    const investors = res.body.tables[0];
    expect(investors.fields.map((f: { role: string }) => f.role)).toEqual([
      'investor.name',
      'investor.type',
      'investor.status',
      'investor.stage',
      'investor.owner',
      'investor.target_commitment',
      'investor.committed_amount',
      'investor.last_contacted',
      'investor.next_step',
      'investor.website',
      'investor.tags',
      'investor.notes',
      // The other sides of Contacts → Investor and Commitments → Investor.
      'investor.contacts',
      'investor.commitments',
      // The default base computes: how many commitments (Committed amount is their rollup).
      'investor.commitments_count',
      // The follow-up the reminders and interactions make (read-only, written by the system).
      'follow_up.last_contacted_by',
      'follow_up.staleness',
      'follow_up.reminder_status',
      'follow_up.interactions_90_days',
    ]);
    expect(
      investors.fields
        .find((f: { role: string }) => f.role === 'investor.stage')
        .options.choices.map((c: { name: string }) => c.name),
    ).toEqual(['Lead', 'Engaged', 'Diligence', 'Committed', 'Passed']);
    expect(res.body.views).toHaveLength(4);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it("GET /state?records= sends every table's schema and the records of the tables named only; an unknown one → 400 naming records", async () => {
    await create('Schema Only LP');
    const whole = (await t.http().get('/api/fundraising/state').expect(200)).body;
    const part = (await t.http().get('/api/fundraising/state?records=contacts').expect(200)).body;
    const byRole = (b: { tables: { role: string }[] }, role: string) =>
      b.tables.find((x) => x.role === role) as { fields: unknown[]; records: unknown[] };
    expect(part.tables.map((x: { id: string }) => x.id)).toEqual(
      whole.tables.map((x: { id: string }) => x.id),
    );
    expect(byRole(part, 'investors').fields).toEqual(byRole(whole, 'investors').fields);
    expect(byRole(part, 'investors').records).toEqual([]);
    expect(byRole(whole, 'investors').records.length).toBeGreaterThan(0);
    expect(byRole(part, 'contacts').records).toEqual(byRole(whole, 'contacts').records);
    const byId = await t.http().get(`/api/fundraising/state?records=${ids.investors}`).expect(200);
    expect(byRole(byId.body, 'investors').records).toEqual(byRole(whole, 'investors').records);
    const bad = await t.http().get('/api/fundraising/state?records=contacts,nope').expect(400);
    expect(bad.body).toMatchObject({
      reason: 'unknown_table',
      details: { field: 'records', given: 'nope' },
    });
  });

  it('PUT /state with a stale version → 409 with current_version, updated_at, updated_by and nothing appended', async () => {
    await create('Stale Check LP');
    const head = t.core.store.lastPosition();
    const res = await t
      .http()
      .put('/api/fundraising/state')
      .send({ expected_version: head - 1, state: { tables: [] } })
      .expect(409);
    expect(res.body).toMatchObject({
      current_version: head,
      updated_by: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(t.core.store.lastPosition()).toBe(head);
  });

  it('PUT /state diffs the document and appends only what changed', async () => {
    const a = await create('Doc A');
    const b = await create('Doc B');
    const state = (await t.http().get('/api/fundraising/state').expect(200)).body;
    const inv = state.tables.find((x: { id: string }) => x.id === ids.investors);
    inv.records = inv.records.filter((r: { id: string }) => r.id !== b);
    inv.records.find((r: { id: string }) => r.id === a).values[ids.inv('notes')] = 'Eve';
    inv.fields.find((f: { id: string }) => f.id === ids.inv('next_step')).name = 'Next action';
    const before = t.core.store.lastPosition();
    const res = await t
      .http()
      .put('/api/fundraising/state')
      .send({ expected_version: state.version, state })
      .expect(200);
    const events = t.core.store.readAll(before).map((e) => e.type);
    expect(events.sort()).toEqual(['FieldRenamed', 'RecordArchived', 'RecordUpdated']);
    expect(res.body.version).toBe(t.core.store.lastPosition());
    const same = (await t.http().get('/api/fundraising/state').expect(200)).body;
    const again = await t
      .http()
      .put('/api/fundraising/state')
      .send({ expected_version: same.version, state: same })
      .expect(200);
    expect(again.body.version).toBe(same.version);
  });

  it('adds, renames, retypes (reporting what could not convert) and removes fields', async () => {
    const field = (
      await t
        .http()
        .post(`/api/fundraising/tables/${ids.investors}/fields`)
        .send({ name: 'Check size', type: 'text' })
        .expect(201)
    ).body.field;
    expect(field).toMatchObject({ name: 'Check size', type: 'text', table_id: ids.investors });
    const good = await create('Convert Good', { [field.id]: '$2,500,000' });
    const bad = await create('Convert Bad', { [field.id]: 'a lot' });
    const retyped = await t
      .http()
      .patch(`/api/fundraising/fields/${field.id}`)
      .send({ name: 'Check size (USD)', type: 'currency', options: { symbol: '$', precision: 0 } })
      .expect(200);
    expect(retyped.body.field).toMatchObject({ name: 'Check size (USD)', type: 'currency' });
    expect(retyped.body.unconverted).toEqual([{ record_id: bad, value: 'a lot' }]);
    expect(t.core.repo.record(good)!.values[field.id]).toBe(2_500_000);
    expect(t.core.repo.record(bad)!.values[field.id]).toBeNull();
    await t.http().delete(`/api/fundraising/fields/${field.id}`).expect(200);
    expect(t.core.repo.record(good)!.values[field.id]).toBeUndefined();
    expect(t.core.repo.table(ids.investors)!.fields.some((f) => f.id === field.id)).toBe(false);
  });

  it('seeds Vintage without a thousands separator; the option turns off and on by PATCH, and a bad one is a 400 naming it', async () => {
    const fields = t.core.repo.table(ids.funds)!.fields;
    expect(fields.find((f) => f.role === 'fund.vintage')!.options).toEqual({
      precision: 0,
      thousands_separator: false,
    });
    const size = fields.find((f) => f.role === 'fund.target_size')!;
    // In the fund's own currency (dollars while it names none).
    expect(size.options).toEqual({
      currency: 'USD',
      currency_from: fields.find((f) => f.role === 'fund.currency')!.id,
      precision: 0,
    });
    const off = await t
      .http()
      .patch(`/api/fundraising/fields/${size.id}`)
      .send({
        type: 'currency',
        options: { symbol: '$', precision: 0, thousands_separator: false },
      })
      .expect(200);
    expect(off.body.field.options).toEqual({
      symbol: '$',
      precision: 0,
      thousands_separator: false,
    });
    const head = t.core.store.lastPosition();
    const bad = await t
      .http()
      .patch(`/api/fundraising/fields/${size.id}`)
      .send({ type: 'currency', options: { symbol: '$', precision: 0, thousands_separator: 'no' } })
      .expect(400);
    expect(bad.body.details).toMatchObject({
      option: 'thousands_separator',
      reason: 'not_a_boolean',
    });
    expect(t.core.store.lastPosition()).toBe(head);
    const on = await t
      .http()
      .patch(`/api/fundraising/fields/${size.id}`)
      .send({ type: 'currency', options: { symbol: '$', precision: 0, thousands_separator: true } })
      .expect(200);
    expect(on.body.field.options).toEqual({ symbol: '$', precision: 0 });
  });

  it('creates a new table with its fields', async () => {
    const res = await t
      .http()
      .post('/api/fundraising/tables')
      .send({
        name: 'Meetings',
        fields: [
          { name: 'Title', type: 'text' },
          { name: 'When', type: 'date_time' },
          { name: 'Investor', type: 'link', options: { table_id: ids.investors } },
        ],
      })
      .expect(201);
    expect(res.body.table.fields.map((f: { type: string }) => f.type)).toEqual([
      'text',
      'date_time',
      'link',
    ]);
  });

  it('pages records with a keyset cursor in creation order', async () => {
    const tbl = (
      await t
        .http()
        .post('/api/fundraising/tables')
        .send({ name: 'Paging', fields: [{ name: 'N', type: 'number' }] })
        .expect(201)
    ).body.table;
    const changes = Array.from({ length: 25 }, (_, i) => ({
      op: 'create',
      table_id: tbl.id,
      values: { [tbl.fields[0].id]: i },
    }));
    await t.http().post('/api/fundraising/changes').send({ changes }).expect(200);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const res: {
        body: { records: { values: Record<string, number> }[]; next_cursor: string | null };
      } = await t
        .http()
        .get(
          `/api/fundraising/tables/${tbl.id}/records?limit=10${cursor ? `&cursor=${cursor}` : ''}`,
        )
        .expect(200);
      seen.push(...res.body.records.map((r) => r.values[tbl.fields[0].id]));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });

  it('exports a JSON snapshot with archived records flagged', async () => {
    const id = await create('Exported Then Archived');
    await t
      .http()
      .post('/api/fundraising/changes')
      .send({ changes: [{ op: 'archive', record_id: id }] })
      .expect(200);
    const res = await t.http().get('/api/fundraising/export').expect(200);
    expect(res.headers['content-disposition']).toMatch(
      /attachment; filename="fundraising-.*\.json"/,
    );
    const rec = res.body.tables[0].records.find((r: { id: string }) => r.id === id);
    expect(rec.archived).toBe(true);
    expect(res.body.version).toBe(t.core.store.lastPosition());
  });

  it('summarises the relational tables: statuses, stages, fund totals, contacts per investor', async () => {
    const fundName = ids.field('funds', 'fund.name');
    const res = await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: [
          {
            op: 'create',
            table_id: ids.funds,
            record_id: 'recFundIIIxxxxxxx',
            values: {
              [fundName]: 'Fund III',
              [ids.field('funds', 'fund.target_size')]: 100_000_000,
            },
          },
          {
            op: 'create',
            table_id: ids.investors,
            record_id: 'recSummaryInvest1',
            values: {
              [ids.inv('name')]: 'Summary LP',
              [ids.inv('stage')]: 'Committed',
              [ids.inv('status')]: 'Active',
            },
          },
          {
            op: 'create',
            table_id: ids.commitments,
            values: {
              [ids.field('commitments', 'commitment.investor')]: ['recSummaryInvest1'],
              [ids.field('commitments', 'commitment.fund')]: ['recFundIIIxxxxxxx'],
              [ids.field('commitments', 'commitment.amount')]: 5_000_000,
            },
          },
          {
            op: 'create',
            table_id: ids.contacts,
            values: {
              [ids.field('contacts', 'contact.name')]: 'Pat',
              [ids.field('contacts', 'contact.investor')]: ['recSummaryInvest1'],
            },
          },
        ],
      })
      .expect(200);
    expect(res.body.conflicts).toEqual([]);
    const summary = (await t.http().get('/api/fundraising/relational-summary').expect(200)).body;
    expect(summary.funds).toEqual([
      {
        id: 'recFundIIIxxxxxxx',
        name: 'Fund III',
        target_size: 100_000_000,
        currency: null,
        committed: 5_000_000,
        commitments: 1,
      },
    ]);
    expect(summary.investors_by_stage).toEqual(
      expect.arrayContaining([expect.objectContaining({ stage: 'Committed', count: 1 })]),
    );
    expect(summary.contacts_per_investor).toEqual(
      expect.arrayContaining([{ id: 'recSummaryInvest1', name: 'Summary LP', contacts: 1 }]),
    );
    await t
      .http()
      .post('/api/fundraising/changes')
      .send({ changes: [{ op: 'archive', record_id: 'recSummaryInvest1' }] })
      .expect(200);
    const after = (await t.http().get('/api/fundraising/relational-summary').expect(200)).body;
    expect(after.funds[0].committed).toBe(0);
  });

  it("sums the investors' committed amounts by stage from their rollups", async () => {
    const committedIn = async (stage: string) => {
      const summary = (await t.http().get('/api/fundraising/relational-summary').expect(200)).body;
      const row = summary.investors_by_stage.find((r: { stage: string }) => r.stage === stage);
      return (row?.committed_amount ?? 0) as number;
    };
    const before = await committedIn('Diligence');
    const com = (role: string) => ids.field('commitments', `commitment.${role}`);
    const res = await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: [
          {
            op: 'create',
            table_id: ids.investors,
            record_id: 'recSummaryInvest2',
            values: { [ids.inv('name')]: 'Rollup LP', [ids.inv('stage')]: 'Diligence' },
          },
          ...[
            ['Signed', 2_000_000],
            ['Soft', 700_000],
          ].map(([status, amount]) => ({
            op: 'create',
            table_id: ids.commitments,
            values: {
              [com('investor')]: ['recSummaryInvest2'],
              [com('status')]: status,
              [com('amount')]: amount,
            },
          })),
        ],
      })
      .expect(200);
    expect(res.body.conflicts).toEqual([]);
    // Only a Hard, Signed or Funded commitment counts, as in the "Committed amount" rollup.
    expect(await committedIn('Diligence')).toBe(before + 2_000_000);
  });

  it('names every actor: each user and the system', async () => {
    const member = await createMember(t, { name: 'Nia Member' });
    const res = await member.http().get('/api/fundraising/actors').expect(200);
    expect(res.body.actors).toEqual(
      expect.arrayContaining([
        { id: 'system', name: 'System' },
        { id: member.id, name: 'Nia Member' },
        { id: t.adminId, name: expect.any(String) },
      ]),
    );
  });

  it('is ready: durable settings, migrations applied, projections at the head', async () => {
    await t.http().get('/api/health').expect(200, { status: 'ok' });
    const res = await t.http().get('/api/ready').expect(200);
    expect(res.body.checks.find((c: { name: string }) => c.name === 'database').detail).toEqual({
      journal_mode: 'wal',
      synchronous: 2,
      foreign_keys: 1,
    });
  });
});
