import { invalid, LIMITS, notFound, refuseNul, type TableState } from '@crm/domain';
import type { BaseAccess } from './base-access';
import { type ImportOptions } from './import-mapping';

/** The table an upload names: an existing one, or a new name no table has (undefined then). */
export function checkTarget(
  input: { table_id?: string; new_table_name?: string },
  repo: BaseAccess['repo'],
): TableState | undefined {
  if ((input.table_id === undefined) === (input.new_table_name === undefined)) {
    throw invalid('give either table_id (an existing table) or new_table_name', {
      field: 'table_id',
    });
  }
  const existing = input.table_id !== undefined ? repo.table(input.table_id) : undefined;
  if (input.table_id !== undefined && !existing)
    throw notFound(`table ${input.table_id} does not exist`, {
      field: 'table_id',
      given: input.table_id,
    });
  if (input.new_table_name !== undefined) {
    const name = input.new_table_name.trim();
    if (name === '' || name.length > LIMITS.nameChars)
      throw invalid(`new_table_name must be 1 to ${LIMITS.nameChars} characters`, {
        field: 'new_table_name',
      });
    refuseNul(name, { field: 'new_table_name' }, 'new_table_name');
    if (repo.tables().some((t) => t.name.toLowerCase() === name.toLowerCase()))
      throw invalid(`a table named "${name}" already exists`, { field: 'new_table_name' });
  }
  return existing;
}

export function checkMergeFields(given: unknown, header: string[]): string[] {
  if (!Array.isArray(given) || given.some((x) => typeof x !== 'string'))
    throw invalid('merge_fields must be a list of column names', { field: 'merge_fields' });
  if (given.length > 5) throw invalid('merge_fields: at most 5 columns', { field: 'merge_fields' });
  for (const name of given)
    if (!header.includes(name))
      throw invalid(`merge_fields: the file has no column “${name}”`, {
        field: 'merge_fields',
        given: name,
      });
  if (new Set(given).size !== given.length)
    throw invalid('merge_fields lists a column twice', { field: 'merge_fields' });
  return given as string[];
}

export function checkOptions(raw: unknown): Partial<ImportOptions> {
  if (raw === undefined) return {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw invalid('options must be an object', { field: 'options' });
  const o = raw as Record<string, unknown>;
  const out: Partial<ImportOptions> = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === 'create_missing_links' || k === 'skip_rows_with_errors') {
      if (typeof v !== 'boolean')
        throw invalid(`options.${k} must be true or false`, { field: `options.${k}` });
      out[k] = v;
    } else if (k === 'formula_guard') {
      if (v !== 'auto' && v !== 'strip' && v !== 'keep')
        throw invalid('options.formula_guard must be auto, strip or keep', {
          field: 'options.formula_guard',
        });
      out.formula_guard = v;
    } else throw invalid(`options.${k} is not an option`, { field: `options.${k}` });
  }
  return out;
}
