import {
  amountCurrency,
  currencyCodeOf,
  currencyFieldOf,
  currencyLinkOf,
  currencyOfCell,
  isComputedType,
} from '@crm/domain';
import type { CellValue, FieldDefinition } from '@crm/events';
import {
  type RecordJson,
  type StateJson,
  type TableJson,
  type ViewJson,
} from '../api/fundraising.api';
import { type CodecContext } from './cell-codec';
import type { ListsReader } from './formulas';
import { inCurrency } from './number-text';
import type { Person } from './people';

export interface RecordMeta {
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

/**
 * One grid row: the cell values by the field's physical index (the array Handsontable renders),
 * with the record id and its stamps riding along as properties.
 */
export type GridRow = CellValue[] & { id: string; meta: RecordMeta };

export interface TableModel {
  id: string;
  name: string;
  role: string | null;
  primary_field_id: string;
  /** Physical order: a row holds field i's value at index i. */
  fields: FieldDefinition[];
  /** Column order (field ids) and widths, from the table's default view. */
  order: string[];
  widths: Record<string, number>;
  view: ViewJson | null;
  rows: GridRow[];
}

const COMPUTED_SOURCE: Record<string, keyof RecordMeta> = {
  created_time: 'created_at',
  last_modified_time: 'updated_at',
  created_by: 'created_by',
  last_modified_by: 'updated_by',
};

/**
 * The loaded base as plain arrays, built once per load: Vue never watches it (100,000 rows would
 * drown the reactivity system); the grid renders from it and live events patch it in place.
 */
export class BaseModel implements CodecContext {
  version = 0;
  tables: TableModel[] = [];
  private readonly byRecord = new Map<string, { table: TableModel; row: GridRow }>();
  private readonly byTable = new Map<string, TableModel>();
  readonly actors = new Map<string, string>();
  /** The team, for people fields (disabled members included, shown greyed). */
  readonly people = new Map<string, Person>();
  /** Each record's lists for formulas reading `{Lists}` (null while they are not read yet). */
  listsOf: ListsReader = () => null;
  /** Per table: lower-cased primary text → record ids, built on first use for pasting link names. */
  private nameIndex = new Map<string, Map<string, string[]>>();
  /** Currency fields as a row's currency makes them (see fieldForRow). */
  private readonly rowFields = new WeakMap<FieldDefinition, Map<string | null, FieldDefinition>>();

  load(state: StateJson): void {
    this.version = state.version;
    this.byRecord.clear();
    this.byTable.clear();
    this.nameIndex.clear();
    const ordered = [...state.tables].sort((a, b) =>
      a.role === 'investors' ? -1 : b.role === 'investors' ? 1 : 0,
    );
    this.tables = ordered.map((t) =>
      this.tableOf(
        t,
        state.views.find((v) => v.table_id === t.id && v.config?.default) ??
          state.views.find((v) => v.table_id === t.id) ??
          null,
      ),
    );
    for (const t of this.tables) this.byTable.set(t.id, t);
  }

  private tableOf(t: TableJson, view: ViewJson | null): TableModel {
    const fields = t.fields;
    const known = new Set(fields.map((f) => f.id));
    const fromView = (view?.config?.field_order ?? []).filter((id) => known.has(id));
    const order = [...fromView, ...fields.map((f) => f.id).filter((id) => !fromView.includes(id))];
    // The primary field always leads, as in every spreadsheet-like base.
    const primaryFirst = [t.primary_field_id, ...order.filter((id) => id !== t.primary_field_id)];
    const table: TableModel = {
      id: t.id,
      name: t.name,
      role: t.role,
      primary_field_id: t.primary_field_id,
      fields,
      order: primaryFirst,
      widths: { ...(view?.config?.field_widths ?? {}) },
      view,
      rows: [],
    };
    const rows = new Array<GridRow>(t.records.length);
    for (let i = 0; i < t.records.length; i++) rows[i] = this.rowOf(table, t.records[i]);
    table.rows = rows;
    return table;
  }

  rowOf(table: TableModel, r: Pick<RecordJson, 'id' | 'values'> & Partial<RecordMeta>): GridRow {
    const row = new Array(table.fields.length) as GridRow;
    const fields = table.fields;
    for (let i = 0; i < fields.length; i++)
      row[i] = r.values[fields[i].id] ?? (fields[i].type === 'checkbox' ? false : null);
    row.id = r.id;
    row.meta = {
      created_at: r.created_at ?? '',
      created_by: r.created_by ?? '',
      updated_at: r.updated_at ?? '',
      updated_by: r.updated_by ?? '',
    };
    this.fillComputed(table, row);
    this.byRecord.set(r.id, { table, row });
    return row;
  }

  /** Created/modified time and by come from the record's stamps, not from stored values. */
  fillComputed(table: TableModel, row: GridRow): void {
    const fields = table.fields;
    for (let i = 0; i < fields.length; i++) {
      const src = COMPUTED_SOURCE[fields[i].type];
      if (src) row[i] = row.meta[src] || null;
    }
  }

  /** Registers a row Handsontable created (typing past the end, pasting) or that a live event brought. */
  register(table: TableModel, row: GridRow): void {
    this.byRecord.set(row.id, { table, row });
    this.nameIndex.delete(table.id);
  }

  unregister(recordId: string): void {
    const hit = this.byRecord.get(recordId);
    if (hit) this.nameIndex.delete(hit.table.id);
    this.byRecord.delete(recordId);
  }

  table(id: string): TableModel | undefined {
    return this.byTable.get(id);
  }

  record(id: string): { table: TableModel; row: GridRow } | undefined {
    return this.byRecord.get(id);
  }

  fieldIndex(table: TableModel, fieldId: string): number {
    return table.fields.findIndex((f) => f.id === fieldId);
  }

  /** The currency of a row's amount in a currency field: its own, or its linked fund's. */
  rowCurrency(table: TableModel, row: GridRow, field: FieldDefinition): string | null {
    if (field.type === 'rollup') return this.rollupCurrency(table, row, field);
    const via = currencyLinkOf(field);
    return amountCurrency(field, via ? row[this.fieldIndex(table, via)] : null, (id) => {
      const hit = this.record(id);
      const holder = hit && currencyFieldOf(hit.table.fields);
      return holder ? currencyOfCell(hit.row[hit.table.fields.indexOf(holder)]) : null;
    });
  }

  /**
   * A total of amounts each in its fund's currency (an investor's Committed amount) is in theirs
   * when they share one; the server refuses a total over several, so null (no currency) is rare.
   */
  private rollupCurrency(table: TableModel, row: GridRow, field: FieldDefinition): string | null {
    const own = currencyCodeOf(field.options);
    const link = table.fields.find((f) => f.id === field.options.link_field_id);
    const linked = link && this.table(String(link.options.table_id));
    const target = linked?.fields.find((f) => f.id === field.options.target_field_id);
    const ids = link ? row[table.fields.indexOf(link)] : null;
    if (!linked || !target || !currencyLinkOf(target) || !Array.isArray(ids)) return own;
    const codes = new Set<string | null>();
    for (const id of ids) {
      const hit = typeof id === 'string' ? this.record(id) : undefined;
      if (hit && typeof hit.row[linked.fields.indexOf(target)] === 'number')
        codes.add(this.rowCurrency(linked, hit.row, target));
    }
    return codes.size === 0 ? own : codes.size === 1 ? [...codes][0] : null;
  }

  /**
   * The field as a row's cell of it reads and shows: a currency field taking its currency from a
   * link (a commitment's Fund) in that row's currency; no currency at all when its funds disagree.
   */
  fieldForRow(table: TableModel, row: GridRow, field: FieldDefinition): FieldDefinition {
    if (
      !currencyLinkOf(field) &&
      !(field.type === 'rollup' && field.options.display === 'currency')
    )
      return field;
    const code = this.rowCurrency(table, row, field);
    // Kept per field and currency: a grid draws thousands of cells and each would make its own.
    let byCode = this.rowFields.get(field);
    if (!byCode) this.rowFields.set(field, (byCode = new Map()));
    let shown = byCode.get(code);
    if (!shown) byCode.set(code, (shown = inCurrency(field, code)));
    return shown;
  }

  isEditable(field: FieldDefinition): boolean {
    return !isComputedType(field.type);
  }

  // ---- CodecContext ----

  recordName(recordId: string): string | undefined {
    const hit = this.byRecord.get(recordId);
    if (!hit) return undefined;
    const i = this.fieldIndex(hit.table, hit.table.primary_field_id);
    const v = hit.row[i];
    return v === null || v === undefined ? '' : String(v);
  }

  findByName(tableId: string, name: string): string[] {
    let index = this.nameIndex.get(tableId);
    const table = this.byTable.get(tableId);
    if (!table) return [];
    if (!index) {
      index = new Map();
      const p = this.fieldIndex(table, table.primary_field_id);
      for (const row of table.rows) {
        const k = String(row[p] ?? '')
          .trim()
          .toLowerCase();
        if (!k) continue;
        const list = index.get(k);
        if (list) list.push(row.id);
        else index.set(k, [row.id]);
      }
      this.nameIndex.set(tableId, index);
    }
    return index.get(name.trim().toLowerCase()) ?? [];
  }

  /** Names of linked-record cells change when a primary field changes; the index is rebuilt lazily. */
  invalidateNames(tableId: string): void {
    this.nameIndex.delete(tableId);
  }

  findPerson(nameOrEmail: string): string | undefined {
    const key = nameOrEmail.trim().toLowerCase();
    const hits = [...this.people.values()].filter(
      (p) => p.name.trim().toLowerCase() === key || p.email.toLowerCase() === key,
    );
    return hits.length === 1 ? hits[0].id : undefined;
  }

  actorName(actorId: string): string {
    if (!actorId) return '';
    return this.actors.get(actorId) ?? (actorId === 'system' ? 'System' : 'a teammate');
  }
}
