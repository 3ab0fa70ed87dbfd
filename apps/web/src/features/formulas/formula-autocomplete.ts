import { FORMULA_FUNCTION_DOCS } from '@crm/domain';

/**
 * What the formula editor offers at the cursor: fields after an open `{` (or a word that starts a
 * field name), functions for a word being typed. Pure, so the editor only renders the list.
 */

export interface Suggestion {
  kind: 'field' | 'function';
  label: string;
  /** What replaces [from, to) in the formula. */
  insert: string;
  from: number;
  to: number;
  detail: string;
}

const escapeRef = (name: string) => name.replace(/[\\{}]/g, (c) => `\\${c}`);

export function suggest(
  formula: string,
  cursor: number,
  fieldNames: readonly string[],
  limit = 12,
): Suggestion[] {
  const before = formula.slice(0, cursor);
  // Inside an open field reference: `{Tar|`
  const open = before.lastIndexOf('{');
  if (open >= 0 && before.indexOf('}', open) < 0 && !inString(before.slice(0, open))) {
    const typed = before.slice(open + 1).toLowerCase();
    const close = formula[cursor] === '}' ? cursor + 1 : cursor;
    return rank(fieldNames, typed)
      .slice(0, limit)
      .map((name) => ({
        kind: 'field',
        label: name,
        insert: `{${escapeRef(name)}}`,
        from: open,
        to: close,
        detail: 'field',
      }));
  }
  if (inString(before)) return [];
  const m = /[A-Za-z_][A-Za-z0-9_]*$/.exec(before);
  if (!m) return [];
  const word = m[0];
  const from = cursor - word.length;
  const upper = word.toUpperCase();
  const fns = FORMULA_FUNCTION_DOCS.filter((f) => f.name.startsWith(upper))
    .slice(0, limit)
    .map((f): Suggestion => ({
      kind: 'function',
      label: f.name,
      insert: `${f.name}(`,
      from,
      to: cursor,
      detail: f.syntax,
    }));
  const fields = rank(fieldNames, word.toLowerCase())
    .filter((n) => n.toLowerCase().startsWith(word.toLowerCase()))
    .slice(0, Math.max(0, limit - fns.length))
    .map((name): Suggestion => ({
      kind: 'field',
      label: name,
      insert: `{${escapeRef(name)}}`,
      from,
      to: cursor,
      detail: 'field',
    }));
  return [...fns, ...fields];
}

/** Names that start with what was typed first, then names that contain it. */
function rank(names: readonly string[], typed: string): string[] {
  const starts = names.filter((n) => n.toLowerCase().startsWith(typed));
  const contains = names.filter(
    (n) => !n.toLowerCase().startsWith(typed) && n.toLowerCase().includes(typed),
  );
  return [...starts, ...contains];
}

/** Whether the text ends inside a quoted string. */
function inString(text: string): boolean {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '{') {
      const close = text.indexOf('}', i);
      if (close < 0) return false;
      i = close;
    }
  }
  return quote !== null;
}

/** The function whose arguments the cursor is in, for the signature hint: `ROUND({A}, |` → ROUND. */
export function enclosingFunction(
  formula: string,
  cursor: number,
): { name: string; syntax: string; description: string } | null {
  let depth = 0;
  for (let i = cursor - 1; i >= 0; i--) {
    const c = formula[i];
    if (c === ')') depth++;
    else if (c === '(') {
      if (depth === 0) {
        const m = /([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(formula.slice(0, i));
        const doc = m && FORMULA_FUNCTION_DOCS.find((f) => f.name === m[1].toUpperCase());
        return doc ? { name: doc.name, syntax: doc.syntax, description: doc.description } : null;
      }
      depth--;
    }
  }
  return null;
}

export function applySuggestion(
  formula: string,
  s: Suggestion,
): { formula: string; cursor: number } {
  const next = formula.slice(0, s.from) + s.insert + formula.slice(s.to);
  return { formula: next, cursor: s.from + s.insert.length };
}
