import { type ImportCommitResult, type ImportProgress, type TableState } from '@crm/domain';
import { newId } from '../../infrastructure/clock';
import { type Actor } from '../../infrastructure/request-context/actor';
import { type CsvEncoding } from './csv/decode-text';
import { type ParsedCsv } from './csv/read-csv';
import { checkMergeFields } from './import-checks';
import { type ColumnInfo, DEFAULT_IMPORT_OPTIONS, defaultMapping } from './import-mapping';
import { type StartImport } from './import-sessions.service';
import { type ImportSessionRow } from './imports.repository';

/** A session as an upload starts it: the default mapping of the guessed columns, not yet planned. */
export function newSessionRow(s: {
  id: string;
  input: StartImport;
  csv: ParsedCsv;
  encoding: CsvEncoding;
  columns: ColumnInfo[];
  existing: TableState | null;
  actor: Actor;
  now: string;
}): ImportSessionRow {
  const { id, input, csv, existing, now } = s;
  return {
    id,
    status: 'planned',
    file_name: input.file_name,
    file_bytes: input.bytes.length,
    encoding: s.encoding,
    delimiter: csv.delimiter,
    table_id: existing?.id ?? newId('tbl'),
    new_table_name: input.new_table_name?.trim() ?? null,
    new_view_id: existing ? null : newId('viw'),
    header: csv.header,
    row_count: csv.rows.length,
    columns: s.columns,
    mapping: defaultMapping(s.columns, existing, () => newId('fld')),
    merge_fields: checkMergeFields(input.merge_fields ?? [], csv.header),
    options: { ...DEFAULT_IMPORT_OPTIONS },
    plan: null,
    plan_fingerprint: null,
    base_version: null,
    result: null,
    correlation_id: null,
    created_at: now,
    created_by: s.actor.id,
    updated_at: now,
  };
}

export const committedProgress = (r: ImportCommitResult): ImportProgress => ({
  phase: 'committed',
  done: r.created + r.updated,
  total: r.created + r.updated,
});

/** Sets an entry as the map's newest and keeps only the newest `max` (insertion order). */
export function keepNewest<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) map.delete(map.keys().next().value as K);
}
