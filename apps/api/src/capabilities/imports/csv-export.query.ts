import {
  isDerivedType,
  applyView,
  csvCellText,
  csvRow,
  formatCellText,
  type FormatContext,
  guardFormula,
  joinAirtableList,
  notFound,
  type RecordState,
  type RowAccess,
  type TableState,
  type ViewState,
} from '@crm/domain';
import { type CellValue, type FieldDefinition } from '@crm/events';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { BaseAccess } from './base-access';
import { openSnapshotReader } from '../../infrastructure/database/database';
import { FundraisingRepository } from '../fundraising';

export interface CsvExport {
  file_name: string;
  /** Pieces of the file, written one after another (UTF-8 with a byte-order mark first), made as they are asked for. */
  chunks: AsyncIterable<string>;
  version: number;
  rows: number;
}

const ROWS_PER_CHUNK = 1000;
const RECORDS_PER_READ = 5000;

/** Fields in the order the view shows them: its saved order first, the primary field leading, hidden ones left out. */
export function viewFields(table: TableState, view: ViewState | null): FieldDefinition[] {
  const known = new Map(table.fields.map((f) => [f.id, f]));
  const config = (view?.config ?? {}) as { field_order?: unknown; hidden_fields?: unknown };
  const saved = Array.isArray(config.field_order)
    ? (config.field_order as unknown[]).filter(
        (id): id is string => typeof id === 'string' && known.has(id),
      )
    : [];
  const order = [...new Set([table.primary_field_id, ...saved, ...table.fields.map((f) => f.id)])];
  const hidden = new Set(
    Array.isArray(config.hidden_fields)
      ? (config.hidden_fields as unknown[]).filter(
          (x): x is string => typeof x === 'string' && x !== table.primary_field_id,
        )
      : [],
  );
  return order.filter((id) => !hidden.has(id)).map((id) => known.get(id)!);
}

/** What a computed field shows for a record (the grid fills these from the record's stamps). */
function valueOf(r: RecordState, f: FieldDefinition): CellValue | undefined {
  switch (f.type) {
    case 'created_time':
      return r.created_at;
    case 'last_modified_time':
      return r.updated_at;
    case 'created_by':
      return r.created_by;
    case 'last_modified_by':
      return r.updated_by;
    case 'formula':
    case 'lookup':
    case 'rollup':
    case 'count':
      return (r.computed?.[f.id] ?? null) as CellValue;
    default:
      return r.values[f.id];
  }
}

/** A formula's result as its result type is written (an error as Airtable writes one); text is guarded. */
function formulaCellText(
  f: FieldDefinition,
  value: CellValue | undefined,
  ctx: FormatContext,
): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object' && !Array.isArray(value)) return '#ERROR!';
  switch (f.options.result_type) {
    case 'number':
      return typeof value === 'number'
        ? csvCellText(
            { ...f, type: 'number', options: { precision: f.options.precision ?? 0 } },
            value,
            ctx,
          )
        : guardFormula(String(value));
    case 'date':
      return typeof value === 'string' ? value : '';
    // 1 or 0, as Airtable writes a true/false formula (true/false stored before 1/0 too).
    case 'boolean':
      return value === true || value === 1 ? '1' : '0';
    case 'array':
      return guardFormula(joinAirtableList((value as unknown[]).map((x) => String(x))));
    default:
      return guardFormula(String(value));
  }
}

const cellText = (f: FieldDefinition, value: CellValue | undefined, ctx: FormatContext) =>
  isDerivedType(f.type) ? formulaCellText(f, value, ctx) : csvCellText(f, value, ctx);

/**
 * A table as one of its views shows it (its fields, filters and sorts), as RFC 4180 CSV (csvRow: CRLF
 * line ends; fields quoted when they hold a quote, a line break, a delimiter or white space at an
 * end), values written like the grid's copy (they import back unchanged), and the formula guard on
 * text. Read in one snapshot, so the file is one moment: on a connection of its own, so that the
 * reading and the writing pause between pages and other requests are answered meanwhile (100,000
 * records take over a second).
 */
export async function exportCsv(
  base: BaseAccess,
  target: { table_id: string } | { view_id: string },
  me?: string,
  timeZone?: string | null,
): Promise<CsvExport> {
  const reader = openSnapshotReader(base.db);
  let snapshot: Snapshot;
  try {
    snapshot = await readSnapshot(base, reader, target, me, timeZone);
  } finally {
    reader.close();
  }
  const { table, view, shownBy, fields, records, ctx, version } = snapshot;
  async function* chunks(): AsyncGenerator<string> {
    yield `\uFEFF${csvRow(fields.map((f) => guardFormula(f.name)))}`;
    for (let i = 0; i < records.length; i += ROWS_PER_CHUNK) {
      if (i > 0) await nextTurn();
      let piece = '';
      for (const r of records.slice(i, i + ROWS_PER_CHUNK))
        piece += csvRow(fields.map((f) => cellText(f, valueOf(r, f), ctx)));
      yield piece;
    }
  }
  const name =
    (shownBy && view ? `${table.name} - ${view.name}` : table.name)
      .replace(/[^\p{L}\p{N} ._-]+/gu, '_')
      .slice(0, 120) || 'export';
  return { file_name: `${name}.csv`, chunks: chunks(), version, rows: records.length };
}

interface Snapshot {
  table: TableState;
  view: ViewState | null;
  shownBy: ViewState | null;
  fields: FieldDefinition[];
  records: RecordState[];
  ctx: FormatContext;
  version: number;
}

/** Everything the file shows, read on the snapshot connection at one log position. */
async function readSnapshot(
  base: BaseAccess,
  reader: BaseAccess['db'],
  target: { table_id: string } | { view_id: string },
  me: string | undefined,
  timeZone?: string | null,
): Promise<Snapshot> {
  const repo = new FundraisingRepository(reader);
  // The first read fixes the moment the rest sees.
  const version = reader
    .prepare('SELECT COALESCE(MAX(position), 0) FROM events')
    .pluck()
    .get() as number;
  const view = 'view_id' in target ? (repo.view(target.view_id) ?? null) : null;
  if ('view_id' in target && !view)
    throw notFound(`view ${target.view_id} does not exist`, {
      field: 'view_id',
      given: target.view_id,
    });
  const tableId = view ? view.table_id : (target as { table_id: string }).table_id;
  const table = repo.table(tableId);
  if (!table)
    throw notFound(`table ${tableId} does not exist`, { field: 'table_id', given: tableId });
  const shownBy = view ?? defaultViewOf(repo, table.id);
  const fields = viewFields(table, shownBy);
  const live: RecordState[] = [];
  for (let after = -1; ;) {
    const page = repo.liveRecordsPage(table.id, after, RECORDS_PER_READ);
    for (const r of page.records) live.push(r);
    if (page.records.length < RECORDS_PER_READ) break;
    after = page.last_seq;
    await nextTurn();
  }
  const ctx = formatContext(base, repo, fields, table, live);
  // The view's filters and sorts, by the same domain code the grid runs.
  // Read through valueOf, so that filters and sorts on formula fields see their values.
  const records = shownBy
    ? applyView<RecordState>(
        live,
        table.fields,
        shownBy.config,
        { value: valueOf } as RowAccess<RecordState>,
        {
          now: Date.parse(base.clock.now()),
          timeZone,
          me,
          personName: (id) => ctx.actorName(id),
          recordName: (id) => ctx.linkText(id),
        },
      )
    : live;
  return { table, view, shownBy, fields, records, ctx, version };
}

/**
 * The view flagged as the table's default, or none: another view (a filtered one, or someone's
 * personal one) would quietly leave records and fields out of "the table", so without a default
 * the whole table is written.
 */
function defaultViewOf(repo: FundraisingRepository, tableId: string): ViewState | null {
  const views = repo
    .viewIds()
    .map((id) => repo.view(id)!)
    .filter((v) => v && v.table_id === tableId);
  return views.find((v) => (v.config as { default?: unknown }).default === true) ?? null;
}

/**
 * Linked records are written by name; a name that is empty or shared by several records of the linked
 * table is written as the record's id instead, which the import reads back, so links survive.
 */
function formatContext(
  base: BaseAccess,
  repo: FundraisingRepository,
  fields: FieldDefinition[],
  table: TableState,
  records: RecordState[],
): FormatContext {
  const actorName = (id: string) =>
    id === 'system' ? 'System' : (base.users.user(id)?.name ?? id);
  const names = new Map<string, string>();
  const targets = new Set(
    fields.filter((f) => f.type === 'link').map((f) => String(f.options.table_id)),
  );
  for (const tid of targets) {
    const t = tid === table.id ? table : repo.table(tid);
    if (!t) continue;
    const primary = t.fields.find((f) => f.id === t.primary_field_id)!;
    const plain: FormatContext = { linkText: () => undefined, actorName };
    const list = tid === table.id ? records : [...repo.recordsOf(tid)].filter((r) => !r.archived);
    const text = new Map(
      list.map((r) => [r.id, formatCellText(primary, r.values[primary.id], plain)]),
    );
    const count = new Map<string, number>();
    for (const v of text.values())
      count.set(v.trim().toLowerCase(), (count.get(v.trim().toLowerCase()) ?? 0) + 1);
    for (const [id, v] of text)
      names.set(id, v.trim() === '' || count.get(v.trim().toLowerCase())! > 1 ? id : v);
  }
  return { linkText: (id) => names.get(id), actorName };
}
