import { apiSuite } from '../support/api-suite';
import { baseIds } from '../support/test-app';

/** A link, and a lookup of a link, read in formulas as the linked records' names (as in Airtable). */
describe('links read as names in formulas', () => {
  const t = apiSuite();
  let ids: Awaited<ReturnType<typeof baseIds>>;
  const con = (role: string) => ids.field('contacts', `contact.${role}`);
  const com = (role: string) => ids.field('commitments', `commitment.${role}`);

  const addField = (tableId: string, body: Record<string, unknown>) =>
    t.http().post(`/api/fundraising/tables/${tableId}/fields`).send(body).expect(201);
  const change = (changes: Record<string, unknown>[]) =>
    t.http().post('/api/fundraising/changes').send({ changes }).expect(200);
  const create = async (tableId: string, values: Record<string, unknown>) =>
    (await change([{ op: 'create', table_id: tableId, values }])).body.applied[0]
      .record_id as string;
  const set = (record_id: string, field_id: string, from: unknown, to: unknown) =>
    change([{ op: 'set', record_id, field_id, from, to }]);
  /** A record's computed values as the read model holds them (the grid rows). */
  const computedOf = (recordId: string) => {
    const row = t.core.db
      .prepare('SELECT formula_json FROM fundraising_records WHERE id = ?')
      .get(recordId) as { formula_json: string | null };
    return JSON.parse(row.formula_json ?? '{}') as Record<string, unknown>;
  };

  let yale: string;
  let mit: string;
  let ann: string;
  let label: string;

  beforeAll(async () => {
    ids = await baseIds(t);
    yale = await create(ids.investors, { [ids.inv('name')]: 'Yale' });
    mit = await create(ids.investors, { [ids.inv('name')]: 'MIT' });
    ann = await create(ids.contacts, { [con('name')]: 'Ann', [con('investor')]: [yale] });
    label = (
      await addField(ids.contacts, {
        name: 'Label',
        type: 'formula',
        options: { formula: '{Name} & " at " & {Investor}' },
      })
    ).body.id;
  });

  it('given a contact linked to an investor, a formula shows the investor by name', () => {
    expect(computedOf(ann)[label]).toBe('Ann at Yale');
  });

  it('when the investor is renamed, the contact formula shows the new name at once', async () => {
    await set(yale, ids.inv('name'), 'Yale', 'Yale Investments Office');
    expect(computedOf(ann)[label]).toBe('Ann at Yale Investments Office');
  });

  it('when the contact is relinked, the formula follows', async () => {
    await set(ann, con('investor'), [yale], [mit]);
    expect(computedOf(ann)[label]).toBe('Ann at MIT');
    await set(ann, con('investor'), [mit], [yale]);
  });

  it('a lookup of a link reads as the names of what it shows, and follows their renames', async () => {
    // Contacts → Investor → Commitments: the commitments of the contact's investor, by name.
    const commitments = ids.field('investors', 'investor.commitments');
    const deals = (
      await addField(ids.contacts, {
        name: 'Deals',
        type: 'lookup',
        options: { link_field_id: con('investor'), target_field_id: commitments },
      })
    ).body.id;
    const dealNames = (
      await addField(ids.contacts, {
        name: 'Deal names',
        type: 'formula',
        options: { formula: 'ARRAYJOIN({Deals}, "; ")' },
      })
    ).body.id;
    const c1 = await create(ids.commitments, {
      [com('name')]: 'Yale I',
      [com('investor')]: [yale],
    });
    await create(ids.commitments, { [com('name')]: 'Yale II', [com('investor')]: [yale] });
    expect(computedOf(ann)[deals]).toEqual(['Yale I', 'Yale II']);
    expect(computedOf(ann)[dealNames]).toBe('Yale I; Yale II');
    await set(c1, com('name'), 'Yale I', 'Yale Fund I');
    expect(computedOf(ann)[deals]).toEqual(['Yale Fund I', 'Yale II']);
    expect(computedOf(ann)[dealNames]).toBe('Yale Fund I; Yale II');
    await change([{ op: 'archive', record_id: c1 }]);
    expect(computedOf(ann)[dealNames]).toBe('Yale II');
  });

  it('a rollup of a link rolls up the names of what it shows, and follows their renames', async () => {
    // Investors → Commitments → Fund: the funds an investor committed to, by name.
    const fund = await create(ids.funds, { [ids.field('funds', 'fund.name')]: 'Fund III' });
    const funds = (
      await addField(ids.investors, {
        name: 'Funds',
        type: 'rollup',
        options: {
          link_field_id: ids.field('investors', 'investor.commitments'),
          target_field_id: com('fund'),
          formula: 'ARRAYJOIN(ARRAYUNIQUE(values), ", ")',
        },
      })
    ).body.id;
    const c = await create(ids.commitments, { [com('name')]: 'MIT I', [com('investor')]: [mit] });
    await set(c, com('fund'), [], [fund]);
    expect(computedOf(mit)[funds]).toBe('Fund III');
    await set(fund, ids.field('funds', 'fund.name'), 'Fund III', 'Fund III (2026)');
    expect(computedOf(mit)[funds]).toBe('Fund III (2026)');
  });

  it('the formula preview of a record reads the link by name too', async () => {
    const res = await t
      .http()
      .post('/api/fundraising/formula/evaluate')
      .send({ formula: 'UPPER({Investor})', table_id: ids.contacts, record_id: ann })
      .expect(200);
    expect(res.body).toEqual({ value: 'YALE INVESTMENTS OFFICE', type: 'text' });
  });

  it('undo of the rename brings the old name back in the formula', async () => {
    await set(yale, ids.inv('name'), 'Yale Investments Office', 'Yale Endowment');
    expect(computedOf(ann)[label]).toBe('Ann at Yale Endowment');
    const stack = (await t.http().get('/api/fundraising/undo-stack').expect(200)).body.entries;
    await t
      .http()
      .post('/api/fundraising/undo')
      .send({ correlation_id: stack[0].correlation_id })
      .expect(200);
    expect(computedOf(ann)[label]).toBe('Ann at Yale Investments Office');
  });

  it('rebuilds to byte-identical values', async () => {
    const read = () =>
      t.core.repo.db.prepare('SELECT id, formula_json FROM fundraising_records ORDER BY id').all();
    const live = read();
    await t.core.runner.rebuild();
    expect(read()).toEqual(live);
  });
});
