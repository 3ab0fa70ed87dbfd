import { type FieldDefinition } from '@crm/events';
import { currencyLinkOf, UNKNOWN_CURRENCY } from '../values/amount-currency';
import { compareKeys, type SortKey, sortKeyOf } from './apply-view';
import { cellNumber } from './cell-reading';
import { LISTS_FIELD, withLists } from './list-order';
import { filterKind, LISTS_FIELD_ID, type ViewSort } from './view-config';
import { type RowAccess, type ViewEvalContext } from './view-rows';

/**
 * The groups of a grouped view, over its rows already in view order (applyView puts the group
 * levels first): one entry per group at each level, outer before inner, with where its rows start,
 * how many there are and the sums of its number fields. The server sends these with the records so
 * the grid draws headers and totals without reading rows it has not loaded.
 */
export interface ViewGroup {
  /** Stable across reloads: the group's values as sort keys, outer first (JSON). */
  key: string;
  level: number;
  field_id: string;
  /** The first row's value of the grouped field (what the header shows). */
  value: unknown;
  /** Index of the group's first row in the view's ordered rows. */
  start: number;
  count: number;
  /** field id → sum, for number, currency and percent fields of one unit. */
  sums: Record<string, number>;
  /**
   * field id → currency → sum, for currency fields whose currency comes from a link (each row's
   * own): never one figure over several currencies. '' holds amounts of no known currency.
   */
  amounts?: Record<string, Record<string, number>>;
}

export const SUMMED_TYPES: readonly string[] = ['number', 'currency', 'percent'];

export function summedFields(fields: readonly FieldDefinition[]): FieldDefinition[] {
  return fields.filter((f) => SUMMED_TYPES.includes(f.type));
}

export function viewGroups<R>(
  ordered: readonly R[],
  fields: readonly FieldDefinition[],
  groupBy: readonly ViewSort[] | undefined,
  given: RowAccess<R>,
  ctx: ViewEvalContext,
): ViewGroup[] {
  const byId = new Map(fields.map((f) => [f.id, f]));
  // A group level on the Lists column groups records in the same lists together.
  if (!byId.has(LISTS_FIELD_ID)) byId.set(LISTS_FIELD_ID, LISTS_FIELD);
  const access = withLists(given, ctx);
  const levels = (groupBy ?? []).map((g) => byId.get(g.field_id)).filter((f) => !!f);
  if (levels.length === 0) return [];
  const keyOf = levels.map((f) => sortKeyOf(f, filterKind(f), ctx));
  const linked = summedFields(fields).filter((f) => currencyLinkOf(f));
  // Amounts of a row's own currency are summed only by currency, and only when it can be read.
  const summed = summedFields(fields).filter((f) => !currencyLinkOf(f));
  const byCode = access.currency ? linked : [];
  const out: ViewGroup[] = [];
  const open: (ViewGroup | null)[] = levels.map(() => null);
  const current: SortKey[] = [];
  for (let i = 0; i < ordered.length; i++) {
    const row = ordered[i];
    let changedAt = levels.length;
    for (let l = 0; l < levels.length; l++) {
      const k = keyOf[l](access.value(row, levels[l]));
      if (changedAt === levels.length && (!open[l] || compareKeys(k, current[l]) !== 0))
        changedAt = l;
      current[l] = k;
    }
    for (let l = changedAt; l < levels.length; l++) {
      const g: ViewGroup = {
        key: JSON.stringify(current.slice(0, l + 1)),
        level: l,
        field_id: levels[l].id,
        value: access.value(row, levels[l]) ?? null,
        start: i,
        count: 0,
        sums: {},
      };
      open[l] = g;
      out.push(g);
    }
    for (const g of open) {
      g!.count++;
      for (const f of summed) {
        const n = cellNumber(access.value(row, f));
        if (n !== null) g!.sums[f.id] = (g!.sums[f.id] ?? 0) + n;
      }
      for (const f of byCode) addAmount(g!, f.id, access.currency!(row, f), access.value(row, f));
    }
  }
  return out;
}

function addAmount(g: ViewGroup, fieldId: string, code: string | null, value: unknown): void {
  const n = cellNumber(value);
  if (n === null) return;
  const key = code ?? UNKNOWN_CURRENCY;
  const sums = ((g.amounts ??= {})[fieldId] ??= {});
  sums[key] = (sums[key] ?? 0) + n;
}
