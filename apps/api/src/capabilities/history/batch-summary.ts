import { type BatchTypeRow } from './activity-batches.repository';
import { type FeedFilter } from './log.repository';

/** A batch's events as the feed shows them: one entry for the run that ends at `last`. */
export interface BatchRun {
  first: number;
  last: number;
  events: number;
  /** Per type, from the summaries (null: read them from the log). */
  types: { type: string; events: number; records: number; cells: number }[] | null;
  file_name: string | null;
  /** Where the kept events that are not record events lie, for the few the entry names. */
  others: { first: number; last: number } | null;
}

/**
 * The run of a batch from its summary rows, when they answer for the filter: nothing else was
 * written between the batch's first and last events, and `last` is the last event the filter keeps.
 * A filter by actor or record, or a type a member sees only on their own account's stream, is
 * answered from the log instead (null).
 */
export function runFromSummary(
  rows: readonly BatchTypeRow[],
  last: number,
  f: FeedFilter,
): BatchRun | null {
  if (rows.length === 0 || f.actor_id || f.record_id) return null;
  const all = span(rows);
  if (all.last - all.first + 1 !== all.events) return null;
  const kept = f.types?.length ? rows.filter((r) => f.types!.includes(r.type)) : rows;
  if (kept.length === 0 || (f.scope && kept.some((r) => !f.scope!.types.includes(r.type))))
    return null;
  const run = span(kept);
  if (run.last !== last) return null;
  const others = kept.filter((r) => !r.type.startsWith('Record'));
  return {
    ...run,
    types: kept.map(({ type, events, records, cells }) => ({ type, events, records, cells })),
    file_name: rows.find((r) => r.file_name !== null)?.file_name ?? null,
    others: others.length ? span(others) : null,
  };
}

function span(rows: readonly BatchTypeRow[]): { first: number; last: number; events: number } {
  return {
    first: Math.min(...rows.map((r) => r.first_position)),
    last: Math.max(...rows.map((r) => r.last_position)),
    events: rows.reduce((n, r) => n + r.events, 0),
  };
}
