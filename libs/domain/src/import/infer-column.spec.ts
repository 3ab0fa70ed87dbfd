import { inferColumn, surveyColumns } from './infer-column';

const infer = (header: string, values: string[]) => inferColumn(header, values);

describe('inferColumn', () => {
  it('finds Airtable checkboxes', () => {
    const c = infer('Anchor LP', ['checked', '', 'checked', '', '', 'checked']);
    expect(c.inferred_type).toBe('checkbox');
    expect(c.confidence).toBe(1);
    expect(c.samples).toEqual(['checked']);
  });

  it('finds currency with its symbol and precision, and percent', () => {
    expect(infer('Target', ['$1,000,000.00', '$250,000.00', '', '-$5.00'])).toMatchObject({
      inferred_type: 'currency',
      options: { symbol: '$', precision: 2 },
    });
    expect(infer('Fee', ['2%', '1.5%', '20%'])).toMatchObject({
      inferred_type: 'percent',
      options: { precision: 1 },
    });
    expect(infer('Amount', ['€1.000,50', '€20,00']).format.decimal).toBe(',');
  });

  it('finds numbers with a decimal point or a decimal comma', () => {
    expect(infer('Vintage', ['2019', '2021', '2024'])).toMatchObject({
      inferred_type: 'number',
      options: { precision: 0, thousands_separator: false },
    });
    expect(infer('Year founded', ['1998', '2005']).options).toEqual({
      precision: 0,
      thousands_separator: false,
    });
    // Amounts that happen to look like years keep their separators; so does a year column holding other numbers.
    expect(infer('Ticket', ['2000', '1500']).options).toEqual({ precision: 0 });
    expect(infer('Vintage', ['2019', '25000']).options).toEqual({ precision: 0 });
    const comma = infer('Score', ['6,0', '7,5', '10']);
    expect(comma).toMatchObject({ inferred_type: 'number', format: { decimal: ',' } });
    expect(comma.notes).toContain('decimal comma');
    expect(infer('Size', ['1,234', '5,000', '12']).format.decimal).toBe('.');
  });

  it('keeps a column with leading zeros or + as text (phone numbers, codes)', () => {
    expect(
      infer('Phone', ['+44 20 7946 0958', '020 7946 0958', '(555) 123-4567']).inferred_type,
    ).toBe('phone');
    expect(infer('Code', ['007', '012', '123']).inferred_type).not.toBe('number');
  });

  it('does not guess a type that some values do not fit, and says so', () => {
    const c = infer('Amount', ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', 'TBD']);
    expect(c.inferred_type).toBe('text');
    expect(c.notes.join(' ')).toMatch(/91% of the values are numbers/);
  });

  it('reads M/D/YYYY dates and date-times, and day-first when a value proves it', () => {
    expect(infer('Last contacted', ['1/31/2021', '12/1/2021', ''])).toMatchObject({
      inferred_type: 'date',
      format: { date_order: 'mdy' },
      date_ambiguity: null,
    });
    expect(infer('Met', ['31/1/2021', '1/2/2021'])).toMatchObject({
      inferred_type: 'date',
      format: { date_order: 'dmy' },
    });
    expect(
      infer('Scheduled', ['7/20/2026 12:32pm', '1/19/2026 3:40pm', '7/21/2026']),
    ).toMatchObject({ inferred_type: 'date_time' });
    expect(infer('ISO', ['2021-01-31', '2024-02-29']).inferred_type).toBe('date');
  });

  it('flags a column that mixes day-first and month-first dates instead of guessing', () => {
    const c = inferColumn('Date', ['17/7/2026', '7/20/2026', '1/2/2026'], [2, 5, 9]);
    expect(c.inferred_type).toBe('date');
    expect(c.format.date_order).toBeNull();
    expect(c.date_ambiguity).toEqual({
      day_first: { value: '17/7/2026', line: 2 },
      month_first: { value: '7/20/2026', line: 5 },
    });
    expect(c.notes[0]).toMatch(/mixes day-first .* and month-first/);
    expect(c.confidence).toBeLessThan(0.5);
  });

  it('notes when every date could be read either way', () => {
    const c = infer('Date', ['1/2/2026', '3/4/2026']);
    expect(c.format.date_order).toBe('mdy');
    expect(c.confidence).toBeLessThan(1);
    expect(c.notes.join(' ')).toMatch(/month first/);
  });

  it('finds emails, web addresses and attachments', () => {
    expect(infer('Email', ['ada@fund.example', 'bob@lp.example']).inferred_type).toBe('email');
    expect(infer('Website', ['https://acme.example', 'www.beta.example']).inferred_type).toBe(
      'url',
    );
    expect(infer('Deck', ['deck.pdf (https://dl.airtable.com/x/deck.pdf)', '']).inferred_type).toBe(
      'attachment',
    );
  });

  it('finds selects from a small repeated vocabulary, several per cell for a multiple select', () => {
    expect(
      infer('Stage', ['Lead', 'Engaged', 'Lead', 'Committed', 'Lead', 'Engaged']).inferred_type,
    ).toBe('single_select');
    expect(
      infer('Tags', ['Warm intro,Anchor', 'Anchor', 'ESG,Warm intro', 'ESG']).inferred_type,
    ).toBe('multiple_select');
    expect(infer('Name', ['Acme', 'Beta', 'Gamma', 'Delta']).inferred_type).toBe('text');
  });

  describe('Airtable list columns (items joined by a bare comma)', () => {
    const LISTS = Array.from(
      { length: 11 },
      (_, i) => `Investment list ${i + 1} — European seed and Series A funds`,
    );
    const pick = (n: number, from: number) =>
      Array.from({ length: n }, (_, k) => LISTS[(from + k) % LISTS.length]);

    it('finds a multiple select even when a cell is longer than 255 characters', () => {
      const values = Array.from({ length: 60 }, (_, r) =>
        r % 3 === 0 ? '' : pick(1 + (r % 6), r).join(','),
      );
      expect(values.some((v) => v.length > 255)).toBe(true);
      const c = infer('Investment Lists', values);
      expect(c.inferred_type).toBe('multiple_select');
    });

    it('finds linked names that rarely repeat, and suggests a link', () => {
      const names = Array.from(
        { length: 425 },
        (_, i) => `Startup ${i + 1}${i % 7 === 0 ? ' GmbH' : ''}`,
      );
      const values = Array.from({ length: 300 }, (_, r) =>
        names.slice((r * 17) % 420, ((r * 17) % 420) + 1 + (r % 4)).join(','),
      );
      const c = infer('Startups', values);
      expect(c.inferred_type).toBe('multiple_select');
      expect(c.notes.join(' ')).toMatch(
        /distinct names, up to 4 in a cell: these look like linked records — choose “New link to …”/,
      );
    });

    it('leaves text that writes numbers with thousands separators as text, not as lists split at them', () => {
      expect(
        infer('Check size', [
          '$1,000,000-$5,000,000',
          '$500,000-$2,000,000',
          '$250,000+',
          'n/a',
          '$2,000,000+',
          '',
          '$100,000-$500,000',
        ]).inferred_type,
      ).toBe('text');
      expect(
        infer('Traction', [
          '10,000 users',
          'approx 5,000',
          'Q3: 1,200 new',
          'none',
          'grew 2,500 in May',
          'flat',
        ]).inferred_type,
      ).toBe('text');
    });

    it('leaves names with a rare comma, and prose with “, ”, as text', () => {
      expect(
        infer('Name', ['Acme', 'Beta', 'Gamma,Delta Partners', 'Epsilon', 'Zeta', 'Eta', 'Theta'])
          .inferred_type,
      ).toBe('text');
      expect(
        infer('Notes', [
          'Met at the AGM, wants reporting',
          'Call back, maybe Q3',
          'Warm, not yet',
          'Asked for deck, sent',
        ]).inferred_type,
      ).toBe('text');
    });
  });

  it('says in words what the confidence means', () => {
    const urls = infer('Website', [
      'https://a.example',
      'https://b.example',
      'https://c.example',
      'https://d.example',
    ]);
    expect(urls).toMatchObject({ inferred_type: 'url', confidence: 0.93 });
    expect(urls.confidence_reason).toBe(
      'all 4 values look like web addresses; few values to go by (93% sure)',
    );
    expect(infer('Vintage', ['2019', '2021', '2024', '2020', '2018']).confidence_reason).toBe(
      'all 5 values look like numbers',
    );
    expect(infer('Name', ['Acme', 'Beta', 'Gamma', 'Delta', 'Eta']).confidence_reason).toBe(
      'text keeps all 5 values as written',
    );
    expect(
      inferColumn(
        'Vintage',
        Array.from({ length: 20 }, (_, i) => String(2000 + i)),
        undefined,
        { sample: 10 },
      ).confidence_reason,
    ).toBe('the first 10 of 20 values look like numbers');
    expect(infer('Nothing', ['', '']).confidence_reason).toBe('no values to go by');
    expect(infer('Committed', ['$2,500,000.00', '$0.00']).confidence_reason).toBe(
      'both values look like amounts in one currency; few values to go by (78% sure)',
    );
    expect(infer('Anchor LP', ['checked', '', '', '', '']).confidence_reason).toBe(
      'all 5 values look like Airtable checkboxes (checked or empty)',
    );
  });

  it('imports lookups as text and long values as long text', () => {
    expect(infer('Email (from Contacts)', ['a@x.example', 'b@x.example']).inferred_type).toBe(
      'text',
    );
    expect(infer('Notes', ['line one\nline two', 'short']).inferred_type).toBe('long_text');
  });

  it('treats formula errors as empty', () => {
    const c = infer('Days since', ['123', 'NaN', '96', '#ERROR!']);
    expect(c.inferred_type).toBe('number');
    expect(c.notes.join(' ')).toMatch(/2 formula error/);
  });

  it('calls an empty column text with no confidence', () => {
    expect(infer('Nothing', ['', ''])).toMatchObject({
      inferred_type: 'text',
      confidence: 0,
      samples: [],
    });
  });
});

describe('surveyColumns', () => {
  it('turns rows into columns, a missing cell of a short row being empty', () => {
    const rows = [
      { cells: ['a', 'b', 'c'] },
      { cells: ['d'] },
      { cells: [] },
      { cells: ['e', 'f', 'g', 'extra'] },
    ];
    expect(surveyColumns(rows, 3).values).toEqual([
      ['a', 'd', '', 'e'],
      ['b', '', '', 'f'],
      ['c', '', '', 'g'],
    ]);
    expect(surveyColumns([], 2).values).toEqual([[], []]);
  });

  it('surveys each column as inferColumn does on the column alone', () => {
    const header = ['Name', 'Notes', 'Stage', 'Amount'];
    const rows = [
      ['Acme', 'two\nlines', 'Lead', '$1.00'],
      ['Beta', '', '#ERROR!', '$2.00'],
      ['', 'x', 'Lead'],
      ['Gamma', 'y', 'Engaged', 'NaN'],
    ].map((cells) => ({ cells }));
    const { values, surveys } = surveyColumns(rows, header.length);
    header.forEach((name, j) =>
      expect(inferColumn(name, values[j], undefined, { survey: surveys[j] })).toEqual(
        inferColumn(name, values[j]),
      ),
    );
    expect(surveys.map((x) => [x.present, x.formulaErrors, x.multiline])).toEqual([
      [[0, 1, 3], 0, false],
      [[0, 2, 3], 0, true],
      [[0, 2, 3], 1, false],
      [[0, 1], 1, false],
    ]);
  });
});

describe('inferColumn samples', () => {
  it('takes up to five distinct values from the first 5,000, so a column of few values is not searched to its end', () => {
    const values = [
      ...Array(3_000).fill('Lead'),
      ...Array(2_000).fill('Engaged'),
      'Committed',
      'Passed',
    ];
    expect(inferColumn('Stage', values).samples).toEqual(['Lead', 'Engaged']);
    expect(inferColumn('Stage', values.slice(0, 10).concat(['Committed'])).samples).toEqual([
      'Lead',
      'Committed',
    ]);
  });
});
