import { tokenize, type Token } from './tokenizer';
import { type BinaryOp, FORMULA_LIMITS, FormulaSyntaxError, type Node } from './types';

/** Binding power of the binary operators, loosest first; all associate to the left. */
export const PRECEDENCE: Record<BinaryOp, number> = {
  '=': 1,
  '!=': 1,
  '<': 1,
  '>': 1,
  '<=': 1,
  '>=': 1,
  '&': 2,
  '+': 3,
  '-': 3,
  '*': 4,
  '/': 4,
};
export const UNARY_PRECEDENCE = 5;

const isBinaryOp = (t: Token): t is Token & { text: BinaryOp } =>
  t.kind === 'op' && t.text in PRECEDENCE;

/**
 * Reads a formula into a syntax tree (Pratt parsing). Nesting is limited so that no formula can
 * exhaust the stack; every node keeps its span for error positions.
 */
// eslint-disable-next-line max-lines-per-function -- a Pratt parser: its readers share the token cursor and depth
export function parseFormula(source: string): Node {
  const tokens = tokenize(source);
  let at = 0;
  let depth = 0;
  // Chains like a & b & c & … grow the tree without nesting the text: bound the tree's height too,
  // so that checking, printing and evaluating (all recursive) stay far from the stack's limit.
  const height = new WeakMap<Node, number>();
  const grown = <N extends Node>(node: N, children: Node[], t: Token): N => {
    let h = 0;
    for (const c of children) h = Math.max(h, height.get(c) ?? 1);
    if (h + 1 > FORMULA_LIMITS.treeHeight)
      throw new FormulaSyntaxError(
        `the formula is more than ${FORMULA_LIMITS.treeHeight} operations deep`,
        t.pos,
      );
    height.set(node, h + 1);
    return node;
  };
  const peek = () => tokens[at];
  const next = () => tokens[at++];
  const describe = (t: Token) =>
    t.kind === 'eof'
      ? 'the end of the formula'
      : t.kind === 'string'
        ? `text "${t.text}"`
        : `"${source.slice(t.pos, t.end)}"`;
  const expect = (kind: Token['kind'], what: string): Token => {
    const t = peek();
    if (t.kind !== kind)
      throw new FormulaSyntaxError(
        `expected ${what} but found ${describe(t)}`,
        t.pos,
        Math.max(1, t.end - t.pos),
      );
    return next();
  };
  const enter = (t: Token) => {
    if (++depth > FORMULA_LIMITS.depth)
      throw new FormulaSyntaxError(
        `the formula nests deeper than ${FORMULA_LIMITS.depth} levels`,
        t.pos,
      );
  };

  const primary = (): Node => {
    const t = next();
    switch (t.kind) {
      case 'number': {
        const value = Number(t.text);
        if (!Number.isFinite(value))
          throw new FormulaSyntaxError(`the number ${t.text} is too large`, t.pos, t.end - t.pos);
        return { kind: 'number', value, pos: t.pos, end: t.end };
      }
      case 'string':
        return { kind: 'string', value: t.text, pos: t.pos, end: t.end };
      case 'field':
        return { kind: 'field', ref: t.text, pos: t.pos, end: t.end };
      case 'ident': {
        if (peek().kind === '(') {
          enter(t);
          next();
          const args: Node[] = [];
          if (peek().kind !== ')') {
            for (;;) {
              args.push(expression(0));
              if (peek().kind === ',') {
                next();
                continue;
              }
              break;
            }
          }
          const close = expect(')', `"," or ")" to close ${t.text.toUpperCase()}(`);
          depth--;
          return grown(
            { kind: 'call', name: t.text.toUpperCase(), args, pos: t.pos, end: close.end },
            args,
            t,
          );
        }
        const upper = t.text.toUpperCase();
        if (upper === 'TRUE' || upper === 'FALSE')
          return { kind: 'boolean', value: upper === 'TRUE', pos: t.pos, end: t.end };
        // A single word that is not a function is a field name written without braces.
        return { kind: 'field', ref: t.text, pos: t.pos, end: t.end };
      }
      case '(': {
        enter(t);
        const inner = expression(0);
        expect(')', '")"');
        depth--;
        return inner;
      }
      case 'op':
        if (t.text === '-' || t.text === '+') {
          enter(t);
          const operand = expression(UNARY_PRECEDENCE);
          depth--;
          return grown(
            { kind: 'unary', op: t.text as '-' | '+', operand, pos: t.pos, end: operand.end },
            [operand],
            t,
          );
        }
        throw new FormulaSyntaxError(`"${t.text}" needs a value before it`, t.pos, t.end - t.pos);
      case 'eof':
        throw new FormulaSyntaxError(
          source.trim() === '' ? 'the formula is empty' : 'the formula ends too early',
          t.pos,
        );
      default:
        throw new FormulaSyntaxError(
          `unexpected ${describe(t)}`,
          t.pos,
          Math.max(1, t.end - t.pos),
        );
    }
  };

  const expression = (minPrecedence: number): Node => {
    let left = primary();
    for (;;) {
      const t = peek();
      if (!isBinaryOp(t)) break;
      const p = PRECEDENCE[t.text];
      if (p <= minPrecedence) break;
      next();
      enter(t);
      const right = expression(p);
      depth--;
      left = grown(
        { kind: 'binary', op: t.text, left, right, pos: left.pos, end: right.end },
        [left, right],
        t,
      );
    }
    return left;
  };

  const root = expression(0);
  const rest = peek();
  if (rest.kind !== 'eof') {
    const hint =
      rest.kind === ')'
        ? 'a ")" without its "("'
        : `${describe(rest)}; is an operator or a comma missing?`;
    throw new FormulaSyntaxError(`unexpected ${hint}`, rest.pos, Math.max(1, rest.end - rest.pos));
  }
  return root;
}
