import { isUtf8 } from 'node:buffer';
import { invalid } from '@crm/domain';

export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
export const CSV_ENCODINGS: readonly CsvEncoding[] = [
  'utf-8',
  'utf-16le',
  'utf-16be',
  'windows-1252',
];

// Windows-1252's bytes 0x80–0x9F (the rest is Latin-1). Five bytes have no character: they are errors.
const CP1252_HIGH = [
  0x20ac, -1, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039,
  0x0152, -1, 0x017d, -1, -1, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc,
  0x2122, 0x0161, 0x203a, 0x0153, -1, 0x017e, 0x0178,
];

/** Line (1-based) of a byte offset, counting LF, CRLF and lone CR as line ends. */
function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) line++;
    else if (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a) line++;
  }
  return line;
}

function decodeCp1252(bytes: Uint8Array): string {
  const out: string[] = [];
  let chunk = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    let code = b;
    if (b >= 0x80 && b <= 0x9f) {
      code = CP1252_HIGH[b - 0x80];
      if (code === -1) {
        throw invalid(
          `the file is not valid Windows-1252 text: byte 0x${b.toString(16).toUpperCase()} on line ${lineAt(bytes, i)} has no character; save the file as UTF-8 and import it again`,
          { field: 'file', line: lineAt(bytes, i), byte_offset: i },
        );
      }
    }
    chunk += String.fromCharCode(code);
    if (chunk.length >= 8192) {
      out.push(chunk);
      chunk = '';
    }
  }
  out.push(chunk);
  return out.join('');
}

/** The offset of the first byte that breaks UTF-8, or -1; and whether any valid multi-byte character came before. */
function utf8Check(bytes: Uint8Array): { bad: number; multibyte: boolean } {
  let multibyte = false;
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    const need =
      b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0 || i + need >= bytes.length) return { bad: i, multibyte };
    for (let k = 1; k <= need; k++)
      if ((bytes[i + k] & 0xc0) !== 0x80) return { bad: i, multibyte };
    // Overlong forms and surrogates, as the WHATWG decoder refuses them.
    if (
      (b === 0xe0 && bytes[i + 1] < 0xa0) ||
      (b === 0xed && bytes[i + 1] > 0x9f) ||
      (b === 0xf0 && bytes[i + 1] < 0x90) ||
      (b === 0xf4 && bytes[i + 1] > 0x8f)
    )
      return { bad: i, multibyte };
    multibyte = true;
    i += need + 1;
  }
  return { bad: -1, multibyte };
}

/** UTF-16 without a byte-order mark: the zero bytes of ASCII text sit at every other position. */
function looksUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length - (bytes.length % 2), 4096);
  // Too few bytes to tell; a short file without a byte-order mark is read as 8-bit text.
  if (n < 16) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero > pairs * 0.4 && evenZero < pairs * 0.05) return 'utf-16le';
  if (evenZero > pairs * 0.4 && oddZero < pairs * 0.05) return 'utf-16be';
  return null;
}

/**
 * Bytes of an uploaded CSV to text. A byte-order mark settles UTF-8 or UTF-16; otherwise UTF-8 when
 * the bytes are valid UTF-8, UTF-16 when they look like it, and Windows-1252 when no byte sequence is
 * UTF-8 at all (Excel's "CSV" on Windows). A file that is partly UTF-8 and partly not is refused with
 * the line of the first bad byte: decoding it either way would store mojibake.
 */
export function decodeCsvBytes(
  bytes: Uint8Array,
  declared?: CsvEncoding,
): { text: string; encoding: CsvEncoding; bom: boolean } {
  const bomOf: [CsvEncoding, number] | null =
    bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf
      ? ['utf-8', 3]
      : bytes[0] === 0xff && bytes[1] === 0xfe
        ? ['utf-16le', 2]
        : bytes[0] === 0xfe && bytes[1] === 0xff
          ? ['utf-16be', 2]
          : null;
  // A byte-order mark is unambiguous, so it wins over a declared encoding.
  const body = bytes.subarray(bomOf ? bomOf[1] : 0);
  const encoding: CsvEncoding =
    bomOf?.[0] ?? declared ?? looksUtf16(body) ?? guessUtf8OrCp1252(body, bomOf ? bomOf[1] : 0);
  const text = encoding === 'windows-1252' ? decodeCp1252(body) : decodeStrict(body, encoding);
  const nul = text.indexOf('\u0000');
  if (nul !== -1) {
    const line = text.slice(0, nul).split(/\r\n|\r|\n/).length;
    throw invalid(
      `the file holds a NUL character on line ${line}; it looks like a binary file or a mislabelled encoding, not CSV text`,
      { field: 'file', line },
    );
  }
  return { text, encoding, bom: bomOf !== null };
}

function guessUtf8OrCp1252(body: Uint8Array, offset: number): CsvEncoding {
  // The native check answers for the usual, valid file; the byte walk below finds where a bad one breaks.
  if (isUtf8(body)) return 'utf-8';
  const check = utf8Check(body);
  if (check.bad === -1) return 'utf-8';
  if (check.multibyte) {
    const line = lineAt(body, check.bad);
    throw invalid(
      `the file is not valid UTF-8: the bytes on line ${line} are not UTF-8, though earlier text is; save it as UTF-8 (or choose its encoding) and import it again`,
      { field: 'file', line, byte_offset: check.bad + offset },
    );
  }
  return 'windows-1252';
}

function decodeStrict(body: Uint8Array, encoding: CsvEncoding): string {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    const bad = encoding === 'utf-8' ? utf8Check(body).bad : -1;
    const line = bad >= 0 ? lineAt(body, bad) : null;
    throw invalid(
      `the file is not valid ${encoding.toUpperCase()}${line ? ` (line ${line})` : ''}; save it as UTF-8 and import it again`,
      { field: 'file', ...(line ? { line } : {}) },
    );
  }
}
