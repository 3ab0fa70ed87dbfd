import { type FieldDefinition } from '@crm/events';
import { addToDate } from '../formula/dates/date-math';
import { zoneOffset } from '../formula/dates/time-zones';
import { foldText } from '../values/fold-text';
import {
  type DateOperand,
  type FilterCondition,
  type FilterGroup,
  filterKind,
  type FilterKind,
  isGroup,
  type ViewSort,
  type WithinOperand,
} from './view-config';

/**
 * Filtering and sorting a view's records: one implementation for the server (GET …/views/:id/records)
 * and the browser grid, so both show the same records in the same order. Rows can be any shape; an
 * accessor reads a field's value from a row.
 */

export interface RowAccess<R> {
  value(row: R, field: FieldDefinition): unknown;
}

export interface ViewEvalContext {
  /** "Today" for relative date filters, ms since the epoch. */
  now: number;
  /** The calendar dates and times are read in (UTC by default, on both sides). */
  timeZone?: string | null;
  /** Names of linked records, for `contains` and sorting on link fields; ids are used without it. */
  recordName?(id: string): string | undefined;
}

/** A row as the API sends it: values by field id (formula values included) and the record's stamps. */
export interface ViewRecord {
  id: string;
  values: Record<string, unknown>;
  created_at?: string | null;
  created_by?: string | null;
  updated_at?: string | null;
  updated_by?: string | null;
}

export const recordAccess: RowAccess<ViewRecord> = {
  value(row, field) {
    switch (field.type) {
      case 'created_time':
        return row.created_at ?? null;
      case 'last_modified_time':
        return row.updated_at ?? null;
      case 'created_by':
        return row.created_by ?? null;
      case 'last_modified_by':
        return row.updated_by ?? null;
      default:
        return row.values[field.id];
    }
  },
};

const DAY = 86_400_000;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

const isFormulaError = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A cell as text for comparisons: lists joined, errors and blanks empty. */
function cellText(v: unknown): string {
  if (v === null || v === undefined || isFormulaError(v)) return '';
  if (Array.isArray(v)) return v.map((x) => (x === null ? '' : String(x))).join(', ');
  if (typeof v === 'boolean') return v ? '1' : '';
  return String(v);
}

/**
 * A text folded for comparison (lower case, NFC), remembering the last one: a view's conditions on one
 * field each folded the same cell, and folding (not searching) was most of the work of a filter on long text.
 */
let lastRaw = '';
let lastLowered = '';
function folded(text: string): string {
  if (text !== lastRaw) {
    lastRaw = text;
    lastLowered = foldText(text);
  }
  return lastLowered;
}

function cellList(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x) => x !== null && x !== '').map(String);
  if (v === null || v === undefined || v === '' || isFormulaError(v)) return [];
  return [String(v)];
}

const cellNumber = (v: unknown): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : null;

export function isBlankCell(v: unknown): boolean {
  return (
    v === null ||
    v === undefined ||
    v === '' ||
    v === false ||
    (Array.isArray(v) && v.length === 0) ||
    isFormulaError(v)
  );
}

/** The calendar day (days since 1970-01-01) a cell falls on, in the context's time zone. */
function dayOf(v: unknown, tz: string | null | undefined): number | null {
  if (typeof v !== 'string') return null;
  const m = DATE_ONLY.exec(v);
  if (m) return Math.floor(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY);
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) return null;
  return Math.floor((ms + zoneOffset(tz, ms) * 60_000) / DAY);
}

function targetDay(operand: DateOperand, ctx: ViewEvalContext): number | null {
  const today = Math.floor((ctx.now + zoneOffset(ctx.timeZone, ctx.now) * 60_000) / DAY);
  if (typeof operand === 'string') return dayOf(operand, null);
  const days = operand.days ?? 0;
  switch (operand.relative) {
    case 'today':
      return today;
    case 'tomorrow':
      return today + 1;
    case 'yesterday':
      return today - 1;
    case 'one_week_ago':
      return today - 7;
    case 'one_week_from_now':
      return today + 7;
    case 'one_month_ago':
      return Math.floor(addToDate(today * DAY, -1, 'month') / DAY);
    case 'one_month_from_now':
      return Math.floor(addToDate(today * DAY, 1, 'month') / DAY);
    case 'days_ago':
      return today - days;
    case 'days_from_now':
      return today + days;
    default:
      return null;
  }
}

const inactive = (v: unknown) =>
  v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

type Predicate<R> = (row: R) => boolean;

function compileCondition<R>(
  c: FilterCondition,
  field: FieldDefinition,
  access: RowAccess<R>,
  ctx: ViewEvalContext,
): Predicate<R> | null {
  const get = (row: R) => access.value(row, field);
  const kind = filterKind(field);
  if (c.operator === 'is_empty') return (row) => isBlankCell(get(row));
  if (c.operator === 'is_not_empty') return (row) => !isBlankCell(get(row));
  if (inactive(c.value)) return null;
  const v = c.value;
  switch (kind) {
    case 'number': {
      const x = v as number;
      switch (c.operator) {
        case '=':
          return (row) => cellNumber(get(row)) === x;
        case '!=':
          return (row) => cellNumber(get(row)) !== x;
        case '<':
          return (row) => {
            const n = cellNumber(get(row));
            return n !== null && n < x;
          };
        case '<=':
          return (row) => {
            const n = cellNumber(get(row));
            return n !== null && n <= x;
          };
        case '>':
          return (row) => {
            const n = cellNumber(get(row));
            return n !== null && n > x;
          };
        case '>=':
          return (row) => {
            const n = cellNumber(get(row));
            return n !== null && n >= x;
          };
        default:
          return null;
      }
    }
    case 'boolean':
      return (row) => (get(row) === true) === v;
    case 'date': {
      const tz = ctx.timeZone;
      if (c.operator === 'is_within') {
        const w = v as WithinOperand;
        const today = targetDay({ relative: 'today' }, ctx)!;
        const [lo, hi] = w.direction === 'past' ? [today - w.days, today] : [today, today + w.days];
        return (row) => {
          const d = dayOf(get(row), tz);
          return d !== null && d >= lo && d <= hi;
        };
      }
      const t = targetDay(v as DateOperand, ctx);
      if (t === null) return null;
      switch (c.operator) {
        case 'is_on':
          return (row) => dayOf(get(row), tz) === t;
        case 'is_before':
          return (row) => {
            const d = dayOf(get(row), tz);
            return d !== null && d < t;
          };
        case 'is_after':
          return (row) => {
            const d = dayOf(get(row), tz);
            return d !== null && d > t;
          };
        default:
          return null;
      }
    }
    case 'select':
    case 'user': {
      if (c.operator === 'is') return (row) => cellText(get(row)) === v;
      if (c.operator === 'is_not') return (row) => cellText(get(row)) !== v;
      const set = new Set(v as string[]);
      if (c.operator === 'has_any_of') return (row) => set.has(cellText(get(row)));
      if (c.operator === 'has_none_of') return (row) => !set.has(cellText(get(row)));
      return null;
    }
    case 'multi':
    case 'link': {
      const name =
        kind === 'link' && ctx.recordName
          ? (id: string) => ctx.recordName!(id) ?? id
          : (x: string) => x;
      if (c.operator === 'contains' || c.operator === 'does_not_contain') {
        const needle = foldText(String(v));
        const has = (row: R) => cellList(get(row)).some((x) => foldText(name(x)).includes(needle));
        return c.operator === 'contains' ? has : (row) => !has(row);
      }
      const want = v as string[];
      const set = new Set(want);
      switch (c.operator) {
        case 'has_any_of':
          return (row) => cellList(get(row)).some((x) => set.has(x));
        case 'has_all_of':
          return (row) => {
            const have = new Set(cellList(get(row)));
            return want.every((x) => have.has(x));
          };
        case 'has_none_of':
          return (row) => !cellList(get(row)).some((x) => set.has(x));
        case 'is':
          return (row) => {
            const have = new Set(cellList(get(row)));
            return have.size === set.size && want.every((x) => have.has(x));
          };
        default:
          return null;
      }
    }
    default: {
      // Text comparisons ignore case, as Airtable's do, and how an accent was typed (NFC or NFD).
      const needle = foldText(String(v));
      switch (c.operator) {
        case 'is':
          return (row) => folded(cellText(get(row))) === needle;
        case 'is_not':
          return (row) => folded(cellText(get(row))) !== needle;
        case 'contains':
          return (row) => folded(cellText(get(row))).includes(needle);
        case 'does_not_contain':
          return (row) => !folded(cellText(get(row))).includes(needle);
        default:
          return null;
      }
    }
  }
}

/** A predicate for a filter group, or null when nothing in it is active (every row passes). */
export function compileFilter<R>(
  group: FilterGroup | null | undefined,
  fields: readonly FieldDefinition[],
  access: RowAccess<R>,
  ctx: ViewEvalContext,
): Predicate<R> | null {
  if (!group) return null;
  const byId = new Map(fields.map((f) => [f.id, f]));
  const compileGroup = (g: FilterGroup): Predicate<R> | null => {
    const parts: Predicate<R>[] = [];
    for (const c of g.conditions) {
      let p: Predicate<R> | null;
      if (isGroup(c)) p = compileGroup(c);
      else {
        const field = byId.get(c.field_id);
        // A condition on a field removed since it was saved is left out.
        p = field ? compileCondition(c, field, access, ctx) : null;
      }
      if (p) parts.push(p);
    }
    if (parts.length === 0) return null;
    if (parts.length === 1) return parts[0];
    return g.conjunction === 'and'
      ? (row) => parts.every((p) => p(row))
      : (row) => parts.some((p) => p(row));
  };
  return compileGroup(group);
}

type SortKey = number | string | null | (number | string)[];

function sortKeyOf(
  field: FieldDefinition,
  kind: FilterKind,
  ctx: ViewEvalContext,
): (v: unknown) => SortKey {
  switch (kind) {
    case 'number':
      return (v) => cellNumber(v);
    case 'boolean':
      return (v) => (v === true ? 1 : 0);
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
      if (field.type === 'formula')
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
    default:
      return (v) => {
        const t = foldText(cellText(v));
        return t === '' ? null : t;
      };
  }
}

function compareKeys(a: SortKey, b: SortKey): number {
  if (a === null || b === null) return a === null ? (b === null ? 0 : -1) : 1;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
    }
    return a.length - b.length;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Filters and sorts rows as a view does. Empty values sort first ascending (last descending); ties
 * keep the rows' given order (creation order), so the result is the same wherever it is computed.
 */
export function applyView<R>(
  rows: readonly R[],
  fields: readonly FieldDefinition[],
  config: { filters?: unknown; sorts?: unknown } | null | undefined,
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
  const sorts = ((config?.sorts as ViewSort[] | undefined) ?? []).filter((s) =>
    byId.has(s.field_id),
  );
  if (sorts.length === 0) return kept;
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
    for (let i = 0; i < n; i++) col[i] = p.key(access.value(kept[i], p.field));
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
export function fieldsReadByView(
  config: { filters?: unknown; sorts?: unknown } | null | undefined,
): string[] {
  const out = new Set<string>();
  const walk = (g: FilterGroup | null | undefined) => {
    for (const c of g?.conditions ?? []) {
      if (isGroup(c)) walk(c);
      else out.add(c.field_id);
    }
  };
  walk(config?.filters as FilterGroup | null | undefined);
  for (const s of (config?.sorts as ViewSort[] | undefined) ?? []) out.add(s.field_id);
  return [...out];
}
