/** An attachment as the import stores it: its file name and where Airtable kept it. Never fetched here. */
export interface AttachmentValue {
  filename: string;
  url: string;
}

// name, space, (url), then a comma or the end. The name is lazy so that "Deck (v2).pdf (https://…)" keeps its brackets.
const ITEM = /[ \t]*([^]*?) \((https?:\/\/[^\s]+?)\)[ \t]*(?:,|$)/y;

/**
 * Airtable's attachment cell: `deck.pdf (https://…/deck.pdf),photo.png (https://…)`. Returns null when
 * the text is not in that form (so a column of it is not an attachment column).
 */
export function parseAttachments(cell: string): AttachmentValue[] | null {
  const out: AttachmentValue[] = [];
  ITEM.lastIndex = 0;
  while (ITEM.lastIndex < cell.length) {
    const start = ITEM.lastIndex;
    const m = ITEM.exec(cell);
    if (!m || m.index !== start) return null;
    out.push({ filename: m[1], url: m[2] });
    if (ITEM.lastIndex === start) return null;
  }
  return out.length ? out : null;
}

export function formatAttachments(list: readonly AttachmentValue[]): string {
  return list.map((a) => `${a.filename} (${a.url})`).join(',');
}
