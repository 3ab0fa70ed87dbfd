/** Any character outside ASCII; ASCII text is the same in every normalisation form. */
const NON_ASCII = /[\u0080-\uffff]/;

/**
 * Text as filters and search compare it: lower case, in Unicode NFC, so "Café" typed as one "é" and
 * "Café" stored as "e" plus a combining accent (NFD, as macOS file names and some exports write it)
 * are the same text. Only text with a non-ASCII character pays for `normalize`.
 */
export function foldText(text: string): string {
  const lower = text.toLowerCase();
  return NON_ASCII.test(lower) ? lower.normalize('NFC') : lower;
}
