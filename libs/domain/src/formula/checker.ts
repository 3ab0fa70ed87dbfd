import { type FieldDefinition } from '@crm/events';
import { FORMULA_FUNCTIONS } from './functions';
import { type FunctionSpec, type ParamKind } from './functions/function-spec';
import { parseFormula } from './parser';
import { FormulaSyntaxError, type FormulaType, type Node, RESULT_TYPES } from './types';

/** The fields a formula can see: the table's fields, minus the one being defined. */
export interface FormulaScope {
  fields: readonly FieldDefinition[];
  /** The formula field itself, which cannot refer to itself. */
  selfId?: string;
}

export interface CheckedFormula {
  ast: Node;
  source: string;
  type: FormulaType;
  /** Node → field id for every reference. */
  refs: Map<Node, FieldDefinition>;
  /** Fields read, directly (ids, in first-seen order). */
  fieldIds: string[];
  /** Reads the clock (NOW, TODAY, TONOW, FROMNOW). */
  volatile: boolean;
  /** Reads the record's last change (LAST_MODIFIED_TIME(), last-modified fields). */
  recordMeta: boolean;
  types: Map<Node, FormulaType>;
}

/** The type a field's value has inside a formula. */
export function fieldFormulaType(field: Pick<FieldDefinition, 'type' | 'options'>): FormulaType {
  switch (field.type) {
    case 'number':
    case 'currency':
    case 'percent':
      return 'number';
    case 'date':
    case 'date_time':
    case 'created_time':
    case 'last_modified_time':
      return 'date';
    case 'checkbox':
      return 'boolean';
    case 'multiple_select':
    case 'link':
      return 'array';
    case 'formula': {
      const t = field.options?.result_type;
      return typeof t === 'string' && (RESULT_TYPES as readonly string[]).includes(t)
        ? (t as FormulaType)
        : 'any';
    }
    default:
      return 'text';
  }
}

/** Finds the field a reference names: by exact name, then by id, then by name ignoring case. */
export function resolveFieldRef(
  ref: string,
  fields: readonly FieldDefinition[],
): FieldDefinition | undefined {
  return (
    fields.find((f) => f.name === ref) ??
    fields.find((f) => f.id === ref) ??
    (() => {
      const key = ref.trim().toLowerCase();
      const hits = fields.filter((f) => f.name.trim().toLowerCase() === key);
      return hits.length === 1 ? hits[0] : undefined;
    })()
  );
}

const ORDINALS = [
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
];
const nth = (i: number) => ORDINALS[i] ?? `${i + 1}th`;

const TYPE_WORDS: Record<FormulaType, string> = {
  number: 'a number',
  text: 'text',
  boolean: 'TRUE/FALSE',
  date: 'a date',
  array: 'a list',
  blank: 'empty',
  any: 'a value',
};

function describeArg(node: Node, refs: Map<Node, FieldDefinition>, type: FormulaType): string {
  const f = refs.get(node);
  if (f) return `{${f.name}} is ${TYPE_WORDS[type]}`;
  if (node.kind === 'string') return `"${node.value.slice(0, 30)}" is text`;
  return `it is ${TYPE_WORDS[type]}`;
}

function accepts(kind: ParamKind, type: FormulaType, node: Node): boolean {
  if (type === 'any' || type === 'blank') return true;
  switch (kind) {
    case 'number':
      if (node.kind === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(node.value))
        return true;
      return type === 'number' || type === 'boolean';
    case 'numbers':
      return type === 'number' || type === 'boolean' || type === 'array';
    case 'date':
      return type === 'date' || type === 'text';
    default:
      return true;
  }
}

/**
 * Reads a formula and checks it against the table's fields: every reference names a field, every
 * function exists and gets the right number and kinds of arguments. Works out the result type.
 * Throws a FormulaSyntaxError with the position of the first problem.
 */
export function checkFormula(source: string, scope: FormulaScope): CheckedFormula {
  const ast = parseFormula(source);
  const refs = new Map<Node, FieldDefinition>();
  const types = new Map<Node, FormulaType>();
  const fieldIds: string[] = [];
  let volatile = false;
  let recordMeta = false;
  const err = (message: string, node: Node): never => {
    throw new FormulaSyntaxError(message, node.pos, Math.max(1, node.end - node.pos));
  };
  const useField = (node: Node & { kind: 'field' }): FieldDefinition => {
    const field = resolveFieldRef(node.ref, scope.fields);
    if (!field) err(`unknown field {${node.ref}}`, node);
    if (field!.id === scope.selfId) err('a formula cannot refer to its own field', node);
    refs.set(node, field!);
    if (!fieldIds.includes(field!.id)) fieldIds.push(field!.id);
    if (field!.type === 'last_modified_time' || field!.type === 'last_modified_by')
      recordMeta = true;
    return field!;
  };

  const visit = (node: Node): FormulaType => {
    const t = typeOf(node);
    types.set(node, t);
    return t;
  };

  const typeOf = (node: Node): FormulaType => {
    switch (node.kind) {
      case 'number':
        return 'number';
      case 'string':
        return 'text';
      case 'boolean':
        return 'boolean';
      case 'field':
        return fieldFormulaType(useField(node));
      case 'unary': {
        const t = visit(node.operand);
        if (t === 'text' || t === 'date' || t === 'array')
          err(
            `${node.op === '-' ? 'negating' : 'a sign before'} ${describeArg(node.operand, refs, t)}, not a number`,
            node,
          );
        return 'number';
      }
      case 'binary': {
        const l = visit(node.left);
        const r = visit(node.right);
        switch (node.op) {
          case '&':
            return 'text';
          case '=':
          case '!=':
          case '<':
          case '>':
          case '<=':
          case '>=':
            return 'boolean';
          case '+': {
            if (l === 'date' || r === 'date')
              err('dates cannot be added with +; use DATEADD()', node);
            if (l === 'array' || r === 'array')
              err('a list cannot be added with +; use SUM() or ARRAYJOIN()', node);
            if (l === 'text' || r === 'text') return 'text';
            if (l === 'any' || r === 'any') return 'any';
            return 'number';
          }
          default: {
            const bad = (
              [
                [node.left, l],
                [node.right, r],
              ] as [Node, FormulaType][]
            ).find(([, t]) => t === 'text' || t === 'date' || t === 'array');
            if (bad) {
              const [n, t] = bad;
              const hint =
                t === 'date'
                  ? node.op === '-'
                    ? '; use DATETIME_DIFF() for the time between dates'
                    : ''
                  : t === 'text'
                    ? '; VALUE() reads a number from text'
                    : '';
              err(`"${node.op}" needs numbers, but ${describeArg(n, refs, t)}${hint}`, n);
            }
            return 'number';
          }
        }
      }
      case 'call': {
        const spec = FORMULA_FUNCTIONS.get(node.name);
        if (!spec) return err(`unknown function ${node.name}()`, node);
        return checkCall(spec, node);
      }
    }
  };

  const checkCall = (spec: FunctionSpec, node: Node & { kind: 'call' }): FormulaType => {
    const n = node.args.length;
    if (n < spec.min || n > spec.max) {
      const want =
        spec.min === spec.max
          ? `${spec.min}`
          : spec.max === Infinity
            ? `at least ${spec.min}`
            : `${spec.min} to ${spec.max}`;
      err(
        `${spec.name}() takes ${want} argument${want === '1' ? '' : 's'}, not ${n} — ${spec.syntax}`,
        node,
      );
    }
    if (spec.volatile) volatile = true;
    if (spec.fieldArgs) {
      if (n === 0) recordMeta = true;
      for (const a of node.args) {
        if (a.kind !== 'field') err(`${spec.name}() takes field references like {Status}`, a);
        useField(a as Node & { kind: 'field' });
        types.set(a, 'any');
      }
      return typeof spec.returns === 'function' ? spec.returns([]) : spec.returns;
    }
    const argTypes = node.args.map((a, i) => {
      const t = visit(a);
      const kind = spec.param(i);
      if (!accepts(kind, t, a)) {
        const want = kind === 'number' ? 'a number' : kind === 'numbers' ? 'numbers' : 'a date';
        const hint =
          kind === 'number' && t === 'text'
            ? '; VALUE() reads a number from text'
            : kind === 'date' && t === 'number'
              ? '; DATETIME_PARSE() reads a date from text'
              : '';
        err(
          `${spec.name}() expects ${want} as its ${nth(i)} argument, but ${describeArg(a, refs, t)}${hint}`,
          a,
        );
      }
      return t;
    });
    const problem = spec.check?.(node.args);
    if (problem) err(`${spec.name}(): ${problem.message}`, node.args[problem.arg]);
    return typeof spec.returns === 'function' ? spec.returns(argTypes) : spec.returns;
  };

  const type = visit(ast);
  return { ast, source, type, refs, fieldIds, volatile, recordMeta, types };
}

/** The type stored with a formula field: `any` (mixed or unknown) is kept as text. */
export const storedResultType = (t: FormulaType): FormulaType => (t === 'any' ? 'text' : t);
