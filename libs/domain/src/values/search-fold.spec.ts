import { searchFold } from './search-fold';

describe('search folding', () => {
  it('given accented or upper-case text, when folded, then it matches its plain lower-case spelling', () => {
    expect(searchFold('Zürich')).toBe('zurich');
    expect(searchFold('GENÈVE')).toBe('geneve');
    expect(searchFold('Cafe\u0301')).toBe('cafe');
    expect(searchFold('Acme LP')).toBe('acme lp');
  });
});
