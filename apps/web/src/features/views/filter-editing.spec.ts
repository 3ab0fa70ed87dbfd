import type { FieldDefinition } from '@crm/events';
import { type FilterGroup, validateViewConfig } from '@crm/domain';
import {
  appendTo,
  conditionCount,
  newCondition,
  updateAt,
  valueInputFor,
  withField,
  withFieldOrLists,
  withOperator,
} from './filter-editing';

const f = (id: string, type: string, options: Record<string, unknown> = {}): FieldDefinition => ({
  id,
  name: id,
  type,
  options,
  role: null,
});
const FIELDS = [
  f('name', 'text'),
  f('amount', 'currency'),
  f('stage', 'single_select', { choices: [{ name: 'Lead' }] }),
  f('next', 'date'),
  f('tags', 'multiple_select', { choices: [{ name: 'A' }] }),
  f('done', 'checkbox'),
];

const LISTS = [
  { list: 'main', name: 'Main' },
  { list: 'follow_up', name: 'Follow-up' },
];

describe('filter editing', () => {
  it('turns a condition into "Lists contains <the first list>", which the server accepts', () => {
    const c = withFieldOrLists(newCondition(FIELDS[0]), 'lists', FIELDS[0], LISTS);
    expect(c).toEqual({ field_id: 'lists', operator: 'in_list', value: 'main' });
    expect(() =>
      validateViewConfig({ filters: { conjunction: 'and', conditions: [c!] } }, FIELDS),
    ).not.toThrow();
  });

  it('keeps a list condition picked again, and starts over when it goes back to a field', () => {
    const c = { field_id: 'lists', operator: 'not_in_list' as const, value: 'follow_up' };
    expect(withFieldOrLists(c, 'lists', undefined, LISTS)).toBe(c);
    expect(withFieldOrLists(c, FIELDS[1], undefined, LISTS)).toEqual(newCondition(FIELDS[1]));
  });

  it('offers no list condition when there is no list to name', () => {
    expect(withFieldOrLists(newCondition(FIELDS[0]), 'lists', FIELDS[0], [])).toBeNull();
  });

  it('starts every field with an operator that fits and a value the server accepts', () => {
    for (const field of FIELDS) {
      const c = newCondition(field);
      expect(() =>
        validateViewConfig({ filters: { conjunction: 'and', conditions: [c] } }, FIELDS),
      ).not.toThrow();
    }
  });

  it('keeps the value when the operator keeps its kind of box, and starts it over otherwise', () => {
    const c = { field_id: 'amount', operator: '>' as const, value: 5 };
    expect(withOperator(c, FIELDS[1], '>=')).toEqual({
      field_id: 'amount',
      operator: '>=',
      value: 5,
    });
    expect(withOperator(c, FIELDS[1], 'is_empty')).toEqual({
      field_id: 'amount',
      operator: 'is_empty',
      value: null,
    });
    expect(
      withField({ field_id: 'name', operator: 'contains', value: 'x' }, FIELDS[1], FIELDS[0]),
    ).toEqual({ field_id: 'amount', operator: '=', value: null });
    expect(valueInputFor(FIELDS[3], 'is_within')).toBe('within');
    expect(valueInputFor(FIELDS[2], 'has_any_of')).toBe('choices');
  });

  it('edits nested groups without touching the others', () => {
    let g: FilterGroup = { conjunction: 'and', conditions: [] };
    g = appendTo(g, [], newCondition(FIELDS[0]));
    g = appendTo(g, [], { conjunction: 'or', conditions: [] });
    g = appendTo(g, [1], newCondition(FIELDS[1]));
    g = appendTo(g, [1], { conjunction: 'and', conditions: [newCondition(FIELDS[5])] });
    expect(conditionCount(g)).toBe(3);
    const before = JSON.stringify(g.conditions[0]);
    g = updateAt(g, [1, 1, 0], () => null);
    expect(conditionCount(g)).toBe(2);
    expect(JSON.stringify(g.conditions[0])).toBe(before);
    g = updateAt(g, [1], (x) => ({ ...(x as FilterGroup), conjunction: 'and' }));
    expect((g.conditions[1] as FilterGroup).conjunction).toBe('and');
  });
});
