import { valuesEqual } from '@crm/domain';
import type { CellValue, FieldDefinition } from '@crm/events';
import type Handsontable from 'handsontable/base';
import { markRaw, reactive } from 'vue';
import { ApiError } from '../../../app/http';
import { toast } from '../../../ui/toast';
import { ChangeOp, ChangesResult, Conflict, fundraisingApi, LiveEvent } from '../api/fundraising.api';
import { columnFor } from '../components/column-settings';
import { headerHtml } from './column-header';
import { ColumnLayout } from './column-layout';
import { BaseModel, GridRow, TableModel } from './base-model';
import { parseInput } from './cell-codec';
import { recomputeRow } from './formulas';
import { newRecordId } from './ids';
import { LiveEvents } from './live-events';
import { Batch, cellKey, SaveQueue } from './save-queue';
import { UndoEntry, UndoStack } from './undo-stack';

export interface ConflictInfo extends Conflict {
  table_id: string;
  mine: CellValue;
}

/** Changes the grid makes itself (live events, reverts, table switches) and that are not someone's edit. */
const SYSTEM_SOURCES = new Set(['remote', 'loadData', 'updateData', 'revert', 'ObserveChanges.change']);
const REFUSED = Symbol('refused');
type Refusal = { [REFUSED]: string };

const DEFAULT_WIDTH: Record<string, number> = {
  text: 170, long_text: 240, number: 130, currency: 170, percent: 120, date: 150, date_time: 180, checkbox: 90,
  single_select: 165, multiple_select: 210, email: 210, url: 190, phone: 150, link: 210,
  created_time: 180, last_modified_time: 180, created_by: 150, last_modified_by: 150, formula: 150,
};

/**
 * One person's grid session: the loaded base, the outbox, the live stream, conflicts and undo. The
 * Handsontable instance renders `current.rows` by reference; everything here patches those arrays in
 * place and asks for one render, never a reload of the table for one change.
 */
export class GridSession {
  readonly model = markRaw(new BaseModel());
  readonly queue: SaveQueue;
  live: LiveEvents | null = null;
  hot: Handsontable | null = null;
  current: TableModel | null = null;
  readonly ui = reactive({
    loading: true,
    error: '',
    licenseKey: '',
    revision: 0,
    activeTableId: '',
    conflict: null as ConflictInfo | null,
    conflictCount: 0,
    conflictAt: { x: 0, y: 0 },
    drawerRecordId: null as string | null,
    linkPicker: null as { recordId: string; fieldId: string } | null,
    cellMessage: null as { text: string; x: number; y: number; row: number; col: number } | null,
  });
  private readonly conflicts = new Map<string, ConflictInfo>();
  /** Per cell, the log position of the person's last confirmed write: older live events for it are stale. */
  private readonly confirmed = new Map<string, number>();
  private readonly undo = new UndoStack();
  private editingBase: { row: GridRow; index: number; value: CellValue } | null = null;
  private reloadTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly layout = new ColumnLayout();
  private renderQueued = false;

  constructor(readonly me: { id: string; name: string }) {
    this.queue = new SaveQueue(me.id, {
      onResult: (batch, result) => this.onResult(batch, result),
      onRejected: (op, error) => this.onRejected(op, error),
    });
  }

  // ---------------------------------------------------------------- loading

  async start(): Promise<void> {
    try {
      const [state, config, actors] = await Promise.all([fundraisingApi.state(), fundraisingApi.webConfig(), fundraisingApi.actors().catch(() => ({ actors: [] }))]);
      for (const a of actors.actors) this.model.actors.set(a.id, a.name);
      this.model.actors.set(this.me.id, this.me.name);
      this.ui.licenseKey = config.handsontable_license_key;
      this.model.load(state);
      this.overlayPending();
      this.current = this.model.tables[0] ?? null;
      this.ui.activeTableId = this.current?.id ?? '';
      this.live = new LiveEvents(state.version, {
        onEvents: (events) => this.onEvents(events),
        onReload: () => this.scheduleReload(0),
        onReconnect: () => this.queue.retryNow(),
      });
      this.live.start();
      this.queue.resume();
    } catch (e) {
      this.ui.error = (e as Error).message;
    } finally {
      this.ui.loading = false;
    }
  }

  stop(): void {
    this.live?.stop();
    this.queue.flushNow();
    this.queue.stop();
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.hot = null;
  }

  /** Schema changes (a new field, a retype) reload the base; unsent edits are laid over it again. */
  async reload(): Promise<void> {
    const state = await fundraisingApi.state();
    this.model.load(state);
    this.overlayPending();
    this.current = this.model.table(this.ui.activeTableId) ?? this.model.tables[0] ?? null;
    this.ui.activeTableId = this.current?.id ?? '';
    this.live?.restart(state.version);
    this.rebind();
  }

  scheduleReload(ms = 300): void {
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = null;
      this.reload().catch((e) => toast(`Could not refresh the grid: ${(e as Error).message}`, 'error'));
    }, ms);
  }

  /** Edits still in the outbox after a reload show as typed, not as the server has them yet. */
  private overlayPending(): void {
    for (const op of this.queue.pendingOps()) {
      if (op.op === 'create') {
        const table = this.model.table(op.table_id);
        if (!table || this.model.record(op.record_id)) continue;
        table.rows.push(this.model.rowOf(table, { id: op.record_id, values: op.values, created_at: new Date().toISOString(), created_by: this.me.id }));
      } else if (op.op === 'set') {
        const hit = this.model.record(op.record_id);
        const i = hit ? this.model.fieldIndex(hit.table, op.field_id) : -1;
        if (hit && i >= 0) hit.row[i] = op.to;
      } else if (op.op === 'archive') {
        const hit = this.model.record(op.record_id);
        if (hit) {
          const i = hit.table.rows.indexOf(hit.row);
          if (i >= 0) hit.table.rows.splice(i, 1);
          this.model.unregister(op.record_id);
        }
      }
    }
  }

  // ---------------------------------------------------------------- the Handsontable binding

  attach(hot: Handsontable): void {
    this.hot = hot;
    this.rebind();
  }

  selectTable(id: string): void {
    const t = this.model.table(id);
    if (!t || t === this.current) return;
    this.hot?.getActiveEditor()?.finishEditing(false);
    this.current = t;
    this.ui.activeTableId = id;
    this.ui.drawerRecordId = null;
    this.ui.conflict = null;
    this.rebind();
  }

  /** Points the grid at the current table's arrays and columns. */
  rebind(): void {
    const hot = this.hot;
    const t = this.current;
    this.ui.revision++;
    if (!hot || !t) return;
    const fields = this.orderedFields(t);
    hot.updateSettings({
      data: t.rows as unknown as CellValue[][],
      columns: fields.map((f) => columnFor(f, t.fields.indexOf(f), this, t)),
      colHeaders: fields.map((f) => headerHtml(f, f.id === t.primary_field_id)),
      colWidths: fields.map((f) => t.widths[f.id] ?? (f.id === t.primary_field_id ? 220 : DEFAULT_WIDTH[f.type] ?? 150)),
    });
  }

  orderedFields(t: TableModel): FieldDefinition[] {
    const byId = new Map(t.fields.map((f) => [f.id, f]));
    return t.order.map((id) => byId.get(id)).filter((f): f is FieldDefinition => !!f);
  }

  fieldAtColumn(visualCol: number): FieldDefinition | undefined {
    const t = this.current;
    if (!t || !this.hot) return undefined;
    const prop = this.hot.colToProp(visualCol);
    return typeof prop === 'number' ? t.fields[prop] : undefined;
  }

  rowAt(visualRow: number): GridRow | undefined {
    if (!this.current || !this.hot) return undefined;
    return this.current.rows[this.hot.toPhysicalRow(visualRow)];
  }

  visualRowOf(row: GridRow): number {
    if (!this.current || !this.hot) return -1;
    const phys = this.current.rows.indexOf(row);
    return phys < 0 ? -1 : this.hot.toVisualRow(phys);
  }

  render(): void {
    if (this.renderQueued || !this.hot) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      this.hot?.render();
    });
  }

  // ---------------------------------------------------------------- edits from the grid

  isRefusal(v: unknown): boolean {
    return typeof v === 'object' && v !== null && REFUSED in v;
  }

  /** beforeChange: parse what was typed or pasted with the domain's rules; refuse what does not fit, with a message. */
  beforeChange(changes: (Handsontable.CellChange | null)[], source: string): void {
    if (SYSTEM_SOURCES.has(source) || !this.current) return;
    const refused: string[] = [];
    for (const change of changes) {
      if (!change) continue;
      const field = this.current.fields[change[1] as number];
      if (!field) continue;
      const parsed = parseInput(field, change[3], this.model);
      if (parsed.ok) change[3] = parsed.value;
      else {
        change[3] = { [REFUSED]: parsed.message } satisfies Refusal;
        refused.push(parsed.message);
      }
    }
    if (refused.length === 0) return;
    if (source === 'edit' && changes.length === 1 && changes[0]) this.showCellMessage(changes[0][0], this.hot?.propToCol(changes[0][1] as number) as number, refused[0]);
    else toast(refused.length === 1 ? `Not saved: ${refused[0]}` : `${refused.length} cells were not saved. ${refused[0]}`, 'error');
  }

  showCellMessage(visualRow: number, visualCol: number, text: string): void {
    const td = this.hot?.getCell(visualRow, visualCol);
    const r = td?.getBoundingClientRect();
    this.ui.cellMessage = { text, x: r ? r.left : 20, y: r ? r.bottom + 4 : 80, row: visualRow, col: visualCol };
  }

  afterBeginEditing(visualRow: number, visualCol: number): void {
    const row = this.rowAt(visualRow);
    const prop = this.hot?.colToProp(visualCol);
    if (row && typeof prop === 'number') this.editingBase = { row, index: prop, value: row[prop] };
  }

  /** afterChange: every person's edit becomes compare-and-set changes in the outbox, one batch per paste or fill. */
  afterChange(changes: Handsontable.CellChange[] | null, source: string): void {
    if (!changes || SYSTEM_SOURCES.has(source) || !this.current || !this.hot) return;
    const t = this.current;
    const ops: ChangeOp[] = [];
    const cells: UndoEntry & { kind: 'cells' } = { kind: 'cells', table_id: t.id, cells: [] };
    this.ui.cellMessage = null;
    for (const [vrow, prop, old, next] of changes) {
      const row = t.rows[this.hot.toPhysicalRow(vrow)];
      const field = t.fields[prop as number];
      if (!row || !field) continue;
      let from = old as CellValue;
      if (source === 'edit' && this.editingBase && this.editingBase.row === row && this.editingBase.index === prop) from = this.editingBase.value;
      if (valuesEqual(from, next) && JSON.stringify(from ?? null) === JSON.stringify(next ?? null)) continue;
      ops.push({ op: 'set', record_id: row.id, field_id: field.id, from: from ?? null, to: next as CellValue });
      cells.cells.push({ record_id: row.id, field_id: field.id, before: from ?? null, after: next as CellValue });
      if (this.conflicts.delete(cellKey(row.id, field.id))) this.ui.conflictCount = this.conflicts.size;
      if (field.id === t.primary_field_id) this.model.invalidateNames(t.id);
    }
    this.editingBase = null;
    if (ops.length === 0) return;
    this.recompute(t, ops);
    this.queue.enqueue(ops);
    if (source !== 'undo') this.undo.push(cells);
  }

  /** Formula cells that read what just changed follow at once (the server computes the same). */
  private recompute(t: TableModel, ops: ChangeOp[]): void {
    const byRow = new Map<string, string[]>();
    for (const op of ops) if (op.op === 'set') byRow.set(op.record_id, [...(byRow.get(op.record_id) ?? []), op.field_id]);
    const now = new Date().toISOString();
    let any = false;
    for (const [id, fields] of byRow) {
      const hit = this.model.record(id);
      if (hit && recomputeRow(t, hit.row, fields, now)) any = true;
    }
    if (any) this.render();
  }

  /** Rows Handsontable adds itself (a paste past the last row) become new records in the same batch. */
  afterCreateRow(index: number, amount: number, source: string): void {
    if (SYSTEM_SOURCES.has(source) || !this.current || !this.hot) return;
    const t = this.current;
    const ops: ChangeOp[] = [];
    const ids: string[] = [];
    for (let k = 0; k < amount; k++) {
      const phys = this.hot.toPhysicalRow(index + k);
      const row = this.blankRow(t);
      t.rows[phys] = row;
      this.model.register(t, row);
      ops.push({ op: 'create', table_id: t.id, record_id: row.id, values: {} });
      ids.push(row.id);
    }
    this.queue.enqueue(ops);
    this.undo.push({ kind: 'create', table_id: t.id, record_ids: ids });
    this.ui.revision++;
  }

  private blankRow(t: TableModel, id = newRecordId()): GridRow {
    const now = new Date().toISOString();
    return this.model.rowOf(t, { id, values: {}, created_at: now, created_by: this.me.id, updated_at: now, updated_by: this.me.id });
  }

  /** The "Add record" button and menu item: a new row at the end, its first cell selected. */
  addRecord(values: Record<string, CellValue> = {}): GridRow | null {
    const t = this.current;
    if (!t || !this.hot) return null;
    const row = this.blankRow(t);
    for (const [fid, v] of Object.entries(values)) {
      const i = this.model.fieldIndex(t, fid);
      if (i >= 0) row[i] = v;
    }
    this.insertRows(t, t.rows.length, [row]);
    this.queue.enqueue([{ op: 'create', table_id: t.id, record_id: row.id, values }]);
    this.undo.push({ kind: 'create', table_id: t.id, record_ids: [row.id] });
    const vrow = this.visualRowOf(row);
    const firstCol = this.hot.propToCol(this.model.fieldIndex(t, t.order[0])) as number;
    this.hot.selectCell(vrow, firstCol);
    this.hot.scrollViewportTo({ row: vrow, col: firstCol });
    // The click on "Add record" took the keyboard away from the grid; once that click is over, give it
    // back (Handsontable reads keys from its hidden editor textarea) so typing goes into the new row.
    setTimeout(() => {
      if (!this.hot) return;
      this.hot.listen();
      (this.hot.getActiveEditor() as unknown as { TEXTAREA?: HTMLTextAreaElement } | undefined)?.TEXTAREA?.focus({ preventScroll: true });
    }, 0);
    return row;
  }

  archiveRows(rows: GridRow[], record = true): void {
    const t = this.current;
    if (!t || rows.length === 0) return;
    const entries = rows.map((row) => ({ row, next: t.rows[t.rows.indexOf(row) + 1]?.id ?? null }));
    this.queue.enqueue(rows.map((r) => ({ op: 'archive', record_id: r.id })));
    this.removeRows(t, rows);
    if (record) this.undo.push({ kind: 'archive', table_id: t.id, rows: entries });
    if (this.ui.drawerRecordId && rows.some((r) => r.id === this.ui.drawerRecordId)) this.ui.drawerRecordId = null;
    toast(rows.length === 1 ? 'Record archived (Ctrl+Z brings it back)' : `${rows.length} records archived (Ctrl+Z brings them back)`, 'info');
  }

  /** The drawer and the link picker write through the grid, so the same checks, batching and undo apply. */
  setCell(recordId: string, fieldId: string, raw: unknown, source = 'drawer'): string | null {
    const hit = this.model.record(recordId);
    if (!hit || hit.table !== this.current || !this.hot) return 'This record is not in the open table.';
    const field = hit.table.fields.find((f) => f.id === fieldId);
    if (!field) return 'This field no longer exists.';
    const parsed = parseInput(field, raw, this.model);
    if (!parsed.ok) return parsed.message;
    const vrow = this.visualRowOf(hit.row);
    const vcol = this.hot.propToCol(hit.table.fields.indexOf(field)) as number;
    this.hot.setDataAtCell(vrow, vcol, parsed.value, source);
    return null;
  }

  runUndo(): void {
    const entry = this.undo.pop();
    if (!entry) {
      toast('Nothing to undo', 'info');
      return;
    }
    if (entry.table_id !== this.current?.id) this.selectTable(entry.table_id);
    const t = this.current;
    if (!t || !this.hot) return;
    if (entry.kind === 'cells') {
      const changes: [number, number, CellValue][] = [];
      for (const c of entry.cells) {
        const hit = this.model.record(c.record_id);
        const i = hit ? this.model.fieldIndex(t, c.field_id) : -1;
        if (!hit || i < 0) continue;
        changes.push([this.visualRowOf(hit.row), this.hot.propToCol(i) as number, c.before]);
      }
      if (changes.length) this.hot.setDataAtCell(changes, 'undo');
    } else if (entry.kind === 'create') {
      const rows = entry.record_ids.map((id) => this.model.record(id)?.row).filter((r): r is GridRow => !!r);
      this.archiveRows(rows, false);
    } else {
      this.queue.enqueue(entry.rows.map((e) => ({ op: 'unarchive', record_id: e.row.id })));
      for (const e of entry.rows.slice().reverse()) {
        const next = e.next ? this.model.record(e.next)?.row : undefined;
        const at = next ? t.rows.indexOf(next) : -1;
        this.insertRows(t, at < 0 ? t.rows.length : at, [e.row]);
      }
      toast(entry.rows.length === 1 ? 'Record restored' : `${entry.rows.length} records restored`, 'success');
    }
  }

  // ---------------------------------------------------------------- rows in and out of the grid

  insertRows(t: TableModel, index: number, rows: GridRow[]): void {
    if (rows.length === 0) return;
    const hot = this.hot;
    if (t === this.current && hot) {
      const count = hot.countRows();
      if (index >= count) {
        if (count === 0) hot.alter('insert_row_above', 0, rows.length, 'remote');
        else hot.alter('insert_row_below', count - 1, rows.length, 'remote');
        for (let k = 0; k < rows.length; k++) t.rows[hot.toPhysicalRow(count + k)] = rows[k];
      } else {
        hot.alter('insert_row_above', hot.toVisualRow(index), rows.length, 'remote');
        for (let k = 0; k < rows.length; k++) t.rows[hot.toPhysicalRow(hot.toVisualRow(index) + k)] = rows[k];
      }
      this.render();
    } else {
      t.rows.splice(index, 0, ...rows);
    }
    for (const r of rows) this.model.register(t, r);
    this.ui.revision++;
  }

  removeRows(t: TableModel, rows: GridRow[]): void {
    const hot = this.hot;
    if (t === this.current && hot) {
      const visual = rows.map((r) => this.visualRowOf(r)).filter((v) => v >= 0).sort((a, b) => a - b);
      const ranges: [number, number][] = [];
      for (const v of visual) {
        const last = ranges[ranges.length - 1];
        if (last && last[0] + last[1] === v) last[1]++;
        else ranges.push([v, 1]);
      }
      if (ranges.length) hot.alter('remove_row', ranges, undefined, 'remote');
    } else {
      const gone = new Set(rows);
      const kept = t.rows.filter((r) => !gone.has(r));
      t.rows.length = 0;
      for (const r of kept) t.rows.push(r);
    }
    for (const r of rows) this.model.unregister(r.id);
    this.ui.revision++;
  }

  // ---------------------------------------------------------------- server answers

  private onResult(batch: Batch, result: ChangesResult): void {
    for (const a of result.applied) {
      if (a.op === 'set' && a.field_id) this.confirmed.set(cellKey(a.record_id, a.field_id), result.version);
    }
    if (result.conflicts.length === 0) return;
    let latest: ConflictInfo | null = null;
    for (const c of result.conflicts) {
      const hit = this.model.record(c.record_id);
      if (!hit) continue;
      const i = this.model.fieldIndex(hit.table, c.field_id);
      const info: ConflictInfo = { ...c, table_id: hit.table.id, mine: hit.row[i] };
      this.conflicts.set(cellKey(c.record_id, c.field_id), info);
      latest = info;
      this.ui.conflictCount = this.conflicts.size;
    }
    this.render();
    if (latest) this.openConflict(latest);
    void batch;
  }

  private onRejected(op: ChangeOp, error: ApiError): void {
    if (op.op === 'set') {
      const hit = this.model.record(op.record_id);
      const i = hit ? this.model.fieldIndex(hit.table, op.field_id) : -1;
      if (hit && i >= 0 && valuesEqual(hit.row[i], op.to)) {
        hit.row[i] = op.from;
        this.render();
      }
    } else {
      this.scheduleReload(0);
    }
    toast(`Not saved: ${error.message}`, 'error');
  }

  hasConflict(recordId: string, fieldId: string): boolean {
    return this.conflicts.size > 0 && this.conflicts.has(cellKey(recordId, fieldId));
  }

  conflictAt(recordId: string, fieldId: string): ConflictInfo | undefined {
    return this.conflicts.get(cellKey(recordId, fieldId));
  }

  openConflict(info: ConflictInfo): void {
    if (info.table_id !== this.current?.id) this.selectTable(info.table_id);
    const hit = this.model.record(info.record_id);
    const hot = this.hot;
    if (!hit || !hot || !this.current) return;
    const vrow = this.visualRowOf(hit.row);
    const vcol = hot.propToCol(this.model.fieldIndex(this.current, info.field_id)) as number;
    hot.scrollViewportTo({ row: vrow, col: vcol });
    hot.render();
    const r = hot.getCell(vrow, vcol)?.getBoundingClientRect();
    this.ui.conflictAt = { x: r ? r.left : 40, y: r ? r.bottom + 6 : 120 };
    this.ui.conflict = info;
  }

  /** "Keep mine": send my value again, comparing against theirs this time. */
  keepMine(info: ConflictInfo): void {
    const hit = this.closeConflict(info);
    if (!hit) return;
    const mine = hit.row[this.model.fieldIndex(hit.table, info.field_id)];
    this.queue.enqueue([{ op: 'set', record_id: info.record_id, field_id: info.field_id, from: info.current, to: mine }]);
    this.render();
  }

  /** "Take theirs": the cell shows what the other person saved; nothing is sent. */
  takeTheirs(info: ConflictInfo): void {
    const hit = this.closeConflict(info);
    if (!hit) return;
    hit.row[this.model.fieldIndex(hit.table, info.field_id)] = info.current;
    recomputeRow(hit.table, hit.row, [info.field_id], new Date().toISOString());
    this.render();
  }

  /** Forgets a decided conflict and closes its popover; returns the record it was on, if still loaded. */
  private closeConflict(info: ConflictInfo) {
    this.conflicts.delete(cellKey(info.record_id, info.field_id));
    this.ui.conflictCount = this.conflicts.size;
    this.ui.conflict = null;
    return this.model.record(info.record_id);
  }

  // ---------------------------------------------------------------- other people's edits

  onEvents(events: LiveEvent[]): void {
    let schema = false;
    let touched = false;
    const inserts = new Map<TableModel, GridRow[]>();
    const removals = new Map<TableModel, GridRow[]>();
    for (const ev of events) {
      if (ev.actor_name) this.model.actors.set(ev.actor_id, ev.actor_name);
      const d = ev.data as { table_id: string; record_id: string; values?: Record<string, CellValue>; changes?: { field_id: string; to: CellValue }[] };
      switch (ev.type) {
        case 'RecordCreated': {
          const t = this.model.table(d.table_id);
          if (!t || this.model.record(d.record_id)) break;
          const row = this.model.rowOf(t, { id: d.record_id, values: d.values ?? {}, created_at: ev.recorded_at, created_by: ev.actor_id, updated_at: ev.recorded_at, updated_by: ev.actor_id });
          this.model.unregister(d.record_id);
          recomputeRow(t, row, t.fields.map((f) => f.id), ev.recorded_at);
          inserts.set(t, [...(inserts.get(t) ?? []), row]);
          break;
        }
        case 'RecordUpdated': {
          const hit = this.model.record(d.record_id) ?? this.pendingInsert(inserts, d.record_id);
          if (!hit) break;
          for (const ch of d.changes ?? []) {
            const i = this.model.fieldIndex(hit.table, ch.field_id);
            const key = cellKey(d.record_id, ch.field_id);
            if (i < 0 || this.queue.isDirty(d.record_id, ch.field_id) || (this.confirmed.get(key) ?? 0) >= ev.position) continue;
            const open = this.conflicts.get(key);
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
          recomputeRow(hit.table, hit.row, (d.changes ?? []).map((c) => c.field_id), ev.recorded_at);
          touched = true;
          break;
        }
        case 'RecordArchived': {
          const hit = this.model.record(d.record_id);
          if (hit) removals.set(hit.table, [...(removals.get(hit.table) ?? []), hit.row]);
          break;
        }
        case 'RecordUnarchived':
        case 'TableCreated': case 'TableRenamed': case 'FieldAdded': case 'FieldRenamed': case 'FieldRetyped': case 'FieldRemoved':
          schema = true;
          break;
        default:
          break;
      }
      this.model.version = Math.max(this.model.version, ev.position);
    }
    for (const [t, rows] of inserts) this.insertRows(t, t.rows.length, rows);
    for (const [t, rows] of removals) this.removeRows(t, rows);
    if (touched) this.render();
    if (this.ui.drawerRecordId) this.ui.revision++;
    if (schema) this.scheduleReload();
  }

  private pendingInsert(inserts: Map<TableModel, GridRow[]>, id: string): { table: TableModel; row: GridRow } | undefined {
    for (const [table, rows] of inserts) {
      const row = rows.find((r) => r.id === id);
      if (row) return { table, row };
    }
    return undefined;
  }

  // ---------------------------------------------------------------- layout (the default view)

  moveColumns(fieldIds: string[], finalIndex: number): void {
    const t = this.current;
    if (!t) return;
    const rest = t.order.filter((id) => !fieldIds.includes(id));
    rest.splice(Math.min(finalIndex, rest.length), 0, ...fieldIds);
    // The primary field stays first.
    t.order = [t.primary_field_id, ...rest.filter((id) => id !== t.primary_field_id)];
    this.rebind();
    this.saveLayoutSoon();
  }

  resizeColumn(fieldId: string, width: number): void {
    if (!this.current) return;
    this.current.widths[fieldId] = Math.round(width);
    this.saveLayoutSoon();
  }

  saveLayoutSoon(): void {
    if (this.current) this.layout.saveSoon(this.current);
  }

  /** Writes the table's column order and widths into its default view (created when missing). */
  saveLayout(t: TableModel): Promise<void> {
    return this.layout.save(t);
  }

}
