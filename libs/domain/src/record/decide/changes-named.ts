import { type RecordState } from '../record.state';
import { fieldOf, type TableState } from '../../table/table.state';
import { normalizeCell } from '../../values/normalize';
import { type ChangeOp } from './apply-changes.decide';

/**
 * What a batch of changes names, for the load before `decideChanges`. Three steps, each reading what
 * the one before found: the records the changes name (a create's too, to see that its id is free),
 * then the tables of those records and of the creates, then the records its link values name.
 */

const isId = (v: unknown): v is string => typeof v === 'string';

/** Step 1: every change's record id. */
export function recordIdsNamedBy(changes: readonly ChangeOp[]): string[] {
  const ids = new Set<string>();
  for (const c of changes) if (isId(c.record_id)) ids.add(c.record_id);
  return [...ids];
}

/** Step 2: the table of each create and of each record found in step 1. */
export function tableIdsNamedBy(
  changes: readonly ChangeOp[],
  records: ReadonlyMap<string, RecordState | undefined>,
): string[] {
  const ids = new Set<string>();
  for (const c of changes) if (c.op === 'create' && isId(c.table_id)) ids.add(c.table_id);
  for (const r of records.values()) if (r) ids.add(r.table_id);
  return [...ids];
}

/** Step 2b: the tables two-way links of those tables point at (an edit of a link edits their side). */
export function linkedTableIdsOf(tables: ReadonlyMap<string, TableState | undefined>): string[] {
  const ids = new Set<string>();
  for (const t of tables.values())
    for (const f of t?.fields ?? [])
      if (f.type === 'link' && isId(f.options.inverse_field_id) && isId(f.options.table_id))
        if (!tables.has(f.options.table_id)) ids.add(f.options.table_id);
  return [...ids];
}

/**
 * Step 3: the records named by the link values of creates and cell edits (as the decider reads them),
 * and those a two-way link cell being edited holds now (they lose the link on their side).
 */
export function linkedIdsNamedBy(
  changes: readonly ChangeOp[],
  tables: ReadonlyMap<string, TableState | undefined>,
  records: ReadonlyMap<string, RecordState | undefined>,
): string[] {
  const tableOf = new Map<string, string>();
  for (const [id, r] of records) if (r) tableOf.set(id, r.table_id);
  const ids = new Set<string>();
  const collect = (tableId: string | undefined, fieldId: unknown, raw: unknown) => {
    const table = tableId === undefined ? undefined : tables.get(tableId);
    const field = table && isId(fieldId) ? fieldOf(table, fieldId) : undefined;
    if (field?.type !== 'link') return;
    let value: unknown;
    try {
      value = normalizeCell(field, raw);
    } catch {
      return; // The decider refuses the value before it looks for any record.
    }
    if (Array.isArray(value)) for (const id of value) if (isId(id)) ids.add(id);
  };
  for (const c of changes) {
    if (c.op === 'create') {
      if (isId(c.record_id) && isId(c.table_id)) tableOf.set(c.record_id, c.table_id);
      if (c.values && typeof c.values === 'object')
        for (const [fieldId, raw] of Object.entries(c.values)) collect(c.table_id, fieldId, raw);
    } else if (c.op === 'set') {
      collect(tableOf.get(c.record_id), c.field_id, c.to);
      const now = isId(c.field_id) ? records.get(c.record_id)?.values[c.field_id] : undefined;
      if (Array.isArray(now)) collect(tableOf.get(c.record_id), c.field_id, now);
    }
  }
  return [...ids];
}

/** Whether the batch writes a people field, whose values the decider checks against the team. */
export function namesPeopleField(
  changes: readonly ChangeOp[],
  tables: ReadonlyMap<string, TableState | undefined>,
  records: ReadonlyMap<string, RecordState | undefined>,
): boolean {
  const isPeople = (tableId: string | undefined, fieldId: unknown) => {
    const table = tableId === undefined ? undefined : tables.get(tableId);
    return !!table && isId(fieldId) && fieldOf(table, fieldId)?.type === 'user';
  };
  for (const c of changes) {
    if (c.op === 'create') {
      if (!isId(c.table_id) || !c.values || typeof c.values !== 'object') continue;
      for (const fieldId of Object.keys(c.values)) if (isPeople(c.table_id, fieldId)) return true;
    } else if (c.op === 'set' && isPeople(records.get(c.record_id)?.table_id, c.field_id))
      return true;
  }
  return false;
}
