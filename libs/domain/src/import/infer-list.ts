import { LIMITS } from '../values/limits';
import { splitAirtableList } from './airtable-list';

export interface ListCount {
  distinct: number;
  items: number;
  /** Cells holding more than one item, and the most items in one cell. */
  listCells: number;
  most: number;
  /** Items after the first of a cell that start with a space: prose (“a, b”) rather than Airtable’s “a,b”. */
  spaced: number;
  /** Commas between a digit and three more (“10,000 units”, “$1,000,000-$5,000,000”): a number’s grouping, not a list. */
  grouped: number;
  /** An item too long to be a choice or a name, or more distinct items than a select holds. */
  tooMany: boolean;
}

const DIGIT_END = /\d$/;
const THOUSANDS = /^\d{3}(?!\d)/;

/** Items of comma-separated lists and their counts, stopping at a vocabulary too big for a select. */
export function countListItems(values: readonly string[], present: readonly number[]): ListCount {
  const seen = new Set<string>();
  const count: ListCount = {
    distinct: 0,
    items: 0,
    listCells: 0,
    most: 0,
    spaced: 0,
    grouped: 0,
    tooMany: false,
  };
  for (const i of present) {
    const raw = splitAirtableList(values[i]);
    if (raw.length > 1) count.listCells++;
    if (raw.length > count.most) count.most = raw.length;
    for (let k = 0; k < raw.length; k++) {
      if (k > 0 && raw[k].charCodeAt(0) === 32) count.spaced++;
      if (k > 0 && DIGIT_END.test(raw[k - 1]) && THOUSANDS.test(raw[k])) count.grouped++;
      const p = raw[k].trim();
      if (p === '') continue;
      seen.add(p);
      count.items++;
      if (p.length > 100) count.tooMany = true;
    }
    if (count.tooMany || seen.size > LIMITS.choices) {
      count.tooMany = true;
      break;
    }
  }
  count.distinct = seen.size;
  return count;
}

/**
 * Airtable writes a multiple select or linked records as items joined by a bare comma (“a,b”). A
 * column of such cells is a list even when its items rarely repeat (linked names); prose, and lists
 * typed by hand, put a space after the comma, and are lists only when their items repeat.
 */
export function looksLikeList(c: ListCount, cells: number): boolean {
  if (c.tooMany || c.listCells === 0 || cells < 3) return false;
  // Several cells, and not a rare one (a name such as “Acme,Inc” in a column of names), hold lists.
  // Text that writes numbers with thousands separators is not one either.
  const airtable =
    c.spaced === 0 && c.grouped === 0 && c.listCells >= 2 && c.listCells * 20 >= cells;
  const repeated = c.items >= 2 * c.distinct && c.distinct <= 200;
  return airtable || repeated;
}
