import { csvField, csvRow } from './csv-encode';

describe('CSV encoding (RFC 4180)', () => {
  it.each([
    ['a line feed alone', 'first line\nsecond line', '"first line\nsecond line"'],
    ['a carriage return alone', 'first\rsecond', '"first\rsecond"'],
    ['CRLF', 'first\r\nsecond', '"first\r\nsecond"'],
    ['a double quote', 'the "Best" fund', '"the ""Best"" fund"'],
    ['a comma', 'Smith, Jones & Co', '"Smith, Jones & Co"'],
    ['a semicolon', 'Berlin; Zurich', '"Berlin; Zurich"'],
    ['a tab', 'a\tb', '"a\tb"'],
    ['a pipe', 'a|b', '"a|b"'],
    ['a leading space', ' Acme', '" Acme"'],
    ['a trailing space', 'Acme ', '"Acme "'],
    ['a trailing no-break space', 'Acme\u00a0', '"Acme\u00a0"'],
    ['the formula guard', "'=1+1", `"'=1+1"`],
  ])('quotes a field holding %s', (_, text, written) => {
    expect(csvField(text)).toBe(written);
  });

  it.each(['Acme', "O'Brien", 'a=b', '😀 fund', 'Zürich', '', '-5', '$1000'])(
    'writes %j as it is',
    (text) => {
      expect(csvField(text)).toBe(text);
    },
  );

  it('leaves NUL out, which no spreadsheet keeps and the import refuses', () => {
    expect(csvField('a\u0000b')).toBe('ab');
    expect(csvField('a\u0000,b')).toBe('"a,b"');
  });

  it('ends each row with CRLF and separates fields with commas', () => {
    expect(csvRow(['Name', 'Notes', ''])).toBe('Name,Notes,\r\n');
    expect(csvRow(['Acme', 'line one\nline two'])).toBe('Acme,"line one\nline two"\r\n');
  });
});
