import { type FieldDefinition } from '@crm/events';
import { type CompiledFormula, tryCompileFormula } from './formula';
import { referencedFieldIds } from './formula-field';
import { compileLinkField, type LinkContext } from './link-field';
import { linkNamesOf, readsNames } from './link-names';
import { LISTS_REF } from './lists-ref';
import { type FormulaRecord, type StoredFormulaValue } from './stored-values';
import { type FValue } from './types';
import { isDerivedType, isLinkComputedType } from '../values/field-types';

/** The fields of its own record a derived field reads: a formula's references, a link field's link. */
export function derivedRefs(field: FieldDefinition): string[] {
  if (isLinkComputedType(field.type)) return [String(field.options.link_field_id ?? '')];
  return referencedFieldIds(String(field.options.formula ?? ''));
}

function compileNode(
  f: FieldDefinition,
  fields: readonly FieldDefinition[],
  links: LinkContext | undefined,
  lists: boolean,
): { compiled: CompiledFormula | null; error: string | null } {
  if (!isLinkComputedType(f.type)) {
    const names = links && linkNamesOf(links);
    const r = tryCompileFormula(String(f.options.formula ?? ''), { fields, selfId: f.id, names });
    if (!r.ok) return { compiled: null, error: r.error.message };
    // Without the linked records (the browser), a formula reading other records' names keeps its value.
    const byId = new Map([LISTS_REF, ...fields].map((x) => [x.id, x]));
    // So does one reading the record's lists, unless the caller puts them in the record's values.
    const named = r.formula.fieldIds.some((id) =>
      id === LISTS_REF.id ? !lists : readsNames(byId.get(id)!),
    );
    return { compiled: !links && named ? keptFormula(r.formula, f.id) : r.formula, error: null };
  }
  try {
    return { compiled: compileLinkField(f, fields, links), error: null };
  } catch (e) {
    if (e instanceof Error) return { compiled: null, error: e.message };
    throw e;
  }
}

/** A formula that keeps the value the record has (its inputs are not at hand). */
function keptFormula(formula: CompiledFormula, fieldId: string): CompiledFormula {
  const kept = (record: FormulaRecord) =>
    (record.computed?.[fieldId] ?? null) as StoredFormulaValue;
  return {
    ...formula,
    run: (record) => kept(record) as FValue,
    evaluate: kept,
    evaluateMetered: (record) => ({ value: kept(record), spent: 0 }),
  };
}

export interface FormulaNode {
  field: FieldDefinition;
  /** Null when the formula no longer compiles (a field it read was removed or changed type). */
  compiled: CompiledFormula | null;
  /** Why it does not compile; every record shows this as its error. */
  error: string | null;
  /** Non-formula fields it reads, directly or through other formula fields. */
  inputs: Set<string>;
  /** Recomputed on every change of the record: reads the clock or the record's last change. */
  always: boolean;
}

/**
 * The formula fields of one table in dependency order. An edit recomputes only the formulas whose
 * inputs it touched (and those reading the clock or the record's last change), in this order, so a
 * formula always sees the fresh values of the formulas it reads.
 */
export class FormulaGraph {
  private constructor(
    readonly ordered: FormulaNode[],
    private readonly byField: Map<string, FormulaNode>,
  ) {}

  static readonly EMPTY = new FormulaGraph([], new Map());

  /**
   * Formulas, lookups, rollups and counts in dependency order. `links` reads the linked records for
   * lookups, rollups and counts; without it they keep the values they have.
   */
  static of(
    fields: readonly FieldDefinition[],
    links?: LinkContext,
    /** The caller gives each record's lists (`{Lists}`) in its values, under the pseudo-field's id. */
    { lists = false }: { lists?: boolean } = {},
  ): FormulaGraph {
    const formulas = fields.filter((f) => isDerivedType(f.type));
    if (formulas.length === 0) return FormulaGraph.EMPTY;
    const byId = new Map(formulas.map((f) => [f.id, f]));
    const order: FieldDefinition[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const cyclic = new Set<string>();
    // Depth-first topological order; a loop (which definitions refuse, but a restore could bring
    // back) marks its members, and they show an error rather than recomputing forever.
    const visit = (f: FieldDefinition, path: string[]) => {
      const s = state.get(f.id);
      if (s === 'done') return;
      if (s === 'visiting') {
        for (const id of path.slice(path.indexOf(f.id))) cyclic.add(id);
        return;
      }
      state.set(f.id, 'visiting');
      for (const ref of derivedRefs(f)) {
        const dep = byId.get(ref);
        if (dep) visit(dep, [...path, f.id]);
      }
      state.set(f.id, 'done');
      order.push(f);
    };
    for (const f of formulas) visit(f, []);
    const nodes = new Map<string, FormulaNode>();
    for (const f of order) {
      const { compiled, error } = cyclic.has(f.id)
        ? { compiled: null, error: 'formula fields refer to each other in a loop' }
        : compileNode(f, fields, links, lists);
      const inputs = new Set<string>();
      let always = compiled ? compiled.volatile || compiled.recordMeta : false;
      for (const ref of compiled?.fieldIds ?? derivedRefs(f)) {
        const dep = nodes.get(ref);
        if (dep) {
          for (const i of dep.inputs) inputs.add(i);
          always ||= dep.always;
        } else inputs.add(ref);
      }
      nodes.set(f.id, { field: f, compiled, error, inputs, always });
    }
    return new FormulaGraph(
      order.map((f) => nodes.get(f.id)!),
      nodes,
    );
  }

  get isEmpty(): boolean {
    return this.ordered.length === 0;
  }

  node(fieldId: string): FormulaNode | undefined {
    return this.byField.get(fieldId);
  }

  /** Formulas to recompute when these (non-formula) fields of a record changed, in dependency order. */
  affectedBy(changed: Iterable<string>): FormulaNode[] {
    const set = changed instanceof Set ? (changed as Set<string>) : new Set(changed);
    return this.ordered.filter((n) => n.always || [...n.inputs].some((i) => set.has(i)));
  }

  /** The field (formula or not) and every formula that reads it, in dependency order. */
  dependentsOf(fieldId: string): FormulaNode[] {
    const hit = new Set<string>([fieldId]);
    const out: FormulaNode[] = [];
    for (const n of this.ordered) {
      const refs = n.compiled?.fieldIds ?? derivedRefs(n.field);
      if (hit.has(n.field.id) || refs.some((r) => hit.has(r))) {
        hit.add(n.field.id);
        out.push(n);
      }
    }
    return out;
  }

  /** The lookups, rollups and counts, each with the fields of the linked table it reads. */
  get linkNodes(): FormulaNode[] {
    return this.ordered.filter((n) => isLinkComputedType(n.field.type));
  }
}
