import { type CellValues, type FundraisingEvent, type RecordedEvent } from '@crm/events';
import { compileFilter } from '../filter/compile-filter';
import { type FilterGroup } from '../filter/view-config';
import { recordAccess, type ViewEvalContext, type ViewRecord } from '../filter/view-rows';
import { type RecordState } from '../record/record.state';
import { type TableState } from '../table/table.state';
import { valuesEqual } from '../values/normalize';
import { type RuleState } from './automation.state';

/** Whether a rule fires on an event: its trigger, then its conditions over the record. */

const rowOf = (record: RecordState, values: CellValues): ViewRecord => ({
  id: record.id,
  values: { ...values, ...(record.computed ?? {}) },
  created_at: record.created_at,
  created_by: record.created_by,
  updated_at: record.updated_at,
  updated_by: record.updated_by,
});

/** Whether the record's values meet a filter group (no group: every record). */
export function meets(
  group: FilterGroup | Record<string, unknown> | null,
  table: TableState,
  row: ViewRecord,
  ctx: ViewEvalContext,
): boolean {
  const p = compileFilter(group as FilterGroup | null, table.fields, recordAccess, ctx);
  return p === null || p(row);
}

/** The record's values just before and just after the event, over what it holds now. */
function beforeAfter(record: RecordState, e: FundraisingEvent): [CellValues | null, CellValues] {
  if (e.type === 'RecordCreated') return [null, { ...record.values, ...e.data.values }];
  if (e.type !== 'RecordUpdated') return [record.values, record.values];
  const before = { ...record.values };
  const after = { ...record.values };
  for (const c of e.data.changes) {
    before[c.field_id] = c.from;
    after[c.field_id] = c.to;
  }
  return [before, after];
}

/** The event's changes that changed something, on the fields the trigger names. */
function realChanges(rule: RuleState, e: FundraisingEvent) {
  if (e.type !== 'RecordUpdated' || rule.trigger.type !== 'record_updated') return [];
  const only = rule.trigger.fields ? new Set(rule.trigger.fields) : null;
  return e.data.changes.filter(
    (c) => (only === null || only.has(c.field_id)) && !valuesEqual(c.from, c.to),
  );
}

/**
 * True when the rule's trigger fires on the event for `record` (its state now): a creation, a real
 * change of a named field (to a value meeting `to`), or the record starting to meet the conditions.
 * A write that changed nothing never fires, and an archived record never does.
 */
export function triggerFires(
  rule: RuleState,
  recorded: RecordedEvent,
  record: RecordState | undefined,
  table: TableState,
  ctx: ViewEvalContext,
): boolean {
  const e = recorded as unknown as FundraisingEvent;
  const t = rule.trigger;
  if (!record || record.archived || record.table_id !== t.table_id) return false;
  if (e.type !== 'RecordCreated' && e.type !== 'RecordUpdated') return false;
  const [before, after] = beforeAfter(record, e);
  const meetsNow = () => meets(rule.conditions, table, rowOf(record, after), ctx);
  switch (t.type) {
    case 'record_created':
      return e.type === 'RecordCreated' && meetsNow();
    case 'record_updated': {
      const changes = realChanges(rule, e);
      if (changes.length === 0) return false;
      if (t.to) {
        const to = t.to;
        const hit = changes.some((c) => {
          const cond = { field_id: c.field_id, operator: to.operator, value: to.value };
          const group = { conjunction: 'and', conditions: [cond] } as FilterGroup;
          return meets(group, table, rowOf(record, { ...after, [c.field_id]: c.to }), ctx);
        });
        if (!hit) return false;
      }
      return meetsNow();
    }
    case 'record_matches': {
      if (!meetsNow()) return false;
      return before === null || !meets(rule.conditions, table, rowOf(record, before), ctx);
    }
    case 'schedule':
      return false;
  }
}

/** The records of the table meeting the rule's conditions now (a schedule's or a dry run's set). */
export function matchingRecords(
  rule: Pick<RuleState, 'conditions'>,
  table: TableState,
  records: Iterable<RecordState>,
  ctx: ViewEvalContext,
): RecordState[] {
  const p = compileFilter(rule.conditions as FilterGroup | null, table.fields, recordAccess, ctx);
  const out: RecordState[] = [];
  for (const r of records)
    if (!r.archived && r.table_id === table.id && (p === null || p(rowOf(r, r.values))))
      out.push(r);
  return out;
}
