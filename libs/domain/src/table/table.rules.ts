import { invalid } from '../errors';
import { LIMITS } from '../values/limits';
import { refuseNul } from '../values/normalize';
import { type TableState } from './table.state';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

export function checkId(kind: string, id: unknown): string {
  if (typeof id !== 'string' || !ID.test(id))
    throw invalid(`${kind} must be 1 to 64 letters, digits, '-' or '_'`, {
      field: kind,
      given: id ?? null,
    });
  return id;
}

export function checkName(kind: string, name: unknown): string {
  if (typeof name !== 'string') throw invalid(`${kind} must be text`, { field: kind });
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > LIMITS.nameChars)
    throw invalid(`${kind} must be 1 to ${LIMITS.nameChars} characters`, {
      field: kind,
      given: name.slice(0, 80),
    });
  refuseNul(trimmed, { field: kind }, kind);
  return trimmed;
}

/** Field names are unique in a table, ignoring case and surrounding space. */
export function checkFieldNameFree(
  table: Pick<TableState, 'fields'>,
  name: string,
  exceptFieldId?: string,
): void {
  const key = name.trim().toLowerCase();
  const clash = table.fields.find(
    (f) => f.id !== exceptFieldId && f.name.trim().toLowerCase() === key,
  );
  if (clash)
    throw invalid(`a field named "${clash.name}" already exists in this table`, {
      field: 'name',
      given: name,
    });
}
