import type { CellValue } from '@crm/events';
import { announce } from '../../../ui/announce';
import type { ChangeOp, Conflict } from '../api/fundraising.api';
import type { BaseModel } from './base-model';
import { recomputeRow } from './formulas';
import { cellKey } from './save-queue';

export interface ConflictInfo extends Conflict {
  table_id: string;
  mine: CellValue;
}

export interface ConflictBookDeps {
  readonly model: BaseModel;
  /** The conflict popover on screen and the count the save indicator shows. */
  readonly ui: { conflict: ConflictInfo | null; conflictCount: number };
  enqueue(ops: ChangeOp[]): void;
  render(): void;
}

/**
 * Cells where the person's save lost its compare-and-set to someone else's edit, kept marked until
 * the person keeps theirs, takes the other value, or edits the cell again.
 */
export class ConflictBook {
  private readonly open = new Map<string, ConflictInfo>();

  constructor(private readonly deps: ConflictBookDeps) {}

  /** Marks the server's conflicts on cells still loaded; returns the last one, to show first. */
  add(conflicts: Conflict[]): ConflictInfo | null {
    const { model, ui } = this.deps;
    let latest: ConflictInfo | null = null;
    for (const c of conflicts) {
      const hit = model.record(c.record_id);
      if (!hit) continue;
      const i = model.fieldIndex(hit.table, c.field_id);
      const info: ConflictInfo = { ...c, table_id: hit.table.id, mine: hit.row[i] };
      this.open.set(cellKey(c.record_id, c.field_id), info);
      const who = c.updated_by ? model.actorName(c.updated_by) : 'someone';
      announce(
        `Not saved: ${who} changed ${hit.table.fields[i]?.name ?? 'this cell'} of ${model.recordName(c.record_id) || 'this record'} first. Keep yours or take theirs.`,
      );
      latest = info;
      ui.conflictCount = this.open.size;
    }
    return latest;
  }

  /** Asked by the renderer for every cell drawn, hence the cheap test first. */
  has(recordId: string, fieldId: string): boolean {
    return this.open.size > 0 && this.open.has(cellKey(recordId, fieldId));
  }

  get(recordId: string, fieldId: string): ConflictInfo | undefined {
    return this.open.get(cellKey(recordId, fieldId));
  }

  /** A new edit of the cell settles its conflict. */
  forget(recordId: string, fieldId: string): void {
    if (this.open.delete(cellKey(recordId, fieldId))) this.deps.ui.conflictCount = this.open.size;
  }

  /** "Keep mine": send my value again, comparing against theirs this time. */
  keepMine(info: ConflictInfo): void {
    const hit = this.close(info);
    if (!hit) return;
    const mine = hit.row[this.deps.model.fieldIndex(hit.table, info.field_id)];
    this.deps.enqueue([
      {
        op: 'set',
        record_id: info.record_id,
        field_id: info.field_id,
        from: info.current,
        to: mine,
      },
    ]);
    this.deps.render();
  }

  /** "Take theirs": the cell shows what the other person saved; nothing is sent. */
  takeTheirs(info: ConflictInfo): void {
    const hit = this.close(info);
    if (!hit) return;
    hit.row[this.deps.model.fieldIndex(hit.table, info.field_id)] = info.current;
    const now = new Date().toISOString();
    recomputeRow(hit.table, hit.row, [info.field_id], now, this.deps.model.listsOf);
    this.deps.render();
  }

  /** "Decide later": the popover closes; the cell stays marked, and a click on it brings the choice back. */
  decideLater(): void {
    this.deps.ui.conflict = null;
  }

  /** Forgets a decided conflict and closes its popover; returns the record it was on, if still loaded. */
  private close(info: ConflictInfo) {
    this.open.delete(cellKey(info.record_id, info.field_id));
    this.deps.ui.conflictCount = this.open.size;
    this.deps.ui.conflict = null;
    return this.deps.model.record(info.record_id);
  }
}
