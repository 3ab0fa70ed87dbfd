import { FORMULA_LIMITS, FormulaSyntaxError } from './types';

export type TokenKind = 'number' | 'string' | 'field' | 'ident' | 'op' | '(' | ')' | ',' | 'eof';

export interface Token {
  kind: TokenKind;
  /** The decoded value: the number's text, the string's content, the field reference, the operator. */
  text: string;
  pos: number;
  end: number;
  /** For identifiers written without braces that name a field (Airtable allows `Price * Quantity`). */
  bare?: boolean;
}

const OPERATORS = ['!=', '<>', '<=', '>=', '+', '-', '*', '/', '&', '=', '<', '>'];
const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;
const SPACE = /\s/;

/**
 * Splits a formula into tokens. Strings take double or single quotes with backslash escapes; field
 * references are `{Any Name}` (a `}` or `\` inside is escaped with a backslash); numbers are decimal
 * with an optional exponent; `<>` is read as `!=`. Comments `/* … *\/` are skipped.
 */
// eslint-disable-next-line max-lines-per-function -- a tokenizer: one loop over the text, one branch per kind of token
export function tokenize(source: string): Token[] {
  if (typeof source !== 'string') throw new FormulaSyntaxError('the formula must be text', 0);
  if (source.length > FORMULA_LIMITS.sourceChars)
    throw new FormulaSyntaxError(
      `a formula holds at most ${FORMULA_LIMITS.sourceChars} characters`,
      FORMULA_LIMITS.sourceChars,
    );
  const tokens: Token[] = [];
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i];
    if (SPACE.test(c)) {
      i++;
      continue;
    }
    if (c === '/' && source[i + 1] === '*') {
      const close = source.indexOf('*/', i + 2);
      if (close < 0) throw new FormulaSyntaxError('a comment is not closed with */', i, 2);
      i = close + 2;
      continue;
    }
    const start = i;
    if (DIGIT.test(c) || (c === '.' && DIGIT.test(source[i + 1] ?? ''))) {
      while (i < n && DIGIT.test(source[i])) i++;
      if (source[i] === '.') {
        i++;
        while (i < n && DIGIT.test(source[i])) i++;
      }
      if (
        (source[i] === 'e' || source[i] === 'E') &&
        (DIGIT.test(source[i + 1] ?? '') ||
          ((source[i + 1] === '+' || source[i + 1] === '-') && DIGIT.test(source[i + 2] ?? '')))
      ) {
        i += 2;
        while (i < n && DIGIT.test(source[i])) i++;
      }
      if (i < n && IDENT_START.test(source[i]))
        throw new FormulaSyntaxError(
          `"${source.slice(start, i + 1)}" is not a number`,
          start,
          i + 1 - start,
        );
      tokens.push({ kind: 'number', text: source.slice(start, i), pos: start, end: i });
      continue;
    }
    if (c === '"' || c === "'" || c === '“' || c === '”' || c === '‘' || c === '’') {
      // Curly quotes arrive when formulas are pasted from documents; they close with their partner.
      const close = c === '“' ? '”' : c === '‘' ? '’' : c === '”' ? '”' : c === '’' ? '’' : c;
      i++;
      let out = '';
      for (;;) {
        if (i >= n)
          throw new FormulaSyntaxError(
            'a text value is not closed with its quote',
            start,
            n - start,
          );
        const ch = source[i];
        if (ch === '\\' && i + 1 < n) {
          const nx = source[i + 1];
          out += nx === 'n' ? '\n' : nx === 't' ? '\t' : nx === 'r' ? '\r' : nx;
          i += 2;
          continue;
        }
        if (ch === close) {
          i++;
          break;
        }
        out += ch;
        i++;
      }
      tokens.push({ kind: 'string', text: out, pos: start, end: i });
      continue;
    }
    if (c === '{') {
      i++;
      let out = '';
      for (;;) {
        if (i >= n)
          throw new FormulaSyntaxError('a field reference is not closed with }', start, n - start);
        const ch = source[i];
        if (
          ch === '\\' &&
          (source[i + 1] === '}' || source[i + 1] === '\\' || source[i + 1] === '{')
        ) {
          out += source[i + 1];
          i += 2;
          continue;
        }
        if (ch === '}') {
          i++;
          break;
        }
        out += ch;
        i++;
      }
      if (out.trim() === '')
        throw new FormulaSyntaxError(
          'a field reference needs a field name between { and }',
          start,
          i - start,
        );
      tokens.push({ kind: 'field', text: out, pos: start, end: i });
      continue;
    }
    if (IDENT_START.test(c)) {
      while (i < n && IDENT_PART.test(source[i])) i++;
      tokens.push({ kind: 'ident', text: source.slice(start, i), pos: start, end: i });
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c, text: c, pos: i, end: i + 1 });
      i++;
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', text: op === '<>' ? '!=' : op, pos: i, end: i + op.length });
      i += op.length;
      continue;
    }
    throw new FormulaSyntaxError(`unexpected character "${c}"`, i);
  }
  tokens.push({ kind: 'eof', text: '', pos: n, end: n });
  return tokens;
}
