import { type CellChange, type CellValue, type FieldDefinition } from '@crm/events';
import { DomainError } from '../errors';
import { hasFormulaGuard, unguardFormula } from '../export/formula-guard';
import { cellValue, type RecordState } from '../record/record.state';
import { isComputedType } from '../values/field-types';
import { LIMITS } from '../values/limits';
import { isEmptyValue, normalizeCell, valuesEqual } from '../values/normalize';
import { splitAirtableList } from './airtable-list';
import { type LinkDirectory } from './link-directory';
import { keyPart, mergeKey } from './merge-key';
import { parseImportCell } from './parse-cell';
import {
  type ImportIssue,
  type ImportPlan,
  type PlanColumn,
  type PlanImportInput,
  type PlannedCreate,
  type PlannedLinkCreate,
  type PlannedUpdate,
  type PlanOptions,
} from './plan-import.types';

export * from './plan-import.types';

const TEXTUAL = new Set([
  'text',
  'long_text',
  'email',
  'url',
  'phone',
  'single_select',
  'multiple_select',
  'link',
  'attachment',
]);
const choicesOf = (f: FieldDefinition) =>
  ((f.options.choices as { name: string }[] | undefined) ?? []).map((c) => c.name);

function normalized(
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

/**
 * Given the rows of a file, how its columns map to fields, the merge key and the table's records:
 * which records the import creates, which it changes (cell by cell, with the value it replaces) and
 * which it leaves as they are. Pure and deterministic, so the plan a person reviewed is the plan the
 * commit applies. Importing a file twice plans nothing the second time.
 */
export function planImport(input: PlanImportInput): ImportPlan {
  const errors: ImportIssue[] = [];
  const warnings: ImportIssue[] = [];
  // Read once: the records may come from a one-pass iterator.
  const tableRecords = [...input.records].filter((rec) => !rec.archived);
  const mapped = input.columns.filter((c) => c.field !== null) as (PlanColumn & {
    field: FieldDefinition;
  })[];
  const blocking = (column: string | null, message: string) =>
    errors.push({ line: null, column, message });

  // ---- the mapping itself ----
  const byField = new Map<string, string>();
  const skipParse = new Set<number>();
  for (const c of mapped) {
    const other = byField.get(c.field.id);
    if (other !== undefined)
      blocking(c.name, `columns “${other}” and “${c.name}” both fill the field “${c.field.name}”`);
    byField.set(c.field.id, c.name);
    if (isComputedType(c.field.type))
      blocking(c.name, `“${c.field.name}” is filled in by the system; skip this column`);
    if ((c.field.type === 'date' || c.field.type === 'date_time') && !c.format.date_order) {
      skipParse.add(c.index);
      blocking(
        c.name,
        'the column mixes day-first and month-first dates: choose date_order (mdy or dmy), or import it as text',
      );
    }
    if (c.field.type === 'link' && !input.links(String(c.field.options.table_id)))
      blocking(c.name, `the field “${c.field.name}” links to a table that does not exist`);
  }
  const keyCols = input.merge_columns.map((i) => mapped.findIndex((c) => c.index === i));
  for (const [n, k] of keyCols.entries()) {
    if (k === -1)
      blocking(
        input.columns.find((c) => c.index === input.merge_columns[n])?.name ?? null,
        'a merge-key column must be imported into a field',
      );
    else if (mapped[k].field.type === 'link' && mapped[k].field.options.table_id === input.table_id)
      blocking(mapped[k].name, 'a link to the same table cannot be part of the merge key');
  }
  if (errors.length) return emptyPlan(errors, warnings);

  // ---- pass 1: read every cell ----
  const R = input.rows.length;
  const M = mapped.length;
  const parsed: unknown[][] = new Array(R);
  const rowBad = new Uint8Array(R);
  const blank = new Uint8Array(R);
  let blankRows = 0;
  const guardAlt = new Map<number, unknown>();
  // Most files have no guarded cell: no lookup per cell then.
  const guardAltAt = (r: number, j: number): unknown =>
    guardAlt.size === 0 ? undefined : guardAlt.get(r * M + j);
  const guarded = new Array<number>(M).fill(0);
  const extensions = mapped.map((c) =>
    c.field.type === 'single_select' || c.field.type === 'multiple_select'
      ? {
          choices: new Set(choicesOf(c.field)),
          known: new Set(choicesOf(c.field)),
          padded: paddedChoices(c.field),
          added: [] as string[],
        }
      : null,
  );
  const cellError = (r: number, column: string | null, message: string) => {
    rowBad[r] = 1;
    errors.push({ line: input.rows[r].line, column, message });
  };
  // The work on one row is a function of its own, here and in the passes below: called for every
  // row, it is optimised during the first file, where a loop in this long function called once per
  // plan would run unoptimised for several imports.
  const readRow = (r: number): void => {
    const row = input.rows[r];
    const cells = row.cells;
    if (cells.every((x) => x === '')) {
      blank[r] = 1;
      blankRows++;
      return;
    }
    if (cells.length < input.header_count) {
      cellError(
        r,
        null,
        `has ${cells.length} value${cells.length === 1 ? '' : 's'}; the header has ${input.header_count}`,
      );
      return;
    }
    if (
      cells.length > input.header_count &&
      cells.slice(input.header_count).some((x) => x !== '')
    ) {
      cellError(r, null, `has ${cells.length} values; the header has ${input.header_count}`);
      return;
    }
    const vals = new Array<unknown>(M);
    for (let j = 0; j < M; j++) {
      const c = mapped[j];
      if (skipParse.has(c.index)) continue;
      let raw = cells[c.index];
      if (raw.charCodeAt(0) === 39 && TEXTUAL.has(c.field.type) && hasFormulaGuard(raw)) {
        guarded[j]++;
        if (input.options.formula_guard === 'strip') raw = unguardFormula(raw);
        else if (input.options.formula_guard === 'auto') {
          const alt = parseImportCell(unguardFormula(raw), c.field.type, c.format);
          const ext = extensions[j];
          // A select takes the choice it has without the apostrophe, rather than gain one with it.
          const asWritten = ext && alt.ok ? parseImportCell(raw, c.field.type, c.format) : null;
          if (
            ext &&
            alt.ok &&
            areChoices(ext.choices, alt.value) &&
            !(asWritten?.ok && areChoices(ext.choices, asWritten.value))
          )
            raw = unguardFormula(raw);
          else if (alt.ok) guardAlt.set(r * M + j, alt.value);
        }
      }
      const p = parseImportCell(raw, c.field.type, c.format);
      if (!p.ok) {
        cellError(r, c.name, p.message);
        continue;
      }
      const ext = extensions[j];
      // Select values are read trimmed; a choice with a space at an end is still that choice.
      if (ext && ext.padded.size !== 0 && p.value !== null)
        p.value = paddedChoiceValue(raw, c.field.type, ext.choices, ext.padded);
      vals[j] = p.value;
      if (ext && p.value !== null) {
        for (const v of Array.isArray(p.value) ? (p.value as string[]) : [p.value as string]) {
          if (!ext.known.has(v)) {
            ext.known.add(v);
            ext.added.push(v);
          }
        }
      }
    }
    parsed[r] = vals;
  };
  for (let r = 0; r < R; r++) readRow(r);
  for (let j = 0; j < M; j++) {
    if (guarded[j]) {
      warnings.push({
        line: null,
        column: mapped[j].name,
        message: `${guarded[j]} value(s) start with an apostrophe before = + - @ (a spreadsheet's formula guard): ${input.options.formula_guard === 'strip' ? 'removed' : 'kept as written, except where the record already holds the text without it or a select has the choice without it'}`,
      });
    }
  }

  // Select fields gain the values they do not know yet.
  const fields = mapped.map((c, j) => {
    const ext = extensions[j];
    if (!ext || ext.added.length === 0) return c.field;
    if (ext.known.size > LIMITS.choices)
      blocking(
        c.name,
        `has ${ext.known.size} different values, more than the ${LIMITS.choices} choices a select field holds: import it as text`,
      );
    return {
      ...c.field,
      options: {
        ...c.field.options,
        choices: [
          ...choicesOf(c.field).map((name) => ({ name })),
          ...ext.added.map((name) => ({ name })),
        ],
      },
    };
  });
  const new_choices = extensions.flatMap((ext, j) =>
    ext && ext.added.length ? [{ field_id: mapped[j].field.id, choices: ext.added }] : [],
  );

  // ---- pass 2: links by name, then every value as the field stores it ----
  const link_creates: PlannedLinkCreate[] = [];
  const linkCreateRefs = new Map<string, string>();
  const unmatched = new Map<number, Map<string, number>>();
  const selfLinks: { r: number; j: number; names: string[] }[] = [];
  const resolveName = (dir: LinkDirectory, j: number, r: number, name: string): string | null => {
    const hits = dir.find(name);
    if (hits.length === 1) return hits[0];
    if (hits.length > 1) {
      cellError(
        r,
        mapped[j].name,
        `${hits.length} records in ${dir.table_name} are named “${name}”; rename one, or link by record id`,
      );
      return null;
    }
    return missingLink(dir.table_id, dir.table_name, j, r, name);
  };
  const missingLink = (
    tableId: string,
    tableName: string,
    j: number,
    r: number,
    name: string,
  ): string | null => {
    let names = unmatched.get(j);
    if (!names) unmatched.set(j, (names = new Map()));
    if (!names.has(name)) names.set(name, input.rows[r].line);
    if (!input.options.create_missing_links) {
      cellError(r, mapped[j].name, `no record in ${tableName} is named “${name}”`);
      return null;
    }
    const key = `${tableId}\u0000${name.trim()}`;
    let ref = linkCreateRefs.get(key);
    if (!ref) {
      ref = `new:${link_creates.length + 1}`;
      linkCreateRefs.set(key, ref);
      link_creates.push({
        ref,
        table_id: tableId,
        name: name.trim(),
        line: input.rows[r].line,
        column: mapped[j].name,
      });
    }
    return ref;
  };
  const settleRow = (r: number): void => {
    const vals = parsed[r];
    if (!vals) return;
    for (let j = 0; j < M; j++) {
      const field = fields[j];
      let v = vals[j];
      if (v === undefined) continue;
      if (field.type === 'link' && Array.isArray(v) && v.length) {
        const target = String(field.options.table_id);
        const dir = input.links(target);
        // The export guards a list whose first name starts with = + - @: that name without the
        // apostrophe is the record's when only it names one.
        const alt = guardAltAt(r, j) as string[] | undefined;
        if (alt !== undefined) {
          guardAlt.delete(r * M + j);
          if (dir && dir.find((v as string[])[0]).length === 0 && dir.find(alt[0]).length > 0)
            v = alt;
        }
        if (target === input.table_id) {
          selfLinks.push({ r, j, names: v as string[] });
          vals[j] = [];
          continue;
        }
        const ids: string[] = [];
        for (const name of v as string[]) {
          const id = resolveName(dir!, j, r, name);
          if (id) ids.push(id);
        }
        v = ids;
      }
      const alt = guardAltAt(r, j);
      const na = alt === undefined ? null : normalized(field, alt);
      if (na && !na.ok) guardAlt.delete(r * M + j);
      const n = normalized(field, v);
      if (!n.ok) {
        // A field that cannot hold the apostrophe (a phone, an email) takes the text without it.
        if (na?.ok) {
          vals[j] = na.value;
          continue;
        }
        cellError(r, mapped[j].name, n.message);
        vals[j] = undefined;
        continue;
      }
      vals[j] = n.value;
      if (na?.ok) guardAlt.set(r * M + j, na.value);
    }
  };
  for (let r = 0; r < R; r++) settleRow(r);

  // ---- merge key: match rows to records ----
  const keyFields = keyCols.map((k) => fields[k]);
  const rowRecord = new Array<string | null>(R).fill(null);
  if (keyCols.length) {
    const existing = new Map<string, string | null>();
    for (const rec of tableRecords) {
      const key = mergeKey(
        keyFields,
        keyFields.map((f) => cellValue(rec, f)),
      );
      if (key === null) continue;
      existing.set(key, existing.has(key) ? null : rec.id);
    }
    const seen = new Map<string, number>();
    const keyName = keyCols.map((k) => mapped[k].name).join(', ');
    const emptyParts = keyCols.map(() => 0);
    const matchRow = (r: number): void => {
      const vals = parsed[r];
      if (!vals || rowBad[r]) return;
      let key = mergeKey(
        keyFields,
        keyCols.map((k) => vals[k] as CellValue),
      );
      // A key written with the formula guard matches the record that holds it without the apostrophe
      // (as the text of a cell does): the export guards a text that starts with one, so `''=x` is `'=x`.
      if (guardAlt.size !== 0) {
        const unguarded = mergeKey(
          keyFields,
          keyCols.map((k) => (guardAltAt(r, k) ?? vals[k]) as CellValue),
        );
        if (unguarded !== null && existing.has(unguarded)) key = unguarded;
      }
      const line = input.rows[r].line;
      if (key === null) {
        cellError(
          r,
          keyName,
          `${keyCols.length === 1 ? 'the merge key' : 'every part of the merge key'} (${keyName}) is empty, so the row could never be matched again`,
        );
        return;
      }
      if (keyCols.length > 1) {
        for (const [n, k] of keyCols.entries())
          if (keyPart(keyFields[n], vals[k] as CellValue) === null) emptyParts[n]++;
      }
      const first = seen.get(key);
      if (first !== undefined) {
        cellError(r, keyName, `the same merge key (${keyName}) as line ${first}`);
        return;
      }
      seen.set(key, line);
      const match = existing.get(key);
      if (match === null)
        cellError(
          r,
          keyName,
          `matches several records of the table by ${keyName}; make the key unique first`,
        );
      else if (match !== undefined) rowRecord[r] = match;
    };
    for (let r = 0; r < R; r++) matchRow(r);
    for (const [n, count] of emptyParts.entries()) {
      if (count === 0) continue;
      const column = mapped[keyCols[n]].name;
      warnings.push({
        line: null,
        column,
        message: `${count} row(s) have no ${column}, a part of the merge key (${keyName}): each matches only a record whose ${column} is empty too`,
      });
    }
  }

  // ---- links to the table itself: existing records first, then rows of this file ----
  if (selfLinks.length) {
    const primaryCol = mapped.findIndex((c) => c.field.id === input.primary_field_id);
    const dir = input.links(input.table_id);
    const fileNames = new Map<string, string>();
    if (primaryCol !== -1) {
      for (let r = 0; r < R; r++) {
        const vals = parsed[r];
        const name = vals?.[primaryCol];
        if (typeof name !== 'string' || rowBad[r]) continue;
        const ref = rowRecord[r] ?? `row:${input.rows[r].line}`;
        const k = name.normalize('NFC').trim().toLowerCase();
        if (!fileNames.has(k)) fileNames.set(k, ref);
      }
    }
    for (const { r, j, names } of selfLinks) {
      const ids: string[] = [];
      for (const name of names) {
        const hits = dir?.find(name) ?? [];
        let id: string | null = hits.length === 1 ? hits[0] : null;
        if (hits.length > 1)
          cellError(
            r,
            mapped[j].name,
            `${hits.length} records are named “${name}”; rename one, or link by record id`,
          );
        else if (!id)
          id =
            fileNames.get(name.normalize('NFC').trim().toLowerCase()) ??
            missingLink(input.table_id, dir?.table_name ?? 'this table', j, r, name);
        if (id) ids.push(id);
      }
      const n = normalized(fields[j], ids);
      if (n.ok) parsed[r][j] = n.value;
      else cellError(r, mapped[j].name, n.message);
    }
  }

  // ---- the plan ----
  const records = new Map<string, RecordState>();
  for (const rec of tableRecords) records.set(rec.id, rec);
  const creates: PlannedCreate[] = [];
  const updates: PlannedUpdate[] = [];
  let unchanged = 0;
  let rowsWithErrors = 0;
  const planRow = (r: number): void => {
    if (blank[r]) return;
    if (rowBad[r]) {
      rowsWithErrors++;
      return;
    }
    const vals = parsed[r];
    const line = input.rows[r].line;
    const recordId = rowRecord[r];
    if (recordId === null) {
      const values: Record<string, CellValue> = {};
      for (let j = 0; j < M; j++) {
        const v = vals[j] as CellValue | undefined;
        if (v !== undefined && !isEmptyValue(v) && v !== false) values[fields[j].id] = v;
      }
      creates.push({ line, ref: `row:${line}`, values });
      return;
    }
    const rec = records.get(recordId)!;
    const changes: CellChange[] = [];
    for (let j = 0; j < M; j++) {
      const v = vals[j] as CellValue | undefined;
      if (v === undefined) continue;
      const now = cellValue(rec, fields[j]);
      if (valuesEqual(now, v)) continue;
      const alt = guardAltAt(r, j);
      if (alt !== undefined && valuesEqual(now, alt as CellValue)) continue;
      changes.push({ field_id: fields[j].id, from: now, to: v });
    }
    if (changes.length) updates.push({ line, record_id: recordId, changes });
    else unchanged++;
  };
  for (let r = 0; r < R; r++) planRow(r);

  const unmatched_links = [...unmatched.entries()].map(([j, names]) => ({
    column: mapped[j].name,
    field_id: mapped[j].field.id,
    table_id: String(mapped[j].field.options.table_id),
    names: [...names.keys()],
  }));
  errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return {
    creates,
    updates,
    unchanged,
    blank_rows: blankRows,
    rows_with_errors: rowsWithErrors,
    errors,
    warnings,
    new_choices,
    unmatched_links,
    link_creates,
  };
}

/** The choices whose name has white space at an end, by their trimmed name (the import trims select values). */
function paddedChoices(f: FieldDefinition): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of choicesOf(f))
    if (name.trim() !== name && !out.has(name.trim())) out.set(name.trim(), name);
  for (const name of choicesOf(f)) out.delete(name);
  return out;
}

/** A select cell read as parseImportCell reads it, but each item naming a choice as written, or the choice it is a trimmed form of. */
function paddedChoiceValue(
  raw: string,
  type: string,
  choices: Set<string>,
  padded: Map<string, string>,
): string | string[] | null {
  const items = (type === 'multiple_select' ? splitAirtableList(raw) : [raw])
    .map((x) => (choices.has(x) ? x : (padded.get(x.trim()) ?? x.trim())))
    .filter(Boolean);
  return type === 'multiple_select' ? items : (items[0] ?? null);
}

/** True when a parsed select value names only choices of the set. */
function areChoices(choices: Set<string>, value: unknown): boolean {
  if (value === null || value === undefined) return false;
  return Array.isArray(value)
    ? value.every((x) => choices.has(x as string))
    : choices.has(value as string);
}

function emptyPlan(errors: ImportIssue[], warnings: ImportIssue[]): ImportPlan {
  return {
    creates: [],
    updates: [],
    unchanged: 0,
    blank_rows: 0,
    rows_with_errors: 0,
    errors,
    warnings,
    new_choices: [],
    unmatched_links: [],
    link_creates: [],
  };
}

/** True when the plan may be committed: no errors, or only row errors that the options leave out. */
export function planIsCommittable(
  plan: ImportPlan,
  options: Pick<PlanOptions, 'skip_rows_with_errors'>,
): boolean {
  if (plan.errors.some((e) => e.line === null)) return false;
  return options.skip_rows_with_errors || plan.errors.length === 0;
}
