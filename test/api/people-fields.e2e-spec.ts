import Papa from 'papaparse';
import type { Agent } from 'supertest';
import { apiSuite } from '../support/api-suite';
import { baseIds, createMember, type TestUser } from '../support/test-app';

/** People (`user`) fields: set, filter by "me", refuse strangers, export names. */
describe('people fields', () => {
  const t = apiSuite({ member: { name: 'Mia Member', email: 'mia@fund.example' } });
  let ids: Awaited<ReturnType<typeof baseIds>>;
  let leads: string;
  let formula: string;
  let gone: TestUser;
  const records: Record<string, string> = {};

  beforeAll(async () => {
    ids = await baseIds(t);
    gone = await createMember(t, { name: 'Gus Gone', email: 'gus@fund.example' });
    const added = await t
      .http()
      .post(`/api/fundraising/tables/${ids.investors}/fields`)
      .send({ name: 'Leads', type: 'user', options: { multiple: true } })
      .expect(201);
    leads = added.body.field.id;
    const f = await t
      .http()
      .post(`/api/fundraising/tables/${ids.investors}/fields`)
      .send({ name: 'Led by', type: 'formula', options: { formula: '"Led by " & {Leads}' } })
      .expect(201);
    formula = f.body.field.id;
    const people: Record<string, string[]> = {
      'Mine LP': [t.member.id],
      'Shared LP': [t.adminId, t.member.id],
      'Admin LP': [t.adminId],
      'Gus LP': [gone.id],
      'Nobody LP': [],
    };
    const changes = Object.entries(people).map(([name, who]) => ({
      op: 'create',
      table_id: ids.investors,
      values: { [ids.inv('name')]: name, [leads]: who },
    }));
    await t.http().post('/api/fundraising/changes').send({ changes }).expect(200);
    await t.http().patch(`/api/admin/users/${gone.id}`).send({ disabled: true }).expect(200);
    const state = await t.http().get('/api/fundraising/state').expect(200);
    const inv = state.body.tables.find((x: { id: string }) => x.id === ids.investors);
    for (const r of inv.records) records[r.values[ids.inv('name')]] = r.id;
  });

  /** A record's values as the grid reads them (formula values included). */
  const valuesOf = async (name: string) => {
    const state = await t.http().get('/api/fundraising/state').expect(200);
    const inv = state.body.tables.find((x: { id: string }) => x.id === ids.investors);
    return inv.records.find((r: { id: string }) => r.id === records[name]).values as Record<
      string,
      unknown
    >;
  };

  it('stores the people as user ids and reads them as names in a formula', async () => {
    const v = await valuesOf('Shared LP');
    expect(v[leads]).toEqual([t.adminId, t.member.id]);
    expect(v[formula]).toBe('Led by Ada Admin, Mia Member');
  });

  it('sets a cell by compare-and-set, as any other field', async () => {
    const res = await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: [
          {
            op: 'set',
            record_id: records['Nobody LP'],
            field_id: leads,
            from: [],
            to: [t.member.id],
          },
        ],
      })
      .expect(200);
    expect(res.body.conflicts).toEqual([]);
    expect((await valuesOf('Nobody LP'))[leads]).toEqual([t.member.id]);
    await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: [
          {
            op: 'set',
            record_id: records['Nobody LP'],
            field_id: leads,
            from: [t.member.id],
            to: [],
          },
        ],
      })
      .expect(200);
  });

  it.each([
    ['an id of nobody', 'usr_nobody00000000'],
    ['a name', 'Mia Member'],
    ['a number', 7],
  ])('refuses %s with a 400 naming the field, and appends nothing', async (_, bad) => {
    const before = (await t.http().get('/api/fundraising/state').expect(200)).body.version;
    const res = await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: [
          { op: 'set', record_id: records['Admin LP'], field_id: leads, from: null, to: [bad] },
        ],
      })
      .expect(400);
    expect(res.body.reason).toBe('unknown_user');
    expect(res.body.details).toMatchObject({ field_id: leads });
    const after = (await t.http().get('/api/fundraising/state').expect(200)).body.version;
    expect(after).toBe(before);
  });

  it('refuses two people in a field that is not multiple', async () => {
    const single = await t
      .http()
      .post(`/api/fundraising/tables/${ids.investors}/fields`)
      .send({ name: 'Single owner', type: 'user' })
      .expect(201);
    const id = single.body.field.id;
    const res = await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: [
          {
            op: 'set',
            record_id: records['Admin LP'],
            field_id: id,
            from: null,
            to: [t.adminId, t.member.id],
          },
        ],
      })
      .expect(400);
    expect(res.body.reason).toBe('unknown_user');
  });

  it('filters a shared view by "me": each reader sees their own records', async () => {
    const view = await t
      .http()
      .post('/api/fundraising/views')
      .send({
        table_id: ids.investors,
        name: 'My LPs',
        personal: false,
        filters: {
          conjunction: 'and',
          conditions: [{ field_id: leads, operator: 'is', value: { me: true } }],
        },
      })
      .expect(201);
    const viewId = view.body.id;
    const names = async (http: () => Agent) =>
      (await http().get(`/api/fundraising/views/${viewId}/records`).expect(200)).body.records
        .map((r: { values: Record<string, string> }) => r.values[ids.inv('name')])
        .sort();
    expect(await names(t.member.http)).toEqual(['Mine LP', 'Shared LP']);
    expect(await names(t.http)).toEqual(['Admin LP', 'Shared LP']);
  });

  it('refuses a malformed "me" in a filter, naming its path', async () => {
    const res = await t
      .http()
      .post('/api/fundraising/views')
      .send({
        table_id: ids.investors,
        name: 'Bad',
        filters: {
          conjunction: 'and',
          conditions: [{ field_id: leads, operator: 'is', value: { me: 1 } }],
        },
      })
      .expect(400);
    expect(JSON.stringify(res.body.details)).toContain('filters.conditions[0].value');
  });

  it('lists the team, a disabled member flagged, for the picker', async () => {
    const res = await t.member.http().get('/api/fundraising/people').expect(200);
    const gus = res.body.people.find((p: { id: string }) => p.id === gone.id);
    expect(gus).toEqual({
      id: gone.id,
      name: 'Gus Gone',
      email: 'gus@fund.example',
      disabled: true,
    });
    expect(res.body.people.find((p: { id: string }) => p.id === t.member.id).disabled).toBe(false);
  });

  it('exports the names in CSV, a disabled member included', async () => {
    const res = await t
      .http()
      .get(`/api/fundraising/tables/${ids.investors}/export.csv`)
      .buffer(true)
      .parse((r, cb) => {
        let text = '';
        r.on('data', (c: Buffer) => (text += c.toString('utf8')));
        r.on('end', () => cb(null, text));
      })
      .expect(200);
    const rows = Papa.parse<string[]>((res.body as string).replace(/^\uFEFF/, ''), {
      newline: '\r\n',
      skipEmptyLines: true,
    }).data;
    const col = rows[0].indexOf('Leads');
    const row = (name: string) => rows.find((r) => r[0] === name)!;
    expect(row('Shared LP')[col]).toBe('Ada Admin,Mia Member');
    expect(row('Gus LP')[col]).toBe('Gus Gone');
  });
});
