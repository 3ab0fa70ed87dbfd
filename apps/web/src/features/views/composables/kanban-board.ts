import type { Conflict } from '@crm/contracts';
import {
  applyView,
  type KanbanSettings,
  placeCard,
  sortByRank,
  type ViewEvalContext,
} from '@crm/domain';
import type { CellValue, FieldDefinition } from '@crm/events';
import { post } from '../../../app/http';
import { fundraisingApi } from '../../fundraising/api/fundraising.api';
import type { GridRow, TableModel } from '../../fundraising/composables/base-model';
import type { GridSession } from '../../fundraising/composables/grid-session';
import type { SavedView } from '../api/views.api';
import { gridRowAccess, readerZone } from '../view-engine';

export interface BoardColumn {
  /** The choice, or null for records without one ("No stage"). */
  value: string | null;
  label: string;
  cards: GridRow[];
}

const choicesOf = (f: FieldDefinition) =>
  ((f.options.choices as { name: string }[] | undefined) ?? []).map((c) => c.name);

/**
 * A board over a single-select field: one column per choice (records without one first, under "No
 * <field>"), cards in the order the server gives them (view filters, then rank keys, then the view's
 * sort), computed with the same domain code over the rows the grid holds. `ctx` and `filters` are
 * the grid's: the reader for "me", people's names and lists for sorts, a list tab's condition.
 */
export function boardColumns(
  t: TableModel,
  view: SavedView,
  ctx: ViewEvalContext,
  filters: unknown = view.filters,
): BoardColumn[] {
  const kanban = view.kanban as KanbanSettings;
  const field = t.fields.find((f) => f.id === kanban.field_id);
  if (!field) return [];
  const at = t.fields.indexOf(field);
  const rows = applyView(
    t.rows,
    t.fields,
    { filters, sorts: view.sorts, group_by: [{ field_id: field.id, direction: 'asc' }] },
    gridRowAccess(t),
    ctx,
  );
  const choices = choicesOf(field);
  const columns: BoardColumn[] = [
    { value: null, label: `No ${field.name.toLowerCase()}`, cards: [] },
    ...choices.map((c) => ({ value: c, label: c, cards: [] as GridRow[] })),
  ];
  const byValue = new Map(columns.map((c) => [c.value, c]));
  for (const row of rows) {
    const v = row[at];
    (byValue.get(typeof v === 'string' && byValue.has(v) ? v : null) as BoardColumn).cards.push(
      row,
    );
  }
  const ranks = kanban.ranks ?? {};
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const c of columns)
    c.cards = sortByRank(
      c.cards.map((r) => r.id),
      ranks,
    ).map((id) => byId.get(id)!);
  return columns;
}

/** A board's requests go one after another, so the server places cards in the order they were moved. */
let queue: Promise<unknown> = Promise.resolve();
function inTurn<T>(work: () => Promise<T>): Promise<T> {
  const next = queue.then(work, work);
  queue = next.catch(() => undefined);
  return next;
}

export type MoveOutcome =
  { ok: true } | { ok: false; conflict: Conflict } | { ok: false; error: string };

/**
 * Moves a card: to another column by a compare-and-set edit of the field (what the card showed →
 * the new choice), then to its place in the column by a rank key. The rows and ranks change at
 * once; a conflict puts the card back where the current value says.
 */
export async function moveCard(
  s: GridSession,
  t: TableModel,
  view: SavedView,
  row: GridRow,
  to: BoardColumn,
  index: number,
): Promise<MoveOutcome> {
  const kanban = view.kanban as KanbanSettings;
  const at = t.fields.findIndex((f) => f.id === kanban.field_id);
  const from = (row[at] ?? null) as CellValue;
  const others = to.cards.filter((r) => r !== row);
  const after = index > 0 ? (others[Math.min(index, others.length) - 1]?.id ?? null) : null;
  const previousRanks = kanban.ranks ?? {};
  kanban.ranks = {
    ...previousRanks,
    ...placeCard(
      others.map((r) => r.id),
      previousRanks,
      row.id,
      Math.min(index, others.length),
    ),
  };
  // Held from the card's move on screen until the server's answer: the live events of earlier
  // moves (their answers come while this one waits its turn) would put the card back.
  const release = from !== to.value ? s.queue.hold(row.id, kanban.field_id) : () => undefined;
  if (from !== to.value) row[at] = to.value;
  return inTurn(async (): Promise<MoveOutcome> => {
    if (from !== to.value) {
      try {
        const res = await fundraisingApi.changes(
          [{ op: 'set', record_id: row.id, field_id: kanban.field_id, from, to: to.value }],
          crypto.randomUUID(),
        );
        s.remote.confirm(res);
        const conflict = res.conflicts[0];
        if (conflict) {
          row[at] = conflict.current;
          kanban.ranks = previousRanks;
          s.render();
          return { ok: false, conflict };
        }
      } catch (e) {
        row[at] = from;
        kanban.ranks = previousRanks;
        return { ok: false, error: e instanceof Error ? e.message : String(e) };
      } finally {
        release();
      }
      s.render();
    }
    try {
      await post(
        `/api/fundraising/views/${encodeURIComponent(view.id)}/cards/${encodeURIComponent(row.id)}/move?tz=${encodeURIComponent(readerZone())}`,
        { after_record_id: after },
      );
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
    return { ok: true };
  });
}
