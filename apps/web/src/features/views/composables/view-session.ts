import type { FilterGroup, ViewSort } from '@crm/domain';
import { reactive } from 'vue';
import { ApiError } from '../../../app/http';
import { toast } from '../../../ui/toast';
import type { GridSession } from '../../fundraising/composables/grid-session';
import { type SavedView, type ViewChanges, viewsApi } from '../api/views.api';
import type { ListChoice } from '../filter-editing';
import { loadActive, saveActive } from './active-views';
import { useLayout, ViewDrawing } from './view-drawing';

/**
 * The saved views of the grid: which one each table shows, and the grid drawn through it. Filters
 * and sorts run in the browser with the domain's code (the same as the server's), on the rows the
 * grid already holds, so a change shows at once; the change itself is saved as the view's event.
 * Rows are ordered and trimmed through Handsontable's index maps, so the grid keeps rendering the
 * table's own arrays and every edit path of the grid session works as before.
 */
export class ViewSession {
  readonly state = reactive({
    views: [] as SavedView[],
    activeByTable: loadActive(),
    shown: 0,
    /** Bumped each time the grid is drawn through the view (the summary bar recomputes). */
    applied: 0,
    total: 0,
    loaded: false,
    /** The lists a filter may name (the Investors table's, offered while its list tabs show). */
    lists: null as ListChoice[] | null,
  });
  readonly drawing = new ViewDrawing();
  private saveTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private pending = new Map<string, ViewChanges>();
  /** Saves on their way, for whoever must wait for them (an export of the view). */
  private inFlight = new Set<Promise<void>>();
  /** Each view's latest save, which the next one waits for. */
  private lastSave = new Map<string, Promise<void>>();
  /** Views whose save is on its way: a re-read must not put the older version back meanwhile. */
  private saving = new Set<string>();
  /** A re-read left a view alone while it was being edited: read again once the edit is saved. */
  private missed = false;
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  /** Views kept as this screen has them while their own requests are on the way (card moves). */
  private held = new Map<string, number>();
  /** Reads of the views started, so that an answer overtaken by a later read is left unused. */
  private reads = 0;
  private unwatch: (() => void) | null = null;

  constructor(
    readonly grid: GridSession,
    readonly me: { id: string; admin: boolean },
  ) {
    // A condition on "me" means whoever looks at the view: here, the person signed in.
    this.drawing.me = me.id;
    this.drawing.personName = (id) => grid.model.actors.get(id);
    this.drawing.currencyOf = (t, row, field) => grid.model.rowCurrency(t, row, field);
  }

  async load(): Promise<void> {
    try {
      this.state.views = (await viewsApi.list()).views;
    } catch (e) {
      toast(`Views could not be loaded: ${(e as Error).message}`, 'error');
    }
    this.state.loaded = true;
  }

  /**
   * Follows other people's view changes (and the person's own, made elsewhere or by an undo): when
   * the grid says views may have changed, they are read again and the grid redrawn. A view with an
   * edit of this person's not yet saved keeps it; it is read again after its save.
   */
  followLive(): void {
    this.unwatch ??= this.grid.watchViews(() => this.refreshSoon());
  }

  private refreshSoon(ms = 60): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      void this.refresh();
    }, ms);
  }

  private async refresh(): Promise<void> {
    // Reads may overlap, and an earlier one's older answer come back last: only the latest counts.
    const read = ++this.reads;
    let fresh: SavedView[];
    try {
      fresh = (await viewsApi.list()).views;
    } catch {
      return; // offline or signed out: the next change or reload tries again
    }
    if (read !== this.reads) return;
    const busy = (id: string) =>
      this.pending.has(id) || this.saveTimers.has(id) || this.saving.has(id) || this.held.has(id);
    this.missed = fresh.some((v) => busy(v.id));
    const t = this.grid.current;
    const shownBefore = t ? this.active(t.id) : undefined;
    const layoutBefore =
      shownBefore && JSON.stringify([shownBefore.field_order, shownBefore.field_widths]);
    const ids = new Set(fresh.map((v) => v.id));
    this.state.views = this.state.views.filter((v) => ids.has(v.id) || busy(v.id));
    for (const v of fresh) if (!busy(v.id)) this.replace(v);
    if (!t) return;
    const shown = this.active(t.id);
    if (
      shown &&
      (shown.id !== shownBefore?.id ||
        JSON.stringify([shown.field_order, shown.field_widths]) !== layoutBefore)
    ) {
      // Column order and widths are laid out when the grid binds: lay them out again.
      useLayout(t, shown);
      this.grid.rebind();
    } else {
      this.apply();
    }
  }

  viewsOf(tableId: string): SavedView[] {
    const all = this.state.views.filter((v) => v.table_id === tableId);
    return [
      ...all.filter((v) => v.default),
      ...all.filter((v) => !v.default && !v.personal),
      ...all.filter((v) => v.personal),
    ];
  }

  active(tableId = this.grid.current?.id ?? ''): SavedView | undefined {
    const views = this.viewsOf(tableId);
    return views.find((v) => v.id === this.state.activeByTable[tableId]) ?? views[0];
  }

  /** Whether this person may change the view (locked shared views are the admins'). */
  canEdit(view: SavedView | undefined): boolean {
    return !!view && (!view.locked || this.me.admin);
  }

  select(viewId: string): void {
    const view = this.state.views.find((v) => v.id === viewId);
    if (!view) return;
    this.state.activeByTable[view.table_id] = view.id;
    saveActive(this.state.activeByTable);
    this.apply();
  }

  // ---------------------------------------------------------------- changing views

  /** Applies the change at once and saves it (debounced: typing in a filter value is one event, not ten). */
  change(view: SavedView, changes: ViewChanges, delayMs = 400): void {
    if (!this.canEdit(view)) {
      toast('This view is locked; only an admin can change it', 'info');
      return;
    }
    Object.assign(view, changes);
    view.config = { ...view.config, ...changes };
    this.apply();
    this.pending.set(view.id, { ...(this.pending.get(view.id) ?? {}), ...changes });
    const t = this.saveTimers.get(view.id);
    if (t) clearTimeout(t);
    this.saveTimers.set(
      view.id,
      setTimeout(() => void this.flush(view), delayMs),
    );
  }

  /**
   * Keeps a view as this screen has it while `work` (a card's move, saved by its own request) is on
   * its way: a read meanwhile would put back the order from before; it is read again after.
   */
  async holdWhile<T>(viewId: string, work: Promise<T>): Promise<T> {
    this.held.set(viewId, (this.held.get(viewId) ?? 0) + 1);
    try {
      return await work;
    } finally {
      const left = (this.held.get(viewId) ?? 1) - 1;
      if (left > 0) this.held.set(viewId, left);
      else this.held.delete(viewId);
      if (this.missed && !this.pending.size && !this.held.size) this.refreshSoon();
    }
  }

  /** Sends the changes still waiting out their delay and waits for every save on its way (before an export reads the view). */
  async saveNow(): Promise<void> {
    for (const view of this.state.views.filter((v) => this.pending.has(v.id))) {
      clearTimeout(this.saveTimers.get(view.id));
      void this.flush(view);
    }
    await Promise.all([...this.inFlight]);
  }

  /**
   * A view's saves go one after another: two on their way at once may reach the server in
   * either order, and the older change would win (freeze, unfreeze, freeze again kept "unfrozen").
   */
  private flush(view: SavedView): Promise<void> {
    this.saveTimers.delete(view.id);
    const before = this.lastSave.get(view.id) ?? Promise.resolve();
    const saving: Promise<void> = before
      .then(() => this.save(view))
      .finally(() => {
        this.inFlight.delete(saving);
        if (this.lastSave.get(view.id) === saving) this.lastSave.delete(view.id);
      });
    this.inFlight.add(saving);
    this.lastSave.set(view.id, saving);
    return saving;
  }

  private async save(view: SavedView): Promise<void> {
    const body = this.pending.get(view.id);
    this.pending.delete(view.id);
    if (!body) return;
    this.saving.add(view.id);
    try {
      const saved = await viewsApi.update(view.id, body);
      // Edits made while this save was on its way win: their own save follows.
      if (!this.pending.has(view.id)) this.replace(saved);
    } catch (e) {
      toast(
        e instanceof ApiError ? e.message : `The view could not be saved: ${(e as Error).message}`,
        'error',
      );
      await this.load();
      this.apply();
    } finally {
      this.saving.delete(view.id);
      if (this.missed && !this.pending.size) this.refreshSoon();
    }
  }

  async create(
    tableId: string,
    name: string,
    personal: boolean,
    from?: SavedView,
  ): Promise<SavedView | null> {
    try {
      const base = from
        ? {
            filters: from.filters,
            sorts: from.sorts,
            hidden_fields: from.hidden_fields,
            field_order: from.field_order,
            field_widths: from.field_widths,
            frozen_columns: from.frozen_columns,
            row_height: from.row_height,
            summaries: from.summaries,
          }
        : { field_order: this.grid.current?.order ?? [] };
      const view = await viewsApi.create({ table_id: tableId, name, personal, ...base });
      this.state.views.push(view);
      this.select(view.id);
      return view;
    } catch (e) {
      toast((e as Error).message, 'error');
      return null;
    }
  }

  async rename(view: SavedView, name: string): Promise<void> {
    if (!this.canEdit(view)) return;
    try {
      this.replace(await viewsApi.update(view.id, { name }));
    } catch (e) {
      toast((e as Error).message, 'error');
    }
  }

  async setLocked(view: SavedView, locked: boolean): Promise<void> {
    try {
      this.replace(await viewsApi.update(view.id, { locked }));
      toast(
        locked
          ? `“${view.name}” is locked: only admins can change it`
          : `“${view.name}” is unlocked`,
        'info',
      );
    } catch (e) {
      toast((e as Error).message, 'error');
    }
  }

  async remove(view: SavedView): Promise<void> {
    try {
      await viewsApi.remove(view.id);
      this.state.views = this.state.views.filter((v) => v.id !== view.id);
      if (this.state.activeByTable[view.table_id] === view.id)
        delete this.state.activeByTable[view.table_id];
      saveActive(this.state.activeByTable);
      this.apply();
      toast(`View “${view.name}” deleted; the history keeps it`, 'info');
    } catch (e) {
      toast((e as Error).message, 'error');
    }
  }

  private replace(saved: SavedView): void {
    const i = this.state.views.findIndex((v) => v.id === saved.id);
    const {
      id,
      table_id,
      name,
      personal,
      owner_id,
      locked,
      filters,
      sorts,
      hidden_fields,
      field_order,
      field_widths,
      frozen_columns,
      row_height,
      config,
    } = saved;
    const clean: SavedView = {
      id,
      table_id,
      name,
      personal,
      owner_id,
      locked,
      default: saved.default,
      filters,
      sorts,
      hidden_fields,
      field_order,
      field_widths,
      frozen_columns,
      row_height,
      summaries: saved.summaries ?? {},
      type: saved.type ?? 'grid',
      group_by: saved.group_by ?? [],
      collapsed_groups: saved.collapsed_groups ?? [],
      kanban: saved.kanban ?? null,
      config,
    };
    // Updated in place: the filter and sort editors hold this object.
    if (i >= 0) Object.assign(this.state.views[i], clean);
    else this.state.views.push(clean);
    const t = this.grid.current;
    if (t?.view?.id === saved.id) t.view = { id, table_id, name, config };
  }

  // ---------------------------------------------------------------- drawing the grid through the view

  /**
   * Draws the current table through its active view: column order, widths and hidden fields, frozen
   * columns, row height, then the rows its filters keep, in its order. Called after every rebind of
   * the grid (which resets Handsontable's index maps) and after every view change.
   */
  apply(): void {
    const t = this.grid.current;
    const hot = this.grid.hot;
    if (!t || !hot) return;
    const view = this.active(t.id);
    if (view && t.view?.id !== view.id) {
      // The grid saves column moves and widths into `t.view`: point it at the view on screen.
      useLayout(t, view);
      this.grid.rebind();
      return;
    }
    this.state.shown = this.drawing.draw(hot, t, view);
    this.state.applied++;
    this.state.total = t.rows.length;
  }

  /**
   * A list tab above the grid: only that list's records (null: every record), and every record's
   * lists for filters on lists; then the grid is drawn again.
   */
  showList(list: string | null, listsOf?: (id: string) => ReadonlySet<string>): void {
    this.drawing.list = list;
    this.drawing.listsOf = listsOf;
    this.apply();
  }

  /** The lists a filter condition may name (null: none, off the Investors table). */
  offerLists(lists: ListChoice[] | null): void {
    this.state.lists = lists;
  }

  /** After the window changes size (a phone turned): the frozen columns that fit now. */
  fitFrozen(): void {
    const t = this.grid.current;
    const hot = this.grid.hot;
    if (t && hot) this.drawing.fitFrozen(hot, t, this.active(t.id));
  }

  dispose(): void {
    this.unwatch?.();
    this.unwatch = null;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const t of this.saveTimers.values()) clearTimeout(t);
    for (const v of this.state.views) if (this.pending.has(v.id)) void this.flush(v);
    this.drawing.unbind();
  }
}

export { rememberActiveView } from './active-views';
export type { FilterGroup, ViewSort };
