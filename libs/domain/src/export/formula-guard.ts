/**
 * Spreadsheet formula injection (CSV injection). A spreadsheet runs a cell as a formula when its text
 * starts with = + - @ (also after leading spaces or quotes, which some programs skip) or with a tab or
 * carriage return. Such text is exported with a leading apostrophe, which every spreadsheet shows as
 * plain text.
 *
 * The guard is exactly invertible: `unguardFormula(guardFormula(s)) === s` for every string, and text
 * that needs no guard never loses a character on import. That is what lets an export be imported
 * again without changes.
 */
const TRIGGER = /^[\s"'\uFEFF]*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/u;

export function needsFormulaGuard(text: string): boolean {
  return TRIGGER.test(text);
}

export function guardFormula(text: string): string {
  return needsFormulaGuard(text) ? `'${text}` : text;
}

/** True for text that looks like guardFormula's output: an apostrophe before text that needs the guard. */
export function hasFormulaGuard(text: string): boolean {
  return text.charCodeAt(0) === 39 && needsFormulaGuard(text.slice(1));
}

export function unguardFormula(text: string): string {
  return hasFormulaGuard(text) ? text.slice(1) : text;
}
