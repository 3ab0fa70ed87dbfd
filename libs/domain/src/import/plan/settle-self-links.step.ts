import { type FieldDefinition } from '@crm/events';
import { type MissingLinks } from './missing-links';
import { type PlanRows, rowError } from './plan-rows';
import { normalized, type SelfLink } from './settle-values.step';

/**
 * Step 6: links to the table itself. A name is the table's record of that name first, then the row
 * of this file whose primary field has it (the record the row updates, or `row:<line>` it creates),
 * else a missing link.
 */
export function settleSelfLinks(
  rows: PlanRows,
  fields: readonly FieldDefinition[],
  selfLinks: readonly SelfLink[],
  rowRecord: readonly (string | null)[],
  missing: MissingLinks,
): void {
  if (selfLinks.length === 0) return;
  const { input, mapped } = rows;
  const dir = input.links(input.table_id);
  const fileNames = namesInFile(rows, rowRecord);
  for (const { r, j, names } of selfLinks) {
    const ids: string[] = [];
    for (const name of names) {
      const hits = dir?.find(name) ?? [];
      let id: string | null = hits.length === 1 ? hits[0] : null;
      if (hits.length > 1)
        rowError(
          rows,
          r,
          mapped[j].name,
          `${hits.length} records are named “${name}”; rename one, or link by record id`,
        );
      else if (!id)
        id =
          fileNames.get(nameKey(name)) ??
          missing.refFor(input.table_id, dir?.table_name ?? 'this table', j, r, name);
      if (id) ids.push(id);
    }
    const n = normalized(fields[j], ids);
    if (n.ok) rows.values[r]![j] = n.value;
    else rowError(rows, r, mapped[j].name, n.message);
  }
}

const nameKey = (name: string) => name.normalize('NFC').trim().toLowerCase();

/** The file's rows by their primary field's text: the first row of each name. */
function namesInFile(rows: PlanRows, rowRecord: readonly (string | null)[]): Map<string, string> {
  const fileNames = new Map<string, string>();
  const primaryCol = rows.mapped.findIndex((c) => c.field.id === rows.input.primary_field_id);
  if (primaryCol === -1) return fileNames;
  for (let r = 0; r < rows.values.length; r++) {
    const name = rows.values[r]?.[primaryCol];
    if (typeof name !== 'string' || rows.bad[r]) continue;
    const k = nameKey(name);
    if (!fileNames.has(k)) fileNames.set(k, rowRecord[r] ?? `row:${rows.input.rows[r].line}`);
  }
  return fileNames;
}
