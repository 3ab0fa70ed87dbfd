import { applySuggestion, enclosingFunction, suggest } from './formula-autocomplete';

const FIELDS = ['Name', 'Target commitment', 'Committed amount', 'Stage {old}'];

describe('formula autocomplete', () => {
  it('offers fields inside an open brace, best matches first', () => {
    const s = suggest('ROUND({com', 10, FIELDS);
    expect(s.map((x) => x.label)).toEqual(['Committed amount', 'Target commitment']);
    expect(applySuggestion('ROUND({com', s[0])).toEqual({
      formula: 'ROUND({Committed amount}',
      cursor: 24,
    });
  });

  it('offers functions (and fields) for a word being typed', () => {
    const s = suggest('1 + DATETIME_F', 14, FIELDS);
    expect(s.map((x) => x.label)).toEqual(['DATETIME_FORMAT']);
    expect(applySuggestion('1 + DATETIME_F', s[0]).formula).toBe('1 + DATETIME_FORMAT(');
    expect(suggest('na', 2, FIELDS).map((x) => x.label)).toEqual(['Name']);
  });

  it('escapes braces in field names and offers nothing inside a text value', () => {
    expect(suggest('{Sta', 4, FIELDS)[0].insert).toBe('{Stage \\{old\\}}');
    expect(suggest('"ROU', 4, FIELDS)).toEqual([]);
  });

  it('names the function whose arguments the cursor is in', () => {
    expect(enclosingFunction('ROUND({A} * 2, ', 15)?.name).toBe('ROUND');
    expect(enclosingFunction('IF(LEN({A}) > 2, ', 17)?.syntax).toBe(
      'IF(expression, value1, [value2])',
    );
    expect(enclosingFunction('1 + 2', 5)).toBeNull();
  });
});
