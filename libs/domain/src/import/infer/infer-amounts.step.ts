import { type DecimalMark, parseCurrency, parseNumberText, parsePercent } from '../airtable-values';
import { DEFAULT_FORMAT } from '../column-format';
import { type ColumnInference } from '../infer-column';
import { type Inference } from './inference';

export const LEADING_ZERO = /^[+]|^0\d/;
const NUMERIC_START = /^[-−(+]?\s*(\d|[^\s\d]{1,4}\s*\d|[.,]\d)/;
const YEAR_HEADER = /\b(year|vintage|founded|established|since|fy)\b/i;
const YEAR_VALUE = /^(1[89]|2[01])\d\d$/;
const MARKS = ['.', ','] as const;

const decimalsOf = (text: string, mark: DecimalMark) => {
  const i = text.lastIndexOf(mark);
  return i === -1 ? 0 : (/^\d+/.exec(text.slice(i + 1))?.[0].length ?? 0);
};

/** The most decimals any checked value has (at most 8). */
const precisionOf = (c: Inference, mark: DecimalMark, text = (v: string) => v) =>
  Math.min(8, Math.max(...c.checked.map((i) => decimalsOf(text(c.values[i]), mark))));

/**
 * Amounts: currency (one symbol), percent, plain numbers with a decimal point or comma. A column
 * of numbers with a leading zero (an id, a phone) is none of them; one that nearly fits says so.
 */
export function inferAmounts(c: Inference): ColumnInference | null {
  const numeric = NUMERIC_START.test(c.first);
  const noLeadingZero =
    numeric && c.all((v) => !LEADING_ZERO.test(v.trim()) || /^0[.,]\d/.test(v.trim()));
  if (!noLeadingZero) return null;
  const found = inferCurrency(c) ?? inferPercent(c) ?? inferNumber(c);
  if (found) return found;
  const near = Math.max(
    c.nearShare((v) => parseNumberText(v, '.') !== null),
    c.nearShare((v) => parseNumberText(v, ',') !== null),
  );
  if (near >= 0.9)
    c.notes.push(
      `${Math.round(near * 100)}% of the values are numbers; imported as text so that none is lost`,
    );
  return null;
}

function inferCurrency(c: Inference): ColumnInference | null {
  for (const decimal of MARKS) {
    const symbols = new Set<string>();
    const fits = c.all((v) => {
      const parsed = parseCurrency(v, decimal);
      if (parsed) symbols.add(parsed.symbol);
      return parsed !== null;
    });
    if (!fits) continue;
    if (symbols.size === 1) {
      if (decimal === ',') c.notes.push('decimal comma');
      return c.withErrors(
        c.result('currency', c.evidence, {
          format: { ...DEFAULT_FORMAT, decimal },
          options: { symbol: [...symbols][0], precision: precisionOf(c, decimal) },
        }),
      );
    }
    c.notes.push(`amounts in several currencies (${[...symbols].join(', ')}): imported as text`);
    return c.withErrors(c.result(c.textType(), 0.5 * c.evidence));
  }
  return null;
}

function inferPercent(c: Inference): ColumnInference | null {
  for (const decimal of MARKS) {
    if (!c.all((v) => parsePercent(v, decimal) !== null)) continue;
    const precision = precisionOf(c, decimal, (v) => v.replace('%', ''));
    return c.withErrors(
      c.result('percent', c.evidence, {
        format: { ...DEFAULT_FORMAT, decimal },
        options: { precision },
      }),
    );
  }
  return null;
}

function inferNumber(c: Inference): ColumnInference | null {
  const point = c.all((v) => parseNumberText(v, '.') !== null);
  const comma =
    !point || c.checked.some((i) => /^\d{1,3}(,\d{3})+$/.test(c.values[i].trim()))
      ? c.all((v) => parseNumberText(v, ',') !== null)
      : false;
  if (!point && !comma) return null;
  // Both readings fit only when no value has a decimal part (or all are like 1,234): prefer the point.
  const decimal: DecimalMark = point ? '.' : ',';
  if (point && comma)
    c.notes.push('1,234 is read as one thousand two hundred thirty-four (decimal point)');
  if (decimal === ',') c.notes.push('decimal comma');
  const precision = precisionOf(c, decimal);
  // A column of years (Vintage, Year founded) shows 2026, not 2,026.
  const years = YEAR_HEADER.test(c.header) && c.all((v) => YEAR_VALUE.test(v.trim()));
  if (years) c.notes.push('years: shown without a thousands separator');
  return c.withErrors(
    c.result('number', c.evidence, {
      format: { ...DEFAULT_FORMAT, decimal },
      options: years ? { precision, thousands_separator: false } : { precision },
    }),
  );
}
