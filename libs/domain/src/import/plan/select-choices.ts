import { type FieldDefinition } from '@crm/events';
import { splitAirtableList } from '../airtable-list';

export const choicesOf = (f: FieldDefinition): string[] =>
  ((f.options.choices as { name: string }[] | undefined) ?? []).map((c) => c.name);

/** The choices whose name has white space at an end, by their trimmed name (the import trims select values). */
export function paddedChoices(f: FieldDefinition): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of choicesOf(f))
    if (name.trim() !== name && !out.has(name.trim())) out.set(name.trim(), name);
  for (const name of choicesOf(f)) out.delete(name);
  return out;
}

/** A select cell read as parseImportCell reads it, but each item naming a choice as written, or the choice it is a trimmed form of. */
export function paddedChoiceValue(
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
export function areChoices(choices: Set<string>, value: unknown): boolean {
  if (value === null || value === undefined) return false;
  return Array.isArray(value)
    ? value.every((x) => choices.has(x as string))
    : choices.has(value as string);
}
