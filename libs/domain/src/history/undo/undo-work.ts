import {
  ANY_VERSION,
  type CellValue,
  type FieldDefinition,
  type FundraisingEvent,
  type RecordedEvent,
  streams,
} from '@crm/events';
import { type DecideContext, DecisionBuilder } from '../../base/decide-context';
import { evolveRecord } from '../../record/record.evolve';
import { type RecordState } from '../../record/record.state';
import { evolveTable } from '../../table/table.evolve';
import { type TableState } from '../../table/table.state';
import { type ViewState } from '../../view/view.state';

/** The logged event of one type. */
export type EventOf<T extends FundraisingEvent['type']> = Extract<FundraisingEvent, { type: T }>;

export interface SkippedUndo {
  position: number;
  type: string;
  reason: string;
}

/**
 * What an undo has decided so far: the compensating events, and the records, tables and views as
 * they become, so that a later (older) event is reversed against the state the newer ones left.
 * Each stream is appended at the version first read, as one batch.
 */
export class UndoWork {
  readonly b = new DecisionBuilder();
  readonly skipped: SkippedUndo[] = [];
  reversed = 0;
  private readonly records = new Map<string, RecordState | undefined>();
  private readonly tables = new Map<string, TableState | undefined>();
  private readonly views = new Map<string, ViewState | undefined>();
  private readonly read = new Map<string, number>();
  private readonly stamp: { recorded_at: string; actor_id: string };

  constructor(
    readonly ctx: DecideContext,
    at: string,
    actorId: string,
  ) {
    this.stamp = { recorded_at: at, actor_id: actorId };
  }

  record(id: string): RecordState | undefined {
    return this.records.has(id) ? this.records.get(id) : this.ctx.record(id);
  }

  table(id: string): TableState | undefined {
    return this.tables.has(id) ? this.tables.get(id) : this.ctx.table(id);
  }

  view(id: string): ViewState | undefined {
    return this.views.has(id) ? this.views.get(id) : this.ctx.view(id);
  }

  skip(recorded: Pick<RecordedEvent, 'position' | 'type'>, reason: string): void {
    this.skipped.push({ position: recorded.position, type: recorded.type, reason });
  }

  emitRecord(r: RecordState, event: FundraisingEvent): void {
    const stream = streams.record(r.id);
    this.b.emit(stream, this.version(stream, this.ctx.record(r.id)?.version), event);
    this.records.set(r.id, evolveRecord(r, event, this.stamp));
  }

  emitTable(t: TableState, event: FundraisingEvent): void {
    const stream = streams.table(t.id);
    this.b.emit(stream, this.version(stream, this.ctx.table(t.id)?.version), event);
    this.tables.set(t.id, evolveTable(t, event));
  }

  emitView(id: string, event: FundraisingEvent, next: ViewState | undefined): void {
    // A deleted view has no state to read its stream version from; bringing it back skips the check.
    const current = this.ctx.view(id);
    const stream = streams.view(id);
    this.b.emit(stream, current ? this.version(stream, current.version) : ANY_VERSION, event);
    this.views.set(id, next);
  }

  /** The values a field holds in a table's records, as this undo has left them. */
  valuesOf(tableId: string, field: FieldDefinition): Record<string, CellValue> {
    const out: Record<string, CellValue> = {};
    for (const r of this.ctx.recordsOf(tableId)) {
      const cur = this.records.get(r.id) ?? r;
      if (cur.values[field.id] !== undefined) out[r.id] = cur.values[field.id];
    }
    return out;
  }

  private version(stream: string, current: number | undefined): number {
    if (!this.read.has(stream)) this.read.set(stream, current ?? 0);
    return this.read.get(stream)!;
  }
}
