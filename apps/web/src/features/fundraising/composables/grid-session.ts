import { LISTS_FIELD_ID, valuesEqual } from '@crm/domain';
import type { CellValue, FieldDefinition } from '@crm/events';
import type Handsontable from 'handsontable/base';
import { markRaw, reactive } from 'vue';
import { type ApiError } from '../../../app/http';
import { toast } from '../../../ui/toast';
import {
  type ChangeOp,
  type ChangesResult,
  fundraisingApi,
  type LiveEvent,
} from '../api/fundraising.api';
import { RecordLists } from '../../automations/composables/record-lists';
import { gridColumns } from '../components/grid-columns';
import { ColumnLayout, orderedFields } from './column-layout';
import { BaseModel, type GridRow, type TableModel } from './base-model';
import { acceptChoiceOffer, type CellMessage } from './choice-offer';
import { ConflictBook, type ConflictInfo } from './conflict-book';
import { recomputeRow } from './formulas';
import { GridEdits } from './grid-edits';
import { goOnIfStillSignedIn, LiveEvents } from './live-events';
import { RemoteEdits } from './remote-edits';
import { insertShownRows, overlayPending, removeShownRows } from './grid-rows';
import { SaveQueue } from './save-queue';

/**
 * One person's grid session: the loaded base, the outbox, the live stream, conflicts and undo. The
 * Handsontable instance renders `current.rows` by reference; everything here patches those arrays in
 * place and asks for one render, never a reload of the table for one change. The session ties the
 * parts together and binds them to the grid; the person's edits (`grid-edits.ts`), other people's
 * (`remote-edits.ts`), conflicts (`conflict-book.ts`) and the column layout have files of their own.
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
    linkPicker: null as { recordId: string; fieldId: string; query?: string } | null,
    cellMessage: null as CellMessage | null,
  });
  readonly conflicts: ConflictBook;
  readonly remote: RemoteEdits;
  private readonly edits = new GridEdits(this);
  private reloadTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly layout = new ColumnLayout();
  private renderQueued = false;
  private readonly viewWatchers = new Set<() => void>();
  /** Every record's lists (read by the list tabs), for the Lists column and filters on lists. */
  readonly lists = markRaw(new RecordLists());

  /** Members and admins may change a table's fields (the server's rule for the schema routes). */
  readonly canChangeSchema: boolean;

  constructor(readonly me: { id: string; name: string; role?: string }) {
    this.canChangeSchema = me.role === undefined || me.role === 'admin' || me.role === 'member';
    this.model.listsOf = this.lists.forFormulas;
    this.queue = new SaveQueue(me.id, {
      onResult: (_batch, result) => this.onResult(result),
      onRejected: (op, error) => this.onRejected(op, error),
    });
    this.conflicts = new ConflictBook({
      model: this.model,
      ui: this.ui,
      enqueue: (ops) => this.queue.enqueue(ops),
      render: () => this.render(),
    });
    this.remote = new RemoteEdits(this.model, {
      isDirty: (recordId, fieldId) => this.queue.isDirty(recordId, fieldId),
      conflictAt: (recordId, fieldId) => this.conflicts.get(recordId, fieldId),
    });
  }

  // ---------------------------------------------------------------- loading

  async start(): Promise<void> {
    try {
      const [state, config, actors, team] = await Promise.all([
        fundraisingApi.state(),
        fundraisingApi.webConfig(),
        fundraisingApi.actors().catch(() => ({ actors: [] })),
        fundraisingApi.people().catch(() => ({ people: [] })),
      ]);
      for (const a of actors.actors) this.model.actors.set(a.id, a.name);
      for (const p of team.people) this.model.people.set(p.id, p);
      this.model.actors.set(this.me.id, this.me.name);
      this.ui.licenseKey = config.handsontable_license_key;
      this.model.load(state);
      overlayPending(this.model, this.queue.pendingOps(), this.me.id);
      this.current = this.model.tables[0] ?? null;
      this.ui.activeTableId = this.current?.id ?? '';
      this.live = new LiveEvents(state.version, {
        onEvents: (events) => this.onEvents(events),
        onReload: () => this.scheduleReload(0),
        onReconnect: () => this.queue.retryNow(),
        onSessionEnded: () => void (this.live && goOnIfStillSignedIn(this.live)),
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
    if (this.lists.loaded) await this.lists.load().catch(() => undefined);
    this.model.load(state);
    overlayPending(this.model, this.queue.pendingOps(), this.me.id);
    this.current = this.model.table(this.ui.activeTableId) ?? this.model.tables[0] ?? null;
    this.ui.activeTableId = this.current?.id ?? '';
    this.live?.restart(state.version);
    this.rebind();
    // The stream restarts after the loaded version: view events before it (an undone restore) come only this way.
    this.viewsMayHaveChanged();
  }

  scheduleReload(ms = 300): void {
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = null;
      this.reload().catch((e) =>
        toast(`Could not refresh the grid: ${(e as Error).message}`, 'error'),
      );
    }, ms);
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
    hot.updateSettings({ data: t.rows as unknown as CellValue[][], ...gridColumns(this, t) });
  }

  orderedFields(t: TableModel): FieldDefinition[] {
    return orderedFields(t);
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

  /**
   * After a dialog opened from the grid closes, keys go to the grid again: Handsontable reads them from
   * its editor's textarea, so typing after a Tab goes into the next cell, not the page.
   */
  refocusGrid(): void {
    setTimeout(() => {
      const hot = this.hot;
      if (!hot) return;
      hot.listen();
      (
        hot.getActiveEditor() as unknown as { TEXTAREA?: HTMLTextAreaElement } | undefined
      )?.TEXTAREA?.focus({ preventScroll: true });
    }, 0);
  }

  render(): void {
    if (this.renderQueued || !this.hot) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      this.hot?.render();
    });
  }

  // ---------------------------------------------------------------- edits from the grid (grid-edits.ts)

  isRefusal(v: unknown): boolean {
    return this.edits.isRefusal(v);
  }

  beforeChange(changes: (Handsontable.CellChange | null)[], source: string): void {
    this.edits.beforeChange(changes, source);
  }

  afterBeginEditing(visualRow: number, visualCol: number): void {
    this.edits.afterBeginEditing(visualRow, visualCol);
  }

  afterChange(changes: Handsontable.CellChange[] | null, source: string): void {
    this.edits.afterChange(changes, source);
  }

  afterCreateRow(index: number, amount: number, source: string): void {
    this.edits.afterCreateRow(index, amount, source);
  }

  addRecord(values: Record<string, CellValue> = {}): GridRow | null {
    return this.edits.addRecord(values);
  }

  offerChoice(visualRow: number, visualCol: number, field: FieldDefinition, name: string): void {
    this.edits.offerChoice(visualRow, visualCol, field, name);
  }

  acceptChoiceOffer(): Promise<void> {
    return acceptChoiceOffer(this);
  }

  fieldById(fieldId: string): FieldDefinition | undefined {
    for (const t of this.model.tables) {
      const f = t.fields.find((x) => x.id === fieldId);
      if (f) return f;
    }
    return undefined;
  }

  cellValue(recordId: string, fieldId: string): CellValue | undefined {
    const hit = this.model.record(recordId);
    const i = hit ? this.model.fieldIndex(hit.table, fieldId) : -1;
    return hit && i >= 0 ? hit.row[i] : undefined;
  }

  createRecordIn(tableId: string, values: Record<string, CellValue>): GridRow | null {
    return this.edits.createRecordIn(tableId, values);
  }

  archiveRows(rows: GridRow[], record = true): void {
    this.edits.archiveRows(rows, record);
  }

  setCell(recordId: string, fieldId: string, raw: unknown, source = 'drawer'): string | null {
    return this.edits.setCell(recordId, fieldId, raw, source);
  }

  runUndo(): void {
    this.edits.runUndo();
  }

  // ---------------------------------------------------------------- rows in and out of the grid

  insertRows(t: TableModel, index: number, rows: GridRow[]): void {
    if (rows.length === 0) return;
    if (t === this.current && this.hot) {
      insertShownRows(this.hot, t, index, rows);
      this.render();
    } else {
      t.rows.splice(index, 0, ...rows);
    }
    for (const r of rows) this.model.register(t, r);
    this.ui.revision++;
  }

  removeRows(t: TableModel, rows: GridRow[]): void {
    if (t === this.current && this.hot) {
      removeShownRows(
        this.hot,
        rows.map((r) => this.visualRowOf(r)),
      );
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

  private onResult(result: ChangesResult): void {
    this.remote.confirm(result);
    if (result.conflicts.length === 0) return;
    const latest = this.conflicts.add(result.conflicts);
    this.render();
    if (latest) this.openConflict(latest);
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

  // ---------------------------------------------------------------- conflicts (conflict-book.ts)

  /** Shows the conflict's popover under its cell, scrolled into view (on its table). */
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

  // ---------------------------------------------------------------- other people's edits (remote-edits.ts)

  onEvents(events: LiveEvent[]): void {
    if (events.some((e) => e.type === 'ViewSaved' || e.type === 'ViewDeleted'))
      this.viewsMayHaveChanged();
    const { inserts, removals, touched, schema } = this.remote.apply(events);
    for (const [t, rows] of inserts) this.insertRows(t, t.rows.length, rows);
    for (const [t, rows] of removals) this.removeRows(t, rows);
    const moved = this.lists.apply(events);
    const at = events[events.length - 1]?.recorded_at ?? '';
    for (const hit of [...moved].map((id) => this.model.record(id)))
      if (hit) recomputeRow(hit.table, hit.row, [LISTS_FIELD_ID], at, this.model.listsOf);
    if (touched || moved.size) this.render();
    if (this.ui.drawerRecordId) this.ui.revision++;
    if (schema) this.scheduleReload();
  }

  /** Calls back whenever saved views may have changed (their live events, a reload); returns the way to stop. */
  watchViews(onChange: () => void): () => void {
    this.viewWatchers.add(onChange);
    return () => this.viewWatchers.delete(onChange);
  }

  private viewsMayHaveChanged(): void {
    for (const w of this.viewWatchers) w();
  }

  // ---------------------------------------------------------------- layout (the default view, column-layout.ts)

  moveColumns(fieldIds: string[], finalIndex: number): void {
    if (!this.current) return;
    this.layout.move(this.current, fieldIds, finalIndex);
    this.rebind();
  }

  resizeColumn(fieldId: string, width: number): void {
    if (this.current) this.layout.resize(this.current, fieldId, width);
  }

  /** Writes the table's column order and widths into its default view (created when missing). */
  saveLayout(t: TableModel): Promise<void> {
    return this.layout.save(t);
  }
}
