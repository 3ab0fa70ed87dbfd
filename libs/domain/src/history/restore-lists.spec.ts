import { listMovesBack, listsToRestore, listsUndoing } from './restore-lists';

const records = new Map(
  [
    ['rec_a', false],
    ['rec_b', false],
    ['rec_c', false],
    ['rec_d', true],
  ].map(([id, archived]) => [id as string, { table_id: 'tbl_inv', archived: archived as boolean }]),
);
const recordThen = (id: string) => records.get(id);
const lists = (entries: [string, string[]][]) =>
  new Map(entries.map(([id, l]) => [id, new Set(l)] as const));

describe('a restore puts the records’ lists back as they were', () => {
  it('given lists moved since, when compared, then each live record goes back to its lists then', () => {
    const then = lists([
      ['rec_a', ['main']],
      ['rec_b', ['follow_up', 'warm_leads']],
      ['rec_d', ['main']],
    ]);
    const now = lists([
      ['rec_a', ['graveyard']],
      ['rec_b', ['follow_up', 'warm_leads']],
      ['rec_c', ['longshot']],
      ['rec_d', ['longshot']],
    ]);
    // rec_d was archived then (the restore archives it): it keeps its lists; rec_e was not there then.
    now.set('rec_e', new Set(['main']));
    const changes = listsToRestore(recordThen, then, now);
    expect(changes).toEqual([
      { record_id: 'rec_a', table_id: 'tbl_inv', from: ['graveyard'], to: ['main'] },
      { record_id: 'rec_c', table_id: 'tbl_inv', from: ['longshot'], to: [] },
    ]);
    expect(listMovesBack(changes)).toEqual([
      { record_id: 'rec_a', list: 'graveyard', op: 'remove' },
      { record_id: 'rec_a', list: 'main', op: 'add' },
      { record_id: 'rec_c', list: 'longshot', op: 'remove' },
    ]);
  });

  it('leaves `all` out of the comparison, and a record in the same lists is no change', () => {
    const then = lists([['rec_a', ['all', 'main']]]);
    const now = lists([['rec_a', ['main']]]);
    expect(listsToRestore(recordThen, then, now)).toEqual([]);
  });
});

describe('rolling back a batch takes back its list moves', () => {
  const moved = (type: string, record_id: string, list: string) => ({
    type,
    data: { record_id, list },
  });

  it('given a run that moved records, when its batch is rolled back, then each goes back to its lists before the batch', () => {
    const now = lists([
      ['rec_a', ['graveyard']],
      ['rec_b', ['follow_up', 'main']],
    ]);
    const batch = [
      moved('MembershipRemoved', 'rec_a', 'main'),
      moved('MembershipAdded', 'rec_a', 'graveyard'),
      moved('MembershipAdded', 'rec_b', 'follow_up'),
      moved('MembershipAdded', 'rec_c', 'longshot'),
    ];
    const live = (id: string) => (id === 'rec_c' ? undefined : { table_id: 'tbl_inv' });
    expect(listsUndoing(batch, (id) => now.get(id) ?? new Set(), live)).toEqual([
      { record_id: 'rec_a', table_id: 'tbl_inv', from: ['graveyard'], to: ['main'] },
      { record_id: 'rec_b', table_id: 'tbl_inv', from: ['main', 'follow_up'], to: ['main'] },
    ]);
  });

  it('a move someone took back since changes nothing', () => {
    const now = lists([['rec_a', []]]);
    const batch = [moved('MembershipAdded', 'rec_a', 'follow_up')];
    expect(
      listsUndoing(
        batch,
        (id) => now.get(id) ?? new Set(),
        () => ({ table_id: 'tbl_inv' }),
      ),
    ).toEqual([]);
  });
});
