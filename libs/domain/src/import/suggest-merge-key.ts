import { type FieldDefinition } from '@crm/events';
import { DomainError } from '../errors';
import { cellValue, type RecordState } from '../record/record.state';
import { normalizeCell } from '../values/normalize';
import { keyPart, UNSUITABLE_KEY_TYPES } from './merge-key';
import { parseImportCell } from './parse-cell';
import { type ImportRow, type PlanColumn } from './plan-import';

export interface MergeKeySuggestion {
  columns: string[];
  /** Rows of the file whose key matches a record of the table. */
  matches: number;
  reason: string;
}

const HINT = /(^|[\s_-])(id|e-?mail|key|code|ticker|domain|website|url)($|[\s_-])/i;

/**
 * A column, or failing that a pair, whose values are present and different in every row of the file
 * (and in every record of the table): the merge key to propose when none was given. Among those it
 * prefers the one that matches the most existing records, then the primary field, then an email.
 */
export function suggestMergeKey(
  columns: readonly PlanColumn[],
  rows: readonly ImportRow[],
  records: readonly RecordState[],
  primaryFieldId: string,
): MergeKeySuggestion | null {
  const live = records.filter((r) => !r.archived);
  const candidates = columns
    .filter(
      (c): c is PlanColumn & { field: FieldDefinition } =>
        c.field !== null && !UNSUITABLE_KEY_TYPES.has(c.field.type) && c.field.type !== 'link',
    )
    .map((c) => ({
      c,
      rank:
        (c.field.id === primaryFieldId ? 0 : 3) +
        (c.field.type === 'email' ? -1 : 0) +
        (HINT.test(c.name) ? -1 : 0),
    }))
    .sort((a, b) => a.rank - b.rank || a.c.index - b.c.index)
    .slice(0, 8)
    .map((x) => x.c);
  const dataRows = rows.filter((r) => r.cells.some((x) => x !== ''));
  if (dataRows.length === 0 || candidates.length === 0) return null;

  const keysOf = (c: PlanColumn & { field: FieldDefinition }) =>
    dataRows.map((row) => {
      const p = parseImportCell(row.cells[c.index] ?? '', c.field.type, c.format);
      if (!p.ok) return null;
      try {
        return keyPart(c.field, normalizeCell(c.field, p.value));
      } catch (e) {
        if (e instanceof DomainError) return null;
        throw e;
      }
    });
  const fileKeys = new Map(candidates.map((c) => [c, keysOf(c)]));
  const recordKeys = new Map(
    candidates.map((c) => [c, live.map((r) => keyPart(c.field, cellValue(r, c.field)))]),
  );

  const evaluate = (cols: (PlanColumn & { field: FieldDefinition })[]) => {
    const file = dataRows.map((_, i) => {
      const parts = cols.map((c) => fileKeys.get(c)![i]);
      return parts.some((p) => p === null) ? null : parts.join('\u001e');
    });
    if (file.some((k) => k === null) || new Set(file).size !== file.length) return null;
    const existing = new Set<string>();
    for (let i = 0; i < live.length; i++) {
      const parts = cols.map((c) => recordKeys.get(c)![i]);
      if (parts.some((p) => p === null)) continue;
      const k = parts.join('\u001e');
      if (existing.has(k)) return null;
      existing.add(k);
    }
    return file.filter((k) => existing.has(k!)).length;
  };

  let best: MergeKeySuggestion | null = null;
  const consider = (cols: (PlanColumn & { field: FieldDefinition })[]) => {
    const matches = evaluate(cols);
    if (matches === null) return;
    if (!best || matches > best.matches) {
      const names = cols.map((c) => c.name);
      best = {
        columns: names,
        matches,
        reason: `${names.map((n) => `“${n}”`).join(' + ')} ${cols.length > 1 ? 'together are' : 'is'} filled in and different in every row${live.length ? `, and match${cols.length > 1 ? '' : 'es'} ${matches} of the table's records` : ''}`,
      };
    }
  };
  for (const c of candidates) consider([c]);
  if (!best)
    for (let i = 0; i < candidates.length; i++)
      for (let j = i + 1; j < candidates.length; j++) consider([candidates[i], candidates[j]]);
  return best;
}
