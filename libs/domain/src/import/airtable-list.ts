/**
 * Airtable writes a multiple-select or linked-record cell as its items joined by commas, without
 * spaces. An item that contains a comma or a double quote is wrapped in double quotes, with its own
 * quotes doubled: `Acme,"Smith, Jones & Co","The ""Best"" Fund"`. Items keep their own spaces (record
 * names may end in one), so nothing is trimmed here.
 */
export function splitAirtableList(cell: string): string[] {
  const items: string[] = [];
  const n = cell.length;
  let i = 0;
  while (i < n) {
    // Tolerate ", " between items when the next item is quoted (files edited by hand or other tools).
    let j = i;
    while (j < n && (cell[j] === ' ' || cell[j] === '\t')) j++;
    if (cell[j] === '"') {
      let buf = '';
      let k = j + 1;
      let closed = false;
      while (k < n) {
        const c = cell[k];
        if (c === '"') {
          if (cell[k + 1] === '"') {
            buf += '"';
            k += 2;
            continue;
          }
          closed = true;
          k++;
          break;
        }
        buf += c;
        k++;
      }
      let end = k;
      while (end < n && (cell[end] === ' ' || cell[end] === '\t')) end++;
      if (closed && (end === n || cell[end] === ',')) {
        if (buf !== '') items.push(buf);
        i = end + 1;
        continue;
      }
      // Not Airtable's quoting after all: read the item literally up to the next comma.
    }
    const comma = cell.indexOf(',', i);
    const stop = comma === -1 ? n : comma;
    const item = cell.slice(i, stop);
    if (item !== '') items.push(item);
    i = stop + 1;
  }
  return items;
}

/** The inverse of splitAirtableList, with Airtable's quoting; empty items cannot be represented and are left out. */
export function joinAirtableList(items: readonly string[]): string {
  return items
    .filter((x) => x !== '')
    .map((x) => (/[",]/.test(x) || /^[ \t]+"/.test(x) ? `"${x.replace(/"/g, '""')}"` : x))
    .join(',');
}
