import fc from 'fast-check';
import { joinAirtableList, splitAirtableList } from './airtable-list';

describe('Airtable list cells (multiple select, linked records)', () => {
  it('splits on commas without spaces, keeping each name as written', () => {
    expect(splitAirtableList('Acme Capital,Beta Partners')).toEqual([
      'Acme Capital',
      'Beta Partners',
    ]);
    expect(splitAirtableList('Alliance Sales Guide,Alliance guide updates ')).toEqual([
      'Alliance Sales Guide',
      'Alliance guide updates ',
    ]);
  });

  it('reads names that contain commas or quotes from Airtable’s quoting', () => {
    expect(
      splitAirtableList(
        'Trips section,"Website updates (articles, attractions, packages)",Inn updates',
      ),
    ).toEqual([
      'Trips section',
      'Website updates (articles, attractions, packages)',
      'Inn updates',
    ]);
    expect(
      splitAirtableList('"Continuum update (Subject: ""Hybrid Event"")",Continuum teachers'),
    ).toEqual(['Continuum update (Subject: "Hybrid Event")', 'Continuum teachers']);
    expect(splitAirtableList('"""Message from VP"" for top of email",De-DEI-ing pages')).toEqual([
      '"Message from VP" for top of email',
      'De-DEI-ing pages',
    ]);
    expect(splitAirtableList('"Smith, Jones & Co"')).toEqual(['Smith, Jones & Co']);
  });

  it('tolerates ", " before a quoted item and skips empty items', () => {
    expect(splitAirtableList('A, "B, C",,D,')).toEqual(['A', 'B, C', 'D']);
    expect(splitAirtableList('')).toEqual([]);
  });

  it('reads a quote that is not Airtable quoting literally', () => {
    expect(splitAirtableList('"Quoted" tail,Next')).toEqual(['"Quoted" tail', 'Next']);
  });

  it('round-trips any list of non-empty names through join and split', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({
            minLength: 1,
            maxLength: 12,
            unit: fc.constantFrom('a', 'b', ' ', ',', '"', 'é', '\t'),
          }),
          { maxLength: 6 },
        ),
        (items) => {
          const names = items.filter((x) => x !== '');
          expect(splitAirtableList(joinAirtableList(names))).toEqual(names);
        },
      ),
      { numRuns: 500 },
    );
  });
});
