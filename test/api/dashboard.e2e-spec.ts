import type { DashboardResult } from '@crm/contracts';
import { apiSuite } from '../support/api-suite';
import { baseIds } from '../support/test-app';

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString().slice(0, 10);

/** A moment strictly after every event so far, so that the next write is after it. */
async function momentAfterLastWrite(): Promise<string> {
  const at = new Date().toISOString();
  while (new Date().toISOString() <= at) await new Promise((r) => setImmediate(r));
  return at;
}

/**
 * The dashboard's numbers against a fixture computed by hand: two funds in two currencies (and an
 * archived one), a withdrawn commitment, an archived commitment, an archived investor whose
 * commitment no longer counts, investors moved through the stages.
 */
describe('GET /api/dashboard', () => {
  const t = apiSuite({ member: true });
  let ids: Awaited<ReturnType<typeof baseIds>>;
  const rec: Record<string, string> = {};
  let beforeMoves: string;

  const change = async (changes: unknown[]) =>
    (await t.http().post('/api/fundraising/changes').send({ changes }).expect(200)).body as {
      applied: { record_id: string }[];
    };
  const create = async (key: string, table: string, values: Record<string, unknown>) => {
    rec[key] = (await change([{ op: 'create', table_id: table, values }])).applied[0].record_id;
  };
  const fund = (key: string, name: string, target: number, currency: string) =>
    create(key, ids.funds, {
      [ids.field('funds', 'fund.name')]: name,
      [ids.field('funds', 'fund.target_size')]: target,
      [ids.field('funds', 'fund.currency')]: currency,
    });
  const investor = (key: string, stage: string, target: number | null, contacted: number | null) =>
    create(key, ids.investors, {
      [ids.inv('name')]: key,
      [ids.inv('stage')]: stage,
      [ids.inv('target_commitment')]: target,
      [ids.inv('last_contacted')]: contacted === null ? null : daysAgo(contacted),
    });
  const c = (f: string) => ids.field('commitments', `commitment.${f}`);
  const commit = (
    key: string,
    inv: string,
    f: string,
    amount: number,
    status: string,
    date: string,
  ) =>
    create(key, ids.commitments, {
      [c('name')]: key,
      [c('investor')]: [rec[inv]],
      [c('fund')]: [rec[f]],
      [c('amount')]: amount,
      [c('status')]: status,
      [c('date')]: date,
    });
  const stage = async (key: string, ...moves: [string, string][]) => {
    for (const [from, to] of moves)
      await change([{ op: 'set', record_id: rec[key], field_id: ids.inv('stage'), from, to }]);
  };
  const archive = (...keys: string[]) =>
    change(keys.map((k) => ({ op: 'archive', record_id: rec[k] })));

  beforeAll(async () => {
    ids = await baseIds(t);
    await fund('F1', 'Fund I', 10_000_000, 'USD');
    await fund('F2', 'Fund II', 5_000_000, 'EUR');
    await fund('F3', 'Old fund', 1_000_000, 'GBP');
    await investor('A', 'Lead', 2_000_000, 10);
    await investor('B', 'Lead', 1_000_000, 45);
    await investor('C', 'Lead', null, null);
    await investor('D', 'Lead', 9_000_000, 100);
    await investor('E', 'Engaged', 500_000, 90);
    await commit('c1', 'A', 'F1', 1_000_000, 'Soft', '2026-01-10');
    await commit('c3', 'B', 'F1', 500_000, 'Withdrawn', '2026-01-15');
    await commit('c4', 'B', 'F2', 750_000, 'Hard', '2026-03-01');
    await commit('c5', 'D', 'F1', 3_000_000, 'Funded', '2026-02-20');
    await commit('c6', 'E', 'F2', 250_000, 'Funded', '2026-03-01');
    await commit('c7', 'A', 'F3', 100, 'Soft', '2026-01-01');
    await commit('c8', 'E', 'F1', 400_000, 'Soft', '2026-01-20');
    beforeMoves = await momentAfterLastWrite();
    await commit('c2', 'A', 'F1', 2_000_000, 'Signed', '2026-02-01');
    await stage('A', ['Lead', 'Engaged'], ['Engaged', 'Diligence'], ['Diligence', 'Committed']);
    await stage('B', ['Lead', 'Engaged'], ['Engaged', 'Diligence']);
    await stage('D', ['Lead', 'Committed']);
    await archive('D', 'F3', 'c8');
  });

  const statusOf = (f: {
    committed_by_status: { status: string; amount: number; count: number }[];
  }) => Object.fromEntries(f.committed_by_status.map((s) => [s.status, [s.amount, s.count]]));

  it('answers per fund: target, committed by status, % of target and LPs, in its own currency', async () => {
    const res = await t.http().get('/api/dashboard').expect(200);
    expect(res.body.as_of.live).toBe(true);
    expect(res.body.funds.map((f: { name: string }) => f.name)).toEqual(['Fund I', 'Fund II']);
    const [f1, f2] = res.body.funds;
    expect(f1).toMatchObject({
      fund_id: rec.F1,
      currency: 'USD',
      target: 10_000_000,
      committed: 3_000_000,
      withdrawn: 500_000,
      percent_of_target: 30,
      lp_count: 1,
    });
    expect(statusOf(f1)).toEqual({
      Soft: [1_000_000, 1],
      Hard: [0, 0],
      Signed: [2_000_000, 1],
      Funded: [0, 0],
    });
    expect(f2).toMatchObject({
      currency: 'EUR',
      committed: 1_000_000,
      withdrawn: 0,
      percent_of_target: 20,
      lp_count: 2,
    });
    expect(statusOf(f2)).toMatchObject({ Hard: [750_000, 1], Funded: [250_000, 1] });
  });

  it('answers the funnel by stage and the conversion between stages over the period', async () => {
    const { body } = await t.http().get('/api/dashboard').expect(200);
    expect(body.funnel.stages).toEqual([
      { stage: 'Lead', count: 1, target_amount: 0 },
      { stage: 'Engaged', count: 1, target_amount: 500_000 },
      { stage: 'Diligence', count: 1, target_amount: 1_000_000 },
      { stage: 'Committed', count: 1, target_amount: 2_000_000 },
      { stage: 'Passed', count: 0, target_amount: 0 },
    ]);
    expect(body.funnel.conversion).toEqual([
      { from: 'Lead', to: 'Engaged', entered: 4, reached: 3, rate: 0.75 },
      { from: 'Engaged', to: 'Diligence', entered: 3, reached: 2, rate: 2 / 3 },
      { from: 'Diligence', to: 'Committed', entered: 2, reached: 1, rate: 0.5 },
      { from: 'Committed', to: 'Passed', entered: 2, reached: 0, rate: 0 },
    ]);
    const future = await t
      .http()
      .get(`/api/dashboard?from=${new Date(Date.now() + DAY).toISOString()}&to=2999-01-01`)
      .expect(200);
    expect(future.body.funnel.conversion[0]).toMatchObject({ entered: 0, rate: null });
  });

  it('answers commitments over time, staleness, reminders (none due yet) and the last activity', async () => {
    const { body } = await t.http().get('/api/dashboard').expect(200);
    expect(
      body.commitments_over_time.map((l: { name: string; points: unknown[] }) => [
        l.name,
        l.points,
      ]),
    ).toEqual([
      [
        'Fund I',
        [
          { date: '2026-01-10', cumulative: 1_000_000 },
          { date: '2026-02-01', cumulative: 3_000_000 },
        ],
      ],
      ['Fund II', [{ date: '2026-03-01', cumulative: 1_000_000 }]],
    ]);
    expect(
      body.staleness.buckets.map((b: { key: string; count: number }) => [b.key, b.count]),
    ).toEqual([
      ['recent', 1],
      ['aging', 1],
      ['stale', 1],
      ['never', 1],
    ]);
    expect(body.reminders_due).toMatchObject({ available: true, by_owner: [] });
    expect(body.activity).toHaveLength(20);
  });

  it('names the records behind each element as a filter on their table', async () => {
    const { body } = await t.http().get('/api/dashboard').expect(200);
    const soft = body.funds[0].by_status_behind[0];
    expect(soft).toEqual({
      table_id: ids.commitments,
      filters: {
        conjunction: 'and',
        conditions: [
          { field_id: c('fund'), operator: 'has_any_of', value: [rec.F1] },
          { field_id: c('status'), operator: 'is', value: 'Soft' },
        ],
      },
    });
    expect(body.funnel.behind[1].filters.conditions).toEqual([
      { field_id: ids.inv('stage'), operator: 'is', value: 'Engaged' },
    ]);
  });

  it('answers as of a past moment from the log: the archived investor and commitment counted then', async () => {
    const { body } = await t.http().get(`/api/dashboard?as_of=${beforeMoves}`).expect(200);
    expect(body.as_of).toMatchObject({ at: beforeMoves, live: false });
    expect(body.funds.map((f: { name: string }) => f.name)).toEqual([
      'Fund I',
      'Fund II',
      'Old fund',
    ]);
    const f1 = body.funds[0];
    expect(f1).toMatchObject({ committed: 4_400_000, percent_of_target: 44, lp_count: 3 });
    expect(statusOf(f1)).toMatchObject({ Soft: [1_400_000, 2], Funded: [3_000_000, 1] });
    expect(body.funnel.stages[0]).toEqual({ stage: 'Lead', count: 4, target_amount: 12_000_000 });
  });

  it('answers as of now exactly what it answers live', async () => {
    const live = await t.http().get(`/api/dashboard?fund_id=${rec.F2}`).expect(200);
    const now = await t
      .http()
      .get(`/api/dashboard?fund_id=${rec.F2}&as_of=${await momentAfterLastWrite()}`)
      .expect(200);
    const strip = (b: Record<string, unknown>) => ({ ...b, as_of: null, period: null });
    expect(strip(now.body)).toEqual(strip(live.body));
    expect(live.body.funds).toHaveLength(1);
  });

  it("counts each owner's open reminders due this week, with the records they are on", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const nextWeek = new Date(Date.now() + 8 * DAY).toISOString().slice(0, 10);
    const remind = async (record: string, title: string, due_date: string, assignee_id: string) =>
      (
        await t
          .http()
          .post('/api/reminders')
          .send({ record_id: rec[record], title, due_date, assignee_id })
          .expect(201)
      ).body as { id: string };
    const admin = (await t.http().get('/api/auth/me').expect(200)).body as { id: string };
    await remind('A', 'Call back', today, t.member.id);
    await remind('B', 'Send the deck', today, t.member.id);
    await remind('A', 'Later', nextWeek, t.member.id);
    await remind('E', 'Board pack', today, admin.id);
    const done = await remind('A', 'Done already', today, admin.id);
    await t.http().post(`/api/reminders/${done.id}/done`).expect(200);

    const { body } = await t.http().get('/api/dashboard').expect(200);
    expect(body.reminders_due.available).toBe(true);
    // The week starts on or before today (on a Monday, today itself).
    expect(String(body.reminders_due.week.from).slice(0, 10) <= today).toBe(true);
    expect(body.reminders_due.by_owner).toEqual([
      {
        owner_id: t.member.id,
        owner_name: t.member.name,
        count: 2,
        reminders: [
          expect.objectContaining({ title: 'Call back', record_id: rec.A, record_name: 'A' }),
          expect.objectContaining({
            title: 'Send the deck',
            record_id: rec.B,
            table_id: ids.investors,
            due_on: today,
          }),
        ],
      },
      {
        owner_id: admin.id,
        owner_name: expect.any(String),
        count: 1,
        reminders: [expect.objectContaining({ title: 'Board pack', record_name: 'E' })],
      },
    ]);
  });

  it("gives the week of reminders in the reader's zone (tz), from their Monday's midnight", async () => {
    for (const tz of ['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Europe/Zurich']) {
      const { body } = await t
        .http()
        .get(`/api/dashboard?tz=${encodeURIComponent(tz)}`)
        .expect(200);
      const { from, to } = body.reminders_due.week as { from: string; to: string };
      const local = (iso: string) =>
        new Intl.DateTimeFormat('en-GB', {
          timeZone: tz,
          weekday: 'short',
          hour: '2-digit',
          minute: '2-digit',
          hourCycle: 'h23',
        }).format(new Date(iso));
      expect([local(from), local(to)]).toEqual(['Mon 00:00', 'Mon 00:00']);
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(new Date());
      expect(Date.parse(from) <= Date.now() && Date.now() < Date.parse(to)).toBe(true);
      expect(
        today >= new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(new Date(from)),
      ).toBe(true);
    }
  });

  it('is open to members', async () => {
    await t.member.http().get('/api/dashboard').expect(200);
  });

  it.each([
    ['fund_id=recNOPE', 'fund_id', 'unknown_fund'],
    ['from=2026-05-01&to=2026-04-01', 'from', 'from_after_to'],
    ['as_of=2999-01-01', 'as_of', 'in_the_future'],
    ['as_of=2001-01-01', 'as_of', 'before_first_event'],
    ['as_of=last-week', 'as_of', 'not_a_timestamp'],
    ['from=x', 'from', 'not_a_timestamp'],
    ['tz=Mars/Olympus', 'tz', 'unknown_time_zone'],
  ])('answers %s with a 400 naming %s', async (query, field, reason) => {
    const res = await t.http().get(`/api/dashboard?${query}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ reason, details: { field } });
  });
});

/**
 * The live dashboard keeps the parts of its rows that the events since its last answer cannot have
 * changed. After each kind of edit it must answer what a replay of the log answers for the same
 * moment (the as-of path, which keeps nothing).
 */
describe('GET /api/dashboard after each kind of edit', () => {
  const t = apiSuite();
  let ids: Awaited<ReturnType<typeof baseIds>>;
  const rec: Record<string, string> = {};
  const change = async (changes: unknown[]) =>
    (await t.http().post('/api/fundraising/changes').send({ changes }).expect(200)).body as {
      applied: { record_id: string }[];
    };
  const create = async (key: string, table: string, values: Record<string, unknown>) => {
    rec[key] = (await change([{ op: 'create', table_id: table, values }])).applied[0].record_id;
  };
  const c = (f: string) => ids.field('commitments', `commitment.${f}`);
  const set = (key: string, field: string, from: unknown, to: unknown) =>
    change([{ op: 'set', record_id: rec[key], field_id: field, from, to }]);

  /** The live answer, and the answer replayed from the log for the same moment. */
  async function liveAndReplayed() {
    const live = (await t.http().get('/api/dashboard').expect(200)).body as DashboardResult;
    const at = await momentAfterLastWrite();
    const replayed = (await t.http().get(`/api/dashboard?as_of=${at}`).expect(200)).body;
    const strip = (b: object) => ({ ...b, as_of: null, period: null });
    return { live: strip(live), replayed: strip(replayed), body: live };
  }

  beforeAll(async () => {
    ids = await baseIds(t);
    for (const [key, currency] of [
      ['F1', 'USD'],
      ['F2', 'EUR'],
    ])
      await create(key, ids.funds, {
        [ids.field('funds', 'fund.name')]: key,
        [ids.field('funds', 'fund.target_size')]: 10_000_000,
        [ids.field('funds', 'fund.currency')]: currency,
      });
    for (const key of ['A', 'B'])
      await create(key, ids.investors, {
        [ids.inv('name')]: key,
        [ids.inv('stage')]: 'Lead',
        [ids.inv('target_commitment')]: 1_000_000,
        [ids.inv('last_contacted')]: daysAgo(40),
      });
    for (const [key, inv, fund] of [
      ['cA', 'A', 'F1'],
      ['cB', 'B', 'F2'],
    ])
      await create(key, ids.commitments, {
        [c('name')]: key,
        [c('investor')]: [rec[inv]],
        [c('fund')]: [rec[fund]],
        [c('amount')]: 500_000,
        [c('status')]: 'Soft',
        [c('date')]: '2026-02-01',
      });
  });

  it.each<[string, () => Promise<unknown>, (body: DashboardResult) => void]>([
    [
      "an investor's stage",
      () => set('A', ids.inv('stage'), 'Lead', 'Engaged'),
      (b) => expect(b.funnel.stages[1]).toMatchObject({ stage: 'Engaged', count: 1 }),
    ],
    [
      "an investor's target commitment",
      () => set('A', ids.inv('target_commitment'), 1_000_000, 3_000_000),
      (b) => expect(b.funnel.stages[1]).toMatchObject({ target_amount: 3_000_000 }),
    ],
    [
      "an investor's last contact",
      () => set('B', ids.inv('last_contacted'), daysAgo(40), daysAgo(2)),
      (b) => expect(b.staleness.buckets.find((x) => x.key === 'recent')?.count).toBe(1),
    ],
    [
      "an investor's name (no figure reads it)",
      () => set('B', ids.inv('name'), 'B', 'Birch'),
      () => undefined,
    ],
    [
      "a commitment's amount",
      () => set('cA', c('amount'), 500_000, 700_000),
      (b) => expect(b.funds[0]).toMatchObject({ committed: 700_000 }),
    ],
    [
      'a commitment withdrawn',
      () => set('cB', c('status'), 'Soft', 'Withdrawn'),
      (b) => expect(b.funds[1]).toMatchObject({ committed: 0, withdrawn: 500_000, lp_count: 0 }),
    ],
    [
      'an investor archived (its commitments stop counting)',
      () => change([{ op: 'archive', record_id: rec.A }]),
      (b) => expect(b.funds[0]).toMatchObject({ committed: 0, lp_count: 0 }),
    ],
    [
      'the investor brought back',
      () => change([{ op: 'unarchive', record_id: rec.A }]),
      (b) => expect(b.funds[0]).toMatchObject({ committed: 700_000, lp_count: 1 }),
    ],
    [
      'a new investor',
      () => create('C', ids.investors, { [ids.inv('name')]: 'C', [ids.inv('stage')]: 'Diligence' }),
      (b) => expect(b.funnel.stages.find((s) => s.stage === 'Diligence')?.count).toBe(1),
    ],
    [
      'a fund archived',
      () => change([{ op: 'archive', record_id: rec.F2 }]),
      (b) => expect(b.funds.map((f) => f.name)).toEqual(['F1']),
    ],
  ])('after %s, answers live what the log answers', async (_, edit, expectInBody) => {
    // Read first, so that the edit comes after an answer the dashboard may keep parts of.
    await t.http().get('/api/dashboard').expect(200);
    await edit();
    const { live, replayed, body } = await liveAndReplayed();
    expect(live).toEqual(replayed);
    expectInBody(body);
  });
});
