import { isCurrencyCode } from './currency';
import { currencyFieldOf } from './amount-currency';
import { type FieldDefinition } from '@crm/events';
import { invalid } from '../errors';
import { normalizeFormulaOptions } from '../formula/formula-field';
import { normalizeLinkFieldOptions } from '../formula/link-field-options';
import { FOLLOW_UP_VALUES, isFieldType, isFollowUpValue } from './field-types';
import { LIMITS } from './limits';
import { refuseNul } from './normalize';

export interface OptionsContext {
  tableExists(tableId: string): boolean;
  /** The table's fields, for a formula's references (by name or id). */
  fields?: readonly FieldDefinition[];
  /** The field whose options these are, when it exists already (a formula may not refer to it). */
  fieldId?: string;
  /** Another table's fields, for a lookup's or rollup's target field and conditions. */
  tableFields?(tableId: string): readonly FieldDefinition[] | undefined;
}

const obj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

function precision(name: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 8)
    throw invalid(`field "${name}": options.precision must be a whole number from 0 to 8`, {
      field: name,
      option: 'precision',
    });
  return v;
}

/**
 * Whether a number shows thousands separators: on unless turned off, so that fields made before the
 * option existed keep showing them. Stored only when off (`thousands_separator: false`).
 */
function grouping(name: string, v: unknown): { thousands_separator?: false } {
  if (v === undefined || v === true) return {};
  if (v !== false)
    throw invalid(`field "${name}": options.thousands_separator must be true or false`, {
      field: name,
      option: 'thousands_separator',
      reason: 'not_a_boolean',
    });
  return { thousands_separator: false };
}

/**
 * How a computed value shows. A true/false formula's 1/0 as the number (the default, as Airtable
 * does) or as a checkmark (`display: "checkbox"`), kept only while the formula gives true/false; a
 * number as money (`display: "currency"`, with `symbol` and `precision`) or as a percentage of 1
 * (`display: "percent"`, with `precision`), kept only while it gives a number.
 */
function formulaDisplay(
  name: string,
  v: unknown,
  resultType: unknown,
  o: Record<string, unknown>,
): { display?: 'checkbox' | 'currency' | 'percent'; symbol?: string; precision?: number } {
  if (v === undefined || v === null || v === 'number') return {};
  if (v === 'checkbox') return resultType === 'boolean' ? { display: 'checkbox' } : {};
  if (v !== 'currency' && v !== 'percent')
    throw invalid(
      `field "${name}": options.display must be "number", "checkbox", "currency" or "percent"`,
      { field: name, option: 'display', given: v },
    );
  if (resultType !== 'number') return {};
  if (v === 'percent') return { display: 'percent', precision: precision(name, o.precision, 0) };
  return {
    display: 'currency',
    symbol: currencySymbol(name, o.symbol),
    precision: precision(name, o.precision, 2),
  };
}

function currencySymbol(name: string, v: unknown): string {
  const symbol = v ?? '$';
  if (typeof symbol !== 'string' || symbol.length > 5)
    throw invalid(`field "${name}": options.symbol must be a short text`, {
      field: name,
      option: 'symbol',
    });
  return symbol;
}

/** A select's choices: each named (within the name limit, no NUL) and listed once; a colour is kept short. */
function selectChoices(name: string, raw: unknown): { name: string; color?: string }[] {
  const list = raw ?? [];
  if (!Array.isArray(list) || list.length > LIMITS.choices)
    throw invalid(`field "${name}": options.choices must be a list of at most ${LIMITS.choices}`, {
      field: name,
      option: 'choices',
    });
  const seen = new Set<string>();
  return list.map((c: unknown) => {
    const entry = typeof c === 'string' ? { name: c } : c;
    if (
      !obj(entry) ||
      typeof entry.name !== 'string' ||
      entry.name.trim() === '' ||
      entry.name.length > LIMITS.nameChars
    ) {
      throw invalid(
        `field "${name}": every choice needs a name of 1 to ${LIMITS.nameChars} characters`,
        { field: name, option: 'choices' },
      );
    }
    refuseNul(entry.name, { field: name, option: 'choices' }, `field "${name}": a choice`);
    if (seen.has(entry.name))
      throw invalid(`field "${name}": choice "${entry.name}" is listed twice`, {
        field: name,
        option: 'choices',
      });
    seen.add(entry.name);
    return typeof entry.color === 'string'
      ? { name: entry.name, color: entry.color.slice(0, 20) }
      : { name: entry.name };
  });
}

/**
 * A currency taken from a link (`currency_from`: a link field of the same table, a commitment's
 * Fund): each amount is in its linked record's currency, the field's own code standing for the rest.
 * Or from the table's own Currency field (a fund's Target size): each amount in its record's.
 */
function currencyFrom(name: string, v: unknown, ctx: OptionsContext): { currency_from?: string } {
  if (v === undefined || v === null || v === '') return {};
  const from = typeof v === 'string' && ctx.fields?.find((f) => f.id === v);
  const ok = from && (from.type === 'link' || from === currencyFieldOf(ctx.fields ?? []));
  if (typeof v !== 'string' || (ctx.fields && !ok))
    throw invalid(
      `field "${name}": options.currency_from must name a link field or the Currency field of this table`,
      {
        field: name,
        option: 'currency_from',
        reason: 'not_a_link_field',
        given: v,
      },
    );
  return { currency_from: v };
}

/** A currency field's options: its ISO code (or, made before codes, a symbol), places and grouping. */
function currencyOptions(
  name: string,
  o: Record<string, unknown>,
  ctx: OptionsContext,
): Record<string, unknown> {
  if (o.currency !== undefined && !isCurrencyCode(o.currency))
    throw invalid(
      `field "${name}": options.currency must be an ISO 4217 code such as USD, EUR or CHF`,
      { field: name, option: 'currency' },
    );
  // A field naming its code needs no symbol: the reader's locale writes the amount.
  const symbol =
    o.symbol === undefined && o.currency !== undefined ? undefined : currencySymbol(name, o.symbol);
  return {
    ...(o.currency === undefined ? {} : { currency: o.currency }),
    ...(symbol === undefined ? {} : { symbol }),
    ...currencyFrom(name, o.currency_from, ctx),
    precision: precision(name, o.precision, 2),
    ...grouping(name, o.thousands_separator),
  };
}

/** Checks a field's options for its type and returns them in canonical form (unknown keys dropped). */
export function normalizeFieldOptions(
  name: string,
  type: string,
  raw: unknown,
  ctx: OptionsContext,
): Record<string, unknown> {
  if (!isFieldType(type))
    throw invalid(`field "${name}": unknown type "${type}"`, { field: name, type });
  const o = raw === undefined || raw === null ? {} : raw;
  if (!obj(o))
    throw invalid(`field "${name}": options must be an object`, { field: name, option: 'options' });
  switch (type) {
    case 'number':
    case 'percent':
      return {
        precision: precision(name, o.precision, 0),
        ...grouping(name, o.thousands_separator),
      };
    case 'currency':
      return currencyOptions(name, o, ctx);
    case 'single_select':
    case 'multiple_select':
      return { choices: selectChoices(name, o.choices) };
    case 'link': {
      if (typeof o.table_id !== 'string' || !ctx.tableExists(o.table_id)) {
        throw invalid(`field "${name}": options.table_id must name an existing table`, {
          field: name,
          option: 'table_id',
          given: o.table_id ?? null,
        });
      }
      return { table_id: o.table_id };
    }
    case 'user':
      if (o.multiple !== undefined && typeof o.multiple !== 'boolean')
        throw invalid(`field "${name}": options.multiple must be true or false`, {
          field: name,
          option: 'multiple',
          reason: 'not_a_boolean',
        });
      return { multiple: o.multiple === true };
    case 'formula': {
      // Stored with references by field id; the result type is worked out, never taken from the client.
      const formula = normalizeFormulaOptions(name, o, ctx.fields ?? [], ctx.fieldId);
      return {
        ...formula,
        ...grouping(name, o.thousands_separator),
        ...formulaDisplay(name, o.display, formula.result_type, o),
      };
    }
    case 'lookup':
    case 'rollup':
    case 'count': {
      const link = normalizeLinkFieldOptions(name, type, o, {
        fields: ctx.fields ?? [],
        tableFields: (id) => ctx.tableFields?.(id),
      });
      if (type === 'lookup') return link;
      return {
        ...link,
        ...grouping(name, o.thousands_separator),
        ...formulaDisplay(name, o.display, link.result_type, o),
      };
    }
    case 'follow_up':
      if (!isFollowUpValue(o.value))
        throw invalid(
          `field "${name}": options.value must be one of ${FOLLOW_UP_VALUES.join(', ')}`,
          { field: name, option: 'value', given: o.value ?? null, allowed: FOLLOW_UP_VALUES },
          'invalid_value',
        );
      return { value: o.value };
    default:
      return {};
  }
}
