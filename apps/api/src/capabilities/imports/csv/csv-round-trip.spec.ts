import { csvRow } from '@crm/domain';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { decodeCsvBytes } from './decode-text';
import { readCsv } from './read-csv';

/** Every character a cell may hold that a CSV writer or reader can get wrong, and some that are plain. */
const AWKWARD = [
  '\r',
  '\n',
  '\r\n',
  '"',
  '""',
  ',',
  ';',
  '\t',
  '|',
  ' ',
  '  ',
  "'",
  '=',
  '+',
  '-',
  '@',
  '\u00a0',
  '\u2028',
  '\uFEFF',
  '\u0000',
  'é',
  'e\u0301',
  'ß',
  'ǅ',
  '中',
  '😀',
  '👩‍💻',
  '🇨🇭',
  'a',
  'Z',
  '1',
  '.',
];
const cellText = fc.string({
  unit: fc.oneof(
    fc.constantFrom(...AWKWARD),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 12,
});
const table = fc.integer({ min: 2, max: 5 }).chain((width) =>
  fc.array(fc.array(cellText, { minLength: width, maxLength: width }), {
    minLength: 1,
    maxLength: 6,
  }),
);

/** The export's bytes: UTF-8 with a byte-order mark, one csvRow per row. */
const fileOf = (rows: string[][]) => Buffer.from(`\uFEFF${rows.map(csvRow).join('')}`, 'utf8');
/** What the file must read back as: every value exactly, NUL left out. */
// eslint-disable-next-line no-control-regex -- the export drops NUL, so the expected values do too
const withoutNul = (rows: string[][]) => rows.map((r) => r.map((v) => v.replace(/\u0000/g, '')));

describe('the export’s CSV read back', () => {
  it('by a strict RFC 4180 parser that ends a row at any unquoted line break: the same rows and values', () => {
    fc.assert(
      fc.property(table, (rows) => {
        const parsed = parse(fileOf(rows), {
          bom: true,
          record_delimiter: ['\r\n', '\n', '\r'],
          relax_column_count: false,
          relax_quotes: false,
          skip_empty_lines: false,
        });
        expect(parsed).toEqual(withoutNul(rows));
      }),
      { numRuns: 400 },
    );
  });

  it('by the import’s own reader (encoding, delimiter sniffing, line breaks): the same header, rows and values', async () => {
    await fc.assert(
      fc.asyncProperty(table, async (rows) => {
        const { text } = decodeCsvBytes(fileOf(rows));
        const csv = await readCsv(text);
        const [header, ...body] = withoutNul(rows);
        expect(csv.delimiter).toBe(',');
        expect(csv.raw_header).toEqual(header);
        expect(csv.rows.map((r) => r.cells)).toEqual(body);
      }),
      { numRuns: 400 },
    );
  });

  it('keeps a value whose only special character is a line feed in one row', async () => {
    const rows = [
      ['Name', 'Notes'],
      ['Acme', 'Met at the AGM\nWants quarterly reporting'],
      ['Zeta', 'x'],
    ];
    expect(parse(fileOf(rows), { bom: true, record_delimiter: ['\r\n', '\n', '\r'] })).toEqual(
      rows,
    );
    expect((await readCsv(decodeCsvBytes(fileOf(rows)).text)).rows.map((r) => r.cells)).toEqual(
      rows.slice(1),
    );
  });
});
