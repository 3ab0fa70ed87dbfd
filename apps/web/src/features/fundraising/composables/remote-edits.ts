import type { CellValue } from '@crm/events';
import type { ChangesResult, LiveEvent } from '../api/fundraising.api';
import type { BaseModel, GridRow, TableModel } from './base-model';
import type { ConflictInfo } from './conflict-book';
import { recomputeRow } from './formulas';
import { cellKey } from './save-queue';

/** What a run of live events asks of the grid once the model is patched. */
export interface RemoteOutcome {
  /** New rows per table, to append in the grid. */
  inserts: Map<TableModel, GridRow[]>;
  /** Archived rows per table, to take out of the grid. */
  removals: Map<TableModel, GridRow[]>;
  /** Cells changed in place: one render shows them. */
  touched: boolean;
  /** The schema changed (or a record came back): the base must be loaded again. */
  schema: boolean;
}

/** The fields of the record events this applies (a type, not an interface: live data is a plain record). */
type RecordEventData = {
  table_id: string;
  record_id: string;
  values?: Record<string, CellValue>;
  changes?: { field_id: string; to: CellValue }[];
};

export interface RemoteEditsDeps {
  /** The person's own change to this cell is still in the outbox. */
  isDirty(recordId: string, fieldId: string): boolean;
  /** The open conflict on this cell, if any. */
  conflictAt(recordId: string, fieldId: string): ConflictInfo | undefined;
}

/**
 * Other people's edits, from the live stream, applied to the loaded base. A cell keeps the person's
 * own value while their change is unsent or confirmed at a later log position; a cell in conflict
 * keeps it too, and the conflict learns the newer "theirs".
 */
export class RemoteEdits {
  /** Per cell, the log position of the person's last confirmed write: older live events for it are stale. */
  private readonly confirmed = new Map<string, number>();

  constructor(
    private readonly model: BaseModel,
    private readonly deps: RemoteEditsDeps,
  ) {}

  /** The server's answer to the person's batch: the cells it wrote, at which log position. */
  confirm(result: ChangesResult): void {
    for (const a of result.applied) {
      if (a.op === 'set' && a.field_id)
        this.confirmed.set(cellKey(a.record_id, a.field_id), result.version);
    }
  }

  /** Patches rows in place; rows to add or remove come back for the grid to do. */
  apply(events: LiveEvent[]): RemoteOutcome {
    const out: RemoteOutcome = {
      inserts: new Map(),
      removals: new Map(),
      touched: false,
      schema: false,
    };
    for (const ev of events) {
      if (ev.actor_name) this.model.actors.set(ev.actor_id, ev.actor_name);
      const d = ev.data as RecordEventData;
      switch (ev.type) {
        case 'RecordCreated':
          this.created(ev, d, out);
          break;
        case 'RecordUpdated':
          this.updated(ev, d, out);
          break;
        case 'RecordArchived': {
          const hit = this.model.record(d.record_id);
          if (hit) out.removals.set(hit.table, [...(out.removals.get(hit.table) ?? []), hit.row]);
          break;
        }
        case 'RecordUnarchived':
        case 'TableCreated':
        case 'TableRenamed':
        case 'FieldAdded':
        case 'FieldRenamed':
        case 'FieldRetyped':
        case 'FieldRemoved':
          out.schema = true;
          break;
        default:
          break;
      }
      this.model.version = Math.max(this.model.version, ev.position);
    }
    return out;
  }

  /** Someone else's new record: a row for the grid to append, its formulas computed. */
  private created(ev: LiveEvent, d: RecordEventData, out: RemoteOutcome): void {
    const t = this.model.table(d.table_id);
    if (!t || this.model.record(d.record_id)) return;
    const row = this.model.rowOf(t, {
      id: d.record_id,
      values: d.values ?? {},
      created_at: ev.recorded_at,
      created_by: ev.actor_id,
      updated_at: ev.recorded_at,
      updated_by: ev.actor_id,
    });
    this.model.unregister(d.record_id);
    recomputeRow(
      t,
      row,
      t.fields.map((f) => f.id),
      ev.recorded_at,
      this.model.listsOf,
    );
    out.inserts.set(t, [...(out.inserts.get(t) ?? []), row]);
  }

  /** Someone else's cell changes, except on cells the person's own newer or unsent value holds. */
  private updated(ev: LiveEvent, d: RecordEventData, out: RemoteOutcome): void {
    const hit = this.model.record(d.record_id) ?? pendingInsert(out.inserts, d.record_id);
    if (!hit) return;
    for (const ch of d.changes ?? []) {
      const i = this.model.fieldIndex(hit.table, ch.field_id);
      const key = cellKey(d.record_id, ch.field_id);
      if (
        i < 0 ||
        this.deps.isDirty(d.record_id, ch.field_id) ||
        (this.confirmed.get(key) ?? 0) >= ev.position
      )
        continue;
      const open = this.deps.conflictAt(d.record_id, ch.field_id);
      if (open) {
        open.current = ch.to;
        open.updated_at = ev.recorded_at;
        open.updated_by = ev.actor_id;
        continue;
      }
      hit.row[i] = ch.to;
      if (ch.field_id === hit.table.primary_field_id) this.model.invalidateNames(hit.table.id);
    }
    hit.row.meta.updated_at = ev.recorded_at;
    hit.row.meta.updated_by = ev.actor_id;
    this.model.fillComputed(hit.table, hit.row);
    recomputeRow(
      hit.table,
      hit.row,
      (d.changes ?? []).map((c) => c.field_id),
      ev.recorded_at,
      this.model.listsOf,
    );
    out.touched = true;
  }
}

/** A record created earlier in the same run of events, not in the grid yet. */
function pendingInsert(
  inserts: Map<TableModel, GridRow[]>,
  id: string,
): { table: TableModel; row: GridRow } | undefined {
  for (const [table, rows] of inserts) {
    const row = rows.find((r) => r.id === id);
    if (row) return { table, row };
  }
  return undefined;
}
