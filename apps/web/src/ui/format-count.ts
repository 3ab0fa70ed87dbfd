/** Counts as people read them: grouped in the browser's locale ("1,825") and with the noun agreeing ("1 record"). */
const grouping = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

export function formatCount(n: number): string {
  return grouping.format(n);
}

/** "1 record", "1,825 records"; `many` for nouns whose plural is not the noun plus "s". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
