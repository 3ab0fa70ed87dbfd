import type { CellValue } from '@crm/events';
import type { GridRow } from './base-model';

export type UndoEntry =
  | {
      kind: 'cells';
      table_id: string;
      cells: { record_id: string; field_id: string; before: CellValue; after: CellValue }[];
    }
  | { kind: 'create'; table_id: string; record_ids: string[] }
  | { kind: 'archive'; table_id: string; rows: { row: GridRow; next: string | null }[] };

const LIMIT = 200;

/**
 * The person's own edits, newest last. Undo replays the inverse as new compare-and-set changes, so
 * it goes through the same outbox (and conflicts) as any edit; the server keeps the full history.
 */
export class UndoStack {
  private readonly entries: UndoEntry[] = [];

  push(entry: UndoEntry): void {
    this.entries.push(entry);
    if (this.entries.length > LIMIT) this.entries.shift();
  }

  pop(): UndoEntry | undefined {
    return this.entries.pop();
  }

  get size(): number {
    return this.entries.length;
  }
}
