import { type FieldDefinition } from '@crm/events';
import { applyView } from './apply-view';
import { orderedLists } from './list-order';
import { validateViewConfig } from './validate-view-config';
import { viewGroups } from './view-groups';
import { recordAccess, type ViewRecord } from './view-rows';

const fields: FieldDefinition[] = [
  { id: 'fld_name', name: 'Name', type: 'text', options: {}, role: null },
  { id: 'fld_amt', name: 'Amount', type: 'number', options: {}, role: null },
];
const lists = new Map<string, Set<string>>([
  ['rec_grave', new Set(['graveyard'])],
  ['rec_warm', new Set(['warm_leads'])],
  ['rec_main', new Set(['main', 'all'])],
  ['rec_none', new Set(['all'])],
  ['rec_follow', new Set(['follow_up'])],
  ['rec_long', new Set(['longshot', 'graveyard'])],
  ['rec_angels', new Set(['angels'])],
  ['rec_main2', new Set(['main'])],
]);
const ctx = { now: 0, listsOf: (id: string) => lists.get(id) ?? new Set<string>() };
const rows: ViewRecord[] = [...lists.keys()].map((id, i) => ({
  id,
  values: { fld_name: id, fld_amt: i + 1 },
}));
const ordered = (config: object) =>
  applyView(rows, fields, config, recordAccess, ctx).map((r) => r.id);

describe('the Lists column sorts and groups like a field', () => {
  it('given records in lists, when sorted by lists A→Z, then main, follow-up, longshot, graveyard, then the fund’s lists by key, and no list first', () => {
    expect(ordered({ sorts: [{ field_id: 'lists', direction: 'asc' }] })).toEqual([
      'rec_none',
      'rec_main',
      'rec_main2',
      'rec_follow',
      'rec_long',
      'rec_grave',
      'rec_angels',
      'rec_warm',
    ]);
  });

  it('when sorted Z→A, then the same order reversed, ties keeping their order and no list last', () => {
    expect(ordered({ sorts: [{ field_id: 'lists', direction: 'desc' }] })).toEqual([
      'rec_warm',
      'rec_angels',
      'rec_grave',
      'rec_long',
      'rec_follow',
      'rec_main',
      'rec_main2',
      'rec_none',
    ]);
  });

  it('reads a record’s lists in that order (all aside)', () => {
    expect(orderedLists(['warm_leads', 'graveyard', 'all', 'main', 'angels', 'longshot'])).toEqual([
      'main',
      'longshot',
      'graveyard',
      'angels',
      'warm_leads',
    ]);
  });

  it('when grouped by lists, then one group per set of lists, in the sort order, with sums', () => {
    const config = { group_by: [{ field_id: 'lists', direction: 'asc' as const }] };
    const inOrder = applyView(rows, fields, config, recordAccess, ctx);
    const groups = viewGroups(inOrder, fields, config.group_by, recordAccess, ctx);
    expect(groups.map((g) => [g.value, g.count, g.sums.fld_amt])).toEqual([
      [[], 1, 4],
      [['main'], 2, 3 + 8],
      [['follow_up'], 1, 5],
      [['longshot', 'graveyard'], 1, 6],
      [['graveyard'], 1, 1],
      [['angels'], 1, 7],
      [['warm_leads'], 1, 2],
    ]);
    expect(groups.every((g) => g.field_id === 'lists')).toBe(true);
  });

  it('without the records’ lists, every record is in none and keeps its order', () => {
    const config = { sorts: [{ field_id: 'lists', direction: 'asc' }] };
    expect(applyView(rows, fields, config, recordAccess, { now: 0 }).map((r) => r.id)).toEqual(
      rows.map((r) => r.id),
    );
  });

  it('is accepted in a view’s sorts and group levels, once each', () => {
    const config = validateViewConfig(
      {
        sorts: [{ field_id: 'lists', direction: 'desc' }],
        group_by: [{ field_id: 'lists', direction: 'asc' }],
      },
      fields,
    );
    expect(config.sorts).toEqual([{ field_id: 'lists', direction: 'desc' }]);
    expect(config.group_by).toEqual([{ field_id: 'lists', direction: 'asc' }]);
    expect(() =>
      validateViewConfig(
        {
          sorts: [
            { field_id: 'lists', direction: 'asc' },
            { field_id: 'lists', direction: 'desc' },
          ],
        },
        fields,
      ),
    ).toThrow(
      expect.objectContaining({ details: expect.objectContaining({ field: 'sorts[1].field_id' }) }),
    );
  });
});
