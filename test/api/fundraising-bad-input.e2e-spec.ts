import { apiSuite } from '../support/api-suite';
import { baseIds } from '../support/test-app';

/** Every kind of bad input gets a 4xx naming the problem and appends nothing; none gets a 500. */
describe('bad input to the fundraising API', () => {
  const t = apiSuite({ env: { CRM_BODY_LIMIT_MB: '1' } });
  let ids: Awaited<ReturnType<typeof baseIds>>;
  let rec: string;

  beforeAll(async () => {
    ids = await baseIds(t);
    const res = await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: [
          { op: 'create', table_id: ids.investors, values: { [ids.inv('name')]: 'Bad Input LP' } },
        ],
      })
      .expect(200);
    rec = res.body.applied[0].record_id;
  });

  const eventCount = () =>
    (t.core.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
  const set = (field_id: string, to: unknown, from: unknown = null) => ({
    op: 'set',
    record_id: rec,
    field_id,
    from,
    to,
  });
  /** Posts these exact bytes as JSON (supertest would serialise a Buffer as JSON). */
  const postRaw = (body: Buffer) =>
    t
      .http()
      .post('/api/fundraising/changes')
      .set('Content-Type', 'application/json')
      .serialize((b: Buffer) => b as unknown as string)
      .send(body as never);

  const cases: [string, () => unknown, number, RegExp][] = [
    [
      'text into a currency field',
      () => ({ changes: [set(ids.inv('target_commitment'), 'lots')] }),
      400,
      /Target commitment.*currency.*lots/,
    ],
    [
      'a number into a text field',
      () => ({ changes: [set(ids.inv('next_step'), 42)] }),
      400,
      /Next step.*text/,
    ],
    [
      'an unknown choice',
      () => ({ changes: [set(ids.inv('stage'), 'Maybe')] }),
      400,
      /Pipeline stage.*choices/,
    ],
    [
      'an impossible date',
      () => ({ changes: [set(ids.inv('last_contacted'), '2026-02-30')] }),
      400,
      /Last contacted.*YYYY-MM-DD/,
    ],
    [
      'a javascript: url',
      () => ({ changes: [set(ids.inv('website'), 'javascript:alert(1)')] }),
      400,
      /Website.*http/,
    ],
    [
      'Infinity-like numbers',
      () => ({ changes: [set(ids.inv('target_commitment'), '1e309')] }),
      400,
      /Target commitment/,
    ],
    [
      'a text cell over 100,000 characters',
      () => ({ changes: [set(ids.inv('notes'), 'x'.repeat(100_001))] }),
      400,
      /at most 100000 characters/,
    ],
    [
      'an unknown field',
      () => ({ changes: [set('fldDoesNotExist00', 'x')] }),
      404,
      /field fldDoesNotExist00 does not exist/,
    ],
    [
      'an unknown record',
      () => ({
        changes: [
          { op: 'set', record_id: 'recNope', field_id: ids.inv('next_step'), from: null, to: 'x' },
        ],
      }),
      404,
      /record recNope does not exist/,
    ],
    [
      'an unknown table',
      () => ({ changes: [{ op: 'create', table_id: 'tblNope', values: {} }] }),
      404,
      /table tblNope does not exist/,
    ],
    [
      'an unknown op',
      () => ({ changes: [{ op: 'delete', record_id: rec }] }),
      400,
      /op must be one of/,
    ],
    ['an empty batch', () => ({ changes: [] }), 400, /changes/],
    ['changes not a list', () => ({ changes: 'all' }), 400, /changes/],
    ['a missing body field', () => ({}), 400, /changes/],
    [
      'mass assignment of extra properties',
      () => ({
        changes: [{ ...set(ids.inv('next_step'), 'x'), created_by: 'usr_admin' }],
        version: 9,
      }),
      400,
      /should not exist/,
    ],
    [
      'a computed field',
      () => ({ changes: [set('fldNotThere00000', 'x')] }),
      404,
      /does not exist/,
    ],
    [
      'a bad client record id',
      () => ({
        changes: [
          {
            op: 'create',
            table_id: ids.investors,
            record_id: "'; DROP TABLE events;--",
            values: {},
          },
        ],
      }),
      400,
      /record_id/,
    ],
    [
      'a valid batch with one bad cell',
      () => ({
        changes: [set(ids.inv('next_step'), 'fine'), set(ids.inv('committed_amount'), 'NaN')],
      }),
      400,
      /Committed amount/,
    ],
  ];

  it.each(cases)('%s → 4xx naming it, nothing appended', async (_name, body, status, message) => {
    const before = eventCount();
    const res = await t
      .http()
      .post('/api/fundraising/changes')
      .send(body() as object);
    expect(res.status).toBe(status);
    expect(res.body.statusCode).toBe(status);
    expect(res.body.message).toMatch(message);
    expect(eventCount()).toBe(before);
  });

  it('rejects malformed JSON with 400', async () => {
    const res = await t
      .http()
      .post('/api/fundraising/changes')
      .set('Content-Type', 'application/json')
      .send('{"changes":');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/not valid JSON/);
  });

  it('rejects a JSON body sent as text/plain with 415', async () => {
    const res = await t
      .http()
      .post('/api/fundraising/changes')
      .set('Content-Type', 'text/plain')
      .send(JSON.stringify({ changes: [] }));
    expect(res.status).toBe(415);
  });

  it('rejects a body over the limit with 413', async () => {
    const big = JSON.stringify({ changes: [set(ids.inv('notes'), 'y'.repeat(1_100_000))] });
    const res = await t
      .http()
      .post('/api/fundraising/changes')
      .set('Content-Type', 'application/json')
      .send(big);
    expect(res.status).toBe(413);
  });

  it('does not let __proto__ keys pollute prototypes', async () => {
    const before = eventCount();
    const res = await t
      .http()
      .post('/api/fundraising/changes')
      .set('Content-Type', 'application/json')
      .send(
        '{"changes":[{"op":"create","table_id":"' +
          ids.investors +
          '","values":{"__proto__":{"polluted":true}}}]}',
      );
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/forbidden key "__proto__"/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(eventCount()).toBe(before);
  });

  it.each([
    ['a lone continuation byte', [0x80]],
    ['a Latin-1 "é"', [0xe9]],
    ['a truncated 3-byte sequence', [0xe2, 0x82]],
    ['an overlong "/"', [0xc0, 0xaf]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
  ])(
    'refuses %s inside a JSON string with 400 naming the field, and stores nothing',
    async (_name, bytes) => {
      const before = eventCount();
      const notes = ids.inv('notes');
      const body = Buffer.concat([
        Buffer.from(
          `{"changes":[{"op":"set","record_id":"${rec}","field_id":"${ids.inv('next_step')}","from":null,"to":"Ann"},{"op":"set","record_id":"${rec}","field_id":"${notes}","from":null,"to":"Caf`,
        ),
        Buffer.from(bytes),
        Buffer.from('"}]}'),
      ]);
      const res = await postRaw(body);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/not valid UTF-8/);
      expect(res.body.details).toEqual({
        field: 'changes[1].to',
        reason: 'invalid_utf8',
        byte_offset: body.indexOf(Buffer.from(bytes)),
      });
      expect(eventCount()).toBe(before);
      expect(String(t.core.repo.record(rec)!.values[notes] ?? '')).not.toContain('\uFFFD');
    },
  );

  it('names the key when the bad byte is in a key, and still takes valid multi-byte text', async () => {
    const body = Buffer.concat([
      Buffer.from(`{"changes":[{"op":"create","table_id":"${ids.investors}","values":{"fld`),
      Buffer.from([0xff]),
      Buffer.from('":"x"}}]}'),
    ]);
    const res = await postRaw(body).expect(400);
    expect(res.body.details).toMatchObject({ field: 'changes[0].values', reason: 'invalid_utf8' });
    const ok = 'Café 北京 👩‍💼 \uFFFD kept as typed';
    await postRaw(
      Buffer.from(JSON.stringify({ changes: [set(ids.inv('next_step'), ok)] }), 'utf8'),
    ).expect(200);
    expect(t.core.repo.record(rec)!.values[ids.inv('next_step')]).toBe(ok);
  });

  it('rejects expected_version of the wrong type on PUT /state', async () => {
    for (const v of ['3', -1, 1.5, null]) {
      const res = await t
        .http()
        .put('/api/fundraising/state')
        .send({ expected_version: v, state: { tables: [] } });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/expected_version/);
    }
  });

  it('rejects a bad page limit and a forged cursor', async () => {
    await t.http().get(`/api/fundraising/tables/${ids.investors}/records?limit=0`).expect(400);
    await t.http().get(`/api/fundraising/tables/${ids.investors}/records?limit=abc`).expect(400);
    const res = await t
      .http()
      .get(`/api/fundraising/tables/${ids.investors}/records?cursor=not-ours`);
    expect(res.status).toBe(400);
    await t.http().get('/api/fundraising/tables/tblMissing/records').expect(404);
  });

  it('stores SQL-looking text verbatim', async () => {
    const nasty = '\'; DROP TABLE events;-- " OR 1=1 -- ) UNION SELECT * FROM users \u0001 end';
    await t
      .http()
      .post('/api/fundraising/changes')
      .send({ changes: [set(ids.inv('notes'), nasty)] })
      .expect(200);
    expect(t.core.repo.record(rec)!.values[ids.inv('notes')]).toBe(nasty);
    expect(
      (
        t.core.db
          .prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'events'")
          .get() as { n: number }
      ).n,
    ).toBe(1);
  });

  it('bad schema commands are 4xx too', async () => {
    await t
      .http()
      .post(`/api/fundraising/tables/${ids.investors}/fields`)
      .send({ name: 'Name', type: 'text' })
      .expect(400);
    await t
      .http()
      .post(`/api/fundraising/tables/${ids.investors}/fields`)
      .send({ name: 'Score', type: 'hologram' })
      .expect(400);
    await t
      .http()
      .post(`/api/fundraising/tables/${ids.investors}/fields`)
      .send({ name: 'Fund', type: 'link', options: { table_id: 'tblNope' } })
      .expect(400);
    await t
      .http()
      .patch(`/api/fundraising/fields/${ids.inv('name')}`)
      .send({ type: 'link', options: { table_id: ids.funds } })
      .expect(400);
    await t
      .http()
      .delete(`/api/fundraising/fields/${ids.inv('name')}`)
      .expect(400);
    await t.http().delete('/api/fundraising/fields/fldNope').expect(404);
  });

  describe('a NUL character (U+0000), which no CSV export could carry and the import refuses', () => {
    const NUL = 'Acme\u0000 LP';
    const writes: [
      string,
      () => Promise<{
        status: number;
        body: { message: string; details: Record<string, unknown> };
      }>,
      RegExp,
    ][] = [
      [
        'a grid edit',
        () =>
          t
            .http()
            .post('/api/fundraising/changes')
            .send({ changes: [set(ids.inv('notes'), NUL)] }),
        /field "Notes" \(long_text\) cannot hold a NUL/,
      ],
      [
        'a new record',
        () =>
          t
            .http()
            .post('/api/fundraising/changes')
            .send({
              changes: [
                { op: 'create', table_id: ids.investors, values: { [ids.inv('name')]: NUL } },
              ],
            }),
        /field "Name" \(text\) cannot hold a NUL/,
      ],
      [
        'a web address',
        () =>
          t
            .http()
            .post('/api/fundraising/changes')
            .send({ changes: [set(ids.inv('website'), 'https://acme.example/\u0000')] }),
        /field "Website" \(url\) cannot hold a NUL/,
      ],
      [
        'the whole document',
        async () => {
          const state = (await t.http().get('/api/fundraising/state').expect(200)).body;
          state.tables
            .find((x: { id: string }) => x.id === ids.investors)
            .records.find((r: { id: string }) => r.id === rec).values[ids.inv('next_step')] = NUL;
          return t
            .http()
            .put('/api/fundraising/state')
            .send({ expected_version: state.version, state });
        },
        /field "Next step" \(text\) cannot hold a NUL/,
      ],
      [
        'a table name',
        () =>
          t
            .http()
            .post('/api/fundraising/tables')
            .send({ name: NUL, fields: [{ name: 'Name', type: 'text' }] }),
        /table name cannot hold a NUL/,
      ],
      [
        'a field name',
        () =>
          t
            .http()
            .post(`/api/fundraising/tables/${ids.investors}/fields`)
            .send({ name: NUL, type: 'text' }),
        /field name cannot hold a NUL/,
      ],
      [
        'a renamed field',
        () =>
          t
            .http()
            .patch(`/api/fundraising/fields/${ids.inv('notes')}`)
            .send({ name: NUL }),
        /name cannot hold a NUL/,
      ],
      [
        'a choice',
        () =>
          t
            .http()
            .post(`/api/fundraising/tables/${ids.investors}/fields`)
            .send({
              name: 'Region',
              type: 'single_select',
              options: { choices: [{ name: 'EU' }, { name: NUL }] },
            }),
        /a choice cannot hold a NUL/,
      ],
      [
        'a view name',
        () =>
          t
            .http()
            .post('/api/fundraising/views')
            .send({ table_id: ids.investors, name: NUL, config: {} }),
        /view name cannot hold a NUL/,
      ],
    ];

    it.each(writes)(
      'in %s → 400 naming the field, reason nul_character, nothing appended',
      async (_name, write, message) => {
        const before = eventCount();
        const res = await write();
        expect(res.status).toBe(400);
        expect(res.body.message).toMatch(message);
        expect(res.body.details.reason).toBe('nul_character');
        expect(eventCount()).toBe(before);
      },
    );
  });
});
