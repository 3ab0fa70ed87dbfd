import { CellValue, CellValues, FieldDefinition, FundraisingEvent, streams, ANY_VERSION } from '@crm/events';
import { BaseState } from '../base/base.state';
import { DecideContext, Decision, DecisionBuilder } from '../base/decide-context';
import { evolveTable } from '../table/table.evolve';
import { TableState } from '../table/table.state';
import { emptyValueFor, RecordState } from '../record/record.state';
import { valuesEqual } from '../values/normalize';

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
  kind: 'field_restored' | 'field_removed' | 'field_renamed' | 'field_retyped' | 'view_restored' | 'view_removed' | 'view_changed' | 'table_kept';
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

const valueOf = (values: CellValues, field: FieldDefinition): CellValue => (values[field.id] === undefined ? emptyValueFor(field) : values[field.id]);
const same = (a: unknown, b: unknown) => a === b || (valuesEqual(a, b) && JSON.stringify(a ?? null) === JSON.stringify(b ?? null));

/**
 * The compensating events that bring the base back to how it was at a moment: schema first, then
 * records, then views. Records created since are archived (never deleted), so the restore is
 * itself undoable. Tables created since stay, empty of live records. Records come in the order
 * they were created, then those created since in the order given, so the plan does not depend on
 * how the caller listed what was touched.
 */
export function decideRestore(cmd: RestoreCommand, ctx: RestoreContext): RestorePlan {
  const b = new DecisionBuilder();
  const plan: Omit<RestorePlan, keyof Decision> = { to_archive: [], to_bring_back: [], to_change: [], schema: [] };
  const then = cmd.then;
  const working = new Map<string, TableState>();
  // A field removed since took its values out of records without a record event: those records differ too.
  const restoredFields = new Map<string, Set<string>>();

  for (const now of ctx.tables()) {
    const was = then.tables.get(now.id);
    if (!was) {
      plan.schema.push({ kind: 'table_kept', table_id: now.id, name: now.name });
      continue;
    }
    let t = now;
    const emit = (event: FundraisingEvent) => {
      b.emit(streams.table(t.id), now.version, event);
      t = evolveTable(t, event)!;
    };
    for (const f of now.fields) {
      if (was.fields.some((x) => x.id === f.id)) continue;
      const values: Record<string, CellValue> = {};
      for (const r of ctx.recordsOf(now.id)) if (r.values[f.id] !== undefined) values[r.id] = r.values[f.id];
      emit({ type: 'FieldRemoved', data: { table_id: t.id, field: f, values } });
      plan.schema.push({ kind: 'field_removed', table_id: t.id, field_id: f.id, name: f.name });
    }
    for (const f of was.fields) {
      const cur = t.fields.find((x) => x.id === f.id);
      if (!cur) continue;
      if (cur.name !== f.name) {
        emit({ type: 'FieldRenamed', data: { table_id: t.id, field_id: f.id, from: cur.name, to: f.name } });
        plan.schema.push({ kind: 'field_renamed', table_id: t.id, field_id: f.id, name: f.name, detail: { from: cur.name, to: f.name } });
      }
      if (cur.type !== f.type || JSON.stringify(cur.options) !== JSON.stringify(f.options)) {
        emit({ type: 'FieldRetyped', data: { table_id: t.id, field_id: f.id, from: { type: cur.type, options: cur.options }, to: { type: f.type, options: f.options }, unconverted: [] } });
        plan.schema.push({ kind: 'field_retyped', table_id: t.id, field_id: f.id, name: f.name, detail: { from: cur.type, to: f.type } });
      }
    }
    for (const f of was.fields) {
      if (t.fields.some((x) => x.id === f.id)) continue;
      emit({ type: 'FieldAdded', data: { table_id: t.id, field: f } });
      plan.schema.push({ kind: 'field_restored', table_id: t.id, field_id: f.id, name: f.name });
      restoredFields.set(t.id, (restoredFields.get(t.id) ?? new Set()).add(f.id));
    }
    working.set(t.id, t);
  }

  const touched = new Set(cmd.touched);
  for (const r of then.records.values()) {
    const fields = restoredFields.get(r.table_id);
    if (fields && Object.keys(r.values).some((k) => fields.has(k))) touched.add(r.id);
  }
  const ordered: string[] = [];
  for (const id of then.records.keys()) if (touched.delete(id)) ordered.push(id);
  for (const id of touched) ordered.push(id);
  const liveFieldsOf = new Map<string, Set<string>>();
  const liveFields = (tableId: string) => {
    let ids = liveFieldsOf.get(tableId);
    if (!ids) liveFieldsOf.set(tableId, (ids = new Set(ctx.table(tableId)?.fields.map((f) => f.id) ?? [])));
    return ids;
  };
  for (const id of ordered) {
    const now = ctx.record(id);
    if (!now) continue;
    const was = then.records.get(id);
    const emit = (event: FundraisingEvent) => b.emit(streams.record(id), now.version, event);
    if (!was) {
      if (!now.archived) {
        emit({ type: 'RecordArchived', data: { table_id: now.table_id, record_id: id } });
        plan.to_archive.push({ record_id: id, table_id: now.table_id });
      }
      continue;
    }
    const thenTable = then.tables.get(was.table_id);
    const fields: FieldDefinition[] = thenTable?.fields ?? [];
    const live = liveFields(now.table_id);
    const nowValues = now.values;
    const wasValues = was.values;
    const changes: RecordChange['changes'] = [];
    for (const f of fields) {
      // A field restored above starts empty in every record.
      const from = live.has(f.id) ? valueOf(nowValues, f) : null;
      const to = valueOf(wasValues, f);
      if (!same(from, to)) changes.push({ field_id: f.id, field_name: f.name, from, to });
    }
    if (changes.length) {
      emit({ type: 'RecordUpdated', data: { table_id: now.table_id, record_id: id, changes: changes.map(({ field_id, from, to }) => ({ field_id, from, to })) } });
      plan.to_change.push({ record_id: id, table_id: now.table_id, changes });
    }
    if (was.archived !== now.archived) {
      emit({ type: was.archived ? 'RecordArchived' : 'RecordUnarchived', data: { table_id: now.table_id, record_id: id } });
      (was.archived ? plan.to_archive : plan.to_bring_back).push({ record_id: id, table_id: now.table_id });
    }
  }

  const viewIds = new Set([...ctx.viewIds(), ...then.views.keys()]);
  for (const id of viewIds) {
    const now = ctx.view(id);
    const was = then.views.get(id);
    if (was && !now) {
      b.emit(streams.view(id), ANY_VERSION, { type: 'ViewSaved', data: { view_id: id, table_id: was.table_id, name: was.name, config: was.config, previous: null } });
      plan.schema.push({ kind: 'view_restored', table_id: was.table_id, view_id: id, name: was.name });
    } else if (now && !was) {
      b.emit(streams.view(id), now.version, { type: 'ViewDeleted', data: { view_id: id, table_id: now.table_id, previous: { name: now.name, config: now.config } } });
      plan.schema.push({ kind: 'view_removed', table_id: now.table_id, view_id: id, name: now.name });
    } else if (now && was && (now.name !== was.name || JSON.stringify(now.config) !== JSON.stringify(was.config))) {
      b.emit(streams.view(id), now.version, { type: 'ViewSaved', data: { view_id: id, table_id: now.table_id, name: was.name, config: was.config, previous: { name: now.name, config: now.config } } });
      plan.schema.push({ kind: 'view_changed', table_id: now.table_id, view_id: id, name: was.name });
    }
  }
  return { ...b.build(), ...plan };
}
