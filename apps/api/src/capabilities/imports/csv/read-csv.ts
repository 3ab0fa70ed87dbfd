import { PayloadTooLargeException } from '@nestjs/common';
import { type ImportRow, invalid, LIMITS } from '@crm/domain';
import Papa from 'papaparse';
import { type CsvDelimiter, sniffDelimiter } from './sniff-delimiter';

export interface ParsedCsv {
  /** Column names as the file has them, after disambiguation (`Name`, `Name (2)`, `Column 3`). */
  header: string[];
  /** The header exactly as written. */
  raw_header: string[];
  rows: ImportRow[];
  delimiter: CsvDelimiter;
  /** Notes about the header (renamed duplicates, named empties). */
  notes: string[];
}

export interface ReadCsvOptions {
  delimiter?: CsvDelimiter;
  maxRows?: number;
  maxColumns?: number;
  /** Called now and then with the rows read so far. */
  onProgress?: (rows: number) => void;
}

/** Duplicate and empty header names get distinct, stable names, so that every column can be mapped. */
export function disambiguateHeader(raw: string[]): { header: string[]; notes: string[] } {
  const notes: string[] = [];
  const taken = new Set<string>();
  const header = raw.map((name, i) => {
    const base = name.trim() === '' ? `Column ${i + 1}` : name.trim();
    if (name.trim() === '') notes.push(`column ${i + 1} has no name: called “${base}”`);
    let candidate = base;
    for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${base} (${n})`;
    if (candidate !== base)
      notes.push(`“${base}” appears more than once: column ${i + 1} is called “${candidate}”`);
    taken.add(candidate.toLowerCase());
    return candidate;
  });
  return { header, notes };
}

const CHUNK = 2 << 20;

/**
 * Reads CSV text with Papa Parse, in 2 MB pieces with a pause between them so that a big file never
 * holds up other requests for long. Quoted fields may hold the delimiter, line breaks (LF, CRLF or CR)
 * and doubled quotes. Rows keep the file line they start on. Row length is not enforced here: the
 * plan reports short and long rows by line. Past the row or column limit the read stops with 413.
 */
export function readCsv(source: string, options: ReadCsvOptions = {}): Promise<ParsedCsv> {
  const text = unifyLineBreaks(source);
  const delimiter = options.delimiter ?? sniffDelimiter(text);
  const maxRows = options.maxRows ?? LIMITS.importRows;
  const maxColumns = options.maxColumns ?? LIMITS.importColumns;
  let rawHeader: string[] | null = null;
  const rows: ImportRow[] = [];
  let nextLine = 1;
  let failure: unknown = null;
  // Papa counts rows from 0 across chunks; remember each row's line to name the line of an error.
  const lineOfRow: number[] = [];
  return new Promise<ParsedCsv>((resolve, reject) => {
    Papa.parse<string[]>(text, {
      delimiter,
      quoteChar: '"',
      escapeChar: '"',
      skipEmptyLines: false,
      chunkSize: CHUNK,
      chunk(result: Papa.ParseResult<string[]>, parser: Papa.Parser) {
        for (const record of result.data) {
          const start = nextLine;
          nextLine += 1 + lineBreaksIn(record);
          lineOfRow.push(start);
          if (rawHeader === null) {
            if (record.length === 1 && record[0] === '') continue;
            if (record.length > maxColumns) {
              failure = new PayloadTooLargeException({
                message: `the file has ${record.length} columns; at most ${maxColumns} can be imported`,
                details: { limit: maxColumns, columns: record.length },
              });
              return parser.abort();
            }
            rawHeader = record;
            continue;
          }
          // A blank line parses as one empty field; keep it (as a blank row) so line numbers stay true.
          rows.push({ line: start, cells: record });
          if (rows.length > maxRows) {
            failure = new PayloadTooLargeException({
              message: `the file has more than ${maxRows.toLocaleString('en-US')} rows; split it and import the parts`,
              details: { limit: maxRows },
            });
            return parser.abort();
          }
        }
        const bad = result.errors.find((e) => e.type === 'Quotes');
        if (bad) {
          const line = lineOfRow[bad.row ?? 0] ?? nextLine;
          failure = invalid(
            `the file is not valid CSV at line ${line}: ${bad.code === 'MissingQuotes' ? 'a quoted value is never closed (a missing closing ")' : 'a closing quote is followed by text instead of the delimiter'}`,
            { field: 'file', line, code: bad.code },
          );
          return parser.abort();
        }
        options.onProgress?.(rows.length);
        // Let other requests run between pieces.
        parser.pause();
        setImmediate(() => parser.resume());
      },
      complete() {
        if (failure) return reject(failure);
        if (rawHeader === null)
          return reject(
            invalid('the file is empty: it needs a header row naming its columns', {
              field: 'file',
            }),
          );
        // Trailing blank lines are not rows.
        while (
          rows.length &&
          rows[rows.length - 1].cells.length === 1 &&
          rows[rows.length - 1].cells[0] === ''
        )
          rows.pop();
        const { header, notes } = disambiguateHeader(rawHeader);
        resolve({ header, raw_header: rawHeader, rows, delimiter, notes });
      },
    });
  });
}

/**
 * Papa Parse splits rows on one kind of line break, the first it sees. A file that mixes them (CRLF
 * rows and a last LF, as editors leave) would keep the other kind inside a cell, so such a file has
 * its unquoted line breaks made LF first. Line breaks inside quoted cells are kept as written.
 */
export function unifyLineBreaks(text: string): string {
  const crlf = text.indexOf('\r\n') !== -1;
  const cr = /\r(?!\n)/.test(text);
  const lf = /(^|[^\r])\n/.test(text);
  if (Number(crlf) + Number(cr) + Number(lf) < 2) return text;
  const out: string[] = [];
  let quoted = false;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (c === 13 && !quoted) {
      out.push(text.slice(from, i), '\n');
      if (text.charCodeAt(i + 1) === 10) i++;
      from = i + 1;
    }
  }
  out.push(text.slice(from));
  return out.join('');
}

/** Line breaks inside quoted cells (CRLF counts once), so the next row's line number stays true. */
function lineBreaksIn(record: string[]): number {
  let n = 0;
  for (const cell of record) {
    if (cell.indexOf('\n') === -1 && cell.indexOf('\r') === -1) continue;
    for (let i = 0; i < cell.length; i++) {
      const c = cell.charCodeAt(i);
      if (c === 10) n++;
      else if (c === 13 && cell.charCodeAt(i + 1) !== 10) n++;
    }
  }
  return n;
}
