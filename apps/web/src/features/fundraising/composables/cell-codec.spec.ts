import type { CellValue, FieldDefinition } from '@crm/events';
import {
  type CodecContext,
  formatCopy,
  formatDisplay,
  formatEdit,
  parseDate,
  parseInput,
} from './cell-codec';
import { dateExample } from './number-text';

const f = (type: string, options: Record<string, unknown> = {}): FieldDefinition => ({
  id: `fld_${type}`,
  name: 'Cell',
  type,
  options,
  role: null,
});
const STAGES = { choices: [{ name: 'Lead' }, { name: 'Engaged' }, { name: 'Committed' }] };

const ctx: CodecContext = {
  recordName: (id) =>
    (
      ({ recAAAAAAAAAAAAAA: 'Aspen LP', recBBBBBBBBBBBBBB: 'Beacon Fund' }) as Record<
        string,
        string
      >
    )[id],
  findByName: (_t, name) =>
    (
      ({ 'aspen lp': ['recAAAAAAAAAAAAAA'], 'beacon fund': ['recBBBBBBBBBBBBBB'] }) as Record<
        string,
        string[]
      >
    )[name.trim().toLowerCase()] ?? [],
  actorName: (id) => (id === 'usr1' ? 'Avery' : 'a teammate'),
};

describe('parseInput: what people type or paste becomes the stored value, checked by the domain', () => {
  it.each<[string, FieldDefinition, unknown, CellValue]>([
    ['text kept as typed', f('text'), '  Acme  ', '  Acme  '],
    ['empty text is null', f('text'), '', null],
    ['a number pasted into text', f('text'), 42, '42'],
    ['plain number', f('number'), '1234.5', 1234.5],
    ['thousands separators', f('currency'), '$1,250,000', 1_250_000],
    ['k suffix', f('currency'), '250k', 250_000],
    ['m suffix with decimals', f('currency'), '2.5m', 2_500_000],
    ['bn suffix', f('currency'), '1.1bn', 1_100_000_000],
    ['Swiss grouping', f('currency'), "1'000'000", 1_000_000],
    [
      'Swiss grouping with the typographic apostrophe',
      f('number'),
      '1\u2019250\u2019000.5',
      1_250_000.5,
    ],
    ["the field's own symbol", f('currency', { symbol: 'Fr' }), 'Fr 1,250', 1250],
    ['accounting negative', f('currency'), '(500)', -500],
    ['typographic minus from the display', f('currency'), '−$1,000', -1000],
    ['percent typed as a number', f('percent'), '12.5', 0.125],
    ['percent with a sign', f('percent'), '12.5%', 0.125],
    ['a number value from a fill', f('number'), 7, 7],
    ['ISO date', f('date'), '2024-03-01', '2024-03-01'],
    ['US date', f('date'), '3/1/2024', '2024-03-01'],
    ['day.month.year', f('date'), '1.3.2024', '2024-03-01'],
    ['month name', f('date'), 'Mar 1, 2024', '2024-03-01'],
    ['day month name', f('date'), '1 March 2024', '2024-03-01'],
    ['checkbox yes', f('checkbox'), 'yes', true],
    ['checkbox x', f('checkbox'), 'x', true],
    ['checkbox checked (Airtable copy)', f('checkbox'), 'checked', true],
    ['checkbox empty', f('checkbox'), '', false],
    ['select, any case', f('single_select', STAGES), 'engaged', 'Engaged'],
    ['select cleared', f('single_select', STAGES), '', null],
    [
      'multiple select from commas',
      f('multiple_select', STAGES),
      'lead, Committed',
      ['Lead', 'Committed'],
    ],
    ['email trimmed', f('email'), ' a@fund.com ', 'a@fund.com'],
    ['url without scheme', f('url'), 'fund.com', 'https://fund.com'],
    [
      'link by names',
      f('link', { table_id: 'tbl' }),
      'Aspen LP, beacon fund',
      ['recAAAAAAAAAAAAAA', 'recBBBBBBBBBBBBBB'],
    ],
    ['link by id', f('link', { table_id: 'tbl' }), 'recBBBBBBBBBBBBBB', ['recBBBBBBBBBBBBBB']],
  ])('%s', (_label, field, raw, expected) => {
    expect(parseInput(field, raw, ctx)).toEqual({ ok: true, value: expected });
  });

  it.each<[string, FieldDefinition, unknown, RegExp]>([
    [
      'a letter in a number column',
      f('number'),
      'abc',
      /takes a number such as .*; “abc” is not one/,
    ],
    [
      'a decimal comma where the point is the decimal mark',
      f('number'),
      '1,5',
      /“1,5” has a “.” or “,” where a number cannot have one\. The decimal mark here is “\.”/,
    ],
    [
      'a German amount where the point is the decimal mark',
      f('currency'),
      '1.500,50',
      /The decimal mark here is “\.”/,
    ],
    ['a bad percent', f('percent'), '12,5%', /decimal mark here is “\.”/],
    ['words in a currency column', f('currency'), 'lots', /takes an amount/],
    ['an impossible date', f('date'), '2023-02-29', /takes a date/],
    ['an invalid email', f('email'), 'not-an-email', /takes an email address/],
    ['a javascript: url', f('url'), 'javascript:alert(1)', /web address/],
    ['an unknown choice', f('single_select', STAGES), 'Closed', /not one of the choices/],
    ['an unknown choice among several', f('multiple_select', STAGES), 'Lead, Nope', /“Nope”/],
    [
      'an unknown linked name',
      f('link', { table_id: 'tbl' }),
      'Nobody',
      /no record named “Nobody”/,
    ],
    ['a maybe in a checkbox', f('checkbox'), 'maybe', /checkbox/],
    ['a computed field', f('created_time'), 'now', /filled in by the system/],
  ])('refuses %s with a message', (_label, field, raw, message) => {
    const r = parseInput(field, raw, ctx);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.message).toMatch(message);
  });
});

describe('formatting for display, editing and the clipboard', () => {
  it('formats currency with the symbol and separators, and edits it plain', () => {
    const money = f('currency', { symbol: '$', precision: 0 });
    expect(formatDisplay(money, 2_500_000, ctx)).toBe('$2,500,000');
    expect(formatDisplay(money, -1000, ctx)).toBe('−$1,000');
    expect(formatEdit(money, 2_500_000, ctx)).toBe('2500000');
    expect(parseInput(money, formatDisplay(money, -1000, ctx), ctx)).toEqual({
      ok: true,
      value: -1000,
    });
  });

  it('shows a year without a thousands separator when the field turns it off, and reads it back', () => {
    const year = f('number', { precision: 0, thousands_separator: false });
    expect(formatDisplay(year, 2026, ctx)).toBe('2026');
    expect(formatDisplay(f('number', { precision: 0 }), 2026, ctx)).toBe('2,026');
    expect(
      formatDisplay(
        f('currency', { symbol: '$', precision: 0, thousands_separator: false }),
        2_500_000,
        ctx,
      ),
    ).toBe('$2500000');
    expect(parseInput(year, formatDisplay(year, 2026, ctx), ctx)).toEqual({
      ok: true,
      value: 2026,
    });
    expect(
      formatDisplay(
        f('formula', {
          formula: 'YEAR({Date})',
          result_type: 'number',
          thousands_separator: false,
        }),
        2026,
        ctx,
      ),
    ).toBe('2026');
    expect(
      formatDisplay(f('formula', { formula: '{A} * 1000', result_type: 'number' }), 2026, ctx),
    ).toBe('2,026');
  });

  it('shows a computed number as money or a percentage when its display asks', () => {
    const committed = f('rollup', {
      formula: 'SUM(values)',
      result_type: 'number',
      display: 'currency',
      symbol: '$',
      precision: 0,
    });
    expect(formatDisplay(committed, 12_500_000, ctx)).toBe('$12,500,000');
    expect(formatDisplay(committed, -5, ctx)).toBe('−$5');
    const share = f('formula', { formula: '{A} / {B}', result_type: 'number', display: 'percent' });
    expect(formatDisplay(share, 0.45, ctx)).toBe('45%');
  });

  it('reads back every number it shows, edits or copies', () => {
    for (const field of [
      f('number', { precision: 2 }),
      f('currency', { symbol: 'CHF', precision: 2 }),
      f('percent', { precision: 2 }),
    ]) {
      for (const value of [0, 1.5, -1250000.25, 1234567.89, 0.07]) {
        for (const text of [
          formatDisplay(field, value, ctx),
          formatEdit(field, value, ctx),
          formatCopy(field, value, ctx),
        ]) {
          expect([text, parseInput(field, text, ctx)]).toEqual([text, { ok: true, value }]);
        }
      }
    }
  });

  it('round-trips percent through the editor and the clipboard', () => {
    const pct = f('percent', { precision: 1 });
    expect(formatDisplay(pct, 0.125, ctx)).toBe('12.5%');
    expect(formatEdit(pct, 0.125, ctx)).toBe('12.5');
    expect(formatCopy(pct, 0.125, ctx)).toBe('12.5%');
    expect(parseInput(pct, formatCopy(pct, 0.125, ctx), ctx)).toEqual({ ok: true, value: 0.125 });
    expect(parseInput(pct, formatEdit(pct, 0.07, ctx), ctx)).toEqual({ ok: true, value: 0.07 });
  });

  it('copies links as names and multiple selects as a list, which paste back unchanged', () => {
    const link = f('link', { table_id: 'tbl' });
    const text = formatCopy(link, ['recAAAAAAAAAAAAAA', 'recBBBBBBBBBBBBBB'], ctx);
    expect(text).toBe('Aspen LP, Beacon Fund');
    expect(parseInput(link, text, ctx)).toEqual({
      ok: true,
      value: ['recAAAAAAAAAAAAAA', 'recBBBBBBBBBBBBBB'],
    });
    const multi = f('multiple_select', STAGES);
    expect(parseInput(multi, formatCopy(multi, ['Lead', 'Engaged'], ctx), ctx)).toEqual({
      ok: true,
      value: ['Lead', 'Engaged'],
    });
  });

  it('shows people by name and dates in words', () => {
    expect(formatDisplay(f('created_by'), 'usr1', ctx)).toBe('Avery');
    expect(formatDisplay(f('date'), '2024-03-01', ctx)).toMatch(/2024/);
    expect(formatDisplay(f('checkbox'), true, ctx)).toBe('✓');
  });

  it('reads day-first dates outside the US', () => {
    expect(parseDate('3/1/2024', 'en-GB')).toBe('2024-01-03');
    expect(parseDate('3/1/2024', 'en-US')).toBe('2024-03-01');
    expect(parseDate('31/2/2024', 'en-GB')).toBeNull();
  });
});

describe('the date a refusal gives as its example', () => {
  it('given the locale’s own way of writing a date reads back, then it comes first, with the ISO form', () => {
    const local = new Intl.DateTimeFormat(undefined, { timeZone: 'UTC' }).format(
      Date.UTC(2024, 2, 1),
    );
    expect(dateExample(() => '2024-03-01')).toBe(
      local === '2024-03-01' ? '2024-03-01' : `${local} or 2024-03-01`,
    );
    const refusal = parseInput(f('date'), 'someday', ctx);
    expect(refusal.ok ? '' : refusal.message).toContain(`such as ${dateExample(parseDate)};`);
  });

  it('given a locale whose dates would not read back, then the ISO form alone', () => {
    expect(dateExample(() => null)).toBe('2024-03-01');
  });
});
