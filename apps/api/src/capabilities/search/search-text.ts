import { type CellValue } from '@crm/events';

/** Field types whose values are searched: words people type and look for. */
export const SEARCHED_TYPES: ReadonlySet<string> = new Set([
  'text',
  'long_text',
  'email',
  'url',
  'phone',
  'single_select',
  'multiple_select',
]);

/** Characters of a cell that go into the index; a longer note is searched in its beginning. */
export const INDEXED_CHARS = 2_000;

/** Lower case without accents: `Zürich` and `zurich` fold alike (the trigram index folds the same way). */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/** The searched text of a cell, or null when there is nothing to find in it. */
export function searchText(value: CellValue | undefined): string | null {
  if (value === null || value === undefined) return null;
  const text = Array.isArray(value)
    ? value.filter((v) => typeof v === 'string').join(', ')
    : typeof value === 'string'
      ? value
      : null;
  const trimmed = text?.trim().slice(0, INDEXED_CHARS);
  return trimmed ? trimmed : null;
}
