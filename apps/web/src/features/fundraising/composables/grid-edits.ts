import { valuesEqual } from '@crm/domain';
import type { CellValue, FieldDefinition } from '@crm/events';
import type Handsontable from 'handsontable/base';
import { announce } from '../../../ui/announce';
import { plural } from '../../../ui/format-count';
import { toast } from '../../../ui/toast';
import type { ChangeOp } from '../api/fundraising.api';
import type { BaseModel, GridRow, TableModel } from './base-model';
import { parseInput } from './cell-codec';
import { type CellMessage, offerText } from './choice-offer';
import type { ConflictBook } from './conflict-book';
import { recomputeRow } from './formulas';
import { newRecordId } from './ids';
import type { SaveQueue } from './save-queue';
import { type UndoEntry, UndoStack } from './undo-stack';

/** Changes the grid makes itself (live events, reverts, table switches) and that are not someone's edit. */
const SYSTEM_SOURCES = new Set([
  'remote',
  'loadData',
  'updateData',
  'revert',
  'ObserveChanges.change',
]);
const REFUSED = Symbol('refused');
type Refusal = { [REFUSED]: string };

/** What the edits need of the session: the person, the loaded base, the outbox and the grid on screen. */
export interface EditingSession {
  readonly me: { id: string };
  readonly model: BaseModel;
  readonly queue: Pick<SaveQueue, 'enqueue'>;
  readonly conflicts: Pick<ConflictBook, 'forget'>;
  readonly ui: {
    revision: number;
    drawerRecordId: string | null;
    cellMessage: CellMessage | null;
  };
  readonly canChangeSchema: boolean;
  acceptChoiceOffer(): Promise<void>;
  readonly current: TableModel | null;
  readonly hot: Handsontable | null;
  selectTable(id: string): void;
  rowAt(visualRow: number): GridRow | undefined;
  visualRowOf(row: GridRow): number;
  render(): void;
  refocusGrid(): void;
  insertRows(t: TableModel, index: number, rows: GridRow[]): void;
  removeRows(t: TableModel, rows: GridRow[]): void;
}

/**
 * The person's own edits, from the grid, the drawer and the link picker: checked with the domain's
 * rules, sent through the outbox as compare-and-set changes (one batch per paste or fill), and kept
 * on the local undo stack.
 */
export class GridEdits {
  private readonly undo = new UndoStack();
  private editingBase: { row: GridRow; index: number; value: CellValue } | null = null;
  private refusals = 0;

  constructor(private readonly session: EditingSession) {}

  /** The field as the cell at this visual row reads it (an amount in its fund's currency). */
  private rowField(vrow: number, field: FieldDefinition): FieldDefinition {
    if (field.type !== 'currency') return field;
    const row = this.session.rowAt(vrow);
    const table = this.session.current;
    return row && table ? this.session.model.fieldForRow(table, row, field) : field;
  }

  isRefusal(v: unknown): boolean {
    return typeof v === 'object' && v !== null && REFUSED in v;
  }

  /** beforeChange: parse what was typed or pasted with the domain's rules; refuse what does not fit, with a message. */
  beforeChange(changes: (Handsontable.CellChange | null)[], source: string): void {
    if (SYSTEM_SOURCES.has(source) || !this.session.current) return;
    const refused: string[] = [];
    const typed = changes.length === 1 ? changes[0]?.[3] : undefined;
    for (const change of changes) {
      if (!change) continue;
      const field = this.session.current.fields[change[1] as number];
      if (!field) continue;
      const parsed = parseInput(this.rowField(change[0], field), change[3], this.session.model);
      if (parsed.ok) change[3] = parsed.value;
      else {
        change[3] = { [REFUSED]: parsed.message } satisfies Refusal;
        refused.push(parsed.message);
      }
    }
    if (refused.length === 0) return;
    if (source === 'edit' && changes.length === 1 && changes[0]) {
      const [vrow, prop] = changes[0];
      const vcol = this.session.hot?.propToCol(prop as number) as number;
      const field = this.session.current.fields[prop as number];
      // A name that is not a choice yet: offered to be added to the field (Airtable does the same).
      if (field?.type === 'single_select' && typeof typed === 'string' && typed.trim())
        this.offerChoice(vrow, vcol, field, typed.trim());
      else this.showCellMessage(vrow, vcol, refused[0]);
    } else
      toast(
        refused.length === 1
          ? `Not saved: ${refused[0]}`
          : `${plural(refused.length, 'cell')} were not saved. ${refused[0]}`,
        'error',
      );
  }

  private showCellMessage(
    visualRow: number,
    visualCol: number,
    text: string,
    offer?: CellMessage['offer'],
  ): void {
    const td = this.session.hot?.getCell(visualRow, visualCol);
    const r = td?.getBoundingClientRect();
    // An offer sits beside the cell where there is room, so the choice list under the cell stays in view.
    const beside = !!offer && !!r && r.right + 380 < window.innerWidth;
    const x = r
      ? beside
        ? r.right + 6
        : Math.max(8, Math.min(r.left, window.innerWidth - 368))
      : 20;
    const y = r ? (beside ? r.top : r.bottom + 4) : 80;
    announce(offer ? text : `Not saved: ${text}`);
    // A new serial on every refusal, so the alert is drawn (and announced) again even with the same words.
    this.session.ui.cellMessage = {
      text,
      x,
      y,
      row: visualRow,
      col: visualCol,
      serial: ++this.refusals,
      offer,
    };
  }

  /** Offers to add a typed name to a choice field; the same name offered again on the same cell accepts. */
  offerChoice(visualRow: number, visualCol: number, field: FieldDefinition, name: string): void {
    const row = this.session.rowAt(visualRow);
    if (!row) return;
    const pending = this.session.ui.cellMessage?.offer;
    if (
      pending &&
      pending.recordId === row.id &&
      pending.fieldId === field.id &&
      pending.name.toLowerCase() === name.toLowerCase()
    ) {
      void this.session.acceptChoiceOffer();
      return;
    }
    const allowed = this.session.canChangeSchema;
    this.showCellMessage(
      visualRow,
      visualCol,
      offerText(field, name, allowed),
      allowed ? { recordId: row.id, fieldId: field.id, name } : undefined,
    );
  }

  afterBeginEditing(visualRow: number, visualCol: number): void {
    const row = this.session.rowAt(visualRow);
    const prop = this.session.hot?.colToProp(visualCol);
    if (row && typeof prop === 'number') this.editingBase = { row, index: prop, value: row[prop] };
  }

  /** afterChange: every person's edit becomes compare-and-set changes in the outbox, one batch per paste or fill. */
  afterChange(changes: Handsontable.CellChange[] | null, source: string): void {
    if (!changes || SYSTEM_SOURCES.has(source) || !this.session.current || !this.session.hot)
      return;
    const t = this.session.current;
    const ops: ChangeOp[] = [];
    const cells: UndoEntry & { kind: 'cells' } = { kind: 'cells', table_id: t.id, cells: [] };
    this.session.ui.cellMessage = null;
    for (const [vrow, prop, old, next] of changes) {
      const row = t.rows[this.session.hot.toPhysicalRow(vrow)];
      const field = t.fields[prop as number];
      if (!row || !field) continue;
      let from = old as CellValue;
      if (
        source === 'edit' &&
        this.editingBase &&
        this.editingBase.row === row &&
        this.editingBase.index === prop
      )
        from = this.editingBase.value;
      if (valuesEqual(from, next) && JSON.stringify(from ?? null) === JSON.stringify(next ?? null))
        continue;
      ops.push({
        op: 'set',
        record_id: row.id,
        field_id: field.id,
        from: from ?? null,
        to: next as CellValue,
      });
      cells.cells.push({
        record_id: row.id,
        field_id: field.id,
        before: from ?? null,
        after: next as CellValue,
      });
      this.session.conflicts.forget(row.id, field.id);
      if (field.id === t.primary_field_id) this.session.model.invalidateNames(t.id);
    }
    this.editingBase = null;
    if (ops.length === 0) return;
    this.recompute(t, ops);
    this.session.queue.enqueue(ops);
    if (source !== 'undo') this.undo.push(cells);
  }

  /** Formula cells that read what just changed follow at once (the server computes the same). */
  private recompute(t: TableModel, ops: ChangeOp[]): void {
    const byRow = new Map<string, string[]>();
    for (const op of ops)
      if (op.op === 'set')
        byRow.set(op.record_id, [...(byRow.get(op.record_id) ?? []), op.field_id]);
    const now = new Date().toISOString();
    let any = false;
    for (const [id, fields] of byRow) {
      const hit = this.session.model.record(id);
      if (hit && recomputeRow(t, hit.row, fields, now, this.session.model.listsOf)) any = true;
    }
    if (any) this.session.render();
  }

  /** Rows Handsontable adds itself (a paste past the last row) become new records in the same batch. */
  afterCreateRow(index: number, amount: number, source: string): void {
    if (SYSTEM_SOURCES.has(source) || !this.session.current || !this.session.hot) return;
    const t = this.session.current;
    const ops: ChangeOp[] = [];
    const ids: string[] = [];
    for (let k = 0; k < amount; k++) {
      const phys = this.session.hot.toPhysicalRow(index + k);
      const row = this.blankRow(t);
      t.rows[phys] = row;
      this.session.model.register(t, row);
      ops.push({ op: 'create', table_id: t.id, record_id: row.id, values: {} });
      ids.push(row.id);
    }
    this.session.queue.enqueue(ops);
    this.undo.push({ kind: 'create', table_id: t.id, record_ids: ids });
    this.session.ui.revision++;
  }

  private blankRow(t: TableModel, id = newRecordId()): GridRow {
    const now = new Date().toISOString();
    return this.session.model.rowOf(t, {
      id,
      values: {},
      created_at: now,
      created_by: this.session.me.id,
      updated_at: now,
      updated_by: this.session.me.id,
    });
  }

  /** The "Add record" button and menu item: a new row at the end, its first cell selected. */
  addRecord(values: Record<string, CellValue> = {}): GridRow | null {
    const t = this.session.current;
    if (!t || !this.session.hot) return null;
    const row = this.blankRow(t);
    for (const [fid, v] of Object.entries(values)) {
      const i = this.session.model.fieldIndex(t, fid);
      if (i >= 0) row[i] = v;
    }
    this.session.insertRows(t, t.rows.length, [row]);
    this.session.queue.enqueue([{ op: 'create', table_id: t.id, record_id: row.id, values }]);
    this.undo.push({ kind: 'create', table_id: t.id, record_ids: [row.id] });
    const vrow = this.session.visualRowOf(row);
    const firstCol = this.session.hot.propToCol(
      this.session.model.fieldIndex(t, t.order[0]),
    ) as number;
    this.session.hot.selectCell(vrow, firstCol);
    this.session.hot.scrollViewportTo({ row: vrow, col: firstCol });
    // The click on "Add record" took the keyboard away from the grid; once that click is over, give it
    // back so typing goes into the new row.
    this.session.refocusGrid();
    return row;
  }

  /**
   * A new record in any table (the link picker's "create a record named …"), without moving the
   * grid's selection. It leaves in the same outbox batch as the edit that follows it at once, so the
   * two are one step for undo.
   */
  createRecordIn(tableId: string, values: Record<string, CellValue>): GridRow | null {
    const t = this.session.model.table(tableId);
    if (!t) return null;
    const row = this.blankRow(t);
    for (const [fid, v] of Object.entries(values)) {
      const i = this.session.model.fieldIndex(t, fid);
      if (i >= 0) row[i] = v;
    }
    this.session.insertRows(t, t.rows.length, [row]);
    this.session.model.invalidateNames(t.id);
    this.session.queue.enqueue([{ op: 'create', table_id: t.id, record_id: row.id, values }]);
    this.undo.push({ kind: 'create', table_id: t.id, record_ids: [row.id] });
    return row;
  }

  archiveRows(rows: GridRow[], record = true): void {
    const t = this.session.current;
    if (!t || rows.length === 0) return;
    const entries = rows.map((row) => ({ row, next: t.rows[t.rows.indexOf(row) + 1]?.id ?? null }));
    this.session.queue.enqueue(rows.map((r) => ({ op: 'archive', record_id: r.id })));
    this.session.removeRows(t, rows);
    if (record) this.undo.push({ kind: 'archive', table_id: t.id, rows: entries });
    if (this.session.ui.drawerRecordId && rows.some((r) => r.id === this.session.ui.drawerRecordId))
      this.session.ui.drawerRecordId = null;
    toast(
      rows.length === 1
        ? 'Record archived (Ctrl+Z brings it back)'
        : `${plural(rows.length, 'record')} archived (Ctrl+Z brings them back)`,
      'info',
    );
  }

  /** The drawer and the link picker write through the grid, so the same checks, batching and undo apply. */
  setCell(recordId: string, fieldId: string, raw: unknown, source = 'drawer'): string | null {
    const hit = this.session.model.record(recordId);
    if (!hit || hit.table !== this.session.current || !this.session.hot)
      return 'This record is not in the open table.';
    const field = hit.table.fields.find((f) => f.id === fieldId);
    if (!field) return 'This field no longer exists.';
    const parsed = parseInput(
      this.session.model.fieldForRow(hit.table, hit.row, field),
      raw,
      this.session.model,
    );
    if (!parsed.ok) return parsed.message;
    const vrow = this.session.visualRowOf(hit.row);
    const vcol = this.session.hot.propToCol(hit.table.fields.indexOf(field)) as number;
    this.session.hot.setDataAtCell(vrow, vcol, parsed.value, source);
    return null;
  }

  runUndo(): void {
    const entry = this.undo.pop();
    if (!entry) {
      toast('Nothing to undo', 'info');
      return;
    }
    if (entry.table_id !== this.session.current?.id) this.session.selectTable(entry.table_id);
    const t = this.session.current;
    if (!t || !this.session.hot) return;
    if (entry.kind === 'cells') {
      const changes: [number, number, CellValue][] = [];
      for (const c of entry.cells) {
        const hit = this.session.model.record(c.record_id);
        const i = hit ? this.session.model.fieldIndex(t, c.field_id) : -1;
        if (!hit || i < 0) continue;
        changes.push([
          this.session.visualRowOf(hit.row),
          this.session.hot.propToCol(i) as number,
          c.before,
        ]);
      }
      if (changes.length) this.session.hot.setDataAtCell(changes, 'undo');
    } else if (entry.kind === 'create') {
      const rows = entry.record_ids
        .map((id) => this.session.model.record(id)?.row)
        .filter((r): r is GridRow => !!r);
      this.archiveRows(rows, false);
    } else {
      this.session.queue.enqueue(entry.rows.map((e) => ({ op: 'unarchive', record_id: e.row.id })));
      for (const e of entry.rows.slice().reverse()) {
        const next = e.next ? this.session.model.record(e.next)?.row : undefined;
        const at = next ? t.rows.indexOf(next) : -1;
        this.session.insertRows(t, at < 0 ? t.rows.length : at, [e.row]);
      }
      toast(
        entry.rows.length === 1
          ? 'Record restored'
          : `${plural(entry.rows.length, 'record')} restored`,
        'success',
      );
    }
  }
}
