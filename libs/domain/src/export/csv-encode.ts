/**
 * RFC 4180 encoding of the export's text. A field is quoted when a reader could otherwise split or
 * change it: a double quote, a line break of any kind (CR, LF or CRLF: a bare LF breaks a row in
 * every spreadsheet), any delimiter the import detects (comma, semicolon, tab, pipe: a European
 * spreadsheet reads semicolons, and a quoted one can never make the import's sniffing pick the wrong
 * one), leading or trailing white space (which some readers trim), or a leading apostrophe (the
 * formula guard, so that a reader that trims or splits naively still sees one text cell).
 */
const NEEDS_QUOTES = /[",;|\t\r\n]|^['\s]|\s$/;
const QUOTE = /"/g;
// eslint-disable-next-line no-control-regex -- NUL is the character this pattern exists to remove
const NUL = /\u0000/g;

/**
 * One field as CSV. NUL cannot be written: no spreadsheet keeps it, and the import refuses a file that
 * holds one (as binary), so a NUL stored before writes refused it is left out of the file.
 */
export function csvField(text: string): string {
  const clean = text.indexOf('\u0000') === -1 ? text : text.replace(NUL, '');
  if (!NEEDS_QUOTES.test(clean)) return clean;
  return `"${clean.replace(QUOTE, '""')}"`;
}

/** One row of fields, ended by CRLF as RFC 4180 has it. */
export function csvRow(fields: readonly string[]): string {
  let out = '';
  for (let i = 0; i < fields.length; i++)
    out += i === 0 ? csvField(fields[i]) : `,${csvField(fields[i])}`;
  return `${out}\r\n`;
}
