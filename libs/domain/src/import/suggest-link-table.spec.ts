import { type LinkDirectory } from './link-directory';
import { suggestLinkTable } from './suggest-link-table';

/** A table's records by name, as the import finds them. */
const directory = (table_id: string, names: string[]): LinkDirectory => ({
  table_id,
  table_name: table_id,
  find: (name) => (names.includes(name.trim()) ? [`rec_${name}`] : []),
  has: () => false,
});

describe('suggestLinkTable', () => {
  const funds = directory('Funds', ['Fund I', 'Fund II', 'Smith, Jones & Co']);
  const people = directory('People', ['Ada', 'Bob']);

  it('given samples whose every item names a record of one table, when asked, then that table', () => {
    expect(
      suggestLinkTable(['Fund I,Fund II', '"Smith, Jones & Co",Fund I'], [people, funds])?.table_id,
    ).toBe('Funds');
  });

  it('given an item that names no record, or names records of two tables, then none', () => {
    expect(suggestLinkTable(['Fund I,Fund III'], [funds, people])).toBeNull();
    expect(
      suggestLinkTable(['Fund I,Fund II'], [funds, directory('Copy', ['Fund I', 'Fund II'])]),
    ).toBeNull();
  });

  it('given a single item, then none: one name is too little to go by', () => {
    expect(suggestLinkTable(['Fund I', 'Fund I'], [funds])).toBeNull();
  });

  it('given a sample cut short with “…”, then its last, partial name is not held against it', () => {
    expect(suggestLinkTable(['Fund I,Fund II,Fu…'], [funds])?.table_id).toBe('Funds');
  });
});
