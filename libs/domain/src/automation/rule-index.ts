import { type FundraisingEvent, type RecordedEvent } from '@crm/events';
import { compileFilter } from '../filter/compile-filter';
import { DAY } from '../filter/cell-reading';
import { type FilterGroup } from '../filter/view-config';
import { recordAccess, type ViewRecord } from '../filter/view-rows';
import { type TableState } from '../table/table.state';
import { valuesEqual } from '../values/normalize';
import { type RuleState } from './automation.state';

type ToPredicate = ((row: ViewRecord) => boolean) | null;

/** One rule's trigger, read once: the fields it watches and its `to`, compiled once per table and day. */
interface Entry {
  rule: RuleState;
  fields: ReadonlySet<string> | null;
  to: { table: TableState; day: number; field: string; p: ToPredicate } | null;
}

/**
 * The enabled event-triggered rules by table and trigger, to tell from an event alone which rules
 * could fire: most edits change a field no rule watches, or to a value no `to` accepts, and then
 * nothing else (the record, the table's conditions) needs to be read. A rule it names is then put
 * to `triggerFires`, which decides.
 */
export class RuleIndex {
  private readonly byTable = new Map<string, { created: Entry[]; updated: Entry[] }>();

  constructor(rules: readonly RuleState[]) {
    for (const rule of rules) {
      const t = rule.trigger;
      if (t.type === 'schedule') continue;
      let slot = this.byTable.get(t.table_id);
      if (!slot) this.byTable.set(t.table_id, (slot = { created: [], updated: [] }));
      const entry: Entry = {
        rule,
        fields: t.type === 'record_updated' && t.fields ? new Set(t.fields) : null,
        to: null,
      };
      // record_matches may start to hold on any event; record_updated only on an update.
      if (t.type !== 'record_updated') slot.created.push(entry);
      if (t.type !== 'record_created') slot.updated.push(entry);
    }
  }

  /** True when no rule could fire on any event of this table. */
  quietOn(tableId: string): boolean {
    return !this.byTable.has(tableId);
  }

  /**
   * The rules that could fire on the event: of its table, of a trigger its kind can meet, and for
   * `record_updated` with a named field that really changed (to a value meeting `to`).
   * `table` is asked for only when a `to` has to be read.
   */
  candidates(recorded: RecordedEvent, table: () => TableState | undefined, now: number) {
    const e = recorded as unknown as FundraisingEvent;
    if (e.type !== 'RecordCreated' && e.type !== 'RecordUpdated') return [];
    const slot = this.byTable.get(e.data.table_id);
    if (!slot) return [];
    if (e.type === 'RecordCreated') return slot.created.map((x) => x.rule);
    const changes = e.data.changes.filter((c) => !valuesEqual(c.from, c.to));
    if (changes.length === 0) return [];
    const out: RuleState[] = [];
    for (const entry of slot.updated) {
      if (entry.rule.trigger.type === 'record_matches') {
        out.push(entry.rule);
        continue;
      }
      const hit = changes.some(
        (c) =>
          (entry.fields === null || entry.fields.has(c.field_id)) &&
          this.meetsTo(entry, c.field_id, c.to, table, now),
      );
      if (hit) out.push(entry.rule);
    }
    return out;
  }

  /** Whether `value` meets the trigger's `to` (none: any value does). */
  private meetsTo(
    entry: Entry,
    fieldId: string,
    value: unknown,
    table: () => TableState | undefined,
    now: number,
  ): boolean {
    const t = entry.rule.trigger;
    if (t.type !== 'record_updated' || !t.to) return true;
    const tbl = table();
    if (!tbl) return false;
    const day = Math.floor(now / DAY);
    let to = entry.to;
    // Day-relative operators read "today" when compiled: a new day (or a changed table) compiles anew.
    if (!to || to.table !== tbl || to.day !== day || to.field !== fieldId) {
      const group = {
        conjunction: 'and',
        conditions: [{ field_id: fieldId, operator: t.to.operator, value: t.to.value }],
      } as FilterGroup;
      const p = compileFilter(group, tbl.fields, recordAccess, { now });
      to = entry.to = { table: tbl, day, field: fieldId, p };
    }
    return to.p === null || to.p({ id: '', values: { [fieldId]: value } });
  }
}
