import { splitAirtableList } from './airtable-list';
import { type LinkDirectory } from './link-directory';

/**
 * The table a list column links to: the one table whose records are named by every item of the
 * column's samples (a few cells, so this costs per column, not per value). Airtable exports linked
 * records as their names joined by commas; when those names are records here, a link keeps them
 * as records rather than as choices of a select.
 */
export function suggestLinkTable(
  samples: readonly string[],
  directories: readonly LinkDirectory[],
): LinkDirectory | null {
  const items = linkSampleItems(samples);
  if (items.length < 2) return null;
  const fits = directories.filter((d) => items.every((name) => d.find(name).length > 0));
  return fits.length === 1 ? fits[0] : null;
}

/** The distinct, trimmed names in a list column's samples: what suggestLinkTable looks up. */
export function linkSampleItems(samples: readonly string[]): string[] {
  const items = new Set<string>();
  for (const sample of samples) {
    const list = splitAirtableList(sample);
    // A long sample is cut with “…”: its last item is not a whole name.
    if (sample.endsWith('…')) list.pop();
    for (const item of list) if (item.trim() !== '') items.add(item.trim());
  }
  return [...items];
}
