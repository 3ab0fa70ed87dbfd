import { type FieldDefinition } from '@crm/events';
import { invalid } from '../errors';
import { checkFormula } from './checker';
import { LISTS_REF } from './lists-ref';
import { fieldRefText } from './printer';
import { tokenize } from './tokenizer';
import { FormulaSyntaxError, RESULT_TYPES } from './types';

/**
 * A formula field keeps its formula with references by field id (`{fldX2…}`), so renaming a field
 * keeps every formula working; people read and write it with names. Options: `{ formula, result_type }`.
 */

export interface FormulaOptions {
  formula: string;
  result_type: string;
}

/** Field ids a stored formula refers to, in order of first appearance. */
export function referencedFieldIds(stored: string): string[] {
  const out: string[] = [];
  try {
    const tokens = tokenize(stored);
    tokens.forEach((t, i) => {
      const isRef =
        t.kind === 'field' ||
        (t.kind === 'ident' && tokens[i + 1]?.kind !== '(' && !/^(true|false)$/i.test(t.text));
      if (isRef && !out.includes(t.text)) out.push(t.text);
    });
  } catch {
    // A formula that no longer reads has no references worth following.
  }
  return out;
}

/** Rewrites each field reference of a formula through `rewrite` (given the reference text), keeping the rest as written. */
function rewriteRefs(source: string, rewrite: (ref: string) => string | null): string {
  const tokens = tokenize(source);
  let out = '';
  let at = 0;
  tokens.forEach((t, i) => {
    const isRef =
      t.kind === 'field' ||
      (t.kind === 'ident' && tokens[i + 1]?.kind !== '(' && !/^(true|false)$/i.test(t.text));
    if (!isRef) return;
    const replacement = rewrite(t.text);
    if (replacement === null) return;
    out += source.slice(at, t.pos) + replacement;
    at = t.end;
  });
  return out + source.slice(at);
}

/** The formula as people see it: `{fld…}` replaced by `{Current Name}`. */
export function formulaForDisplay(
  stored: string,
  fields: readonly Pick<FieldDefinition, 'id' | 'name'>[],
): string {
  const byId = new Map([LISTS_REF, ...fields].map((f) => [f.id, f.name]));
  try {
    return rewriteRefs(stored, (ref) => (byId.has(ref) ? fieldRefText(byId.get(ref)!) : null));
  } catch {
    return stored;
  }
}

/** A field list with formula options shown by name; other fields are returned as they are. */
export function fieldsForDisplay<F extends FieldDefinition>(fields: readonly F[]): F[] {
  if (!fields.some((f) => f.type === 'formula')) return fields as F[];
  return fields.map((f) =>
    f.type === 'formula' && typeof f.options.formula === 'string'
      ? { ...f, options: { ...f.options, formula: formulaForDisplay(f.options.formula, fields) } }
      : f,
  );
}

/**
 * Checks a formula written with names (or ids) against the table's fields and returns the options
 * to store: the formula with ids, and its result type. A reference that would close a loop between
 * formula fields is refused with its position, like any other mistake in the formula.
 */
export function normalizeFormulaOptions(
  fieldName: string,
  raw: Record<string, unknown>,
  fields: readonly FieldDefinition[],
  selfId?: string,
): FormulaOptions {
  const source = raw.formula;
  if (typeof source !== 'string' || source.trim() === '')
    throw invalid(`field "${fieldName}": options.formula must be a formula`, {
      field: fieldName,
      option: 'formula',
    });
  try {
    const checked = checkFormula(source, { fields, selfId });
    for (const [node, field] of checked.refs) {
      if (field.type === 'formula' && selfId && reaches(field.id, selfId, fields)) {
        throw new FormulaSyntaxError(
          `{${field.name}} depends on this field: formula fields cannot refer to each other in a loop`,
          node.pos,
          node.end - node.pos,
        );
      }
    }
    const resultType = checked.type === 'any' ? 'text' : checked.type;
    if (!(RESULT_TYPES as readonly string[]).includes(resultType))
      throw new FormulaSyntaxError('the formula has no result type', 0);
    const byNode = new Map([...checked.refs].map(([n, f]) => [`${n.pos}`, f.id]));
    const tokens = tokenize(source);
    let out = '';
    let at = 0;
    for (const t of tokens) {
      const id = byNode.get(`${t.pos}`);
      if (id === undefined || (t.kind !== 'field' && t.kind !== 'ident')) continue;
      out += source.slice(at, t.pos) + fieldRefText(id);
      at = t.end;
    }
    return { formula: out + source.slice(at), result_type: resultType };
  } catch (e) {
    if (e instanceof FormulaSyntaxError) {
      throw invalid(
        `field "${fieldName}": ${e.message} (at character ${e.position + 1} of the formula)`,
        {
          field: fieldName,
          option: 'formula',
          position: e.position,
          length: e.length,
          formula_error: e.message,
        },
      );
    }
    throw e;
  }
}

/** Whether formula field `from` reads `target`, directly or through other formula fields. */
function reaches(from: string, target: string, fields: readonly FieldDefinition[]): boolean {
  const byId = new Map(fields.map((f) => [f.id, f]));
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === target) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    const f = byId.get(id);
    if (f?.type === 'formula' && typeof f.options.formula === 'string')
      stack.push(...referencedFieldIds(f.options.formula));
  }
  return false;
}
