import { type FieldDefinition } from '@crm/events';
import {
  amountCurrency,
  byCurrency,
  currencyFieldOf,
  currencyLinkOf,
  currencyOfCell,
} from './amount-currency';
import { normalizeFieldOptions } from './field-options';
import { domainErrorOf } from '../testing/domain-error-of';

const field = (
  id: string,
  type: string,
  options: Record<string, unknown> = {},
  role: string | null = null,
  name = id,
): FieldDefinition => ({ id, name, type, options, role });

const fromFund = field('amount', 'currency', { currency_from: 'fund', currency: 'USD' });
const fundCurrency: Record<string, string | null> = { chf: 'CHF', eur: 'EUR', none: null };
const currencyOf = (id: string) => fundCurrency[id] ?? null;

describe('a commitment takes its currency from its linked fund', () => {
  it('given an amount linked to a CHF fund, when its currency is read, then CHF', () => {
    expect(amountCurrency(fromFund, ['chf'], currencyOf)).toBe('CHF');
  });

  it('given no fund, or a fund naming no currency, when read, then the field’s own code stands', () => {
    expect(amountCurrency(fromFund, [], currencyOf)).toBe('USD');
    expect(amountCurrency(fromFund, null, currencyOf)).toBe('USD');
    expect(amountCurrency(fromFund, ['none'], currencyOf)).toBe('USD');
  });

  it('given funds in two currencies, when read, then no one currency', () => {
    expect(amountCurrency(fromFund, ['chf', 'eur'], currencyOf)).toBeNull();
    expect(amountCurrency(fromFund, ['chf', 'chf'], currencyOf)).toBe('CHF');
  });

  it('given a field of one currency, when read, then its own code whatever it links to', () => {
    const usd = field('usd', 'currency', { currency: 'GBP' });
    expect(currencyLinkOf(usd)).toBeNull();
    expect(amountCurrency(usd, ['chf'], currencyOf)).toBe('GBP');
  });

  it('given a funds table, when its currency field is sought, then the Currency role, else one named so', () => {
    const role = field('f_cur', 'single_select', {}, 'fund.currency', 'Devise');
    const named = field('x', 'text', {}, null, ' currency ');
    expect(currencyFieldOf([named, role])?.id).toBe('f_cur');
    expect(currencyFieldOf([field('n', 'text'), named])?.id).toBe('x');
    expect(currencyFieldOf([field('n', 'number', {}, null, 'Currency')])).toBeUndefined();
  });

  it('given Currency cells, when read, then ISO codes only', () => {
    expect(currencyOfCell(' chf ')).toBe('CHF');
    expect(currencyOfCell('Swiss francs')).toBeNull();
    expect(currencyOfCell(null)).toBeNull();
  });

  it('given amounts with their currencies, when grouped, then per currency with unknown apart', () => {
    const groups = byCurrency([10, 5, null, 7, 'x', 1], ['CHF', 'USD', 'CHF', 'CHF', 'USD', null]);
    expect([...groups]).toEqual([
      ['CHF', [10, 7]],
      ['USD', [5]],
      ['', [1]],
    ]);
  });
});

describe('currency_from in a field’s options', () => {
  const fields = [field('fund', 'link', { table_id: 'tbl_f' }), field('name', 'text')];
  const ctx = { tableExists: () => true, fields };

  it('given a link field of the table, when saved, then kept', () => {
    expect(
      normalizeFieldOptions('Amount', 'currency', { currency_from: 'fund', precision: 0 }, ctx),
    ).toEqual({ currency_from: 'fund', symbol: '$', precision: 0 });
  });

  it('given a field that is no link, or none, when saved, then refused naming the option', () => {
    for (const given of ['name', 'gone', 42]) {
      const e = domainErrorOf(() =>
        normalizeFieldOptions('Amount', 'currency', { currency_from: given }, ctx),
      );
      expect(e.code).toBe('validation');
      expect(e.details).toMatchObject({ option: 'currency_from', reason: 'not_a_link_field' });
    }
  });
});

describe('an amount in its own record’s currency', () => {
  const currency = field('cur', 'single_select', {}, 'fund.currency', 'Currency');
  const target = field('target', 'currency', { currency: 'USD', currency_from: 'cur' });
  const ctx = { tableExists: () => true, fields: [currency, field('name', 'text')] };

  it('given a fund’s Currency cell, when its target is read, then in that currency', () => {
    expect(amountCurrency(target, 'CHF', currencyOf)).toBe('CHF');
    expect(amountCurrency(target, ' eur', currencyOf)).toBe('EUR');
  });

  it('given an empty or unknown Currency cell, when read, then the field’s own code', () => {
    expect(amountCurrency(target, null, currencyOf)).toBe('USD');
    expect(amountCurrency(target, 'francs', currencyOf)).toBe('USD');
  });

  it('given the table’s Currency field, when saved as currency_from, then kept; another field refused', () => {
    expect(
      normalizeFieldOptions('Target', 'currency', { currency: 'USD', currency_from: 'cur' }, ctx),
    ).toEqual({ currency: 'USD', currency_from: 'cur', precision: 2 });
    const e = domainErrorOf(() =>
      normalizeFieldOptions('Target', 'currency', { currency_from: 'name' }, ctx),
    );
    expect(e.details).toMatchObject({ option: 'currency_from', reason: 'not_a_link_field' });
  });
});
