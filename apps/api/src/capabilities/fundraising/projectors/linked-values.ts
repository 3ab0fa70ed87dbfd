import { type FundraisingEvent } from '@crm/events';
import {
  type ComputedValues,
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
  /** The table holding the derived field (or the relay's link field). */
  table_id: string;
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

/** The record the event changed, as it was and is, whole. */
type Change = { before: RecordState; after: RecordState } | null;

/** A record linking to a changed one, and which of its derived fields read the change. */
interface Target {
  sourceId: string;
  tableId: string;
  nodeIds: string[];
  change: Change;
}

const NO_FIELDS: ReadonlySet<string> = new Set();

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
  private readonly linkFields = new Map<string, { version: number; ids: ReadonlySet<string> }>();

  constructor(
    private readonly repo: FundraisingRepository,
    private readonly formulas: FormulaValues,
    private readonly read: (id: string) => RecordState | undefined,
    private readonly write: (r: RecordState) => void,
    /** Whether a change may move aggregates by a delta: not while records are changed in place. */
    private readonly deltasAllowed: () => boolean,
  ) {
    this.index = new LinkIndexRepository(repo.db);
  }

  /** The schema changed: who reads which table is worked out again. */
  invalidate(): void {
    this.readers = null;
    this.linkFields.clear();
  }

  reset(): void {
    this.readers = null;
    this.linkFields.clear();
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
      const links = this.linkFieldsOf(event.data.table_id);
      if (links.size === 0) return;
      for (const c of event.data.changes)
        if (links.has(c.field_id))
          this.index.change(event.data.record_id, c.field_id, idsOf(c.from), idsOf(c.to));
    }
  }

  /** A table's link fields, worked out once per version of the table (every edit asks). */
  private linkFieldsOf(tableId: string): ReadonlySet<string> {
    const table = this.repo.table(tableId);
    if (!table) return NO_FIELDS;
    const known = this.linkFields.get(tableId);
    if (known?.version === table.version) return known.ids;
    const ids = new Set(table.fields.filter((f) => f.type === 'link').map((f) => f.id));
    this.linkFields.set(tableId, { version: table.version, ids });
    return ids;
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
    // Both states are whole only for the record the event changed (recomputed ones are read in part).
    const change = depth === 0 && this.deltasAllowed() ? { before, after } : null;
    const readers = this.readersOf(after.table_id);
    if (!readers || depth >= MAX_DEPTH) return;
    let hit: Set<string> | null = null;
    if (changed !== 'all') {
      hit = new Set(changed);
      // Derived values are compared only when something reads one: most edits skip the comparison.
      if (readers.readsDerived) for (const f of changedComputed(before, after)) hit.add(f);
    }
    this.spread(readers, after.id, hit, recordedAt, depth, change);
  }

  /** Carries a change of record `id` (of the table `readers` read) to the records linking to it. */
  private spread(
    readers: TableReaders,
    id: string,
    hit: Set<string> | null,
    recordedAt: string,
    depth: number,
    change: Change = null,
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
      const tableId = mine.find((r) => !r.relay_table_id)?.table_id;
      if (tableId) this.recompute({ sourceId, tableId, nodeIds, change }, now, recordedAt, depth);
      // A rename shown through a lookup of a link: the linking record's link reads as changed.
      for (const r of mine) {
        const next = r.relay_table_id ? this.readersOf(r.relay_table_id) : undefined;
        if (next && depth + 1 < MAX_DEPTH)
          this.spread(next, sourceId, new Set([r.link_field_id]), recordedAt, depth + 1);
      }
    }
  }

  private recompute(at: Target, now: number, recordedAt: string, depth: number): void {
    const table = this.repo.table(at.tableId);
    if (!table) return;
    const graph = this.formulas.graph(table);
    const wanted = new Set<FormulaNode>();
    for (const id of at.nodeIds) for (const n of graph.dependentsOf(id)) wanted.add(n);
    const nodes = graph.ordered.filter((n) => wanted.has(n));
    const moved = at.change && this.byDelta(at, nodes, now);
    let record: RecordState | undefined;
    let computed: ComputedValues;
    if (moved) [record, computed] = moved;
    else {
      record = this.read(at.sourceId);
      if (!record) return;
      const whole = record;
      computed = this.formulas.readingOnce(() => recomputeFormulas(nodes, whole, now));
    }
    if (sameComputed(computed, record.computed as Record<string, never> | undefined)) return;
    const next = { ...record, computed: Object.keys(computed).length ? computed : undefined };
    this.write(next);
    this.propagate(record, next, [], recordedAt, depth + 1);
  }

  /**
   * Counts and aggregate rollups (SUM, COUNT, COUNTA, MAX, MIN) moved by the changed record's
   * delta, without reading the other linked records (a fund links thousands of commitments); the
   * formulas reading them are recomputed on the record read in part (the values they read). Null
   * when any of the fields needs a full recompute (see LinkDelta).
   */
  private byDelta(
    at: Target,
    nodes: FormulaNode[],
    now: number,
  ): [RecordState, ComputedValues] | null {
    const { before, after } = at.change!;
    const direct = new Set(at.nodeIds);
    const rest = nodes.filter((n) => !direct.has(n.field.id));
    if (nodes.some((n) => (direct.has(n.field.id) ? !n.compiled?.delta : !n.compiled))) return null;
    // Record stamps and cell times are not in the part read: such formulas take the full path.
    if (rest.some((n) => n.compiled!.recordMeta)) return null;
    const picks = new Set<string>();
    for (const n of rest) for (const f of n.compiled!.fieldIds) if (!direct.has(f)) picks.add(f);
    const record = this.repo.recordPicking(at.sourceId, [...picks]);
    if (!record) return null;
    const old = record.computed ?? {};
    const computed: Record<string, unknown> = { ...old };
    for (const n of nodes) {
      if (!direct.has(n.field.id)) continue;
      const v = n.compiled!.delta!(old[n.field.id], before, after, now);
      if (v === undefined || v === null) return null;
      computed[n.field.id] = v;
    }
    if (!rest.length) return [record, computed as ComputedValues];
    const view = { ...record, computed };
    return [record, this.formulas.readingOnce(() => recomputeFormulas(rest, view, now))];
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
          table_id: read.table_id,
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
