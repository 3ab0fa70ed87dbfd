import { apiSuite } from '../support/api-suite';
import { baseIds } from '../support/test-app';

/** A commitment's amount is in its fund's currency, and no total adds two currencies together. */
describe('amounts in their funds’ currencies', () => {
  const t = apiSuite();
  let ids: Awaited<ReturnType<typeof baseIds>>;
  const com = (role: string) => ids.field('commitments', `commitment.${role}`);
  const fund = (role: string) => ids.field('funds', `fund.${role}`);

  const change = (changes: Record<string, unknown>[]) =>
    t.http().post('/api/fundraising/changes').send({ changes }).expect(200);
  const create = async (tableId: string, values: Record<string, unknown>) =>
    (await change([{ op: 'create', table_id: tableId, values }])).body.applied[0]
      .record_id as string;
  const committedOf = (investorId: string) => {
    const field = t.core.repo
      .table(ids.investors)!
      .fields.find((f) => f.role === 'investor.committed_amount')!;
    return t.core.repo.record(investorId)?.computed?.[field.id];
  };

  beforeAll(async () => {
    ids = await baseIds(t);
  });

  it('gives the default base’s commitment amount the currency of its Fund', () => {
    const amount = t.core.repo.table(ids.commitments)!.fields.find((f) => f.id === com('amount'))!;
    expect(amount.options).toMatchObject({ currency: 'USD', currency_from: com('fund') });
  });

  it('totals an investor’s commitments to funds of one currency, and refuses CHF and USD together', async () => {
    const alpine = await create(ids.funds, {
      [fund('name')]: 'Alpine I',
      [fund('currency')]: 'CHF',
    });
    const growth = await create(ids.funds, { [fund('name')]: 'Growth', [fund('currency')]: 'USD' });
    const lp = await create(ids.investors, { [ids.inv('name')]: 'Zurich Pension' });
    const inAlpine = (amount: number) =>
      create(ids.commitments, {
        [com('amount')]: amount,
        [com('investor')]: [lp],
        [com('fund')]: [alpine],
        [com('status')]: 'Hard',
      });
    await inAlpine(1_000);
    await inAlpine(250);
    expect(committedOf(lp)).toBe(1_250);

    const usd = await create(ids.commitments, {
      [com('amount')]: 99,
      [com('investor')]: [lp],
      [com('fund')]: [growth],
      [com('status')]: 'Signed',
    });
    expect(committedOf(lp)).toEqual({
      error: 'amounts in different currencies (CHF, USD) have no one total',
    });

    // Moved to the franc fund, it adds up again: the rollup reads its commitments' fund links.
    await change([
      { op: 'set', record_id: usd, field_id: com('fund'), from: [growth], to: [alpine] },
    ]);
    expect(committedOf(lp)).toBe(1_349);

    // And moved away again, from a total that was one number: the move is seen, not added as a delta.
    await change([
      { op: 'set', record_id: usd, field_id: com('fund'), from: [alpine], to: [growth] },
    ]);
    expect(committedOf(lp)).toEqual({
      error: 'amounts in different currencies (CHF, USD) have no one total',
    });
  });

  it('refuses a currency taken from a field that is no link, naming the option', async () => {
    const res = await t
      .http()
      .post(`/api/fundraising/tables/${ids.commitments}/fields`)
      .send({ name: 'Fee', type: 'currency', options: { currency_from: com('name') } })
      .expect(400);
    expect(res.body.details).toMatchObject({ option: 'currency_from', reason: 'not_a_link_field' });
  });
});
