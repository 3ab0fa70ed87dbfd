import { type CellValue, type FundraisingEvent, streams } from '@crm/events';
import { type BaseState } from '../base/base.state';
import { type DecideContext, type Decision, DecisionBuilder } from '../base/decide-context';
import { type RecordState } from '../record/record.state';
import {
  holdsRestoredField,
  liveFieldsOf,
  restoreOfRecord,
  restoreOfSchema,
  type SchemaStep,
} from './restore.compare';

export interface RestoreCommand {
  /** The base as it was at the target moment (a replay of the log up to it). */
  then: RestoreThen;
  /** Records that may differ: every record with an event after the target (a superset does no harm). */
  touched: Iterable<string>;
}

/**
 * What a restore reads of a record, then or now: no stamps, so a caller may load many records
 * cheaply. `values` is read once per record, so it may be parsed on demand.
 */
export type RecordNow = Pick<RecordState, 'id' | 'table_id' | 'values' | 'archived' | 'version'>;

/** The base at the target moment as a restore reads it; a BaseState will do. Records in the order they were created. */
export interface RestoreThen extends Pick<BaseState, 'tables' | 'views'> {
  records: ReadonlyMap<string, RecordNow>;
}

/** What a restore reads of the present; any DecideContext will do. */
export interface RestoreContext extends Omit<DecideContext, 'record' | 'recordsOf'> {
  record(id: string): RecordNow | undefined;
  recordsOf(tableId: string): Iterable<RecordNow>;
}

/**
 * The records that may differ from `then`: those whose stream moved on since (every record event
 * bumps the record's version) and those created since. The same set as "every record with an event
 * after the target", found without reading the log, for a caller that holds every record anyway.
 */
export function recordsMovedOnSince(then: RestoreThen, now: Iterable<RecordNow>): string[] {
  const ids: string[] = [];
  for (const r of now) if (then.records.get(r.id)?.version !== r.version) ids.push(r.id);
  return ids;
}

export interface SchemaChange {
  kind:
    | 'field_restored'
    | 'field_removed'
    | 'field_renamed'
    | 'field_retyped'
    | 'view_restored'
    | 'view_removed'
    | 'view_changed'
    | 'table_kept';
  table_id: string;
  field_id?: string;
  view_id?: string;
  name: string;
  detail?: { from: unknown; to: unknown };
}

export interface RecordChange {
  record_id: string;
  table_id: string;
  changes: { field_id: string; field_name: string; from: CellValue; to: CellValue }[];
}

export interface RestorePlan extends Decision {
  to_archive: { record_id: string; table_id: string }[];
  to_bring_back: { record_id: string; table_id: string }[];
  to_change: RecordChange[];
  schema: SchemaChange[];
}

/**
 * The compensating events that bring the base back to how it was at a moment: schema first, then
 * records, then views. Records created since are archived (never deleted), so the restore is
 * itself undoable. Tables created since stay, empty of live records. Records come in the order
 * they were created, then those created since in the order given, so the plan does not depend on
 * how the caller listed what was touched.
 */
export function decideRestore(cmd: RestoreCommand, ctx: RestoreContext): RestorePlan {
  const b = new DecisionBuilder();
  const plan: Omit<RestorePlan, keyof Decision> = {
    to_archive: [],
    to_bring_back: [],
    to_change: [],
    schema: [],
  };
  const then = cmd.then;
  const schema = restoreOfSchema(then, ctx);
  const apply = (steps: SchemaStep[]) => {
    for (const s of steps) {
      if (s.event)
        b.emit(
          s.stream,
          s.version,
          s.event((tableId) => ctx.recordsOf(tableId)),
        );
      plan.schema.push(s.change);
    }
  };
  apply(schema.tables);

  const touched = new Set(cmd.touched);
  if (schema.restoredFields.size)
    for (const r of then.records.values())
      if (holdsRestoredField(r, schema.restoredFields)) touched.add(r.id);
  const ordered: string[] = [];
  for (const id of then.records.keys()) if (touched.delete(id)) ordered.push(id);
  for (const id of touched) ordered.push(id);
  const liveFields = liveFieldsOf(ctx);
  for (const id of ordered) {
    const now = ctx.record(id);
    if (!now) continue;
    const { changes, flag } = restoreOfRecord(
      then.records.get(id),
      now,
      then,
      liveFields(now.table_id),
    );
    const emit = (event: FundraisingEvent) => b.emit(streams.record(id), now.version, event);
    if (changes.length) {
      emit({
        type: 'RecordUpdated',
        data: {
          table_id: now.table_id,
          record_id: id,
          changes: changes.map(({ field_id, from, to }) => ({ field_id, from, to })),
        },
      });
      plan.to_change.push({ record_id: id, table_id: now.table_id, changes });
    }
    if (flag) {
      emit({
        type: flag === 'archive' ? 'RecordArchived' : 'RecordUnarchived',
        data: { table_id: now.table_id, record_id: id },
      });
      (flag === 'archive' ? plan.to_archive : plan.to_bring_back).push({
        record_id: id,
        table_id: now.table_id,
      });
    }
  }

  apply(schema.views);
  return { ...b.build(), ...plan };
}
