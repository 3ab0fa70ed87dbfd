import { type FundraisingEvent } from '@crm/events';
import {
  type FormulaNode,
  isDerivedType,
  recomputeFormulas,
  type RecordState,
  sameComputed,
} from '@crm/domain';
import { type FundraisingRepository } from '../fundraising.repository';
import { LinkIndexRepository } from '../link-index.repository';
import { type FormulaValues, type TableRecompute } from './formula-values';

/**
 * A derived field over a link field (a lookup, rollup or count, or a formula reading the linked
 * records' names) reading these fields of the linked table; or, with `relay_table_id`, a link field
 * of that table whose records' names a lookup elsewhere shows (see CrossRead).
 */
interface LinkReader {
  link_field_id: string;
  node_id: string;
  relay_table_id: string | null;
  reads: Set<string>;
}

/** The readers of one table, and whether any reads a derived field of it. */
interface TableReaders {
  list: LinkReader[];
  readsDerived: boolean;
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
  private readers: Map<string, TableReaders> | null = null;

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
    let hit: Set<string> | null = null;
    if (changed !== 'all') {
      hit = new Set(changed);
      // Derived values are compared only when something reads one: most edits skip the comparison.
      if (readers.readsDerived) for (const f of changedComputed(before, after)) hit.add(f);
    }
    this.spread(readers, after.id, hit, recordedAt, depth);
  }

  /** Carries a change of record `id` (of the table `readers` read) to the records linking to it. */
  private spread(
    readers: TableReaders,
    id: string,
    hit: Set<string> | null,
    recordedAt: string,
    depth: number,
  ): void {
    const reads = (r: LinkReader) => !hit || [...r.reads].some((f) => hit.has(f));
    const relevant = readers.list.filter(reads);
    if (!relevant.length) return;
    const bySource = new Map<string, Set<string>>();
    for (const row of this.index.linking(id)) {
      let set = bySource.get(row.source_id);
      if (!set) bySource.set(row.source_id, (set = new Set()));
      set.add(row.field_id);
    }
    const now = Date.parse(recordedAt);
    for (const [sourceId, linkFields] of bySource) {
      const mine = relevant.filter((r) => linkFields.has(r.link_field_id));
      const nodeIds = mine.flatMap((r) => (r.relay_table_id ? [] : [r.node_id]));
      if (nodeIds.length) this.recompute(sourceId, nodeIds, now, recordedAt, depth);
      // A rename shown through a lookup of a link: the linking record's link reads as changed.
      for (const r of mine) {
        const next = r.relay_table_id ? this.readersOf(r.relay_table_id) : undefined;
        if (next && depth + 1 < MAX_DEPTH)
          this.spread(next, sourceId, new Set([r.link_field_id]), recordedAt, depth + 1);
      }
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
   * other tables that read it (and formulas reading its names) are recomputed across their tables
   * (an error while it is gone).
   */
  plansFor(event: FundraisingEvent): TableRecompute[] {
    let fieldId: string;
    if (event.type === 'FieldAdded' || event.type === 'FieldRemoved') fieldId = event.data.field.id;
    else if (event.type === 'FieldRetyped') fieldId = event.data.field_id;
    else return [];
    const readers = (this.readersOf(event.data.table_id)?.list ?? []).filter((r) => r.node_id);
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

  private readersOf(tableId: string): TableReaders | undefined {
    if (!this.readers) {
      this.readers = new Map();
      for (const read of this.formulas.crossReads()) {
        const table = this.readers.get(read.target_table_id) ?? { list: [], readsDerived: false };
        table.list.push({
          link_field_id: read.link_field_id,
          node_id: read.kind === 'reader' ? read.node_id : '',
          relay_table_id: read.kind === 'relay' ? read.source_table_id : null,
          reads: new Set(read.reads),
        });
        const fields = this.repo.table(read.target_table_id)?.fields ?? [];
        table.readsDerived ||= read.reads.some((id) =>
          isDerivedType(fields.find((f) => f.id === id)?.type ?? ''),
        );
        this.readers.set(read.target_table_id, table);
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
