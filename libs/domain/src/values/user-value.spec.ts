import { type FieldDefinition } from '@crm/events';
import { formatCellText } from '../export/format-cell';
import { applyView } from '../filter/apply-view';
import { validateViewConfig } from '../filter/validate-view-config';
import { recordAccess, type ViewRecord } from '../filter/view-rows';
import { compileFormula } from '../formula/formula';
import { decideChanges } from '../record/decide/apply-changes.decide';
import { decideCreateTable } from '../table/decide/create-table.decide';
import { domainErrorOf } from '../testing/domain-error-of';
import { eventsOf, Given } from '../testing/given-when-then';
import { normalizeFieldOptions } from './field-options';
import { normalizeCell } from './normalize';
import { type TeamDirectory, type TeamMember } from './user-value';

const ANN: TeamMember = { id: 'usr_ann', name: 'Ann Lee', email: 'ann@fund.com', disabled: false };
const BOB: TeamMember = { id: 'usr_bob', name: 'Bob Ray', email: 'bob@fund.com', disabled: true };
const TEAM: TeamDirectory = (id) => [ANN, BOB].find((m) => m.id === id);

const field = (multiple: boolean): FieldDefinition => ({
  id: 'fld_owner',
  name: 'Owner',
  type: 'user',
  options: { multiple },
  role: null,
});

describe('a people field value', () => {
  it.each([
    ['one id', 'usr_ann', false, ['usr_ann']],
    ['a list of one', ['usr_ann'], false, ['usr_ann']],
    ['nothing', null, false, []],
    ['an empty text', '', false, []],
    ['several, repeated', ['usr_ann', 'usr_bob', 'usr_ann'], true, ['usr_ann', 'usr_bob']],
  ])('given %s, when normalized, then it is stored as a list of ids', (_, raw, multiple, want) => {
    expect(normalizeCell(field(multiple), raw)).toEqual(want);
  });

  it.each([
    ['a name', 'Ann Lee', false],
    ['a number', 42, false],
    ['two people in a single field', ['usr_ann', 'usr_bob'], false],
    ['a list holding a number', ['usr_ann', 7], true],
  ])('given %s, when normalized, then it is refused naming the field', (_, raw, multiple) => {
    const e = domainErrorOf(() => normalizeCell(field(multiple), raw));
    expect(e.reason).toBe('unknown_user');
    expect(e.details).toMatchObject({ field: 'Owner', field_id: 'fld_owner' });
  });

  it('given options, when saved, then multiple is a boolean and nothing else is kept', () => {
    const ctx = { tableExists: () => true };
    expect(normalizeFieldOptions('Owner', 'user', { multiple: true, x: 1 }, ctx)).toEqual({
      multiple: true,
    });
    expect(normalizeFieldOptions('Owner', 'user', undefined, ctx)).toEqual({ multiple: false });
    expect(() => normalizeFieldOptions('Owner', 'user', { multiple: 'yes' }, ctx)).toThrow(
      expect.objectContaining({ reason: 'not_a_boolean' }),
    );
  });
});

describe('setting a people cell', () => {
  function given(): Given {
    const g = Given.empty();
    g.apply((ctx) =>
      decideCreateTable(
        {
          table_id: 'tbl_inv',
          name: 'Investors',
          fields: [
            { id: 'fld_name', name: 'Name', type: 'text' },
            { id: 'fld_owner', name: 'Owner', type: 'user' },
          ],
        },
        ctx,
      ),
    );
    return g;
  }
  const create = (g: Given, owner: unknown) =>
    decideChanges(
      {
        changes: [
          {
            op: 'create',
            table_id: 'tbl_inv',
            record_id: 'recA',
            values: { fld_name: 'Yale', fld_owner: owner },
          },
        ],
        at: g.now,
        actor_id: 'usr_ann',
      },
      { ...g.ctx, member: TEAM },
    );

  it('given a member of the team, when set, then the record holds their id', () => {
    const events = eventsOf(create(given(), 'usr_ann'));
    expect(events[0]).toMatchObject({
      type: 'RecordCreated',
      data: { values: { fld_name: 'Yale', fld_owner: ['usr_ann'] } },
    });
  });

  it('given a disabled member, when set, then they are still a person of the team', () => {
    expect(eventsOf(create(given(), 'usr_bob'))).toHaveLength(1);
  });

  it('given an id of nobody in the team, when set, then it is refused and nothing is decided', () => {
    const e = domainErrorOf(() => create(given(), 'usr_nobody'));
    expect(e.reason).toBe('unknown_user');
    expect(e.details).toMatchObject({ field: 'changes[0]', field_id: 'fld_owner' });
  });
});

describe('filtering by people, and "me"', () => {
  const owner = field(true);
  const rows: ViewRecord[] = [
    { id: 'r1', values: { fld_owner: ['usr_ann'] } },
    { id: 'r2', values: { fld_owner: ['usr_bob', 'usr_ann'] } },
    { id: 'r3', values: { fld_owner: ['usr_bob'] } },
    { id: 'r4', values: {} },
  ];
  const shown = (condition: Record<string, unknown>, me: string | null) => {
    const config = validateViewConfig(
      { filters: { conjunction: 'and', conditions: [{ field_id: 'fld_owner', ...condition }] } },
      [owner],
    );
    return applyView(rows, [owner], config, recordAccess, { now: 0, me }).map((r) => r.id);
  };

  it.each([
    [{ operator: 'is', value: { me: true } }, 'usr_ann', ['r1', 'r2']],
    [{ operator: 'is', value: { me: true } }, 'usr_bob', ['r2', 'r3']],
    [{ operator: 'is', value: { me: true } }, null, []],
    [{ operator: 'is_not', value: { me: true } }, 'usr_ann', ['r3', 'r4']],
    [{ operator: 'is', value: 'usr_bob' }, 'usr_ann', ['r2', 'r3']],
    [{ operator: 'has_any_of', value: ['usr_bob', { me: true }] }, 'usr_ann', ['r1', 'r2', 'r3']],
    [{ operator: 'is_empty', value: null }, 'usr_ann', ['r4']],
    [{ operator: 'is_not_empty', value: null }, 'usr_ann', ['r1', 'r2', 'r3']],
  ])('given the condition %j read by %s, then the view shows %j', (condition, me, want) => {
    expect(shown(condition, me)).toEqual(want);
  });

  it('given people, when sorted, then by their names (ids when no name is known)', () => {
    const sorts = [{ field_id: 'fld_owner', direction: 'asc' }];
    // Names in the other order than the ids, so that an order by id would show.
    const NAMES: Record<string, string> = { usr_ann: 'Zoe Ann', usr_bob: 'Abe Bob' };
    const ctx = { now: 0, personName: (id: string) => NAMES[id] };
    const people: ViewRecord[] = [
      { id: 'b', values: { fld_owner: ['usr_bob'] } },
      { id: 'a', values: { fld_owner: ['usr_ann'] } },
      { id: 'z', values: {} },
    ];
    expect(applyView(people, [owner], { sorts }, recordAccess, ctx).map((r) => r.id)).toEqual([
      'z',
      'b',
      'a',
    ]);
  });

  it('given a condition naming "me" wrongly, when saved, then it is refused naming its path', () => {
    expect(() => shown({ operator: 'is', value: { me: 'yes' } }, null)).toThrow(
      expect.objectContaining({
        details: expect.objectContaining({ field: 'filters.conditions[0].value' }),
      }),
    );
  });
});

describe('people in formulas and exports', () => {
  it('given a people field, when a formula reads it, then it reads the names joined by ", "', () => {
    const f = compileFormula('"Owned by " & {Owner}', { fields: [field(true)] });
    const record = {
      id: 'recA',
      values: { fld_owner: ['usr_ann', 'usr_bob'] },
      created_at: null,
      updated_at: null,
      team: TEAM,
    };
    expect(f.evaluate(record, 0)).toBe('Owned by Ann Lee, Bob Ray');
    expect(f.evaluate({ ...record, values: {} }, 0)).toBe('Owned by ');
  });

  it('given a people cell, when exported, then it writes the names (a disabled member too)', () => {
    const ctx = { linkText: () => undefined, actorName: (id: string) => TEAM(id)?.name ?? id };
    expect(formatCellText(field(true), ['usr_ann', 'usr_bob'], ctx)).toBe('Ann Lee,Bob Ray');
  });
});
