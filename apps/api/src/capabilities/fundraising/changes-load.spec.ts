import { widened } from './changes-load';

describe('what a command loads next, after its decider read what it had not named', () => {
  it('given a missed record, then the next round loads it beside what was named', () => {
    expect(widened({ records: ['rec_a'] }, { kind: 'record', id: 'rec_b' }, 0)).toEqual({
      records: ['rec_a', 'rec_b'],
    });
  });

  it("given a missed table's records or sample, then the next round loads that table's", () => {
    expect(widened({}, { kind: 'records_of', table_id: 'tbl_a' }, 0)).toEqual({
      recordsOf: ['tbl_a'],
    });
    expect(widened({ recordsOf: ['tbl_a'] }, { kind: 'sample', table_id: 'tbl_b' }, 1)).toEqual({
      recordsOf: ['tbl_a'],
      sampleOf: ['tbl_b'],
    });
  });

  it('given a decider that keeps missing state, then from the third round on every record is loaded', () => {
    expect(widened({ records: ['rec_a'] }, { kind: 'record', id: 'rec_b' }, 3)).toEqual({
      records: ['rec_a', 'rec_b'],
      recordsOf: 'all',
    });
    expect(widened({ recordsOf: 'all' }, { kind: 'records_of', table_id: 'tbl_a' }, 4)).toEqual({
      recordsOf: 'all',
    });
  });
});
