import { type CellValue, type FieldDefinition } from '@crm/events';
import { DomainError } from '../../errors';
import { normalizeCell } from '../../values/normalize';
import { type LinkDirectory } from '../link-directory';
import { type MissingLinks } from './missing-links';
import { guardAltAt, type PlanRows, rowError } from './plan-rows';

/** A link cell to the table itself, settled once the file's own rows are known. */
export interface SelfLink {
  r: number;
  j: number;
  names: string[];
}

/**
 * Step 4: every read value as its field stores it. Names in link cells become record ids (or refs
 * of records to create); links to the table itself wait for the merge key (see `settleSelfLinks`).
 * A cell its field refuses is a row error, unless its text without the formula guard fits.
 */
export function settleValues(
  rows: PlanRows,
  fields: readonly FieldDefinition[],
  missing: MissingLinks,
): SelfLink[] {
  const selfLinks: SelfLink[] = [];
  for (let r = 0; r < rows.values.length; r++) settleRow(rows, fields, missing, selfLinks, r);
  return selfLinks;
}

/** A value as the field stores it, or the field's complaint without the field's name before it. */
export function normalized(
  field: FieldDefinition,
  raw: unknown,
): { ok: true; value: CellValue } | { ok: false; message: string } {
  try {
    return { ok: true, value: normalizeCell(field, raw) };
  } catch (e) {
    if (e instanceof DomainError)
      return { ok: false, message: e.message.replace(/^field "[^"]*" \([^)]*\) /, '') };
    throw e;
  }
}

function settleRow(
  rows: PlanRows,
  fields: readonly FieldDefinition[],
  missing: MissingLinks,
  selfLinks: SelfLink[],
  r: number,
): void {
  const vals = rows.values[r];
  if (!vals) return;
  const at = (j: number) => r * rows.mapped.length + j;
  for (let j = 0; j < rows.mapped.length; j++) {
    const field = fields[j];
    let v = vals[j];
    if (v === undefined) continue;
    if (field.type === 'link' && Array.isArray(v) && v.length) {
      const target = String(field.options.table_id);
      const dir = rows.input.links(target);
      v = linkNamesAsWritten(rows, r, j, v as string[], dir);
      if (target === rows.input.table_id) {
        selfLinks.push({ r, j, names: v as string[] });
        vals[j] = [];
        continue;
      }
      v = linkIds(rows, missing, r, j, v as string[], dir!);
    }
    const alt = guardAltAt(rows, r, j);
    const na = alt === undefined ? null : normalized(field, alt);
    if (na && !na.ok) rows.guardAlt.delete(at(j));
    const n = normalized(field, v);
    if (!n.ok) {
      // A field that cannot hold the apostrophe (a phone, an email) takes the text without it.
      if (na?.ok) {
        vals[j] = na.value;
        continue;
      }
      rowError(rows, r, rows.mapped[j].name, n.message);
      vals[j] = undefined;
      continue;
    }
    vals[j] = n.value;
    if (na?.ok) rows.guardAlt.set(at(j), na.value);
  }
}

/**
 * The export guards a list whose first name starts with = + - @: that name without the apostrophe
 * is the record's when only it names one.
 */
function linkNamesAsWritten(
  rows: PlanRows,
  r: number,
  j: number,
  names: string[],
  dir: LinkDirectory | undefined,
): string[] {
  const alt = guardAltAt(rows, r, j) as string[] | undefined;
  if (alt === undefined) return names;
  rows.guardAlt.delete(r * rows.mapped.length + j);
  return dir && dir.find(names[0]).length === 0 && dir.find(alt[0]).length > 0 ? alt : names;
}

function linkIds(
  rows: PlanRows,
  missing: MissingLinks,
  r: number,
  j: number,
  names: string[],
  dir: LinkDirectory,
): string[] {
  const ids: string[] = [];
  for (const name of names) {
    const hits = dir.find(name);
    let id: string | null = hits.length === 1 ? hits[0] : null;
    if (hits.length > 1)
      rowError(
        rows,
        r,
        rows.mapped[j].name,
        `${hits.length} records in ${dir.table_name} are named “${name}”; rename one, or link by record id`,
      );
    else if (hits.length === 0) id = missing.refFor(dir.table_id, dir.table_name, j, r, name);
    if (id) ids.push(id);
  }
  return ids;
}
