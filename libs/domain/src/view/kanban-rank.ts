import { invalid } from '../errors';

/**
 * Card order on a board as fractional rank keys: strings over 0-9a-z compared as plain strings.
 * A key can always be made between two others, so moving a card writes that card's key alone.
 */

const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';
const RANK = /^[0-9a-z]{0,199}[1-9a-z]$/;

export const isRankKey = (v: unknown): v is string => typeof v === 'string' && RANK.test(v);

/** The digits strictly between a and b (b null: no upper bound); neither ends in "0". */
function midpoint(a: string, b: string | null): string {
  if (b !== null) {
    let n = 0;
    while ((a[n] ?? '0') === b[n]) n++;
    if (n > 0) return b.slice(0, n) + midpoint(a.slice(n), b.slice(n));
  }
  const da = a ? DIGITS.indexOf(a[0]) : 0;
  const db = b !== null ? DIGITS.indexOf(b[0]) : DIGITS.length;
  if (db - da > 1) return DIGITS[Math.round((da + db) / 2)];
  // Adjacent digits: keep b's first digit if b goes on, else extend a.
  if (b !== null && b.length > 1) return b.slice(0, 1);
  return DIGITS[da] + midpoint(a.slice(1), null);
}

/** A rank key after `before` and before `after` (null: the start or the end of the column). */
export function rankBetween(before: string | null, after: string | null): string {
  if (before !== null && !isRankKey(before)) throw invalid('not a rank key', { field: 'rank' });
  if (after !== null && !isRankKey(after)) throw invalid('not a rank key', { field: 'rank' });
  if (before !== null && after !== null && before >= after)
    throw invalid(`rank ${before} is not before ${after}`, {
      field: 'rank',
      reason: 'out_of_order',
    });
  return midpoint(before ?? '', after);
}

/**
 * The rank keys to write when a card is put at `index` of a column (its cards in shown order,
 * without the moved one). Ranked cards come before unranked ones, so the unranked cards above the
 * new place get keys first (once); the cards below keep theirs.
 */
export function placeCard(
  column: readonly string[],
  ranks: Readonly<Record<string, string>>,
  recordId: string,
  index: number,
): Record<string, string> {
  const at = Math.max(0, Math.min(index, column.length));
  const out: Record<string, string> = {};
  let last: string | null = null;
  for (let i = 0; i < at; i++) {
    const id = column[i];
    const own = ranks[id];
    last = own !== undefined ? own : rankBetween(last, null);
    if (own === undefined) out[id] = last;
  }
  const next = at < column.length ? ranks[column[at]] : undefined;
  out[recordId] = rankBetween(last, next ?? null);
  return out;
}

/** A column's cards by rank key; unranked cards follow in their given order. */
export function sortByRank(
  ids: readonly string[],
  ranks: Readonly<Record<string, string>>,
): string[] {
  const ranked = ids.filter((id) => ranks[id] !== undefined);
  if (ranked.length === 0) return ids.slice();
  ranked.sort((a, b) => (ranks[a] < ranks[b] ? -1 : ranks[a] > ranks[b] ? 1 : 0));
  return [...ranked, ...ids.filter((id) => ranks[id] === undefined)];
}
