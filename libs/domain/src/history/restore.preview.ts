import { liveFieldsOf, mayDiffer, restoreOfRecord, restoreOfSchema } from './restore.compare';
import type {
  RecordChange,
  RecordNow,
  RestoreContext,
  RestoreThen,
  SchemaChange,
} from './restore.decide';

export interface RestorePreviewCommand {
  /** The base as it was at the target moment. */
  then: RestoreThen;
  /**
   * Every record there is now, archived ones too, in the order they were created. Read once, front
   * to back, so it may be a stream: a record's values are read only when its version moved on.
   */
  now: Iterable<RecordNow>;
  /** Which entries of each list to keep. */
  page: { offset: number; limit: number };
}

/** What a restore would do, counted in full, with one page of each list. */
export interface RestoreSummary {
  /**
   * `changes` is what a restore writes and reports afterwards: one per compensating event (a record
   * both changed and archived is two). A table created since is listed in `schema` but stays, so it
   * is no change.
   */
  counts: {
    to_archive: number;
    to_bring_back: number;
    to_change: number;
    cells: number;
    schema: number;
    changes: number;
  };
  to_archive: { record_id: string; table_id: string }[];
  to_bring_back: { record_id: string; table_id: string }[];
  to_change: RecordChange[];
  schema: SchemaChange[];
}

/**
 * The counts and lists of decideRestore's plan, without the plan: the same comparison of each
 * record (restoreOfRecord) in the same order, but no events are built and only the requested page
 * of each list is kept, so a preview over a hundred thousand changed records holds one page.
 */
export function previewRestore(
  cmd: RestorePreviewCommand,
  ctx: Pick<RestoreContext, 'table' | 'tables' | 'viewIds' | 'view'>,
): RestoreSummary {
  const { then, page } = cmd;
  const schema = restoreOfSchema(then, ctx);
  const steps = [...schema.tables, ...schema.views];
  const changes = steps.map((s) => s.change);
  const written = steps.filter((s) => s.event).length;
  const out: RestoreSummary = {
    counts: {
      to_archive: 0,
      to_bring_back: 0,
      to_change: 0,
      cells: 0,
      schema: changes.length,
      changes: 0,
    },
    to_archive: [],
    to_bring_back: [],
    to_change: [],
    schema: changes,
  };
  const end = page.offset + page.limit;
  const inPage = (n: number) => n >= page.offset && n < end;
  const liveFields = liveFieldsOf(ctx);
  for (const now of cmd.now) {
    const was = then.records.get(now.id);
    if (!mayDiffer(was, now, schema.restoredFields)) continue;
    const r = restoreOfRecord(was, now, then, liveFields(now.table_id));
    if (r.changes.length) {
      if (inPage(out.counts.to_change))
        out.to_change.push({ record_id: now.id, table_id: now.table_id, changes: r.changes });
      out.counts.to_change++;
      out.counts.cells += r.changes.length;
    }
    if (r.flag === 'archive') {
      if (inPage(out.counts.to_archive))
        out.to_archive.push({ record_id: now.id, table_id: now.table_id });
      out.counts.to_archive++;
    } else if (r.flag === 'bring_back') {
      if (inPage(out.counts.to_bring_back))
        out.to_bring_back.push({ record_id: now.id, table_id: now.table_id });
      out.counts.to_bring_back++;
    }
  }
  out.counts.changes =
    written + out.counts.to_change + out.counts.to_archive + out.counts.to_bring_back;
  return out;
}
