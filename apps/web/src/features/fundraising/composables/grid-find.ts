import { searchFold } from '@crm/domain';
import type Handsontable from 'handsontable/base';
import { reactive } from 'vue';
import { formatCopy } from './cell-codec';
import type { GridSession } from './grid-session';

export interface FindMatch {
  recordId: string;
  fieldId: string;
}

/**
 * Ctrl+F in the grid: the cells of the current view whose shown text holds the query (case and
 * accents ignored), in reading order, and the one stepped to. Matches are kept by record and field,
 * so an edit or a live update that moves rows does not point them at other cells; the folded text
 * of the view is read once per change of the rows or columns shown, not once per keystroke.
 */
export class GridFind {
  readonly state = reactive({ open: false, query: '', count: 0, current: -1 });
  private matches: FindMatch[] = [];
  private keys = new Set<string>();
  private index: { recordId: string; fieldId: string; text: string }[] | null = null;
  private hooked: Handsontable | null = null;

  constructor(private readonly s: GridSession) {}

  open(): void {
    this.state.open = true;
    this.hook();
    this.index = null;
    this.search(this.state.query);
  }

  close(): void {
    this.state.open = false;
    this.matches = [];
    this.keys.clear();
    this.state.count = 0;
    this.state.current = -1;
    this.s.hot?.render();
  }

  search(query: string): void {
    this.state.query = query;
    const q = searchFold(query.trim());
    const before = this.matches[this.state.current];
    this.matches = q ? this.cells().filter((c) => c.text.includes(q)) : [];
    this.keys = new Set(this.matches.map((m) => `${m.recordId} ${m.fieldId}`));
    this.state.count = this.matches.length;
    const kept = before
      ? this.matches.findIndex(
          (m) => m.recordId === before.recordId && m.fieldId === before.fieldId,
        )
      : -1;
    this.state.current = this.matches.length ? Math.max(0, kept) : -1;
    this.s.hot?.render();
    if (this.state.current >= 0) this.show();
  }

  step(by: 1 | -1): void {
    const n = this.matches.length;
    if (!n) return;
    this.state.current = (this.state.current + by + n) % n;
    this.s.hot?.render();
    this.show();
  }

  /** The match's cell, where it is drawn now (-1 when the row or column is not shown). */
  cellOf(m: FindMatch): { row: number; col: number } | null {
    const hot = this.s.hot;
    const t = this.s.current;
    if (!hot || !t) return null;
    const rec = this.s.model.record(m.recordId);
    const physical = rec ? t.rows.indexOf(rec.row) : -1;
    const row = physical < 0 ? null : hot.toVisualRow(physical);
    const col = hot.propToCol(t.fields.findIndex((f) => f.id === m.fieldId));
    return row === null || row < 0 || typeof col !== 'number' || col < 0 ? null : { row, col };
  }

  currentCell(): { row: number; col: number } | null {
    const m = this.matches[this.state.current];
    return m ? this.cellOf(m) : null;
  }

  /** Selects the current match without taking the keyboard from the find box, scrolled into view. */
  private show(): void {
    const at = this.currentCell();
    const hot = this.s.hot;
    if (!at || !hot) return;
    // Selecting moves the focus into the grid; the find box keeps it while it is open.
    const active = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    hot.selectCell(at.row, at.col, at.row, at.col, true, false);
    if (active && !hot.rootElement.contains(active) && document.activeElement !== active) {
      hot.unlisten();
      active.focus();
    }
  }

  private cells(): { recordId: string; fieldId: string; text: string }[] {
    if (this.index) return this.index;
    const hot = this.s.hot;
    const t = this.s.current;
    const out: { recordId: string; fieldId: string; text: string }[] = [];
    if (!hot || !t) return out;
    const cols: { col: number; index: number }[] = [];
    for (let c = 0; c < hot.countCols(); c++) {
      if (hot.columnIndexMapper.isHidden(hot.toPhysicalColumn(c))) continue;
      const prop = hot.colToProp(c);
      if (typeof prop === 'number') cols.push({ col: c, index: prop });
    }
    for (let r = 0; r < hot.countRows(); r++) {
      const row = this.s.rowAt(r);
      const id = row ? row.id : undefined;
      if (!row || !id) continue;
      for (const { index } of cols) {
        const field = t.fields[index];
        const text = formatCopy(field, row[index], this.s.model);
        if (text) out.push({ recordId: id, fieldId: field.id, text: searchFold(text) });
      }
    }
    this.index = out;
    return out;
  }

  /** Marks matching cells as they are drawn, and forgets the folded text when rows or cells change. */
  private hook(): void {
    const hot = this.s.hot;
    if (!hot || this.hooked === hot) return;
    this.hooked = hot;
    hot.addHook('afterRenderer', (td, row, col) => {
      if (!this.state.open || this.keys.size === 0) return;
      const r = this.s.rowAt(row);
      const f = this.s.fieldAtColumn(col);
      const id = r?.id;
      const hit = !!id && !!f && this.keys.has(`${id} ${f.id}`);
      td.classList.toggle('cell--found', hit);
      const cur = hit ? this.currentCell() : null;
      td.classList.toggle('cell--found-current', !!cur && cur.row === row && cur.col === col);
    });
    const stale = () => {
      this.index = null;
    };
    hot.addHook('afterChange', stale);
    hot.addHook('afterLoadData', stale);
    hot.addHook('afterRowSequenceChange', stale);
    hot.addHook('afterCreateRow', stale);
    hot.addHook('afterRemoveRow', stale);
  }
}
