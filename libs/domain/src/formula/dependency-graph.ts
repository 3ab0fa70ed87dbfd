import { type FieldDefinition } from '@crm/events';
import { type CompiledFormula, tryCompileFormula } from './formula';
import { referencedFieldIds } from './formula-field';

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

  static of(fields: readonly FieldDefinition[]): FormulaGraph {
    const formulas = fields.filter((f) => f.type === 'formula');
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
      for (const ref of referencedFieldIds(String(f.options.formula ?? ''))) {
        const dep = byId.get(ref);
        if (dep) visit(dep, [...path, f.id]);
      }
      state.set(f.id, 'done');
      order.push(f);
    };
    for (const f of formulas) visit(f, []);
    const nodes = new Map<string, FormulaNode>();
    for (const f of order) {
      let compiled: CompiledFormula | null = null;
      let error: string | null = null;
      if (cyclic.has(f.id)) error = 'formula fields refer to each other in a loop';
      else {
        const r = tryCompileFormula(String(f.options.formula ?? ''), { fields, selfId: f.id });
        if (r.ok) compiled = r.formula;
        else error = r.error.message;
      }
      const inputs = new Set<string>();
      let always = compiled ? compiled.volatile || compiled.recordMeta : false;
      for (const ref of compiled?.fieldIds ?? referencedFieldIds(String(f.options.formula ?? ''))) {
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
      const refs =
        n.compiled?.fieldIds ?? referencedFieldIds(String(n.field.options.formula ?? ''));
      if (hit.has(n.field.id) || refs.some((r) => hit.has(r))) {
        hit.add(n.field.id);
        out.push(n);
      }
    }
    return out;
  }
}
