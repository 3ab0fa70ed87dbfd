import { type FieldDefinition } from '@crm/events';
import { formatCellText } from '../export/format-cell';
import { type RecordState } from '../record/record.state';
import { type TableState } from '../table/table.state';

/** The records of a linked table, found by the text of their primary field (the way Airtable links by name). */
export interface LinkDirectory {
  table_id: string;
  table_name: string;
  /** Records whose primary text is exactly `name`; else, ignoring case and surrounding spaces. */
  find(name: string): string[];
  has(recordId: string): boolean;
}

const fold = (s: string) => s.normalize('NFC').trim().toLowerCase();
const RECORD_ID = /^rec[0-9A-Za-z]{14}$/;

/** What a directory reads of a record: its id, table, whether archived, and its primary cell. */
export type NamedRecord = Pick<RecordState, 'id' | 'table_id' | 'archived' | 'values'>;

export function buildLinkDirectory(
  table: TableState,
  records: Iterable<NamedRecord>,
  actorName: (id: string) => string = (id) => id,
): LinkDirectory {
  const primary = table.fields.find((f) => f.id === table.primary_field_id) as FieldDefinition;
  const exact = new Map<string, string[]>();
  const folded = new Map<string, string[]>();
  const ids = new Set<string>();
  const add = (map: Map<string, string[]>, key: string, id: string) => {
    const list = map.get(key);
    if (list) list.push(id);
    else map.set(key, [id]);
  };
  for (const r of records) {
    if (r.archived || r.table_id !== table.id) continue;
    ids.add(r.id);
    const text = primary
      ? formatCellText(primary, r.values[primary.id], { linkText: () => undefined, actorName })
      : '';
    if (text === '') continue;
    add(exact, text, r.id);
    add(folded, fold(text), r.id);
  }
  return {
    table_id: table.id,
    table_name: table.name,
    find(name) {
      const hit = exact.get(name) ?? exact.get(name.normalize('NFC')) ?? folded.get(fold(name));
      if (hit) return hit;
      // An export writes a record's id when its name is empty or shared: take the id back.
      return RECORD_ID.test(name) && ids.has(name) ? [name] : [];
    },
    has: (id) => ids.has(id),
  };
}
