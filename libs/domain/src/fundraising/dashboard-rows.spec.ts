import { decideCreateTable } from '../table/decide/create-table.decide';
import { type TableState } from '../table/table.state';
import { Given } from '../testing/given-when-then';
import { dashboardPartsTouched, type LoggedChange } from './dashboard-rows';
import { defaultFundraisingBase, TABLE_ROLES } from './default-base';

/** Given the default base's tables, found by role, and a field of one by its role. */
function givenDefaultTables() {
  let n = 0;
  const base = defaultFundraisingBase((prefix) => `${prefix}_${++n}`);
  const g = Given.empty();
  for (const t of base.tables) g.apply((ctx) => decideCreateTable(t, ctx));
  const tables: TableState[] = [...g.state.tables.values()];
  const table = (role: string) => tables.find((t) => t.role === role)!;
  const field = (role: string, fieldRole: string) =>
    table(role).fields.find((f) => f.role === fieldRole)!.id;
  return { tables, table, field };
}

describe('dashboardPartsTouched', () => {
  const { tables, table, field } = givenDefaultTables();
  const updated = (role: string, ...fields: string[]): LoggedChange => ({
    type: 'RecordUpdated',
    data: { table_id: table(role).id, changes: fields.map((field_id) => ({ field_id })) },
  });
  const touched = (...events: LoggedChange[]) => [...dashboardPartsTouched(events, tables)].sort();

  it('given no events, touches nothing', () => {
    expect(touched()).toEqual([]);
  });

  it("given an investor's stage or target edited, touches the stages alone", () => {
    expect(touched(updated('investors', field('investors', 'investor.stage')))).toEqual(['stages']);
    expect(touched(updated('investors', field('investors', 'investor.target_commitment')))).toEqual(
      ['stages'],
    );
  });

  it("given an investor's last contact edited, touches the contacts alone", () => {
    expect(touched(updated('investors', field('investors', 'investor.last_contacted')))).toEqual([
      'contacted',
    ]);
  });

  it("given an investor's name or notes edited, touches nothing", () => {
    expect(
      touched(
        updated('investors', field('investors', 'investor.name')),
        updated('investors', field('investors', 'investor.notes')),
      ),
    ).toEqual([]);
  });

  it('given any record event of a commitment or a fund, touches the funds', () => {
    expect(touched(updated('commitments', field('commitments', 'commitment.amount')))).toEqual([
      'funds',
    ]);
    expect(
      touched({ type: 'RecordArchived', data: { table_id: table(TABLE_ROLES.funds).id } }),
    ).toEqual(['funds']);
  });

  it('given an investor created, archived or brought back, touches every part', () => {
    for (const type of ['RecordCreated', 'RecordArchived', 'RecordUnarchived'])
      expect(touched({ type, data: { table_id: table('investors').id } })).toEqual([
        'contacted',
        'funds',
        'stages',
      ]);
  });

  it("given a schema change of a table the dashboard reads, or an unknown table's event, touches every part", () => {
    expect(touched({ type: 'FieldRemoved', data: { table_id: table('commitments').id } })).toEqual([
      'contacted',
      'funds',
      'stages',
    ]);
    expect(touched({ type: 'RecordUpdated', data: { table_id: 'tbl_gone', changes: [] } })).toEqual(
      ['contacted', 'funds', 'stages'],
    );
  });

  it("given a contact's edit or schema change, touches nothing", () => {
    expect(
      touched(updated('contacts', field('contacts', 'contact.name')), {
        type: 'FieldAdded',
        data: { table_id: table('contacts').id },
      }),
    ).toEqual([]);
  });
});
