import { type CreateTable } from '../table/decide/create-table.decide';
import { decideCreateTable } from '../table/decide/create-table.decide';
import { decideRetypeField } from '../table/decide/retype-field.decide';
import { amountCurrency } from '../values/amount-currency';
import { Given } from '../testing/given-when-then';
import { defaultFundraisingBase } from './default-base';
import { fundCurrencyRetypes } from './fund-currencies';

/** The default base as it was made before currencies followed the fund: fixed dollars. */
function oldBase(): CreateTable[] {
  let n = 0;
  const { tables } = defaultFundraisingBase((prefix) => `${prefix}_${++n}`);
  return tables.map((t) => ({
    ...t,
    fields: t.fields.map((f) =>
      f.role === 'commitment.amount' || f.role === 'fund.target_size'
        ? { ...f, options: { symbol: '$', precision: 0 } }
        : f,
    ),
  }));
}

function given(tables: CreateTable[]) {
  const g = Given.empty();
  for (const t of tables) g.apply((ctx) => decideCreateTable(t, ctx));
  return g;
}

const roleOf = (g: Given, fieldId: string) =>
  g.ctx
    .tables()
    .flatMap((t) => t.fields)
    .find((f) => f.id === fieldId)?.role;
const never = () => false;

describe('amounts following the fund’s currency in a base from before', () => {
  it('given fixed-dollar amounts, when planned, then Target size follows the fund’s Currency and Amount its Fund', () => {
    const g = given(oldBase());
    const field = (role: string) =>
      g.ctx
        .tables()
        .flatMap((t) => t.fields)
        .find((f) => f.role === role)!;
    const plan = fundCurrencyRetypes(g.ctx.tables(), never);
    expect(plan.map((r) => [roleOf(g, r.field_id), r.options?.currency_from])).toEqual([
      ['fund.target_size', field('fund.currency').id],
      ['commitment.amount', field('commitment.fund').id],
    ]);
    expect(plan[0].options).toMatchObject({ symbol: '$', precision: 0 });
  });

  it('given the plan decided, when a CHF fund’s amounts are read, then in CHF, and nothing is left to plan', () => {
    const g = given(oldBase());
    for (const r of fundCurrencyRetypes(g.ctx.tables(), never))
      g.apply((ctx) => decideRetypeField(r, ctx));
    const fields = g.ctx.tables().flatMap((t) => t.fields);
    const field = (role: string) => fields.find((f) => f.role === role)!;
    const chf = (id: string) => (id === 'rec_chf' ? 'CHF' : null);
    expect(amountCurrency(field('fund.target_size'), 'CHF', chf)).toBe('CHF');
    expect(amountCurrency(field('fund.target_size'), null, chf)).toBe('USD');
    expect(amountCurrency(field('commitment.amount'), ['rec_chf'], chf)).toBe('CHF');
    expect(fundCurrencyRetypes(g.ctx.tables(), never)).toEqual([]);
  });

  it('given a base made with currencies that follow the fund, when planned, then nothing', () => {
    let n = 0;
    const g = given(defaultFundraisingBase((prefix) => `${prefix}_${++n}`).tables);
    expect(fundCurrencyRetypes(g.ctx.tables(), never)).toEqual([]);
  });

  it('given fields whose currency_from their people took away, when planned, then left alone', () => {
    const g = given(oldBase());
    expect(fundCurrencyRetypes(g.ctx.tables(), () => true)).toEqual([]);
  });

  it('given funds without a Currency field, when planned, then nothing', () => {
    const tables = oldBase().map((t) => ({
      ...t,
      fields: t.fields.filter((f) => f.role !== 'fund.currency'),
    }));
    expect(fundCurrencyRetypes(given(tables).ctx.tables(), never)).toEqual([]);
  });
});
