import { replay, initialBaseState } from '../base/base.state';
import { decideChanges } from '../record/decide/apply-changes.decide';
import { decideCreateTable } from '../table/decide/create-table.decide';
import { eventsOf, Given } from '../testing/given-when-then';
import { type TeamMember } from '../values/user-value';
import { decideConvertOwner, matchOwner } from './convert-owner.decide';
import { TABLE_ROLES } from './default-base';

const ANN: TeamMember = { id: 'usr_ann', name: 'Ann Lee', email: 'ann@fund.com', disabled: false };
const BOB: TeamMember = { id: 'usr_bob', name: 'Bob Ray', email: 'Bob@Fund.com', disabled: true };
const TWIN_A: TeamMember = {
  id: 'usr_t1',
  name: 'Sam Park',
  email: 's1@fund.com',
  disabled: false,
};
const TWIN_B: TeamMember = {
  id: 'usr_t2',
  name: 'Sam Park',
  email: 's2@fund.com',
  disabled: false,
};
const TEAM = [ANN, BOB, TWIN_A, TWIN_B];

describe('matching an owner text to a member of the team', () => {
  it.each([
    ['the exact name', 'Ann Lee', 'usr_ann'],
    ['the name in another case, with spaces around', '  ann LEE ', 'usr_ann'],
    ['the email in another case', 'bob@FUND.com', 'usr_bob'],
    ['a disabled member', 'Bob Ray', 'usr_bob'],
    ['a name two members share', 'Sam Park', undefined],
    ['one of their emails', 's2@fund.com', 'usr_t2'],
    ['a first name only', 'Ann', undefined],
    ['nothing', '   ', undefined],
  ])('given %s, then the match is %s', (_, text, want) => {
    expect(matchOwner(text, TEAM)?.id).toBe(want);
  });
});

describe('converting a text Owner into a people field', () => {
  /** Given an investors table whose Owner is text, with owners typed as people typed them. */
  function given(owners: (string | null)[]): Given {
    const g = Given.empty();
    g.apply((ctx) =>
      decideCreateTable(
        {
          table_id: 'tbl_inv',
          name: 'Investors',
          role: TABLE_ROLES.investors,
          fields: [
            { id: 'fld_name', name: 'Name', type: 'text', role: 'investor.name' },
            { id: 'fld_owner', name: 'Owner', type: 'text', role: 'investor.owner' },
          ],
        },
        ctx,
      ),
    );
    g.apply((ctx) =>
      decideChanges(
        {
          changes: owners.map((o, i) => ({
            op: 'create' as const,
            table_id: 'tbl_inv',
            record_id: `rec${i}`,
            values: { fld_name: `LP ${i}`, fld_owner: o },
          })),
          at: g.now,
          actor_id: 'usr_ann',
        },
        ctx,
      ),
    );
    return g;
  }
  const convert = (g: Given) =>
    decideConvertOwner({ text_field_id: 'fld_kept', team: TEAM }, g.ctx);

  it('given mixed owners, when converted, then matches become members and the rest is kept as text', () => {
    const g = given(['Ann Lee', 'bob@fund.com', 'Sam Park', 'Old partner', null]);
    const d = convert(g);
    expect(d.matched).toBe(2);
    expect(d.unmatched).toEqual([
      { record_id: 'rec2', value: 'Sam Park' },
      { record_id: 'rec3', value: 'Old partner' },
    ]);
    g.appendAll(d.appends, 'system');
    const state = replay(g.store.readAll(), initialBaseState());
    const table = state.tables.get('tbl_inv')!;
    expect(table.fields.find((f) => f.id === 'fld_owner')).toMatchObject({
      type: 'user',
      options: { multiple: false },
    });
    expect(table.fields.find((f) => f.id === 'fld_kept')).toMatchObject({
      name: 'Owner (text)',
      type: 'text',
    });
    const values = (id: string) => state.records.get(id)!.values;
    expect(values('rec0')).toMatchObject({ fld_owner: ['usr_ann'] });
    expect(values('rec1')).toMatchObject({ fld_owner: ['usr_bob'] });
    expect(values('rec2')).toMatchObject({ fld_kept: 'Sam Park' });
    expect(values('rec3')).toMatchObject({ fld_kept: 'Old partner' });
    expect(values('rec3').fld_owner ?? []).toEqual([]);
    expect(values('rec4').fld_kept).toBeUndefined();
  });

  it('given every owner matches, when converted, then no "Owner (text)" field is added', () => {
    const d = convert(given(['Ann Lee', 'ann@fund.com']));
    expect(eventsOf(d).map((e) => e.type)).toEqual([
      'FieldRetyped',
      'RecordUpdated',
      'RecordUpdated',
    ]);
  });

  it('given the conversion ran, when it is decided again, then nothing more is appended', () => {
    const g = given(['Ann Lee', 'Old partner']);
    g.appendAll(convert(g).appends, 'system');
    expect(eventsOf(convert(g))).toEqual([]);
  });

  it('given the retype, then it lists what could not convert, for history and the activity feed', () => {
    const retyped = eventsOf(convert(given(['Old partner']))).find(
      (e) => e.type === 'FieldRetyped',
    );
    expect(retyped?.data).toMatchObject({
      from: { type: 'text' },
      to: { type: 'user' },
      unconverted: [{ record_id: 'rec0', value: 'Old partner' }],
    });
  });
});
