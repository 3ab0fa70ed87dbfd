import { type FieldDefinition } from '@crm/events';
import { addToDate } from '../formula/dates/date-math';
import { zoneOffset } from '../formula/dates/time-zones';
import { foldText } from '../values/fold-text';
import {
  cellList,
  cellNumber,
  cellText,
  DAY,
  dayOf,
  folded,
  isBlankCell,
  isTicked,
} from './cell-reading';
import {
  type DateOperand,
  type FilterCondition,
  type FilterGroup,
  filterKind,
  type FilterOperator,
  isGroup,
  isListCondition,
  isMeOperand,
  type WithinOperand,
} from './view-config';
import { type RowAccess, type ViewEvalContext } from './view-rows';

/** Every live record is in it (the automation lists' `all`). */
const AUTOMATIC_LIST_ID = 'all';

/** A filter compiled to a predicate on rows: one closure per condition, built once per view. */

type Predicate<R> = (row: R) => boolean;
type Read<R> = (row: R) => unknown;

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

function numberCondition<R>(
  operator: FilterOperator,
  x: number,
  get: Read<R>,
): Predicate<R> | null {
  switch (operator) {
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

function dateCondition<R>(
  operator: FilterOperator,
  v: unknown,
  get: Read<R>,
  ctx: ViewEvalContext,
): Predicate<R> | null {
  const tz = ctx.timeZone;
  if (operator === 'is_within') {
    const w = v as WithinOperand;
    const today = targetDay({ relative: 'today' }, ctx)!;
    const [lo, hi] = w.direction === 'past' ? [today - w.days, today] : [today, today + w.days];
    return (row) => {
      const d = dayOf(get(row), tz);
      return d !== null && d >= lo && d <= hi;
    };
  }
  if (operator === 'more_than_days_ago' || operator === 'less_than_days_ago') {
    // Days since the date, counted in calendar days of the zone: 31 days ago is more than 30.
    const edge = targetDay({ relative: 'days_ago', days: v as number }, ctx)!;
    const more = operator === 'more_than_days_ago';
    return (row) => {
      const d = dayOf(get(row), tz);
      return d !== null && (more ? d < edge : d > edge);
    };
  }
  const t = targetDay(v as DateOperand, ctx);
  if (t === null) return null;
  switch (operator) {
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

/**
 * A person (a people field's list, or created by / last modified by): `is` and `has_any_of` find a
 * cell that names the person, `{ me: true }` being the reader of the view.
 */
function userCondition<R>(
  operator: FilterOperator,
  v: unknown,
  get: Read<R>,
  me: string | null | undefined,
): Predicate<R> | null {
  const who = (x: unknown) => (isMeOperand(x) ? (me ?? null) : typeof x === 'string' ? x : null);
  const wanted = new Set((Array.isArray(v) ? v : [v]).map(who).filter((x) => x !== null));
  const names = (row: R) => cellList(get(row)).some((id) => wanted.has(id));
  switch (operator) {
    case 'is':
    case 'has_any_of':
      return names;
    case 'is_not':
    case 'has_none_of':
      return (row) => !names(row);
    default:
      return null;
  }
}

/** A single select: one value compared whole. */
function choiceCondition<R>(
  operator: FilterOperator,
  v: unknown,
  get: Read<R>,
): Predicate<R> | null {
  if (operator === 'is') return (row) => cellText(get(row)) === v;
  if (operator === 'is_not') return (row) => cellText(get(row)) !== v;
  const set = new Set(v as string[]);
  if (operator === 'has_any_of') return (row) => set.has(cellText(get(row)));
  if (operator === 'has_none_of') return (row) => !set.has(cellText(get(row)));
  return null;
}

/** A multiple select or a link: a list of values (links searched by the linked records' names). */
function listCondition<R>(
  operator: FilterOperator,
  v: unknown,
  get: Read<R>,
  name: (item: string) => string,
): Predicate<R> | null {
  if (operator === 'contains' || operator === 'does_not_contain') {
    const needle = foldText(String(v));
    const has = (row: R) => cellList(get(row)).some((x) => foldText(name(x)).includes(needle));
    return operator === 'contains' ? has : (row) => !has(row);
  }
  const want = v as string[];
  const set = new Set(want);
  switch (operator) {
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

/** Text comparisons ignore case, as Airtable's do, and how an accent was typed (NFC or NFD). */
function textCondition<R>(operator: FilterOperator, v: unknown, get: Read<R>): Predicate<R> | null {
  const needle = foldText(String(v));
  switch (operator) {
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
    case 'number':
      return numberCondition(c.operator, v as number, get);
    case 'boolean':
      return (row) => isTicked(get(row)) === v;
    case 'date':
      return dateCondition(c.operator, v, get, ctx);
    case 'select':
      return choiceCondition(c.operator, v, get);
    case 'user':
      return userCondition(c.operator, v, get, ctx.me);
    case 'multi':
    case 'link': {
      const name =
        kind === 'link' && ctx.recordName
          ? (id: string) => ctx.recordName!(id) ?? id
          : (x: string) => x;
      return listCondition(c.operator, v, get, name);
    }
    default:
      return textCondition(c.operator, v, get);
  }
}

/** In a list (`all`: every row) or not; rows whose lists cannot be read are in none but `all`. */
function membershipCondition<R>(
  c: FilterCondition,
  access: RowAccess<R>,
  ctx: ViewEvalContext,
): Predicate<R> | null {
  if (typeof c.value !== 'string' || c.value === '') return null;
  const list = c.value;
  const inList =
    list === AUTOMATIC_LIST_ID
      ? () => true
      : (row: R) => {
          const id = access.id?.(row);
          return id !== undefined && (ctx.listsOf?.(id).has(list) ?? false);
        };
  return c.operator === 'in_list' ? inList : (row) => !inList(row);
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
      else if (isListCondition(c)) p = membershipCondition(c, access, ctx);
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
