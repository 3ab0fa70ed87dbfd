import { type FieldDefinition } from '@crm/events';
import { FORMULA_FUNCTIONS } from './functions';
import { type FunctionSpec, type ParamKind } from './functions/function-spec';
import { LISTS_REF } from './lists-ref';
import { parseFormula } from './parser';
import { FormulaSyntaxError, type FormulaType, type Node, RESULT_TYPES } from './types';

/** The fields a formula can see: the table's fields, minus the one being defined. */
export interface FormulaScope {
  fields: readonly FieldDefinition[];
  /** The formula field itself, which cannot refer to itself. */
  selfId?: string;
  /** How links (and lookups of links) read: as the linked records' primary values. Ids without it. */
  names?: LinkNames;
}

/** Reads a link's ids as the linked records' names, as Airtable's formulas do. */
export interface LinkNames {
  /** The table whose records a link (or a lookup of a link) of this table names, or null. */
  tableOf(field: FieldDefinition): string | null;
  /** The primary values of these records of the table, in link order (blank, archived and missing ones left out). */
  names(tableId: string, ids: readonly string[]): string[];
}

export interface CheckedFormula {
  ast: Node;
  source: string;
  type: FormulaType;
  /** Node → field id for every reference. */
  refs: Map<Node, FieldDefinition>;
  /** How links read (see FormulaScope). */
  names?: LinkNames;
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
    case 'lookup':
    case 'rollup_values':
      return 'array';
    case 'count':
      return 'number';
    case 'rollup':
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

/** What checking a formula has found so far. */
interface Checking {
  scope: FormulaScope;
  refs: Map<Node, FieldDefinition>;
  types: Map<Node, FormulaType>;
  fieldIds: string[];
  volatile: boolean;
  recordMeta: boolean;
}

type NodeOf<K extends Node['kind']> = Extract<Node, { kind: K }>;

function fail(message: string, node: Node): never {
  throw new FormulaSyntaxError(message, node.pos, Math.max(1, node.end - node.pos));
}

function useField(c: Checking, node: NodeOf<'field'>): FieldDefinition {
  const field = resolveFieldRef(node.ref, c.scope.fields) ?? resolveFieldRef(node.ref, [LISTS_REF]);
  if (!field) return fail(`unknown field {${node.ref}}`, node);
  if (field.id === c.scope.selfId) fail('a formula cannot refer to its own field', node);
  c.refs.set(node, field);
  if (!c.fieldIds.includes(field.id)) c.fieldIds.push(field.id);
  if (field.type === 'last_modified_time' || field.type === 'last_modified_by') c.recordMeta = true;
  return field;
}

function visit(c: Checking, node: Node): FormulaType {
  const t = typeOf(c, node);
  c.types.set(node, t);
  return t;
}

function typeOf(c: Checking, node: Node): FormulaType {
  switch (node.kind) {
    case 'number':
      return 'number';
    case 'string':
      return 'text';
    case 'boolean':
      return 'boolean';
    case 'field':
      return fieldFormulaType(useField(c, node));
    case 'unary':
      return unaryType(c, node);
    case 'binary':
      return binaryType(c, node);
    case 'call': {
      const spec = FORMULA_FUNCTIONS.get(node.name);
      if (!spec) return fail(`unknown function ${node.name}()`, node);
      return callType(c, spec, node);
    }
  }
}

function unaryType(c: Checking, node: NodeOf<'unary'>): FormulaType {
  const t = visit(c, node.operand);
  if (t === 'text' || t === 'date' || t === 'array')
    fail(
      `${node.op === '-' ? 'negating' : 'a sign before'} ${describeArg(node.operand, c.refs, t)}, not a number`,
      node,
    );
  return 'number';
}

function binaryType(c: Checking, node: NodeOf<'binary'>): FormulaType {
  const l = visit(c, node.left);
  const r = visit(c, node.right);
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
    case '+':
      return plusType(node, l, r);
    case '-':
    case '*':
    case '/':
      return arithmeticType(c, node, l, r);
  }
}

function plusType(node: Node, l: FormulaType, r: FormulaType): FormulaType {
  if (l === 'date' || r === 'date') fail('dates cannot be added with +; use DATEADD()', node);
  if (l === 'array' || r === 'array')
    fail('a list cannot be added with +; use SUM() or ARRAYJOIN()', node);
  if (l === 'text' || r === 'text') return 'text';
  if (l === 'any' || r === 'any') return 'any';
  return 'number';
}

/** `-`, `*` and `/` take numbers: the first side that is text, a date or a list is the mistake. */
function arithmeticType(
  c: Checking,
  node: NodeOf<'binary'>,
  l: FormulaType,
  r: FormulaType,
): FormulaType {
  const sides: [Node, FormulaType][] = [
    [node.left, l],
    [node.right, r],
  ];
  const bad = sides.find(([, t]) => t === 'text' || t === 'date' || t === 'array');
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
    fail(`"${node.op}" needs numbers, but ${describeArg(n, c.refs, t)}${hint}`, n);
  }
  return 'number';
}

function checkArity(spec: FunctionSpec, node: NodeOf<'call'>): void {
  const n = node.args.length;
  if (n >= spec.min && n <= spec.max) return;
  const want =
    spec.min === spec.max
      ? `${spec.min}`
      : spec.max === Infinity
        ? `at least ${spec.min}`
        : `${spec.min} to ${spec.max}`;
  fail(
    `${spec.name}() takes ${want} argument${want === '1' ? '' : 's'}, not ${n} — ${spec.syntax}`,
    node,
  );
}

const returnType = (spec: FunctionSpec, argTypes: FormulaType[]): FormulaType =>
  typeof spec.returns === 'function' ? spec.returns(argTypes) : spec.returns;

function callType(c: Checking, spec: FunctionSpec, node: NodeOf<'call'>): FormulaType {
  checkArity(spec, node);
  if (spec.volatile) c.volatile = true;
  if (spec.fieldArgs) return fieldArgsCallType(c, spec, node);
  const argTypes = node.args.map((a, i) => argType(c, spec, a, i));
  const problem = spec.check?.(node.args);
  if (problem) fail(`${spec.name}(): ${problem.message}`, node.args[problem.arg]);
  return returnType(spec, argTypes);
}

/** LAST_MODIFIED_TIME({a}, {b}) takes field references, not values. */
function fieldArgsCallType(c: Checking, spec: FunctionSpec, node: NodeOf<'call'>): FormulaType {
  if (node.args.length === 0) c.recordMeta = true;
  for (const a of node.args) {
    if (a.kind !== 'field') fail(`${spec.name}() takes field references like {Status}`, a);
    useField(c, a as NodeOf<'field'>);
    c.types.set(a, 'any');
  }
  return returnType(spec, []);
}

function argType(c: Checking, spec: FunctionSpec, a: Node, i: number): FormulaType {
  const t = visit(c, a);
  const kind = spec.param(i);
  if (accepts(kind, t, a)) return t;
  const want = kind === 'number' ? 'a number' : kind === 'numbers' ? 'numbers' : 'a date';
  const hint =
    kind === 'number' && t === 'text'
      ? '; VALUE() reads a number from text'
      : kind === 'date' && t === 'number'
        ? '; DATETIME_PARSE() reads a date from text'
        : '';
  return fail(
    `${spec.name}() expects ${want} as its ${nth(i)} argument, but ${describeArg(a, c.refs, t)}${hint}`,
    a,
  );
}

/**
 * Reads a formula and checks it against the table's fields: every reference names a field, every
 * function exists and gets the right number and kinds of arguments. Works out the result type.
 * Throws a FormulaSyntaxError with the position of the first problem.
 */
export function checkFormula(source: string, scope: FormulaScope): CheckedFormula {
  const ast = parseFormula(source);
  const c: Checking = {
    scope,
    refs: new Map(),
    types: new Map(),
    fieldIds: [],
    volatile: false,
    recordMeta: false,
  };
  const type = visit(c, ast);
  const { refs, fieldIds, volatile, recordMeta, types } = c;
  return { ast, source, type, refs, fieldIds, volatile, recordMeta, types, names: scope.names };
}

/** The type stored with a formula field: `any` (mixed or unknown) is kept as text. */
export const storedResultType = (t: FormulaType): FormulaType => (t === 'any' ? 'text' : t);
