import { decideCreateTable } from '../table/decide/create-table.decide';
import { Given } from '../testing/given-when-then';
import { decideSaveView } from '../view/decide/save-view.decide';
import { defaultFundraisingBase, TABLE_ROLES } from './default-base';

function counterIds() {
  let n = 0;
  return (prefix: string) => `${prefix}_${++n}`;
}

/** Given the default base decided and appended, as the first-run handler does. */
function givenDefaultBase() {
  const base = defaultFundraisingBase(counterIds());
  const g = Given.empty();
  for (const t of base.tables) g.apply((ctx) => decideCreateTable(t, ctx));
  for (const v of base.views) g.apply((ctx) => decideSaveView(v, ctx));
  return { base, g };
}

describe('defaultFundraisingBase', () => {
  it('decides without error into four tables and a grid view each', () => {
    const { g } = givenDefaultBase();
    const s = g.state;
    expect([...s.tables.values()].map((t) => [t.name, t.role, t.fields.length])).toEqual([
      ['Investors', 'investors', 12],
      ['Funds', 'funds', 5],
      ['Contacts', 'contacts', 6],
      ['Commitments', 'commitments', 6],
    ]);
    expect([...s.views.values()].map((v) => [s.tables.get(v.table_id)?.name, v.name])).toEqual([
      ['Investors', 'Grid view'],
      ['Funds', 'Grid view'],
      ['Contacts', 'Grid view'],
      ['Commitments', 'Grid view'],
    ]);
  });

  it('gives every field a role, unique across the base', () => {
    const { g } = givenDefaultBase();
    const fields = [...g.state.tables.values()].flatMap((t) => t.fields);
    for (const f of fields) expect(f.role).toEqual(expect.stringMatching(/^[a-z]+\.[a-z_]+$/));
    expect(new Set(fields.map((f) => f.role)).size).toBe(fields.length);
  });

  it('makes the name the primary field of every table', () => {
    const { g } = givenDefaultBase();
    for (const t of g.state.tables.values()) {
      expect(t.fields.find((f) => f.id === t.primary_field_id)).toMatchObject({
        name: 'Name',
        type: 'text',
      });
    }
  });

  it('links contacts and commitments to investors, and commitments to funds', () => {
    const { g } = givenDefaultBase();
    const tables = [...g.state.tables.values()];
    const byRole = (role: string) => tables.find((t) => t.role === role)!;
    const link = (tableRole: string, fieldRole: string) =>
      byRole(tableRole).fields.find((f) => f.role === fieldRole);
    expect(link(TABLE_ROLES.contacts, 'contact.investor')).toMatchObject({
      type: 'link',
      options: { table_id: byRole('investors').id },
    });
    expect(link(TABLE_ROLES.commitments, 'commitment.investor')).toMatchObject({
      type: 'link',
      options: { table_id: byRole('investors').id },
    });
    expect(link(TABLE_ROLES.commitments, 'commitment.fund')).toMatchObject({
      type: 'link',
      options: { table_id: byRole('funds').id },
    });
  });

  it("shows the fund's vintage year without a thousands separator, and amounts with one", () => {
    const { g } = givenDefaultBase();
    const fields = [...g.state.tables.values()].flatMap((t) => t.fields);
    expect(fields.find((f) => f.role === 'fund.vintage')?.options).toEqual({
      precision: 0,
      thousands_separator: false,
    });
    // In the fund's own currency, dollars while it names none.
    expect(fields.find((f) => f.role === 'fund.target_size')?.options).toEqual({
      currency: 'USD',
      currency_from: fields.find((f) => f.role === 'fund.currency')?.id,
      precision: 0,
    });
  });

  it("orders each view's columns as its table's fields", () => {
    const { g } = givenDefaultBase();
    const s = g.state;
    for (const v of s.views.values())
      expect(v.config.field_order).toEqual(s.tables.get(v.table_id)?.fields.map((f) => f.id));
  });

  it('takes every id from the caller', () => {
    const base = defaultFundraisingBase(counterIds());
    const ids = [
      ...base.tables.flatMap((t) => [t.table_id, ...t.fields.map((f) => f.id)]),
      ...base.views.map((v) => v.view_id),
    ];
    expect(ids.every((id) => /^(tbl|fld|viw)_\d+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
