import { type FundraisingEvent } from '@crm/events';
import {
  type FormulaNode,
  linkFieldReads,
  recomputeFormulas,
  type RecordState,
  sameComputed,
} from '@crm/domain';
import { type FundraisingRepository } from '../fundraising.repository';
import { LinkIndexRepository } from '../link-index.repository';
import { type FormulaValues, type TableRecompute } from './formula-values';

/** A lookup, rollup or count of table `table_id`, over its link field, reading these target fields. */
interface LinkReader {
  link_field_id: string;
  node_id: string;
  reads: Set<string>;
}

/** How deep a change travels from table to table (definitions refuse loops; this bounds a restored one). */
const MAX_DEPTH = 8;

/**
 * Lookups, rollups and counts across tables, for the grid projector. A record's own link edits are
 * recomputed with its formulas; this class carries a change of a linked record to the records that
 * link to it: the index of links (`fundraising_links`) finds them, and only the computed fields
 * reading what changed are recomputed, then what reads those, table after table, in the same
 * transaction. Tables no computed field reads cost an edit one map look-up.
 */
export class LinkedValues {
  private readonly index: LinkIndexRepository;
  /** By linked table: the computed link fields reading it. */
  private readers: Map<string, LinkReader[]> | null = null;

  constructor(
    private readonly repo: FundraisingRepository,
    private readonly formulas: FormulaValues,
    private readonly read: (id: string) => RecordState | undefined,
    private readonly write: (r: RecordState) => void,
  ) {
    this.index = new LinkIndexRepository(repo.db);
  }

  /** The schema changed: who reads which table is worked out again. */
  invalidate(): void {
    this.readers = null;
  }

  reset(): void {
    this.readers = null;
    this.index.reset();
  }

  /** Keeps the index of links in step with a record event. */
  indexEvent(event: FundraisingEvent): void {
    if (event.type === 'RecordCreated') {
      const table = this.repo.table(event.data.table_id);
      for (const f of table?.fields ?? []) {
        const v = event.data.values[f.id];
        if (f.type === 'link' && Array.isArray(v) && v.length)
          this.index.set(event.data.record_id, f.id, v as string[]);
      }
    } else if (event.type === 'RecordUpdated') {
      const table = this.repo.table(event.data.table_id);
      for (const c of event.data.changes) {
        if (table?.fields.find((f) => f.id === c.field_id)?.type !== 'link') continue;
        this.index.change(event.data.record_id, c.field_id, idsOf(c.from), idsOf(c.to));
      }
    }
  }

  /**
   * `after` was written (before it: `before`); recomputes the records linking to it whose computed
   * link fields read what changed. `changed` lists its changed stored fields, or 'all' (archived,
   * unarchived).
   */
  propagate(
    before: RecordState,
    after: RecordState,
    changed: readonly string[] | 'all',
    recordedAt: string,
    depth = 0,
  ): void {
    const readers = this.readersOf(after.table_id);
    if (!readers || depth >= MAX_DEPTH) return;
    const hit = changed === 'all' ? null : new Set([...changed, ...changedComputed(before, after)]);
    const relevant = hit ? readers.filter((r) => [...r.reads].some((f) => hit.has(f))) : readers;
    if (!relevant.length) return;
    const bySource = new Map<string, Set<string>>();
    for (const row of this.index.linking(after.id)) {
      let set = bySource.get(row.source_id);
      if (!set) bySource.set(row.source_id, (set = new Set()));
      set.add(row.field_id);
    }
    const now = Date.parse(recordedAt);
    for (const [sourceId, linkFields] of bySource) {
      const nodeIds = relevant.filter((r) => linkFields.has(r.link_field_id)).map((r) => r.node_id);
      if (nodeIds.length) this.recompute(sourceId, nodeIds, now, recordedAt, depth);
    }
  }

  private recompute(
    sourceId: string,
    nodeIds: string[],
    now: number,
    recordedAt: string,
    depth: number,
  ): void {
    const record = this.read(sourceId);
    const table = record && this.repo.table(record.table_id);
    if (!record || !table) return;
    const graph = this.formulas.graph(table);
    const wanted = new Set<FormulaNode>();
    for (const id of nodeIds) for (const n of graph.dependentsOf(id)) wanted.add(n);
    const nodes = graph.ordered.filter((n) => wanted.has(n));
    const computed = this.formulas.readingOnce(() => recomputeFormulas(nodes, record, now));
    if (sameComputed(computed, record.computed as Record<string, never> | undefined)) return;
    const next = { ...record, computed: Object.keys(computed).length ? computed : undefined };
    this.write(next);
    this.propagate(record, next, [], recordedAt, depth + 1);
  }

  /**
   * A field of a linked table was added, changed or removed: the lookups, rollups and counts of the
   * other tables that read it are recomputed across their tables (an error while it is gone).
   */
  plansFor(event: FundraisingEvent): TableRecompute[] {
    let fieldId: string;
    if (event.type === 'FieldAdded' || event.type === 'FieldRemoved') fieldId = event.data.field.id;
    else if (event.type === 'FieldRetyped') fieldId = event.data.field_id;
    else return [];
    const readers = this.readersOf(event.data.table_id) ?? [];
    const plans: TableRecompute[] = [];
    for (const table of this.repo.tables()) {
      if (table.id === event.data.table_id) continue;
      const graph = this.formulas.graph(table);
      const wanted = new Set<FormulaNode>();
      for (const r of readers)
        if (r.reads.has(fieldId)) for (const n of graph.dependentsOf(r.node_id)) wanted.add(n);
      const nodes = graph.ordered.filter((n) => wanted.has(n));
      if (nodes.length) plans.push({ table_id: table.id, nodes, drop: [] });
    }
    return plans;
  }

  private readersOf(tableId: string): LinkReader[] | undefined {
    if (!this.readers) {
      this.readers = new Map();
      for (const table of this.repo.tables()) {
        for (const n of this.formulas.graph(table).linkNodes) {
          const link = table.fields.find((f) => f.id === n.field.options.link_field_id);
          if (!link) continue;
          const target = String(link.options.table_id);
          const list = this.readers.get(target) ?? [];
          list.push({
            link_field_id: link.id,
            node_id: n.field.id,
            reads: new Set(linkFieldReads(n.field)),
          });
          this.readers.set(target, list);
        }
      }
    }
    return this.readers.get(tableId);
  }
}

/** The derived fields whose values differ between two states of a record. */
function changedComputed(before: RecordState, after: RecordState): string[] {
  const a = before.computed ?? {};
  const b = after.computed ?? {};
  const out: string[] = [];
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)]))
    if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) out.push(k);
  return out;
}

const idsOf = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
