import { type FieldDefinition } from '@crm/events';
import { compileFilter } from './compile-filter';
import { checkFilters } from './validate-filter';
import { filterFieldIds, type FilterGroup } from './view-config';
import { recordAccess, type ViewRecord } from './view-rows';

const fields: FieldDefinition[] = [{ id: 'fld_name', name: 'Name', type: 'text', options: {} }];
const lists = new Map([
  ['rec_1', new Set(['follow_up'])],
  ['rec_2', new Set(['graveyard', 'longshot'])],
]);
const ctx = { now: 0, listsOf: (id: string) => lists.get(id) ?? new Set<string>() };
const rows: ViewRecord[] = ['rec_1', 'rec_2', 'rec_3'].map((id) => ({ id, values: {} }));
const where = (operator: string, value: unknown, extra: object[] = []) =>
  ({
    conjunction: 'and',
    conditions: [{ field_id: 'lists', operator, value }, ...extra],
  }) as FilterGroup;
const shown = (group: FilterGroup) => {
  const p = compileFilter(group, fields, recordAccess, ctx);
  return rows.filter((r) => p === null || p(r)).map((r) => r.id);
};

describe('list conditions: one filter language for views and rules', () => {
  it('given memberships, when filtering in_list, then only the records in that list are shown', () => {
    expect(shown(where('in_list', 'follow_up'))).toEqual(['rec_1']);
    expect(shown(where('in_list', 'longshot'))).toEqual(['rec_2']);
    expect(shown(where('in_list', 'all'))).toEqual(['rec_1', 'rec_2', 'rec_3']);
  });

  it('given memberships, when filtering not_in_list, then the others are shown', () => {
    expect(shown(where('not_in_list', 'graveyard'))).toEqual(['rec_1', 'rec_3']);
  });

  it('combines with field conditions in a group', () => {
    const named = { field_id: 'fld_name', operator: 'is_empty', value: null };
    expect(shown(where('in_list', 'graveyard', [named]))).toEqual(['rec_2']);
  });

  it('without the records’ lists, a list condition holds for no record but `all`', () => {
    const p = compileFilter(where('in_list', 'follow_up'), fields, recordAccess, { now: 0 });
    expect(rows.filter((r) => p!(r))).toEqual([]);
  });

  it('is checked like any condition: a list key, and only the list operators', () => {
    const byId = new Map(fields.map((f) => [f.id, f]));
    expect(checkFilters(where('in_list', 'follow_up'), byId, null)).toEqual(
      where('in_list', 'follow_up'),
    );
    expect(() => checkFilters(where('is', 'follow_up'), byId, null)).toThrow(
      expect.objectContaining({
        details: expect.objectContaining({ field: 'filters.conditions[0].operator' }),
      }),
    );
    expect(() => checkFilters(where('in_list', 'Follow up!'), byId, null)).toThrow(
      expect.objectContaining({
        details: expect.objectContaining({ field: 'filters.conditions[0].value' }),
      }),
    );
  });

  it('given a filter with nested groups and a list condition, when asking what it reads, then each field once and no lists', () => {
    const group = {
      conjunction: 'and',
      conditions: [
        { field_id: 'fld_stage', operator: 'is', value: 'Committed' },
        { field_id: 'lists', operator: 'in_list', value: 'follow_up' },
        {
          conjunction: 'or',
          conditions: [
            { field_id: 'fld_target', operator: '>=', value: 1 },
            { field_id: 'fld_stage', operator: 'is', value: 'Closed' },
          ],
        },
      ],
    } as FilterGroup;
    expect(filterFieldIds(group)).toEqual(['fld_stage', 'fld_target']);
    expect(filterFieldIds(null)).toEqual([]);
  });
});
