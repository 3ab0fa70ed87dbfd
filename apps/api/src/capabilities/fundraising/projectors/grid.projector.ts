import { type FundraisingEvent, type RecordedEvent } from '@crm/events';
import { evolveRecord, evolveTable, type RecordState } from '@crm/domain';
import { type Projector } from '../../../infrastructure/projections/projector';
import { type FundraisingRepository } from '../fundraising.repository';
import { FormulaBacklog, recordAfter } from './formula-backlog';
import { type FormulaValues } from './formula-values';
import { LinkedValues } from './linked-values';

/**
 * The grid: `fundraising_tables`, `fundraising_records` and the `fundraising_state` head row.
 * State changes go through the domain's evolve functions, so the grid and a replay agree.
 */
export class GridProjector implements Projector {
  readonly name = 'grid';
  readonly tables = [
    'fundraising_links',
    'formula_backlog_held',
    'formula_backlog',
    'fundraising_records',
    'fundraising_tables',
    'fundraising_state',
  ] as const;

  /** Rebuild mode: records live here until endBulk writes each once. */
  private bulk: { records: Map<string, RecordState>; inserted: Map<string, number> } | null = null;

  /** Formula values live in the same rows (`formula_json`), recomputed as records and fields change. */
  private readonly formulas: FormulaValues;
  /** Lookups, rollups and counts of the records linking to a changed record. */
  private readonly linked: LinkedValues;

  constructor(
    private readonly repo: FundraisingRepository,
    /** Large tables' recomputes, in slices after the commit (a replay recomputes in one go). */
    readonly backlog = new FormulaBacklog(repo),
  ) {
    this.formulas = backlog.formulas;
    this.formulas.readRecord = (id) => this.readRecord(id);
    this.formulas.readPicking = (id, fieldIds) =>
      this.bulk?.records.get(id) ?? this.repo.recordPicking(id, fieldIds);
    // A record recomputed because a record it links to changed keeps its stored values: only its
    // computed ones are written (a fund's row holds thousands of links; rewriting it costs).
    this.linked = new LinkedValues(
      repo,
      this.formulas,
      this.formulas.readRecord,
      (r) => (this.bulk ? this.writeRecord(r) : this.repo.updateComputed(r.id, r.computed ?? {})),
      // A rebuild changes held records in place (no whole `before`); a recompute under way may not
      // have reached the values a delta would start from.
      () => !this.bulk && !this.backlog.hasWork(),
    );
  }

  async beginBulk(): Promise<void> {
    this.holdRows();
  }

  async endBulk(): Promise<void> {
    this.writeHeld();
    this.formulas.columns.reset();
    this.formulas.columns.enabled = true;
  }

  private holdRows(): void {
    this.bulk = { records: new Map(), inserted: new Map() };
    // Held records are not in the rows yet: rollups read them one by one until the rebuild ends.
    this.formulas.columns.enabled = false;
  }

  private writeHeld(): void {
    const bulk = this.bulk;
    this.bulk = null;
    if (!bulk) return;
    for (const [id, r] of bulk.records) {
      const seq = bulk.inserted.get(id);
      if (seq !== undefined) this.repo.insertRecord(r, seq);
      else this.repo.updateRecord(r);
    }
  }

  private readRecord(id: string): RecordState | undefined {
    return this.bulk?.records.get(id) ?? this.repo.record(id);
  }

  /** `archivedFrom`: the archived flag of the stored row `r` replaces, when known. */
  private writeRecord(r: RecordState, seq?: number, archivedFrom?: boolean): void {
    this.formulas.columns.note(r);
    if (this.bulk) {
      this.bulk.records.set(r.id, r);
      if (seq !== undefined) this.bulk.inserted.set(r.id, seq);
    } else if (seq !== undefined) this.repo.insertRecord(r, seq);
    else this.repo.updateRecord(r, archivedFrom);
  }

  async apply(events: readonly RecordedEvent[]): Promise<void> {
    for (const e of events)
      if (e.type === 'MembershipAdded' || e.type === 'MembershipRemoved') this.moved(e);
      else this.project(e);
  }

  private project(recorded: RecordedEvent): void {
    this.formulas.team.learn(recorded);
    const event = recorded as unknown as FundraisingEvent;
    const stamp = { recorded_at: recorded.recorded_at, actor_id: recorded.metadata.actor_id };
    switch (event.type) {
      case 'TableCreated': {
        if (this.repo.table(event.data.table_id)) break;
        this.repo.insertTable(evolveTable(undefined, event)!);
        break;
      }
      case 'TableRenamed':
      case 'FieldAdded':
      case 'FieldRenamed':
      case 'FieldRetyped':
      case 'FieldRemoved': {
        let table = this.repo.table(event.data.table_id);
        if (!table || table.version >= recorded.stream_version) break;
        if (!this.bulk) {
          // A recompute still under way ran against the schema as it is: it finishes first.
          this.backlog.finish(table.id);
          table = this.repo.table(table.id)!;
        }
        const updated = evolveTable(table, event)!;
        this.repo.updateTable(updated);
        // Lookups and rollups read other tables' fields: every table's graph is worked out again.
        this.formulas.reset(table.id);
        this.linked.invalidate();
        if (event.type === 'FieldRemoved') {
          // Write held records first so the strip reaches them too.
          if (this.bulk) this.flushHeld();
          this.repo.stripField(table.id, event.data.field.id);
        }
        const own = this.formulas.planFor(event, table, this.repo.table(table.id) ?? updated);
        for (const plan of [own, ...this.linked.plansFor(event)]) {
          if (plan && this.bulk) {
            this.flushHeld();
            this.formulas.applyToTable(plan, recorded.recorded_at);
          } else if (plan) this.backlog.recompute(plan, recorded);
        }
        break;
      }
      case 'RecordCreated': {
        // Live, the insert itself ignores a record already there (idempotent); in bulk the map answers.
        if (this.bulk?.records.has(event.data.record_id)) break;
        this.linked.indexEvent(event);
        this.writeRecord(
          this.formulas.onRecord(
            evolveRecord(undefined, event, stamp)!,
            'all',
            recorded.recorded_at,
          ),
          recorded.position,
        );
        break;
      }
      case 'RecordUpdated':
      case 'RecordArchived':
      case 'RecordUnarchived':
        this.recordChanged(recorded, event, stamp);
        break;
      default:
        break;
    }
  }

  /** An update, archive or unarchive of a record: its formulas, then the records linking to it. */
  private recordChanged(
    recorded: RecordedEvent,
    event: FundraisingEvent & { type: 'RecordUpdated' | 'RecordArchived' | 'RecordUnarchived' },
    stamp: { recorded_at: string; actor_id: string },
  ): void {
    const record = this.readRecord(event.data.record_id);
    if (!record || record.version >= recorded.stream_version) return;
    this.linked.indexEvent(event);
    let after: RecordState;
    if (!this.bulk && this.backlog.holds(record, recorded)) {
      // Its formulas wait for the table's recompute to reach it, which applies this event again.
      after = evolveRecord(record, event, stamp)!;
    } else {
      // In bulk mode the held record is the projector's own: changed where it lies, not copied.
      after = recordAfter(this.formulas, record, recorded, !!this.bulk);
    }
    this.writeRecord(after, undefined, record.archived);
    const changed =
      event.type === 'RecordUpdated' ? event.data.changes.map((c) => c.field_id) : 'all';
    // `record` as it was: in bulk its cells changed in place, but its computed values are replaced,
    // never changed in place (see withComputed), which is all a rebuild compares (no delta is
    // taken then, see LinkedValues).
    this.linked.propagate(record, after, changed, recorded.recorded_at);
  }

  /** A record moved into or out of a list: the formulas reading `{Lists}` follow (a rebuild's too). */
  private moved(recorded: RecordedEvent): void {
    const d = recorded.data as { record_id: string; table_id: string; list: string };
    this.formulas.lists.move(d.record_id, d.list, recorded.type === 'MembershipAdded');
    // The record is read only when one of its table's formulas reads its lists.
    if (!this.formulas.readsLists(d.table_id)) return;
    const record = this.readRecord(d.record_id);
    if (!record) return;
    const after = this.formulas.onListsMoved(record, recorded.recorded_at);
    if (after === record) return;
    if (this.bulk) this.writeRecord(after);
    else this.repo.updateComputed(after.id, after.computed ?? {});
    // Lookups and rollups of those formula values in other tables follow.
    this.linked.propagate(record, after, [], recorded.recorded_at);
  }

  /** The head row: every event moves the base version, so it is written once per batch. */
  async afterBatch(last: RecordedEvent): Promise<void> {
    this.repo.setState(last.position, last.recorded_at, last.metadata.actor_id);
  }

  private flushHeld(): void {
    this.writeHeld();
    this.holdRows();
  }

  async reset(): Promise<void> {
    for (const t of this.tables) this.repo.db.prepare(`DELETE FROM ${t}`).run();
    this.repo.invalidateSchema();
    this.formulas.reset();
    this.formulas.lists.reset();
    this.formulas.team.replayFromStart();
    this.linked.reset();
    this.backlog.reset();
  }
}
