import fc from 'fast-check';
import { type FieldDefinition } from '@crm/events';
import { filterKind, OPERATORS_BY_KIND } from '@crm/domain';
import { BaseModel } from '../../apps/web/src/features/fundraising/composables/base-model';
import { rowsForView } from '../../apps/web/src/features/views/view-engine';
import { apiSuite } from '../support/api-suite';
import { baseIds } from '../support/test-app';

/**
 * The server's GET /views/:id/records and the grid's own filtering (the browser code, run here on the
 * state the browser loads) must show the same records in the same order, for generated data and
 * generated views.
 */
describe('views: server and browser agree', () => {
  const t = apiSuite();
  let ids: Awaited<ReturnType<typeof baseIds>>;
  let fields: FieldDefinition[];
  /** People's names, which both sides sort people fields by. */
  const names = new Map<string, string>();
  const personName = (id: string) => names.get(id);

  const NAMES = [
    'Yale',
    'yale fund',
    'Acme',
    'Harbor',
    'Blue',
    'Zeta',
    '',
    'Ålesund',
    'acme ii',
    'North',
  ];
  const OWNERS = ['Ann', 'Bob', 'ann', null];
  const DATES = ['2025-12-31', '2026-01-15', '2026-03-01', '2026-06-30', null];

  beforeAll(async () => {
    ids = await baseIds(t);
    for (const field of [
      { name: 'Warm', type: 'checkbox' },
      // The default base's "Committed amount" is a rollup of commitments: a typed amount of its own.
      { name: 'Committed (typed)', type: 'currency' },
      { name: 'Created', type: 'created_time' },
      {
        name: 'Fee',
        type: 'formula',
        options: { formula: 'ROUND({Target commitment} * 0.02, 0)' },
      },
      {
        name: 'Label',
        type: 'formula',
        options: { formula: 'UPPER(LEFT({Name}, 3)) & "-" & {Notes}' },
      },
      {
        name: 'Follow up',
        type: 'formula',
        options: { formula: 'DATEADD({Last contacted}, 30, "days")' },
      },
      { name: 'Big', type: 'formula', options: { formula: '{Target commitment} > 5000000' } },
    ])
      await t
        .http()
        .post(`/api/fundraising/tables/${ids.investors}/fields`)
        .send(field)
        .expect(201);
    const state = await t.http().get('/api/fundraising/state').expect(200);
    fields = state.body.tables.find((x: { id: string }) => x.id === ids.investors).fields;
    const team = await t.http().get('/api/fundraising/people').expect(200);
    for (const p of team.body.people as { id: string; name: string }[]) names.set(p.id, p.name);
    const byName = (n: string) => fields.find((f) => f.name === n)!.id;
    const rows = fc.sample(
      fc.record({
        name: fc.constantFrom(...NAMES),
        owner: fc.constantFrom(...OWNERS),
        amount: fc.option(
          fc.integer({ min: 0, max: 40 }).map((n) => n * 500_000),
          { nil: null },
        ),
        committed: fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: null }),
        date: fc.constantFrom(...DATES),
        stage: fc.option(fc.constantFrom('Lead', 'Engaged', 'Diligence', 'Committed', 'Passed'), {
          nil: null,
        }),
        type: fc.option(fc.constantFrom('Endowment', 'Pension', 'HNWI'), { nil: null }),
        tags: fc.subarray(['Warm intro', 'Re-up', 'First close', 'Anchor', 'ESG']),
        warm: fc.boolean(),
      }),
      { numRuns: 300, seed: 7 },
    );
    const changes = rows.map((r) => ({
      op: 'create',
      table_id: ids.investors,
      values: {
        [ids.inv('name')]: r.name,
        [ids.inv('notes')]: r.owner,
        // The people field: the admin owns Ann's records, so "is me" keeps some and drops others.
        [ids.inv('owner')]: r.owner === 'Ann' ? [t.adminId] : [],
        [ids.inv('target_commitment')]: r.amount,
        [byName('Committed (typed)')]: r.committed,
        [ids.inv('last_contacted')]: r.date,
        [ids.inv('stage')]: r.stage,
        [ids.inv('type')]: r.type,
        [ids.inv('tags')]: r.tags,
        [byName('Warm')]: r.warm,
      },
    }));
    await t.http().post('/api/fundraising/changes').send({ changes }).expect(200);
  });

  const valueFor = (field: FieldDefinition, operator: string): fc.Arbitrary<unknown> => {
    const kind = filterKind(field);
    if (operator === 'is_empty' || operator === 'is_not_empty') return fc.constant(null);
    switch (kind) {
      case 'number':
        return fc.constantFrom(0, 1_000_000, 2_500_000, 5_000_000, 100_000, 10_000_000);
      case 'boolean':
        return fc.boolean();
      case 'date':
        if (operator === 'more_than_days_ago' || operator === 'less_than_days_ago')
          return fc.integer({ min: 0, max: 400 });
        if (operator === 'is_within')
          return fc.record({
            direction: fc.constantFrom('past', 'next'),
            days: fc.integer({ min: 0, max: 400 }),
          });
        return fc.oneof(
          fc.constantFrom('2026-01-15', '2026-03-01', '2026-02-14', '2026-07-30'),
          fc.constantFrom(
            { relative: 'today' },
            { relative: 'one_month_ago' },
            { relative: 'days_ago', days: 90 },
          ),
        );
      case 'select': {
        const choices = ((field.options.choices as { name: string }[]) ?? []).map((c) => c.name);
        return operator === 'is' || operator === 'is_not'
          ? fc.constantFrom(...choices)
          : fc.subarray(choices, { minLength: 1 });
      }
      case 'multi': {
        const choices = ((field.options.choices as { name: string }[] | undefined) ?? []).map(
          (c) => c.name,
        );
        if (operator === 'contains' || operator === 'does_not_contain')
          return fc.constantFrom('an', 'e', 'ESG', 'zz');
        return fc.subarray(choices.length ? choices : ['x'], { minLength: 1 });
      }
      case 'user':
        return operator === 'is' || operator === 'is_not'
          ? fc.constantFrom<unknown>(t.adminId, { me: true })
          : fc.subarray<unknown>([t.adminId, { me: true }, 'usr_someone_else'], {
              minLength: 1,
            });
      default:
        return fc.constantFrom('a', 'yale', 'ACME', 'ann', 'zz', 'Harbor', 'e', '-', 'YAL-Ann');
    }
  };

  const usable = () =>
    fields.filter(
      (f) =>
        f.type !== 'link' &&
        f.type !== 'url' &&
        f.type !== 'created_by' &&
        f.type !== 'last_modified_by',
    );
  const conditionArb = () =>
    fc
      .constantFrom(...usable())
      .chain((field) =>
        fc
          .constantFrom(...OPERATORS_BY_KIND[filterKind(field)])
          .chain((operator) =>
            valueFor(field, operator).map((value) => ({ field_id: field.id, operator, value })),
          ),
      );
  const groupArb = (depth: number): fc.Arbitrary<unknown> =>
    fc.record({
      conjunction: fc.constantFrom('and', 'or'),
      conditions: fc.array(
        depth < 3
          ? fc.oneof(
              { weight: 3, arbitrary: conditionArb() },
              { weight: 1, arbitrary: groupArb(depth + 1) },
            )
          : conditionArb(),
        { minLength: 0, maxLength: 3 },
      ),
    });
  const sortsArb = () =>
    fc.uniqueArray(
      fc.record({
        field_id: fc.constantFrom(...usable().map((f) => f.id)),
        direction: fc.constantFrom('asc', 'desc'),
      }),
      { maxLength: 3, selector: (s) => s.field_id },
    );

  it('for 40 generated views with three-level filters and several sorts', async () => {
    const views = fc.sample(fc.record({ filters: groupArb(1), sorts: sortsArb() }), {
      numRuns: 40,
      seed: 11,
    });
    const state = await t.http().get('/api/fundraising/state').expect(200);
    const model = new BaseModel();
    model.load(state.body);
    const table = model.table(ids.investors)!;
    let nonTrivial = 0;
    for (const config of views) {
      const created = await t
        .http()
        .post('/api/fundraising/views')
        .send({ table_id: ids.investors, name: 'Generated', ...config });
      expect(created.status).toBe(201);
      const server: string[] = [];
      let cursor: string | null = '';
      while (cursor !== null) {
        const page: { body: { records: { id: string }[]; next_cursor: string | null } } = await t
          .http()
          .get(`/api/fundraising/views/${created.body.id}/records`)
          .query({ limit: 120, cursor })
          .expect(200);
        server.push(...page.body.records.map((r) => r.id));
        cursor = page.body.next_cursor;
      }
      const browser = rowsForView(table, created.body.config, {
        now: Date.parse(t.core.clock.now()),
        me: t.adminId,
        personName,
      }).map((r) => r.id);
      expect({ config, ids: server }).toEqual({ config, ids: browser });
      if (server.length > 0 && server.length < table.rows.length) nonTrivial++;
    }
    expect(nonTrivial).toBeGreaterThan(10);
  });

  it('still agree after edits, archives and new records (the server keeps its columns up to date)', async () => {
    const views = fc.sample(fc.record({ filters: groupArb(1), sorts: sortsArb() }), {
      numRuns: 8,
      seed: 23,
    });
    const created: { id: string; config: unknown }[] = [];
    for (const config of views)
      created.push(
        (
          await t
            .http()
            .post('/api/fundraising/views')
            .send({ table_id: ids.investors, name: 'Before edits', ...config })
            .expect(201)
        ).body,
      );
    const fetchIds = async (id: string) =>
      (
        await t
          .http()
          .get(`/api/fundraising/views/${id}/records`)
          .query({ limit: 10_000 })
          .expect(200)
      ).body.records.map((r: { id: string }) => r.id);
    for (const v of created) await fetchIds(v.id);
    for (let round = 0; round < 3; round++) {
      const state = await t.http().get('/api/fundraising/state').expect(200);
      const records = state.body.tables.find((x: { id: string }) => x.id === ids.investors)
        .records as { id: string; values: Record<string, unknown> }[];
      const picks = fc.sample(fc.nat(records.length - 1), { numRuns: 12, seed: 100 + round });
      const changes: unknown[] = picks.map((i, k) => {
        const r = records[i];
        if (k % 4 === 3) return { op: 'archive', record_id: r.id };
        const field = [ids.inv('notes'), ids.inv('target_commitment'), ids.inv('stage')][k % 3];
        const to =
          field === ids.inv('notes')
            ? ['Ann', 'Zed', null][k % 3]
            : field === ids.inv('stage')
              ? 'Passed'
              : (k + 1) * 1_250_000;
        return { op: 'set', record_id: r.id, field_id: field, from: r.values[field] ?? null, to };
      });
      changes.push({
        op: 'create',
        table_id: ids.investors,
        values: {
          [ids.inv('name')]: `New ${round}`,
          [ids.inv('notes')]: 'Ann',
          [ids.inv('target_commitment')]: 3_000_000,
        },
      });
      const res = await t
        .http()
        .post('/api/fundraising/changes')
        .send({
          changes: changes.filter(
            (c, i, all) =>
              all.findIndex(
                (x) =>
                  (x as { record_id?: string }).record_id ===
                  (c as { record_id?: string }).record_id,
              ) === i,
          ),
        })
        .expect(200);
      expect(res.body.conflicts).toEqual([]);
      const after = await t.http().get('/api/fundraising/state').expect(200);
      const model = new BaseModel();
      model.load(after.body);
      const table = model.table(ids.investors)!;
      for (const v of created) {
        const server = await fetchIds(v.id);
        const browser = rowsForView(table, v.config as never, {
          now: Date.parse(t.core.clock.now()),
          me: t.adminId,
          personName,
        }).map((r) => r.id);
        expect(server).toEqual(browser);
      }
    }
  });

  it('filters and sorts by formula values on both sides', async () => {
    const fee = fields.find((f) => f.name === 'Fee')!;
    const big = fields.find((f) => f.name === 'Big')!;
    const config = {
      filters: {
        conjunction: 'and',
        conditions: [
          { field_id: big.id, operator: 'is', value: true },
          { field_id: fee.id, operator: '<', value: 400_000 },
        ],
      },
      sorts: [{ field_id: fee.id, direction: 'desc' }],
    };
    const created = await t
      .http()
      .post('/api/fundraising/views')
      .send({ table_id: ids.investors, name: 'Fees', ...config })
      .expect(201);
    const res = await t.http().get(`/api/fundraising/views/${created.body.id}/records`).expect(200);
    const fees = res.body.records.map((r: { values: Record<string, number> }) => r.values[fee.id]);
    expect(fees.length).toBeGreaterThan(0);
    expect(fees).toEqual([...fees].sort((a: number, b: number) => b - a));
    expect(fees.every((x: number) => x > 100_000 && x < 400_000)).toBe(true);
  });
});
