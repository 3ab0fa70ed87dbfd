import { type FundraisingEvent } from '@crm/events';
import {
  type ComputedValues,
  computeAllFormulas,
  type CrossRead,
  crossReadsOf,
  FORMULA_LIMITS,
  FormulaGraph,
  type FormulaNode,
  isDerivedType,
  type LinkContext,
  LISTS_FIELD_ID,
  OUT_OF_RECORD_BUDGET,
  OUT_OF_TABLE_BUDGET,
  recomputeFormulas,
  recomputeFormulasMetered,
  type RecordState,
  sameComputed,
  tableRecomputeFuel,
  type TableState,
  type TeamDirectory,
  withoutFields,
} from '@crm/domain';
import { type FundraisingRepository } from '../fundraising.repository';
import { LinkedColumns } from './linked-columns';
import { RecordListsCache } from './record-lists';
import { TeamNames } from './team-names';

/** What a schema change asks of every record of the table: formulas to recompute, values to drop. */
export interface TableRecompute {
  table_id: string;
  nodes: FormulaNode[];
  drop: string[];
}

/**
 * Formula values for the grid projector. Derived, never events: an edit recomputes only the formulas
 * that read the fields it changed, in dependency order, in the same transaction as the edit; a schema
 * change recomputes the affected formulas across the table. The time of the triggering event stands
 * in for NOW() and TODAY(), so replaying the log computes exactly what was stored live.
 */
export class FormulaValues {
  private readonly graphs = new Map<
    string,
    { version: number; graph: FormulaGraph; people: boolean }
  >();
  /** People's names for formulas, as of the event being projected. */
  readonly team: TeamNames;

  /** How a lookup, rollup or count reads the linked records: the grid's records (a rebuild's own). */
  readRecord: (id: string) => RecordState | undefined;
  /** A record read for some cells only (the grid projector reads its held ones in a rebuild). */
  readPicking: (id: string, fieldIds: readonly string[]) => RecordState | undefined;
  private readonly links: LinkContext;

  /** The linked tables' fields that lookups and rollups read, held in memory. */
  readonly columns: LinkedColumns;

  /** Each record's lists, for formulas reading `{Lists}`: read only when one of those recomputes. */
  readonly lists: RecordListsCache;

  constructor(private readonly repo: FundraisingRepository) {
    this.team = new TeamNames(() => repo.teamMembers());
    this.lists = new RecordListsCache((id) => repo.listsOf(id));
    this.readRecord = (id) => repo.record(id);
    this.readPicking = (id, fieldIds) => repo.recordPicking(id, fieldIds);
    this.columns = new LinkedColumns(repo, () => this.linkReads());
    this.links = {
      fieldsOf: (id) => this.repo.table(id)?.fields,
      primaryFieldOf: (id) => this.repo.table(id)?.primary_field_id,
      records: (ids, tableId) => {
        const held = this.columns.records(ids, tableId);
        if (held) return held;
        const out: RecordState[] = [];
        for (const id of ids) {
          let r: RecordState | undefined;
          if (this.memo?.has(id)) r = this.memo.get(id);
          else {
            r = this.readRecord(id);
            this.memo?.set(id, r);
          }
          if (r) out.push(r);
        }
        return out;
      },
      recordsPicking: (ids, _tableId, fieldIds) => {
        // Inside one record's recompute each is read once: whole if it was read whole, else the
        // cells asked for (a fund's Currency, not its thousands of commitments' ids).
        const key = fieldIds.join(',');
        if (this.memo && !this.picked) this.picked = new Map();
        const out: RecordState[] = [];
        for (const id of ids) {
          let r: RecordState | undefined;
          if (this.memo?.has(id)) r = this.memo.get(id);
          else if (this.picked?.has(`${id}|${key}`)) r = this.picked.get(`${id}|${key}`);
          else {
            r = this.readPicking(id, fieldIds);
            this.picked?.set(`${id}|${key}`, r);
          }
          if (r) out.push(r);
        }
        return out;
      },
    };
  }

  /** Linked records read while one record's values are computed: read once for all its rollups. */
  private memo: Map<string, RecordState | undefined> | null = null;
  /** The same, for records read in part (by id and the cells read). */
  private picked: Map<string, RecordState | undefined> | null = null;

  /** Runs `fn` (one record's recompute, which writes nothing) reading each linked record once. */
  readingOnce<T>(fn: () => T): T {
    const [memo, picked] = [this.memo, this.picked];
    // Records read in part are held only once one is read (see recordsPicking).
    this.memo = new Map();
    try {
      return fn();
    } finally {
      [this.memo, this.picked] = [memo, picked];
    }
  }

  /**
   * Runs `fn` (a slice of a table's recompute, which writes only that table's derived values)
   * reading each record read in part once: the 100,000 investors of a new rollup read the Currency
   * of the same few funds, not a row each time.
   */
  readingPartsOnce<T>(fn: () => T): T {
    const picked = this.picked;
    this.picked = new Map();
    try {
      return fn();
    } finally {
      this.picked = picked;
    }
  }

  /** What every table's derived fields read in other tables (see CrossRead): worked out per schema. */
  crossReads(): (CrossRead & { table_id: string })[] {
    if (!this.cross) {
      this.cross = [];
      for (const table of this.repo.tables())
        for (const read of crossReadsOf(this.graph(table), table.fields, this.links))
          this.cross.push({ ...read, table_id: table.id });
    }
    return this.cross;
  }

  private cross: (CrossRead & { table_id: string })[] | null = null;

  /** By linked table, the fields computed link fields (and formulas reading names) read there. */
  private linkReads(): Map<string, Set<string>> {
    const out = new Map<string, Set<string>>();
    for (const read of this.crossReads()) {
      const set = out.get(read.target_table_id) ?? new Set<string>();
      for (const f of read.reads) set.add(f);
      out.set(read.target_table_id, set);
    }
    return out;
  }

  graph(table: TableState): FormulaGraph {
    const hit = this.graphs.get(table.id);
    if (hit && hit.version === table.version) return hit.graph;
    const graph = FormulaGraph.of(table.fields, this.links);
    const people = table.fields.some((f) => f.type === 'user');
    this.graphs.set(table.id, { version: table.version, graph, people });
    return graph;
  }

  /** The record with its formula values brought up to date after a record event. */
  onRecord(
    record: RecordState,
    changed: readonly string[] | 'all',
    recordedAt: string,
  ): RecordState {
    const table = this.repo.table(record.table_id);
    if (!table) return record;
    const graph = this.graph(table);
    if (graph.isEmpty) return record.computed ? { ...record, computed: undefined } : record;
    const now = Date.parse(recordedAt);
    if (changed === 'all') {
      const read = this.withLists(graph.ordered, this.withTeam(table, record));
      return withComputed(record, computeAllFormulas(graph, read, now));
    }
    const nodes = graph.affectedBy(changed);
    if (!nodes.length) return record;
    const read = this.withLists(nodes, this.withTeam(table, record));
    return withComputed(
      record,
      this.readingOnce(() => recomputeFormulas(nodes, read, now)),
    );
  }

  /**
   * The record with its formula values brought up to date after it moved into or out of a list:
   * the formulas reading `{Lists}` (and those reading them), nothing when none does.
   */
  onListsMoved(record: RecordState, recordedAt: string): RecordState {
    return this.onRecord(record, [LISTS_FIELD_ID], recordedAt);
  }

  /** Whether a formula of the table reads `{Lists}` (or one that does): a move then changes values. */
  readsLists(tableId: string): boolean {
    const table = this.repo.table(tableId);
    if (!table) return false;
    const graph = this.graph(table);
    return !graph.isEmpty && graph.affectedBy([LISTS_FIELD_ID]).length > 0;
  }

  /** The record as these formulas read it: with its lists when one of them reads `{Lists}`. */
  private withLists<R extends RecordState>(nodes: readonly FormulaNode[], record: R): R {
    if (!nodes.some((n) => n.inputs.has(LISTS_FIELD_ID))) return record;
    return { ...record, values: { ...record.values, [LISTS_FIELD_ID]: this.lists.of(record.id) } };
  }

  /** The record as a formula reads it: with the team when the table has a people field (names). */
  private withTeam(table: TableState, record: RecordState): RecordState & { team?: TeamDirectory } {
    return this.graphs.get(table.id)?.people ? { ...record, team: this.team.member } : record;
  }

  /** What a table event asks of the table's records, or null when formula values cannot change. */
  planFor(event: FundraisingEvent, before: TableState, after: TableState): TableRecompute | null {
    const graph = this.graph(after);
    let nodes: FormulaNode[];
    let drop: string[] = [];
    switch (event.type) {
      case 'FieldAdded':
        if (!isDerivedType(event.data.field.type)) return null;
        nodes = graph.dependentsOf(event.data.field.id);
        break;
      case 'FieldRetyped': {
        const was = isDerivedType(
          before.fields.find((f) => f.id === event.data.field_id)?.type ?? '',
        );
        nodes = graph.dependentsOf(event.data.field_id);
        if (was && !isDerivedType(event.data.to.type)) drop = [event.data.field_id];
        break;
      }
      case 'FieldRemoved':
        nodes = graph.dependentsOf(event.data.field.id);
        if (isDerivedType(event.data.field.type)) drop = [event.data.field.id];
        break;
      default:
        return null;
    }
    return nodes.length || drop.length ? { table_id: after.id, nodes, drop } : null;
  }

  /**
   * Applies a table-wide recompute to the stored records, all in one go (a small table, a replay). Its
   * total work is bounded, not only each record's: past the table's budget (`tableRecomputeFuel`) the
   * remaining records show an error until edited (the decision refuses a formula estimated past it,
   * so this is the rare record far costlier than the sample). Work units are counted, not time, so a
   * replay of the log stores exactly the same values.
   */
  applyToTable(plan: TableRecompute, recordedAt: string): void {
    const now = Date.parse(recordedAt);
    const records = [...this.repo.recordsOf(plan.table_id)];
    // The same count a decision's estimate takes, at the same place in the log: a replay spends alike.
    let fuel = tableRecomputeFuel(records.length);
    this.readingPartsOnce(() => {
      for (const r of records) {
        const run = this.applyToRecord(plan, r, now, fuel);
        fuel -= run.spent;
        if (!sameComputed(run.computed, r.computed as Record<string, never> | undefined))
          this.repo.updateComputed(r.id, run.computed);
      }
    });
  }

  /**
   * One record's share of a table-wide recompute, given the table's budget left (`fuel`): its new
   * formula values and the units spent. The records of a table go through it in creation order,
   * whether all at once (`applyToTable`) or a slice at a time (the formula backlog).
   */
  applyToRecord(
    plan: Omit<TableRecompute, 'table_id'>,
    record: RecordState,
    now: number,
    fuel: number,
  ): { computed: ComputedValues; spent: number } {
    const computed = withoutFields(record.computed as Record<string, never> | undefined, plan.drop);
    if (!plan.nodes.length) return { computed, spent: 0 };
    const [budget, outOfBudget] =
      fuel < FORMULA_LIMITS.recordFuel
        ? [fuel, OUT_OF_TABLE_BUDGET]
        : [FORMULA_LIMITS.recordFuel, OUT_OF_RECORD_BUDGET];
    return recomputeFormulasMetered(
      plan.nodes,
      this.withLists(plan.nodes, { ...record, computed, team: this.team.member }),
      now,
      budget,
      outOfBudget,
    );
  }

  /** Everything worked out from the schema is dropped; with `changedTable`, only its schema moved. */
  reset(changedTable?: string): void {
    this.graphs.clear();
    this.cross = null;
    if (changedTable) this.columns.replan(changedTable);
    else this.columns.reset();
  }
}

function withComputed(record: RecordState, computed: Record<string, unknown>): RecordState {
  return { ...record, computed: Object.keys(computed).length ? computed : undefined };
}
