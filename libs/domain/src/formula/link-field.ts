import { type FieldDefinition } from '@crm/events';
import { compileFilter } from '../filter/compile-filter';
import { type FilterGroup } from '../filter/view-config';
import { type RowAccess } from '../filter/view-rows';
import { currencyFieldOf, currencyLinkOf, currencyOfCell } from '../values/amount-currency';
import { compileFormula, type CompiledFormula } from './formula';
import { conditionsReadClock, type LinkDelta, linkDeltaOf } from './link-delta';
import { ROLLUP_VALUES_FIELD } from './link-field-options';
import { linkNamesOf } from './link-names';
import { cellToFormulaValue, type FormulaRecord, type StoredFormulaValue } from './stored-values';
import { FError, FormulaSyntaxError, type FormulaType, type FValue } from './types';

/** A record of a linked table, as a computed link field reads it. */
export interface LinkedRecord {
  id: string;
  table_id: string;
  values: Record<string, unknown>;
  /** Its derived values (formulas, lookups, rollups, counts). */
  computed?: Record<string, unknown>;
  archived: boolean;
  created_at?: string | null;
  created_by?: string | null;
  updated_at?: string | null;
  updated_by?: string | null;
}

/**
 * What computing a link field reads beyond its own record: the linked tables' fields and records.
 * Without one (the browser), a computed link field keeps the value it has.
 */
export interface LinkContext {
  fieldsOf(tableId: string): readonly FieldDefinition[] | undefined;
  /** The table's primary field, whose values name its records. */
  primaryFieldOf(tableId: string): string | undefined;
  /** The records with these ids (in this order; missing ones left out), of the table `tableId` links to. */
  records(ids: readonly string[], tableId: string): LinkedRecord[];
  /**
   * The same records read for some of their cells only (a fund's Currency, not its thousands of
   * commitments' ids); `records` when absent.
   */
  recordsPicking?(
    ids: readonly string[],
    tableId: string,
    fieldIds: readonly string[],
  ): LinkedRecord[];
}

const DERIVED = new Set(['formula', 'lookup', 'rollup', 'count']);

/** A cell of a linked record in its stored form. */
function storedCell(field: FieldDefinition, r: LinkedRecord): unknown {
  switch (field.type) {
    case 'created_time':
      return r.created_at ?? null;
    case 'last_modified_time':
      return r.updated_at ?? null;
    case 'created_by':
      return r.created_by ?? null;
    case 'last_modified_by':
      return r.updated_by ?? null;
    default:
      return DERIVED.has(field.type) ? r.computed?.[field.id] : r.values[field.id];
  }
}

const access: RowAccess<LinkedRecord> = { value: (row, field) => storedCell(field, row) };

const isError = (v: unknown): v is { error: string } =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && 'error' in v;

/**
 * A lookup, rollup or count compiled to the shape of a formula, so that the dependency graph orders
 * it among the table's formulas and recomputes it with them. It reads its link field (`fieldIds`);
 * the records behind the link come from `links`. Throws FormulaSyntaxError when it no longer fits
 * the schema (its link or target field was removed); every record then shows that as its error.
 */
export function compileLinkField(
  field: FieldDefinition,
  fields: readonly FieldDefinition[],
  links: LinkContext | undefined,
): CompiledFormula {
  const o = field.options;
  const type = (o.result_type as FormulaType | undefined) ?? 'array';
  const linkId = String(o.link_field_id ?? '');
  const link = fields.find((f) => f.id === linkId && f.type === 'link');
  if (!link) throw new FormulaSyntaxError('the link field it reads was removed', 0);
  const kept = (record: FormulaRecord) =>
    (record.computed?.[field.id] ?? null) as StoredFormulaValue;
  const shape = { source: '', type, fieldIds: [linkId], volatile: false, recordMeta: false };
  if (!links) {
    return {
      ...shape,
      run: (record) => kept(record) as FValue,
      evaluate: kept,
      evaluateMetered: (record) => ({ value: kept(record), spent: 0 }),
    };
  }
  const targetTable = String(link.options.table_id);
  const targetFields = links.fieldsOf(targetTable);
  if (!targetFields) throw new FormulaSyntaxError('the table it links to was removed', 0);
  const target = targetFields.find((f) => f.id === o.target_field_id);
  if (field.type !== 'count' && !target)
    throw new FormulaSyntaxError('the field it looks up was removed', 0);
  const rollup =
    field.type === 'rollup'
      ? compileFormula(String(o.formula ?? ''), { fields: [ROLLUP_VALUES_FIELD] })
      : null;
  const conditions = (o.conditions as FilterGroup | undefined) ?? null;
  const valuesOf = valuesReader(target, links);
  // Compiled for each use: a relative date ("today") reads the time of the change computing it.
  const countsAt = (now: number) => {
    const pass = conditions && compileFilter(conditions, targetFields, access, { now });
    return (r: LinkedRecord) => !r.archived && r.table_id === targetTable && (!pass || pass(r));
  };
  const linked = (record: FormulaRecord, now: number): LinkedRecord[] => {
    const ids = record.values[linkId];
    if (!Array.isArray(ids) || ids.length === 0) return [];
    return links.records(ids as string[], targetTable).filter(countsAt(now));
  };
  const delta = sameCurrencies(
    target,
    linkDeltaOf(field, {
      counts: (r, now) => countsAt(now)(r),
      valuesOf,
      rollup,
      clocked: conditionsReadClock(conditions, targetFields),
    }),
  );
  const evaluateMetered = (record: FormulaRecord, now: number, fuel: number) => {
    const records = linked(record, now);
    if (field.type === 'count') return { value: records.length, spent: records.length + 1 };
    if (!rollup)
      return { value: lookupValue(target!, records, valuesOf), spent: records.length + 1 };
    const mixed = type === 'number' ? currenciesOf(target!, records, links) : [];
    if (mixed.length > 1)
      return {
        value: { error: `amounts in different currencies (${mixed.join(', ')}) have no one total` },
        spent: records.length + 1,
      };
    const values = records.flatMap(valuesOf);
    const run = rollup.evaluateMetered(
      { id: record.id, values: { values }, created_at: null, updated_at: null },
      now,
      Math.max(fuel - records.length, 1),
    );
    return { value: run.value, spent: run.spent + records.length };
  };
  return {
    ...shape,
    run: (record, now) => evaluateMetered(record, now, Infinity).value as FValue,
    evaluate: (record, now) => evaluateMetered(record, now, Infinity).value,
    evaluateMetered,
    ...(delta ? { delta } : {}),
  };
}

/**
 * A delta over amounts whose currency comes from a link (a commitment's from its fund) only while
 * the changed record keeps its link: then the set of currencies under the total is the one it had.
 * A record added, removed or moved to another fund is summed whole, where a franc added to dollars
 * is seen and refused.
 */
function sameCurrencies(
  target: FieldDefinition | undefined,
  delta: LinkDelta | undefined,
): LinkDelta | undefined {
  const via = target && currencyLinkOf(target);
  if (!delta || !via) return delta;
  return (old, before, after, now) =>
    before && after && sameIds(before.values[via], after.values[via])
      ? delta(old, before, after, now)
      : undefined;
}

const sameIds = (a: unknown, b: unknown) =>
  Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The currencies of the linked records' amounts, when the target is a currency field taking its
 * currency from a link (a commitment's from its fund): a number over amounts of several is refused.
 */
function currenciesOf(
  target: FieldDefinition,
  records: LinkedRecord[],
  links: LinkContext,
): string[] {
  const via = currencyLinkOf(target);
  if (!via) return [];
  const codes = new Set<string>();
  const own = typeof target.options.currency === 'string' ? target.options.currency : null;
  for (const r of records) {
    if (typeof storedCell(target, r) !== 'number') continue;
    const ids = r.values[via];
    const linkField = links.fieldsOf(r.table_id)?.find((f) => f.id === via);
    const table = linkField ? String(linkField.options.table_id) : '';
    const holder = currencyFieldOf(links.fieldsOf(table) ?? []);
    // An amount in its own record's currency (a fund's Target size): that record's Currency cell.
    const ownCell = typeof ids === 'string' ? currencyOfCell(ids) : null;
    const found = new Set(
      ownCell !== null
        ? [ownCell]
        : Array.isArray(ids) && holder
          ? (links.recordsPicking
              ? links.recordsPicking(ids as string[], table, [holder.id])
              : links.records(ids as string[], table)
            )
              .map((x) => currencyOfCell(x.values[holder.id]))
              .filter((c) => c !== null)
          : [],
    );
    if (found.size === 0 && own) found.add(own);
    for (const c of found) codes.add(c);
  }
  return [...codes].sort();
}

/** A lookup: the linked records' values, lists flattened and blanks left out, in link order. */
function lookupValue(
  target: FieldDefinition,
  records: LinkedRecord[],
  valuesOf: (r: LinkedRecord) => FValue[],
): StoredFormulaValue {
  const out: (string | number | boolean | null)[] = [];
  for (const r of records) {
    if (target.type === 'link') {
      out.push(...(valuesOf(r) as string[]));
      continue;
    }
    const v = storedCell(target, r);
    if (isError(v)) return { error: `a looked-up value is an error: ${v.error}` };
    if (Array.isArray(v)) {
      for (const x of v as unknown[])
        if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out.push(x);
        else if (x && typeof x === 'object' && 'name' in x) out.push(String(x.name));
    } else if (typeof v === 'string' || typeof v === 'number') out.push(v);
    else if (typeof v === 'boolean') {
      if (v) out.push(v);
    }
  }
  return out.length ? out : null;
}

/**
 * How a linked record's value reads in a lookup or a rollup's `values`. A looked-up link reads as
 * the names of the records it links to, as a link does in a formula (Airtable shows names, not ids).
 */
function valuesReader(
  target: FieldDefinition | undefined,
  links: LinkContext,
): (r: LinkedRecord) => FValue[] {
  if (!target) return () => [];
  if (target.type !== 'link') return (r) => formulaValuesOf(target, r);
  const named = String(target.options.table_id);
  const names = linkNamesOf(links);
  return (r) => {
    const ids = r.values[target.id];
    return Array.isArray(ids) && ids.length ? names.names(named, ids as string[]) : [];
  };
}

/** A linked record's value as a rollup's `values` holds it: typed, lists flattened, blanks left out. */
function formulaValuesOf(target: FieldDefinition, r: LinkedRecord): FValue[] {
  const v = cellToFormulaValue(target, storedCell(target, r));
  if (v === null) return [];
  if (v instanceof FError) return [v];
  return Array.isArray(v) ? v.filter((x) => x !== null) : [v];
}
