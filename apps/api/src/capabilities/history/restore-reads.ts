import {
  type Decision,
  type DecideContext,
  type RecordNow,
  type RestoreContext,
  type UndoDecision,
} from '@crm/domain';

/** The tables and views as they are now, read once, so that a comparison made later describes the same head. */
export function presentSchema(
  ctx: DecideContext,
): Pick<RestoreContext, 'table' | 'tables' | 'view' | 'viewIds'> {
  const tables = ctx.tables();
  const byId = new Map(tables.map((t) => [t.id, t]));
  const views = new Map([...ctx.viewIds()].map((id) => [id, ctx.view(id)]));
  return {
    table: (id) => byId.get(id),
    tables: () => tables,
    view: (id) => views.get(id),
    viewIds: () => views.keys(),
  };
}

/** The present as a restore reads it, with records answered from a map loaded up front. */
export function withRecords(
  ctx: DecideContext,
  records: ReadonlyMap<string, RecordNow>,
): RestoreContext {
  return {
    table: (id) => ctx.table(id),
    tables: () => ctx.tables(),
    record: (id) => records.get(id),
    recordsOf: function* (tableId) {
      for (const r of records.values()) if (r.table_id === tableId) yield r;
    },
    view: (id) => ctx.view(id),
    viewIds: () => ctx.viewIds(),
  };
}

export const eventsOf = (plan: Decision) => plan.appends.reduce((n, a) => n + a.events.length, 0);

export function undoFlags(d: UndoDecision, type: 'RecordArchived' | 'RecordUnarchived') {
  return d.appends.flatMap((a) =>
    a.events
      .filter((e) => e.type === type)
      .map((e) => {
        const { record_id, table_id } = e.data as { record_id: string; table_id: string };
        return { record_id, table_id };
      }),
  );
}

export function undoChanges(d: UndoDecision) {
  return d.appends.flatMap((a) =>
    a.events
      .filter((e) => e.type === 'RecordUpdated')
      .map(
        (e) =>
          e.data as {
            record_id: string;
            table_id: string;
            changes: { field_id: string; from: unknown; to: unknown }[];
          },
      ),
  );
}
