import {
  type CellValue,
  type CellValues,
  type FieldDefinition,
  type FundraisingEvent,
  streams,
  ANY_VERSION,
} from '@crm/events';
import { emptyValueFor } from '../record/record.state';
import { type TableState } from '../table/table.state';
import { valuesEqual } from '../values/normalize';
import type {
  RecordChange,
  RecordNow,
  RestoreContext,
  RestoreThen,
  SchemaChange,
} from './restore.decide';

/**
 * The comparisons a restore is made of, one table, view or record at a time. The plan
 * (decideRestore) and the preview (previewRestore) both call these, so they cannot disagree.
 */

/** One schema change a restore makes, with the event that makes it (none for a table that stays). */
export interface SchemaStep {
  change: SchemaChange;
  stream: string;
  /** The stream's version as read now; the plan counts on from it for a second event on one stream. */
  version: number;
  /** Built only by the plan: a removed field's event carries every value it takes out of the records now. */
  event?: (recordsOf: RestoreContext['recordsOf']) => FundraisingEvent;
}

export interface SchemaRestore {
  /** Table and field changes; the plan makes them before the records. */
  tables: SchemaStep[];
  /** View changes; the plan makes them after the records. */
  views: SchemaStep[];
  /** Per table, the fields the restore adds back. They start empty, so a record that held a value then differs now. */
  restoredFields: ReadonlyMap<string, ReadonlySet<string>>;
}

/** What a restore does to one record. */
export interface RecordRestore {
  changes: RecordChange['changes'];
  /** The archived flag goes back: `archive` or `bring_back`; null when it stays. */
  flag: 'archive' | 'bring_back' | null;
}

const valueOf = (values: CellValues, field: FieldDefinition): CellValue =>
  values[field.id] === undefined ? emptyValueFor(field) : values[field.id];
const same = (a: unknown, b: unknown) =>
  a === b || (valuesEqual(a, b) && JSON.stringify(a ?? null) === JSON.stringify(b ?? null));

/**
 * The table, field and view changes that bring the schema back to `then`. Per table: fields added
 * since are removed, renamed and retyped ones get their name and type back, removed ones are added
 * back. Tables created since stay.
 */
export function restoreOfSchema(
  then: Pick<RestoreThen, 'tables' | 'views'>,
  ctx: Pick<RestoreContext, 'tables' | 'viewIds' | 'view'>,
): SchemaRestore {
  const tables: SchemaStep[] = [];
  const restoredFields = new Map<string, Set<string>>();
  for (const now of ctx.tables()) {
    const was = then.tables.get(now.id);
    if (was) tables.push(...restoreOfTable(now, was, restoredFields));
    else
      tables.push({
        change: { kind: 'table_kept', table_id: now.id, name: now.name },
        stream: streams.table(now.id),
        version: now.version,
        event: undefined,
      });
  }
  return { tables, views: restoreOfViews(then, ctx), restoredFields };
}

/** One table's field changes: fields added since removed, then names and types back, then removed fields added back. */
function restoreOfTable(
  now: TableState,
  was: TableState,
  restoredFields: Map<string, Set<string>>,
): SchemaStep[] {
  const steps: SchemaStep[] = [];
  const stream = streams.table(now.id);
  const step = (change: SchemaChange, event?: SchemaStep['event']) =>
    steps.push({ change, stream, version: now.version, event });
  for (const f of now.fields) {
    if (was.fields.some((x) => x.id === f.id)) continue;
    step({ kind: 'field_removed', table_id: now.id, field_id: f.id, name: f.name }, (recordsOf) => {
      const values: Record<string, CellValue> = {};
      for (const r of recordsOf(now.id))
        if (r.values[f.id] !== undefined) values[r.id] = r.values[f.id];
      return { type: 'FieldRemoved', data: { table_id: now.id, field: f, values } };
    });
  }
  for (const f of was.fields) {
    const cur = now.fields.find((x) => x.id === f.id);
    if (!cur) continue;
    if (cur.name !== f.name) {
      step(
        {
          kind: 'field_renamed',
          table_id: now.id,
          field_id: f.id,
          name: f.name,
          detail: { from: cur.name, to: f.name },
        },
        () => ({
          type: 'FieldRenamed',
          data: { table_id: now.id, field_id: f.id, from: cur.name, to: f.name },
        }),
      );
    }
    if (cur.type !== f.type || JSON.stringify(cur.options) !== JSON.stringify(f.options)) {
      step(
        {
          kind: 'field_retyped',
          table_id: now.id,
          field_id: f.id,
          name: f.name,
          detail: { from: cur.type, to: f.type },
        },
        () => ({
          type: 'FieldRetyped',
          data: {
            table_id: now.id,
            field_id: f.id,
            from: { type: cur.type, options: cur.options },
            to: { type: f.type, options: f.options },
            unconverted: [],
          },
        }),
      );
    }
  }
  for (const f of was.fields) {
    if (now.fields.some((x) => x.id === f.id)) continue;
    step({ kind: 'field_restored', table_id: now.id, field_id: f.id, name: f.name }, () => ({
      type: 'FieldAdded',
      data: { table_id: now.id, field: f },
    }));
    restoredFields.set(now.id, (restoredFields.get(now.id) ?? new Set()).add(f.id));
  }
  return steps;
}

function restoreOfViews(
  then: Pick<RestoreThen, 'views'>,
  ctx: Pick<RestoreContext, 'viewIds' | 'view'>,
): SchemaStep[] {
  const views: SchemaStep[] = [];
  for (const id of new Set([...ctx.viewIds(), ...then.views.keys()])) {
    const now = ctx.view(id);
    const was = then.views.get(id);
    const stream = streams.view(id);
    if (was && !now) {
      views.push({
        change: { kind: 'view_restored', table_id: was.table_id, view_id: id, name: was.name },
        stream,
        version: ANY_VERSION,
        event: () => ({
          type: 'ViewSaved',
          data: {
            view_id: id,
            table_id: was.table_id,
            name: was.name,
            config: was.config,
            previous: null,
          },
        }),
      });
    } else if (now && !was) {
      views.push({
        change: { kind: 'view_removed', table_id: now.table_id, view_id: id, name: now.name },
        stream,
        version: now.version,
        event: () => ({
          type: 'ViewDeleted',
          data: {
            view_id: id,
            table_id: now.table_id,
            previous: { name: now.name, config: now.config },
          },
        }),
      });
    } else if (
      now &&
      was &&
      (now.name !== was.name || JSON.stringify(now.config) !== JSON.stringify(was.config))
    ) {
      views.push({
        change: { kind: 'view_changed', table_id: now.table_id, view_id: id, name: was.name },
        stream,
        version: now.version,
        event: () => ({
          type: 'ViewSaved',
          data: {
            view_id: id,
            table_id: now.table_id,
            name: was.name,
            config: was.config,
            previous: { name: now.name, config: now.config },
          },
        }),
      });
    }
  }
  return views;
}

/** Whether a record as it was then holds a value in a field the restore adds back (and so differs now). */
export function holdsRestoredField(
  was: RecordNow,
  restoredFields: SchemaRestore['restoredFields'],
): boolean {
  const fields = restoredFields.get(was.table_id);
  return fields !== undefined && Object.keys(was.values).some((k) => fields.has(k));
}

/**
 * Whether a record may differ from how it was then: it was created since, its stream moved on (every
 * record event bumps its version), or it held a value in a field removed since. Answered without
 * reading its values unless a field comes back.
 */
export function mayDiffer(
  was: RecordNow | undefined,
  now: RecordNow,
  restoredFields: SchemaRestore['restoredFields'],
): boolean {
  return !was || was.version !== now.version || holdsRestoredField(was, restoredFields);
}

/**
 * The fields of a table as they are now, answered once per table: a field the restore adds back
 * is compared as empty.
 */
export function liveFieldsOf(
  ctx: Pick<RestoreContext, 'table'>,
): (tableId: string) => ReadonlySet<string> {
  const cache = new Map<string, Set<string>>();
  return (tableId) => {
    let ids = cache.get(tableId);
    if (!ids)
      cache.set(tableId, (ids = new Set(ctx.table(tableId)?.fields.map((f) => f.id) ?? [])));
    return ids;
  };
}

/**
 * What a restore does to one record: a record created since is archived (unless it already is);
 * one that existed gets back every cell of the fields it had then, and its archived flag.
 */
export function restoreOfRecord(
  was: RecordNow | undefined,
  now: RecordNow,
  then: Pick<RestoreThen, 'tables'>,
  live: ReadonlySet<string>,
): RecordRestore {
  if (!was) return { changes: [], flag: now.archived ? null : 'archive' };
  const fields: FieldDefinition[] = then.tables.get(was.table_id)?.fields ?? [];
  const nowValues = now.values;
  const wasValues = was.values;
  const changes: RecordChange['changes'] = [];
  for (const f of fields) {
    // Follow-up values are kept from the log by their processor (see undoRecordUpdated).
    if (f.type === 'follow_up') continue;
    // A field restored by the schema step starts empty in every record.
    const from = live.has(f.id) ? valueOf(nowValues, f) : null;
    const to = valueOf(wasValues, f);
    if (!same(from, to)) changes.push({ field_id: f.id, field_name: f.name, from, to });
  }
  return {
    changes,
    flag: was.archived === now.archived ? null : was.archived ? 'archive' : 'bring_back',
  };
}
