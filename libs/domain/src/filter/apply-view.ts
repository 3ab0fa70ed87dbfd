import { type FieldDefinition } from '@crm/events';
import { isDerivedType } from '../values/field-types';
import { foldText } from '../values/fold-text';
import { cellList, cellNumber, cellText, DATE_ONLY, isTicked } from './cell-reading';
import { compileFilter } from './compile-filter';
import { LISTS_FIELD, listsSortKey, withLists } from './list-order';
import {
  type FilterGroup,
  filterKind,
  type FilterKind,
  isGroup,
  LISTS_FIELD_ID,
  type ViewSort,
} from './view-config';
import { type RowAccess, type ViewEvalContext } from './view-rows';

/**
 * Filtering and sorting a view's records: one implementation for the server (GET …/views/:id/records)
 * and the browser grid, so both show the same records in the same order. Rows can be any shape; an
 * accessor reads a field's value from a row (see view-rows.ts).
 */

export type SortKey = number | string | null | (number | string)[];

export function sortKeyOf(
  field: FieldDefinition,
  kind: FilterKind,
  ctx: ViewEvalContext,
): (v: unknown) => SortKey {
  if (field.id === LISTS_FIELD_ID) return listsSortKey;
  switch (kind) {
    case 'number':
      return (v) => cellNumber(v);
    case 'boolean':
      return (v) => (isTicked(v) ? 1 : 0);
    case 'date':
      return (v) => {
        if (typeof v !== 'string') return null;
        const m = DATE_ONLY.exec(v);
        const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Date.parse(v);
        return Number.isNaN(ms) ? null : ms;
      };
    case 'select':
    case 'multi': {
      // Selects sort by the order of their choices, as in Airtable.
      const order = new Map(
        ((field.options.choices as { name: string }[] | undefined) ?? []).map((c, i) => [
          c.name,
          i,
        ]),
      );
      if (kind === 'select')
        return (v) => (typeof v === 'string' && v !== '' ? (order.get(v) ?? order.size) : null);
      if (isDerivedType(field.type))
        return (v) => {
          const t = foldText(cellText(v));
          return t === '' ? null : t;
        };
      return (v) => {
        const l = cellList(v);
        return l.length ? l.map((x) => order.get(x) ?? order.size) : null;
      };
    }
    case 'link': {
      const name = ctx.recordName ? (id: string) => ctx.recordName!(id) ?? id : (id: string) => id;
      return (v) => {
        const l = cellList(v);
        return l.length ? l.map((x) => foldText(name(x))).join(', ') : null;
      };
    }
    case 'user': {
      // People sort by name, as Airtable sorts collaborators.
      const name = ctx.personName ? (id: string) => ctx.personName!(id) ?? id : (id: string) => id;
      return (v) => {
        const l = cellList(v);
        return l.length ? l.map((x) => foldText(name(x))).join(', ') : null;
      };
    }
    default:
      return (v) => {
        const t = foldText(cellText(v));
        return t === '' ? null : t;
      };
  }
}

export function compareKeys(a: SortKey, b: SortKey): number {
  if (a === null || b === null) return a === null ? (b === null ? 0 : -1) : 1;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
    }
    return a.length - b.length;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

type ViewOrdering = { filters?: unknown; sorts?: unknown; group_by?: unknown };

/** The view's ordering: group levels first, then its sorts (a grouped field is not sorted twice). */
export function orderingOf(config: ViewOrdering | null | undefined): ViewSort[] {
  const groups = (config?.group_by as ViewSort[] | undefined) ?? [];
  const sorts = (config?.sorts as ViewSort[] | undefined) ?? [];
  if (groups.length === 0) return sorts;
  return [...groups, ...sorts.filter((s) => !groups.some((g) => g.field_id === s.field_id))];
}

/**
 * Filters and sorts rows as a view does. Empty values sort first ascending (last descending); ties
 * keep the rows' given order (creation order), so the result is the same wherever it is computed.
 * A grouped view orders by its group levels first, so each group's rows are together.
 */
export function applyView<R>(
  rows: readonly R[],
  fields: readonly FieldDefinition[],
  config: ViewOrdering | null | undefined,
  access: RowAccess<R>,
  ctx: ViewEvalContext,
): R[] {
  const predicate = compileFilter(
    config?.filters as FilterGroup | null | undefined,
    fields,
    access,
    ctx,
  );
  const kept: R[] = predicate ? rows.filter(predicate) : rows.slice();
  const byId = new Map(fields.map((f) => [f.id, f]));
  // The Lists column sorts like a field: by the record's lists, in the order list-order.ts sets.
  if (!byId.has(LISTS_FIELD_ID)) byId.set(LISTS_FIELD_ID, LISTS_FIELD);
  const sorts = orderingOf(config).filter((s) => byId.has(s.field_id));
  if (sorts.length === 0) return kept;
  const read = withLists(access, ctx);
  const plans = sorts.map((s) => {
    const field = byId.get(s.field_id)!;
    return {
      field,
      key: sortKeyOf(field, filterKind(field), ctx),
      sign: s.direction === 'desc' ? -1 : 1,
    };
  });
  const n = kept.length;
  const keys = plans.map((p) => {
    const col = new Array<SortKey>(n);
    for (let i = 0; i < n; i++) col[i] = p.key(read.value(kept[i], p.field));
    return col;
  });
  const index = Array.from({ length: n }, (_, i) => i);
  index.sort((i, j) => {
    for (let s = 0; s < plans.length; s++) {
      const c = compareKeys(keys[s][i], keys[s][j]);
      if (c !== 0) return c * plans[s].sign;
    }
    return i - j;
  });
  return index.map((i) => kept[i]);
}

/** Field ids a view's filters and sorts read (to fetch only those on the server). */
export function fieldsReadByView(config: ViewOrdering | null | undefined): string[] {
  const out = new Set<string>();
  const walk = (g: FilterGroup | null | undefined) => {
    for (const c of g?.conditions ?? []) {
      if (isGroup(c)) walk(c);
      else out.add(c.field_id);
    }
  };
  walk(config?.filters as FilterGroup | null | undefined);
  for (const s of orderingOf(config)) out.add(s.field_id);
  return [...out];
}
