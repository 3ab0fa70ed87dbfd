import { apiSuite } from '../support/api-suite';
import { baseIds, createMember } from '../support/test-app';

describe('POST /api/fundraising/changes', () => {
  const t = apiSuite();
  let ids: Awaited<ReturnType<typeof baseIds>>;

  beforeAll(async () => {
    ids = await baseIds(t);
  });

  const post = (changes: unknown[], key?: string) => {
    const r = t.http().post('/api/fundraising/changes');
    if (key) r.set('Idempotency-Key', key);
    return r.send({ changes });
  };
  const eventCount = () =>
    (t.core.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
  const createInvestor = async (values: Record<string, unknown>) => {
    const res = await post([{ op: 'create', table_id: ids.investors, values }]).expect(200);
    return res.body.applied[0].record_id as string;
  };

  it('creates a record and shows it in the state, the relational table and the version', async () => {
    const before = eventCount();
    const id = await createInvestor({
      [ids.inv('name')]: 'Yale Endowment',
      [ids.inv('type')]: 'Endowment',
      [ids.inv('target_commitment')]: 25_000_000,
    });
    expect(eventCount()).toBe(before + 1);
    const state = await t.http().get('/api/fundraising/state').expect(200);
    const rec = state.body.tables
      .find((x: { id: string }) => x.id === ids.investors)
      .records.find((r: { id: string }) => r.id === id);
    expect(rec.values).toEqual({
      [ids.inv('name')]: 'Yale Endowment',
      [ids.inv('type')]: 'Endowment',
      [ids.inv('target_commitment')]: 25_000_000,
      // Computed by the default base: no commitments yet.
      [ids.inv('committed_amount')]: 0,
      [ids.inv('commitments_count')]: 0,
    });
    expect(state.body.version).toBe(t.core.store.lastPosition());
    const row = t.core.db
      .prepare(
        'SELECT name, type, target_commitment, deleted_at FROM fundraising_investors WHERE id = ?',
      )
      .get(id);
    expect(row).toEqual({
      name: 'Yale Endowment',
      type: 'Endowment',
      target_commitment: 25_000_000,
      deleted_at: null,
    });
  });

  it('applies a compare-and-set edit and records from and to in the event', async () => {
    const id = await createInvestor({ [ids.inv('name')]: 'Acme Family Office' });
    const res = await post([
      { op: 'set', record_id: id, field_id: ids.inv('stage'), from: null, to: 'Engaged' },
    ]).expect(200);
    expect(res.body.conflicts).toEqual([]);
    expect(res.body.applied).toEqual([
      { index: 0, op: 'set', record_id: id, field_id: ids.inv('stage'), changed: true },
    ]);
    const last = t.core.store.readStream(`record-${id}`).at(-1)!;
    expect(last.type).toBe('RecordUpdated');
    expect(last.data).toEqual({
      table_id: ids.investors,
      record_id: id,
      changes: [{ field_id: ids.inv('stage'), from: null, to: 'Engaged' }],
    });
    expect(last.metadata.source).toBe('grid');
  });

  it('reports a stale cell as a conflict with its current value and still applies the other cells', async () => {
    const id = await createInvestor({
      [ids.inv('name')]: 'Harbor Pension',
      [ids.inv('notes')]: 'Ana',
    });
    await post([
      { op: 'set', record_id: id, field_id: ids.inv('notes'), from: 'Ana', to: 'Ben' },
    ]).expect(200);
    const before = eventCount();
    const res = await post([
      { op: 'set', record_id: id, field_id: ids.inv('notes'), from: 'Ana', to: 'Cleo' },
      { op: 'set', record_id: id, field_id: ids.inv('next_step'), from: null, to: 'Send deck' },
    ]).expect(200);
    expect(res.body.conflicts).toHaveLength(1);
    expect(res.body.conflicts[0]).toMatchObject({
      record_id: id,
      field_id: ids.inv('notes'),
      current: 'Ben',
      expected: 'Ana',
    });
    expect(typeof res.body.conflicts[0].updated_at).toBe('string');
    expect(res.body.conflicts[0].updated_by).toBeTruthy();
    expect(res.body.applied.map((a: { field_id: string }) => a.field_id)).toEqual([
      ids.inv('next_step'),
    ]);
    expect(eventCount()).toBe(before + 1);
  });

  it('lets concurrent edits of different cells of one record both land', async () => {
    const id = await createInvestor({ [ids.inv('name')]: 'Northwind Foundation' });
    const [a, b] = await Promise.all([
      post([{ op: 'set', record_id: id, field_id: ids.inv('notes'), from: null, to: 'Dana' }]),
      post([
        { op: 'set', record_id: id, field_id: ids.inv('next_step'), from: null, to: 'Call Monday' },
      ]),
    ]);
    expect(a.body.conflicts).toEqual([]);
    expect(b.body.conflicts).toEqual([]);
    const rec = t.core.repo.record(id)!;
    expect(rec.values[ids.inv('notes')]).toBe('Dana');
    expect(rec.values[ids.inv('next_step')]).toBe('Call Monday');
  });

  it('gives exactly one winner when twenty clients set the same cell from the same value', async () => {
    const id = await createInvestor({ [ids.inv('name')]: 'Race LP' });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        post([
          { op: 'set', record_id: id, field_id: ids.inv('notes'), from: null, to: `owner-${i}` },
        ]),
      ),
    );
    const winners = results.filter((r) => r.body.applied.length === 1);
    const losers = results.filter((r) => r.body.conflicts.length === 1);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(19);
    expect(t.core.store.readStream(`record-${id}`)).toHaveLength(2);
  });

  it('replays the first answer for a retried Idempotency-Key and appends nothing more', async () => {
    const key = 'retry-key-0001';
    const body = [
      { op: 'create', table_id: ids.investors, values: { [ids.inv('name')]: 'Retry Capital' } },
    ];
    const first = await post(body, key).expect(200);
    const before = eventCount();
    const again = await Promise.all(Array.from({ length: 5 }, () => post(body, key)));
    for (const r of again) expect(r.body).toEqual(first.body);
    expect(eventCount()).toBe(before);
    const names = t.core.db
      .prepare("SELECT COUNT(*) AS n FROM fundraising_investors WHERE name = 'Retry Capital'")
      .get() as { n: number };
    expect(names.n).toBe(1);
  });

  it('creates once when a new Idempotency-Key arrives five times at the same moment', async () => {
    const key = 'retry-key-0003';
    const body = [
      { op: 'create', table_id: ids.investors, values: { [ids.inv('name')]: 'Burst Capital' } },
    ];
    const before = eventCount();
    const answers = await Promise.all(Array.from({ length: 5 }, () => post(body, key)));
    for (const r of answers) expect(r.status).toBe(200);
    for (const r of answers) expect(r.body).toEqual(answers[0].body);
    expect(eventCount()).toBe(before + 1);
  });

  it('fails a bad batch alone sent at the same moment as good ones', async () => {
    const id = await createInvestor({ [ids.inv('name')]: 'Neighbour LP' });
    const before = eventCount();
    const [good1, bad, good2] = await Promise.all([
      post([{ op: 'set', record_id: id, field_id: ids.inv('notes'), from: null, to: 'Eve' }]),
      post([
        { op: 'set', record_id: id, field_id: ids.inv('next_step'), from: null, to: 'Lunch' },
        {
          op: 'set',
          record_id: 'recXXXXXXXXXXXXXX',
          field_id: ids.inv('notes'),
          from: null,
          to: 'Nobody',
        },
      ]),
      post([{ op: 'set', record_id: id, field_id: ids.inv('stage'), from: null, to: 'Engaged' }]),
    ]);
    expect([good1.status, bad.status, good2.status]).toEqual([200, 404, 200]);
    expect(bad.body.message).toMatch(/recXXXXXXXXXXXXXX/);
    expect(eventCount()).toBe(before + 2);
    const rec = t.core.repo.record(id)!;
    expect(rec.values[ids.inv('notes')]).toBe('Eve');
    expect(rec.values[ids.inv('stage')]).toBe('Engaged');
    expect(rec.values[ids.inv('next_step')]).toBeUndefined();
  });

  it('refuses the same Idempotency-Key with a different body (422) and appends nothing', async () => {
    const key = 'retry-key-0002';
    await post(
      [{ op: 'create', table_id: ids.investors, values: { [ids.inv('name')]: 'One' } }],
      key,
    ).expect(200);
    const before = eventCount();
    const res = await post(
      [{ op: 'create', table_id: ids.investors, values: { [ids.inv('name')]: 'Two' } }],
      key,
    ).expect(422);
    expect(res.body.message).toMatch(/Idempotency-Key/);
    expect(res.body.details).toEqual({ field: 'Idempotency-Key', reason: 'key_reused' });
    expect(eventCount()).toBe(before);
  });

  it("keeps each user's Idempotency-Keys their own: a member replaying an admin's key and body is answered as their own request", async () => {
    const key = 'shared-key-0001';
    const body = {
      changes: [
        { op: 'create', table_id: ids.investors, values: { [ids.inv('name')]: 'Keyed Capital' } },
      ],
    };
    const admin = await post(body.changes, key).expect(200);
    const member = await createMember(t);
    const replay = await member
      .http()
      .post('/api/fundraising/changes')
      .set('Idempotency-Key', key)
      .send(body)
      .expect(200);
    expect(replay.body.applied[0].record_id).not.toBe(admin.body.applied[0].record_id);
    expect(replay.body.version).toBeGreaterThan(admin.body.version);
    expect(
      t.core.store.readStream(`record-${replay.body.applied[0].record_id}`)[0].metadata.actor_id,
    ).toBe(member.id);
    // The member's retry gets the member's stored answer; the admin's retry still gets the admin's.
    const before = eventCount();
    expect(
      (
        await member
          .http()
          .post('/api/fundraising/changes')
          .set('Idempotency-Key', key)
          .send(body)
          .expect(200)
      ).body,
    ).toEqual(replay.body);
    expect((await post(body.changes, key).expect(200)).body).toEqual(admin.body);
    expect(eventCount()).toBe(before);
    // Another body under the admin's key is the member's own new request, not a reuse of the admin's key.
    const other = await member
      .http()
      .post('/api/fundraising/changes')
      .set('Idempotency-Key', 'retry-key-0002')
      .send({
        changes: [{ op: 'create', table_id: ids.investors, values: { [ids.inv('name')]: 'Mine' } }],
      });
    expect(other.status).toBe(200);
  });

  it('archives and unarchives; archived records leave the state but keep their relational row with deleted_at', async () => {
    const id = await createInvestor({ [ids.inv('name')]: 'Archive Me' });
    await post([{ op: 'archive', record_id: id }]).expect(200);
    const state = await t.http().get('/api/fundraising/state').expect(200);
    const inv = state.body.tables.find((x: { id: string }) => x.id === ids.investors);
    expect(inv.records.some((r: { id: string }) => r.id === id)).toBe(false);
    const row = t.core.db
      .prepare('SELECT deleted_at FROM fundraising_investors WHERE id = ?')
      .get(id) as { deleted_at: string | null };
    expect(row.deleted_at).not.toBeNull();
    await post([{ op: 'unarchive', record_id: id }]).expect(200);
    expect(
      (
        t.core.db.prepare('SELECT deleted_at FROM fundraising_investors WHERE id = ?').get(id) as {
          deleted_at: string | null;
        }
      ).deleted_at,
    ).toBeNull();
  });

  it('links a contact to an investor created in the same batch and fills the foreign key', async () => {
    const res = await post([
      {
        op: 'create',
        table_id: ids.investors,
        record_id: 'recAAAAAAAAAAAAAB',
        values: { [ids.inv('name')]: 'Linked LP' },
      },
      {
        op: 'create',
        table_id: ids.contacts,
        values: {
          [ids.field('contacts', 'contact.name')]: 'Jane Roe',
          [ids.field('contacts', 'contact.investor')]: ['recAAAAAAAAAAAAAB'],
        },
      },
    ]).expect(200);
    const contactId = res.body.applied[1].record_id;
    expect(
      t.core.db.prepare('SELECT investor_id FROM fundraising_contacts WHERE id = ?').get(contactId),
    ).toEqual({ investor_id: 'recAAAAAAAAAAAAAB' });
  });
});
