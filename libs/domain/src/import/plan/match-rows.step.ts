import { type CellValue, type FieldDefinition } from '@crm/events';
import { cellValue, type RecordState } from '../../record/record.state';
import { keyPart, mergeKey } from '../merge-key';
import { type ImportIssue } from '../plan-import.types';
import { guardAltAt, type PlanRows, rowError } from './plan-rows';

export interface MatchedRows {
  /** Per row: the id of the record it updates, or null (it creates one, or has an error). */
  rowRecord: (string | null)[];
  /** Per part of a key of several: how many rows leave it empty. */
  warnings: ImportIssue[];
}

/**
 * Step 5: match rows to the table's records by the merge key. A row with no key, with the key of an
 * earlier row, or matching several records is an error; with no merge key every row creates one.
 */
export function matchRows(
  rows: PlanRows,
  fields: readonly FieldDefinition[],
  keyCols: readonly number[],
  records: readonly RecordState[],
): MatchedRows {
  const rowRecord = new Array<string | null>(rows.values.length).fill(null);
  if (keyCols.length === 0) return { rowRecord, warnings: [] };
  const keyFields = keyCols.map((k) => fields[k]);
  const existing = new Map<string, string | null>();
  for (const rec of records) {
    const key = mergeKey(
      keyFields,
      keyFields.map((f) => cellValue(rec, f)),
    );
    if (key !== null) existing.set(key, existing.has(key) ? null : rec.id);
  }
  const matcher: Matcher = {
    rows,
    keyCols,
    keyFields,
    keyName: keyCols.map((k) => rows.mapped[k].name).join(', '),
    existing,
    seen: new Map(),
    emptyParts: keyCols.map(() => 0),
  };
  for (let r = 0; r < rows.values.length; r++) rowRecord[r] = matchRow(matcher, r);
  const warnings = matcher.emptyParts.flatMap((count, n) => {
    if (count === 0) return [];
    const column = rows.mapped[keyCols[n]].name;
    return [
      {
        line: null,
        column,
        message: `${count} row(s) have no ${column}, a part of the merge key (${matcher.keyName}): each matches only a record whose ${column} is empty too`,
      },
    ];
  });
  return { rowRecord, warnings };
}

interface Matcher {
  rows: PlanRows;
  keyCols: readonly number[];
  keyFields: FieldDefinition[];
  keyName: string;
  /** The table's records by key; null for a key several of them share. */
  existing: Map<string, string | null>;
  /** The line of the first row with each key. */
  seen: Map<string, number>;
  emptyParts: number[];
}

function matchRow(m: Matcher, r: number): string | null {
  const { rows, keyCols, keyFields, keyName } = m;
  const vals = rows.values[r];
  if (!vals || rows.bad[r]) return null;
  let key = mergeKey(
    keyFields,
    keyCols.map((k) => vals[k] as CellValue),
  );
  // A key written with the formula guard matches the record that holds it without the apostrophe
  // (as the text of a cell does): the export guards a text that starts with one, so `''=x` is `'=x`.
  if (rows.guardAlt.size !== 0) {
    const unguarded = mergeKey(
      keyFields,
      keyCols.map((k) => (guardAltAt(rows, r, k) ?? vals[k]) as CellValue),
    );
    if (unguarded !== null && m.existing.has(unguarded)) key = unguarded;
  }
  if (key === null) {
    const which = keyCols.length === 1 ? 'the merge key' : 'every part of the merge key';
    const message = `${which} (${keyName}) is empty, so the row could never be matched again`;
    rowError(rows, r, keyName, message);
    return null;
  }
  if (keyCols.length > 1) {
    for (const [n, k] of keyCols.entries())
      if (keyPart(keyFields[n], vals[k] as CellValue) === null) m.emptyParts[n]++;
  }
  const first = m.seen.get(key);
  if (first !== undefined) {
    rowError(rows, r, keyName, `the same merge key (${keyName}) as line ${first}`);
    return null;
  }
  m.seen.set(key, rows.input.rows[r].line);
  const match = m.existing.get(key);
  if (match === null)
    rowError(
      rows,
      r,
      keyName,
      `matches several records of the table by ${keyName}; make the key unique first`,
    );
  return match ?? null;
}
