import { PRECEDENCE, UNARY_PRECEDENCE } from './parser';
import { type Node } from './types';

/** `{Name}` with `\`, `{` and `}` escaped, so that any field name reads back the same. */
export const fieldRefText = (name: string): string =>
  `{${name.replace(/[\\{}]/g, (c) => `\\${c}`)}}`;

export const stringLiteralText = (s: string): string =>
  `"${s.replace(/[\\"\n\r\t]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\${c}`))}"`;

function numberText(n: number): string {
  // String(n) reads back exactly for every finite number (e.g. 1e+21, 5e-7).
  return String(n);
}

const precedenceOf = (n: Node): number =>
  n.kind === 'binary' ? PRECEDENCE[n.op] : n.kind === 'unary' ? UNARY_PRECEDENCE : 99;

/**
 * Prints a syntax tree as formula text with only the parentheses the precedence needs, so that
 * `parseFormula(printFormula(t))` gives `t` back (spans aside). `refText` chooses how a field
 * reference is written (by default as it was read).
 */
export function printFormula(node: Node, refText: (ref: string) => string = fieldRefText): string {
  switch (node.kind) {
    case 'number':
      return numberText(node.value);
    case 'string':
      return stringLiteralText(node.value);
    case 'boolean':
      return node.value ? 'TRUE' : 'FALSE';
    case 'field':
      return refText(node.ref);
    case 'call':
      return `${node.name}(${node.args.map((a) => printFormula(a, refText)).join(', ')})`;
    case 'unary': {
      const inner = printFormula(node.operand, refText);
      const wrap = precedenceOf(node.operand) < UNARY_PRECEDENCE;
      return `${node.op}${wrap ? `(${inner})` : inner}`;
    }
    case 'binary': {
      const p = PRECEDENCE[node.op];
      const l = printFormula(node.left, refText);
      const r = printFormula(node.right, refText);
      const lw = precedenceOf(node.left) < p;
      // Left-associative: a right operand of the same precedence keeps its parentheses.
      const rw = precedenceOf(node.right) <= p;
      return `${lw ? `(${l})` : l} ${node.op} ${rw ? `(${r})` : r}`;
    }
  }
}

/** A tree without source spans, for comparing trees. */
export function stripSpans(node: Node): unknown {
  switch (node.kind) {
    case 'call':
      return { kind: node.kind, name: node.name, args: node.args.map(stripSpans) };
    case 'unary':
      return { kind: node.kind, op: node.op, operand: stripSpans(node.operand) };
    case 'binary':
      return {
        kind: node.kind,
        op: node.op,
        left: stripSpans(node.left),
        right: stripSpans(node.right),
      };
    case 'number':
    case 'string':
    case 'boolean':
      return { kind: node.kind, value: node.value };
    case 'field':
      return { kind: node.kind, ref: node.ref };
  }
}
