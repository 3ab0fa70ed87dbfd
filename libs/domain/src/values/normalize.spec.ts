import { type FieldDefinition } from '@crm/events';
import { domainErrorOf } from '../testing/domain-error-of';
import { LIMITS } from './limits';
import { normalizeCell, valuesEqual } from './normalize';

const STAGES = { choices: [{ name: 'Lead' }, { name: 'Engaged' }, { name: 'Committed' }] };

const fieldOf = (type: string): FieldDefinition => ({
  id: `fld_${type}`,
  name: `My ${type}`,
  type,
  options:
    type === 'single_select' || type === 'multiple_select'
      ? STAGES
      : type === 'link'
        ? { table_id: 'tbl_other' }
        : {},
  role: null,
});

describe('normalizeCell', () => {
  it('checks select values against the choices the field has now, when its list is replaced or grows', () => {
    const list = [{ name: 'Lead' }];
    const single: FieldDefinition = {
      id: 'fld_s',
      name: 'Stage',
      type: 'single_select',
      options: { choices: list },
      role: null,
    };
    const multiple: FieldDefinition = { ...single, type: 'multiple_select' };
    expect(normalizeCell(single, 'Lead')).toBe('Lead');
    expect(domainErrorOf(() => normalizeCell(single, 'Won')).code).toBe('validation');
    list.push({ name: 'Won' });
    expect(normalizeCell(single, 'Won')).toBe('Won');
    expect(normalizeCell(multiple, ['Won', 'Lead', 'Won'])).toEqual(['Won', 'Lead']);
    const replaced = { ...single, options: { choices: [{ name: 'Other' }] } };
    expect(domainErrorOf(() => normalizeCell(replaced, 'Lead')).message).toContain(
      'one of its choices (Other)',
    );
    expect(
      domainErrorOf(() => normalizeCell({ ...replaced, type: 'multiple_select' }, ['Lead']))
        .message,
    ).toContain('only its choices (Other)');
  });

  describe('accepts good values', () => {
    it.each<[string, unknown, unknown]>([
      ['text', 'hello', 'hello'],
      ['text', '  kept as typed  ', '  kept as typed  '],
      ['text', "'; DROP TABLE events;--", "'; DROP TABLE events;--"],
      ['text', '<script>alert(1)</script>', '<script>alert(1)</script>'],
      ['text', '👍 done', '👍 done'],
      ['long_text', 'line 1\nline 2', 'line 1\nline 2'],
      ['number', 42, 42],
      ['number', -1.5, -1.5],
      ['number', 1e21, 1e21],
      ['currency', 1000.25, 1000.25],
      ['percent', 0.125, 0.125],
      ['date', '2024-02-29', '2024-02-29'],
      ['date', '1999-12-31', '1999-12-31'],
      ['date_time', '2024-03-01T10:00:00Z', '2024-03-01T10:00:00.000Z'],
      ['date_time', '2024-03-01T10:00:00+02:00', '2024-03-01T08:00:00.000Z'],
      ['date_time', '2024-03-01T23:30-05:00', '2024-03-02T04:30:00.000Z'],
      ['date_time', '2024-03-01T10:00:00.123456Z', '2024-03-01T10:00:00.123Z'],
      ['checkbox', true, true],
      ['checkbox', false, false],
      ['single_select', 'Engaged', 'Engaged'],
      ['multiple_select', ['Lead', 'Committed'], ['Lead', 'Committed']],
      ['multiple_select', ['Lead', 'Lead', 'Engaged'], ['Lead', 'Engaged']],
      ['link', ['rec_1', 'rec_2'], ['rec_1', 'rec_2']],
      ['link', ['rec_1', 'rec_1'], ['rec_1']],
      ['email', ' ada@example.com ', 'ada@example.com'],
      ['email', 'first.last+tag@mail.example.co.uk', 'first.last+tag@mail.example.co.uk'],
      ['url', 'example.com', 'https://example.com'],
      ['url', ' www.example.org/deck.pdf ', 'https://www.example.org/deck.pdf'],
      ['url', 'http://example.com/a?b=1', 'http://example.com/a?b=1'],
      ['url', 'HTTPS://Example.com', 'HTTPS://Example.com'],
      ['url', 'http://localhost:3000/x', 'http://localhost:3000/x'],
      ['url', 'example.com:8080/deck', 'https://example.com:8080/deck'],
      ['checkbox', '', false],
      ['phone', '+1 (555) 123-4567', '+1 (555) 123-4567'],
      ['phone', ' 555.123.4567 ext. 42 ', '555.123.4567 ext. 42'],
    ])('%s %j → %j', (type, raw, expected) => {
      expect(normalizeCell(fieldOf(type), raw)).toEqual(expected);
    });

    it('turns -0 into 0', () => {
      expect(Object.is(normalizeCell(fieldOf('number'), -0), 0)).toBe(true);
    });
  });

  describe('stores empties as the empty value of the type', () => {
    const nullish = [
      'text',
      'long_text',
      'number',
      'currency',
      'percent',
      'date',
      'date_time',
      'single_select',
      'email',
      'url',
      'phone',
    ];
    it.each(
      nullish.flatMap(
        (t) =>
          [
            [t, null],
            [t, undefined],
            [t, ''],
            ...(['email', 'url', 'phone'].includes(t) ? [[t, '   ']] : []),
          ] as [string, unknown][],
      ),
    )('%s %j → null', (type, raw) => {
      expect(normalizeCell(fieldOf(type), raw)).toBeNull();
    });

    it.each<[string, unknown, unknown]>([
      ['checkbox', null, false],
      ['checkbox', undefined, false],
      ['multiple_select', null, []],
      ['multiple_select', '', []],
      ['multiple_select', [], []],
      ['link', undefined, []],
      ['link', '', []],
      ['link', [], []],
    ])('%s %j → %j', (type, raw, expected) => {
      expect(normalizeCell(fieldOf(type), raw)).toEqual(expected);
    });
  });

  describe('rejects wrong values with a validation error naming the field and its type', () => {
    it.each<[string, unknown]>([
      ['text', 42],
      ['text', true],
      ['text', ['a']],
      ['text', { a: 1 }],
      ['long_text', 7],
      ['number', '42'],
      ['number', Number.NaN],
      ['number', Number.POSITIVE_INFINITY],
      ['number', true],
      ['currency', '$5'],
      ['percent', '5%'],
      ['date', '2021-02-30'],
      ['date', '2023-02-29'],
      ['date', '2021-13-01'],
      ['date', '2021-2-3'],
      ['date', '01/02/2021'],
      ['date', '2021-02-03T10:00:00Z'],
      ['date', 20210203],
      ['date_time', '2024-03-01T10:00:00'],
      ['date_time', '2024-03-01'],
      ['date_time', '2021-02-30T10:00:00Z'],
      ['date_time', '2024-03-01T25:00:00Z'],
      ['date_time', 'tomorrow'],
      ['date_time', 1709287200000],
      ['checkbox', 'true'],
      ['checkbox', 1],
      ['checkbox', 'yes'],
      ['single_select', 'Unknown'],
      ['single_select', 'lead'],
      ['single_select', 3],
      ['multiple_select', 'Lead'],
      ['multiple_select', ['Lead', 'Nope']],
      ['multiple_select', [1]],
      ['link', 'rec_1'],
      ['link', ['']],
      ['link', [42]],
      ['link', ['r'.repeat(65)]],
      ['email', 'not-an-email'],
      ['email', 'a@b'],
      ['email', 'a b@example.com'],
      ['email', 42],
      ['url', 'javascript:alert(1)'],
      ['url', 'JavaScript:alert(1)'],
      ['url', 'data:text/html,<b>hi</b>'],
      ['url', 'ftp://example.com/file'],
      ['url', 'http://intranet'],
      ['url', 'not a url'],
      ['url', 42],
      ['phone', 'call me'],
      ['phone', '12'],
      ['phone', 5551234567],
    ])('%s %j', (type, raw) => {
      const err = domainErrorOf(() => normalizeCell(fieldOf(type), raw));
      expect(err.code).toBe('validation');
      expect(err.message).toContain(`field "My ${type}" (${type})`);
      expect(err.details).toMatchObject({ field_id: `fld_${type}`, field: `My ${type}`, type });
    });

    it.each(['created_time', 'last_modified_time', 'created_by', 'last_modified_by'])(
      '%s cannot be edited',
      (type) => {
        const err = domainErrorOf(() => normalizeCell(fieldOf(type), 'anything'));
        expect(err.code).toBe('validation');
        expect(err.message).toBe(
          `field "My ${type}" (${type}) is filled in by the system and cannot be edited`,
        );
      },
    );

    it('an unknown type is refused', () => {
      const err = domainErrorOf(() => normalizeCell(fieldOf('rating'), 3));
      expect(err.code).toBe('validation');
      expect(err.message).toBe('field "My rating" has an unknown type "rating"');
    });

    it('says what was given', () => {
      expect(domainErrorOf(() => normalizeCell(fieldOf('number'), 'abc')).message).toBe(
        'field "My number" (number) expects a finite number; got text "abc"',
      );
      expect(domainErrorOf(() => normalizeCell(fieldOf('date'), '2021-02-30')).message).toBe(
        'field "My date" (date) expects a date as YYYY-MM-DD; got text "2021-02-30"',
      );
    });

    it('names the bad choice of a multiple select', () => {
      const err = domainErrorOf(() => normalizeCell(fieldOf('multiple_select'), ['Lead', 'Nope']));
      expect(err.details.given).toBe('Nope');
    });
  });

  describe('text length', () => {
    const text = fieldOf('text');

    it(`accepts exactly ${LIMITS.textCellChars} characters`, () => {
      const s = 'a'.repeat(LIMITS.textCellChars);
      expect(normalizeCell(text, s)).toBe(s);
    });

    it('refuses one character more, naming the field and the limit', () => {
      const err = domainErrorOf(() => normalizeCell(text, 'a'.repeat(LIMITS.textCellChars + 1)));
      expect(err.code).toBe('validation');
      expect(err.message).toBe(`field "My text" holds at most 100000 characters; got 100001`);
      expect(err.details).toEqual({
        field_id: 'fld_text',
        field: 'My text',
        type: 'text',
        limit: 100_000,
      });
    });

    it('counts an emoji (two UTF-16 units) as one character', () => {
      const s = '👍'.repeat(LIMITS.textCellChars);
      expect(s.length).toBe(2 * LIMITS.textCellChars);
      expect(normalizeCell(text, s)).toBe(s);
      expect(domainErrorOf(() => normalizeCell(text, `${s}👍`)).message).toContain('got 100001');
    });

    it('applies to long text too', () => {
      expect(
        domainErrorOf(() =>
          normalizeCell(fieldOf('long_text'), 'x'.repeat(LIMITS.textCellChars + 1)),
        ).code,
      ).toBe('validation');
    });
  });

  describe('NUL characters, which no CSV export could carry and the import refuses', () => {
    it.each(['text', 'long_text', 'email', 'url', 'phone'])(
      'are refused in a %s field, naming the field and the reason',
      (type) => {
        const err = domainErrorOf(() =>
          normalizeCell(
            fieldOf(type),
            type === 'email'
              ? 'ann@x.example\u0000'
              : type === 'phone'
                ? '+41 44\u0000 000'
                : 'nul\u0000byte',
          ),
        );
        expect(err.code).toBe('validation');
        expect(err.message).toBe(
          `field "My ${type}" (${type}) cannot hold a NUL character (U+0000)`,
        );
        expect(err.details).toEqual({
          field_id: `fld_${type}`,
          field: `My ${type}`,
          type,
          reason: 'nul_character',
        });
      },
    );

    it('are refused in an attachment’s name or address', () => {
      const field = fieldOf('attachment');
      expect(
        domainErrorOf(() =>
          normalizeCell(field, [{ filename: 'deck\u0000.pdf', url: 'https://x.example/deck.pdf' }]),
        ).code,
      ).toBe('validation');
      expect(
        domainErrorOf(() =>
          normalizeCell(field, [{ filename: 'deck.pdf', url: 'https://x.example/\u0000.pdf' }]),
        ).code,
      ).toBe('validation');
    });

    it('leave every other control character to the text, as typed or pasted', () => {
      expect(normalizeCell(fieldOf('long_text'), 'tab\there\u0001\u001f')).toBe(
        'tab\there\u0001\u001f',
      );
    });
  });
});

describe('valuesEqual', () => {
  it.each<[unknown, unknown, boolean]>([
    [null, null, true],
    [null, '', true],
    [null, [], true],
    ['', [], true],
    [undefined, null, true],
    ['a', 'a', true],
    ['a', 'b', false],
    ['a', 'A', false],
    [1, 1, true],
    [1, '1', false],
    [0, null, false],
    [false, null, false],
    [true, true, true],
    [true, false, false],
    [['a', 'b'], ['a', 'b'], true],
    [['a', 'b'], ['b', 'a'], false],
    [['a'], ['a', 'b'], false],
    [['a'], 'a', false],
    [[{ x: 1 }], [{ x: 1 }], true],
    [{ x: 1 }, { x: 1 }, true],
    [{ x: 1 }, { x: 2 }, false],
  ])('%j and %j → %s', (a, b, expected) => {
    expect(valuesEqual(a, b)).toBe(expected);
    expect(valuesEqual(b, a)).toBe(expected);
  });
});
