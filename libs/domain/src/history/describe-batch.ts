import type { ActivityBatch } from './history.view';

/** What the feed knows of a batch without reading its events one by one. */
export interface BatchFacts {
  source: string;
  causation_id: string | null;
  /** Per event type: how many events, and on how many records. */
  types: Record<string, { events: number; records: number }>;
  /** Cells changed by the batch's record updates. */
  cells: number;
  /** The file an import read, from the provenance of its events. */
  file_name: string | null;
  /** For a restore to a moment: that moment (ISO). */
  restored_to: string | null;
  /** Sentences for the batch's other events (schema, views), a few at most. */
  others: string[];
}

const count = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** The kind of a batch, from who wrote it and why. */
export function batchKind(source: string, causationId: string | null): ActivityBatch['kind'] {
  const cause = causationId ?? '';
  if (cause.startsWith('undo:')) return 'undo';
  if (source === 'import') return 'import';
  if (source === 'automation') return 'automation';
  if (source === 'restore')
    return /"(correlation_id|actor_id)"/.test(cause) ? 'rollback' : 'restore';
  return 'edit';
}

/**
 * One line for a batch: "imported 1,825 records from "Investors.csv"", "restored the base to …
 * (changed 40 cells in 10 records)", "changed 40 cells in 10 records". The detail is the part
 * after the lead, for a reader that writes the lead itself (the app shows a restore's moment in
 * the reader's time zone).
 */
export function describeBatch(f: BatchFacts): {
  kind: ActivityBatch['kind'];
  detail: string;
  summary: string;
} {
  const kind = batchKind(f.source, f.causation_id);
  const t = (type: string) => f.types[type] ?? { events: 0, records: 0 };
  const parts: string[] = [];
  const created = t('RecordCreated').records;
  const updated = t('RecordUpdated').records;
  if (created)
    parts.push(`${kind === 'import' ? 'imported' : 'created'} ${count(created, 'record')}`);
  if (updated)
    parts.push(
      kind === 'import'
        ? `updated ${count(updated, 'record')}`
        : `changed ${count(f.cells, 'cell')} in ${count(updated, 'record')}`,
    );
  if (t('RecordArchived').records)
    parts.push(`archived ${count(t('RecordArchived').records, 'record')}`);
  if (t('RecordUnarchived').records)
    parts.push(`brought back ${count(t('RecordUnarchived').records, 'record')}`);
  const shown = f.others.slice(0, 2);
  const otherEvents = Object.entries(f.types)
    .filter(([type]) => !type.startsWith('Record'))
    .reduce((n, [, c]) => n + c.events, 0);
  parts.push(...shown);
  if (otherEvents > shown.length) parts.push(count(otherEvents - shown.length, 'more change'));
  const detail = parts.join(', ');
  const inBrackets = detail ? ` (${detail})` : '';
  switch (kind) {
    case 'import':
      return { kind, detail, summary: f.file_name ? `${detail} from "${f.file_name}"` : detail };
    case 'restore':
      return {
        kind,
        detail,
        summary: `restored the base to ${f.restored_to ?? 'an earlier moment'}${inBrackets}`,
      };
    case 'rollback':
      return {
        kind,
        detail,
        summary: `rolled back ${/"actor_id"/.test(f.causation_id ?? '') ? "one person's edits" : 'a batch'}${inBrackets}`,
      };
    case 'undo':
      return { kind, detail, summary: `undid a batch${inBrackets}` };
    case 'automation':
      return { kind, detail, summary: `ran an automation${inBrackets}` };
    default:
      return { kind, detail, summary: detail };
  }
}
