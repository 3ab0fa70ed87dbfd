import type { ViewRecordsAsOfPage } from '@crm/contracts';
import type { FieldDefinition } from '@crm/events';
import { ref } from 'vue';
import { ApiError } from '../../../app/http';
import { viewsApi } from '../api/views.api';

/** Rows a page of the past view shows: a large view is read a page at a time, never whole. */
export const AS_OF_PAGE = 100;

export type AsOfRow = ViewRecordsAsOfPage['records'][number] & {
  mark?: 'entered' | 'changed' | 'left';
};

/** What the panel reads: the view at a moment, or (since) the view now marked against that moment. */
export interface AsOfAsk {
  viewId: string;
  /** The picked local date and time, as the date picker writes it (a bare date: that whole day). */
  date: string;
  since: boolean;
  definition: 'then' | 'now';
}

const pad = (n: number) => String(n).padStart(2, '0');
const localDay = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/**
 * The moment a picked date names, or why it names none: a bare date is the end of that day; today
 * (or a moment later today) is now; a later day is refused here, before asking the server.
 */
export function momentOf(date: string, now = new Date()): { at: string } | { refused: string } {
  const picked = new Date(date.includes('T') ? date : `${date}T23:59:59.999`);
  if (Number.isNaN(picked.getTime())) return { refused: 'That is not a date.' };
  if (picked.getTime() <= now.getTime()) return { at: picked.toISOString() };
  if (localDay(picked) === localDay(now)) return { at: now.toISOString() };
  return {
    refused: `${whenText(picked.toISOString(), false)} is in the future: the history goes up to now. Pick today or an earlier date.`,
  };
}

/** A moment in the reader's locale and time zone. */
export function whenText(iso: string, withTime = true): string {
  return new Date(iso).toLocaleString(
    undefined,
    withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' },
  );
}

/** The server's refusal of a moment, worded for the reader. */
export function refusalText(e: unknown): string {
  if (!(e instanceof ApiError)) return (e as Error).message;
  const first = e.details.first_event_at;
  if (e.reason === 'before_first_event')
    return typeof first === 'string'
      ? `The base did not exist yet then: its history starts on ${whenText(first)}. Pick that day or a later one.`
      : 'The base has no history yet: there is nothing to show as of a date.';
  if (e.reason === 'in_the_future')
    return 'That moment is in the future: the history goes up to now. Pick an earlier date.';
  return e.message;
}

/** A row's mark in "since" mode (null marks: no marks). */
function markOf(
  id: string,
  marks: { entered: Set<string>; changed: Map<string, unknown> } | null,
): AsOfRow['mark'] {
  if (!marks) return undefined;
  if (marks.entered.has(id)) return 'entered';
  return marks.changed.has(id) ? 'changed' : undefined;
}

/** What moved since a moment: the marks of the rows of the view now, and the rows that left. */
async function marksSince(viewId: string, at: string, definition: 'then' | 'now') {
  const d = await viewsApi.diffSince(viewId, at, definition);
  return {
    from: d.from.at,
    to: d.to.at,
    changed: new Map(d.changed.map((c) => [c.id, new Set(c.changes.map((x) => x.field_id))])),
    entered: new Set(d.entered.map((r) => r.id)),
    left: d.left.map((r) => ({ ...r, mark: 'left' as const })),
  };
}

/**
 * The pages of a view as of a moment. In "since" mode the rows are the view now (at the diff's
 * later moment, so both agree), those that entered or changed marked, then those that left.
 */
export function useAsOfPages() {
  const rows = ref<AsOfRow[]>([]);
  const changedCells = ref(new Map<string, Set<string>>());
  const fields = ref<FieldDefinition[]>([]);
  const at = ref('');
  const total = ref(0);
  const page = ref(0);
  const error = ref('');
  const loading = ref(false);
  let ask: AsOfAsk | null = null;
  let moment = '';
  let cursors: (string | null)[] = [null];
  let inView = 0;
  let left: AsOfRow[] = [];
  let entered = new Set<string>();
  let asked = 0;

  async function open(next: AsOfAsk) {
    const mine = ++asked;
    ask = next;
    [loading.value, error.value, rows.value, total.value, page.value] = [true, '', [], 0, 0];
    [cursors, left, entered, changedCells.value] = [[null], [], new Set(), new Map()];
    try {
      const m = momentOf(next.date);
      if ('refused' in m) throw new Error(m.refused);
      if (next.since) {
        const d = await marksSince(next.viewId, m.at, next.definition);
        if (mine !== asked) return;
        [at.value, moment, changedCells.value] = [d.from, d.to, d.changed];
        [entered, left] = [d.entered, d.left];
      } else moment = m.at;
      await show(0, mine);
    } catch (e) {
      if (mine === asked) error.value = refusalText(e);
    } finally {
      if (mine === asked) loading.value = false;
    }
  }

  /** Page `i`: the view's rows from the server (by the cursor the page before handed back), then those that left. */
  async function show(i: number, mine = asked) {
    if (!ask) return;
    const start = i * AS_OF_PAGE;
    let part: AsOfRow[] = [];
    if (i === 0 || start < inView) {
      const p = await viewsApi.recordsAsOf(ask.viewId, moment, {
        cursor: cursors[i] ?? null,
        limit: AS_OF_PAGE,
        definition: ask.definition,
      });
      if (mine !== asked) return;
      fields.value = p.fields;
      if (!ask.since) at.value = p.as_of.at;
      inView = p.total;
      cursors[i + 1] = p.next_cursor;
      const marks = ask.since ? { entered, changed: changedCells.value } : null;
      part = p.records.map((r) => ({ ...r, mark: markOf(r.id, marks) }));
    }
    const fromLeft = Math.max(0, start - inView);
    rows.value = [...part, ...left.slice(fromLeft, fromLeft + AS_OF_PAGE - part.length)];
    total.value = inView + left.length;
    page.value = i;
  }

  async function go(i: number) {
    if (i < 0 || i * AS_OF_PAGE >= total.value || loading.value) return;
    loading.value = true;
    try {
      await show(i);
    } catch (e) {
      error.value = refusalText(e);
    } finally {
      loading.value = false;
    }
  }

  return { rows, changedCells, fields, at, total, page, error, loading, open, go };
}
