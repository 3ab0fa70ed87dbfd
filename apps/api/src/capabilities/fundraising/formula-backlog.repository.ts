import { type RecordedEvent } from '@crm/events';
import { type RecordState } from '@crm/domain';
import type { Statement } from 'better-sqlite3';
import { type Sqlite } from '../../infrastructure/database/database';

/** A table-wide formula recompute still under way (see the FormulaBacklog migration). */
export interface BacklogPlan {
  table_id: string;
  /** The log position of the schema change: records created after it were computed at creation. */
  position: number;
  recorded_at: string;
  /** Formula fields to recompute, in dependency order, and fields whose values go. */
  nodes: string[];
  drop: string[];
  /** Records up to this `seq` are done. */
  after_seq: number;
  /** The table's work budget left, carried from slice to slice as the inline recompute carries it. */
  fuel: number;
}

/** A record edited before the plan reached it: as it was then, and the events applied since. */
export interface HeldRecord {
  state: RecordState;
  events: RecordedEvent[];
}

interface PlanRow {
  table_id: string;
  position: number;
  recorded_at: string;
  nodes_json: string;
  drop_json: string;
  after_seq: number;
  fuel: number;
}

/** All SQL over `formula_backlog` and `formula_backlog_held`; written by the grid projector's backlog only. */
export class FormulaBacklogRepository {
  private readonly stmts: Record<string, Statement>;

  constructor(readonly db: Sqlite) {
    this.stmts = {
      plan: db.prepare('SELECT * FROM formula_backlog WHERE table_id = ?'),
      tables: db.prepare('SELECT table_id FROM formula_backlog ORDER BY position'),
      insert: db.prepare(
        'INSERT INTO formula_backlog (table_id, position, recorded_at, nodes_json, drop_json, after_seq, fuel) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      advance: db.prepare('UPDATE formula_backlog SET after_seq = ?, fuel = ? WHERE table_id = ?'),
      remove: db.prepare('DELETE FROM formula_backlog WHERE table_id = ?'),
      // Is the record one the plan has still to reach? One seek on each primary key.
      waiting:
        db.prepare(`SELECT 1 FROM formula_backlog b JOIN fundraising_records r ON r.table_id = b.table_id
        WHERE r.id = ? AND r.seq > b.after_seq AND r.seq < b.position`),
      held: db.prepare(
        'SELECT state_json, events_json FROM formula_backlog_held WHERE table_id = ? AND record_id = ?',
      ),
      hold: db.prepare(
        `INSERT INTO formula_backlog_held (table_id, record_id, state_json, events_json) VALUES (?, ?, ?, '[]')
        ON CONFLICT (table_id, record_id) DO NOTHING`,
      ),
      holdEvent: db.prepare(
        `UPDATE formula_backlog_held SET events_json = json_insert(events_json, '$[#]', json(?)) WHERE table_id = ? AND record_id = ?`,
      ),
      release: db.prepare('DELETE FROM formula_backlog_held WHERE table_id = ? AND record_id = ?'),
      releaseAll: db.prepare('DELETE FROM formula_backlog_held WHERE table_id = ?'),
    };
  }

  plan(tableId: string): BacklogPlan | undefined {
    const row = this.stmts.plan.get(tableId) as PlanRow | undefined;
    return (
      row && {
        table_id: row.table_id,
        position: row.position,
        recorded_at: row.recorded_at,
        nodes: JSON.parse(row.nodes_json) as string[],
        drop: JSON.parse(row.drop_json) as string[],
        after_seq: row.after_seq,
        fuel: row.fuel,
      }
    );
  }

  /** Tables with a plan under way, oldest plan first. */
  tables(): string[] {
    return (this.stmts.tables.all() as { table_id: string }[]).map((r) => r.table_id);
  }

  insert(p: BacklogPlan): void {
    this.stmts.insert.run(
      p.table_id,
      p.position,
      p.recorded_at,
      JSON.stringify(p.nodes),
      JSON.stringify(p.drop),
      p.after_seq,
      p.fuel,
    );
  }

  advance(tableId: string, afterSeq: number, fuel: number): void {
    this.stmts.advance.run(afterSeq, fuel, tableId);
  }

  /** The plan is done: it goes, with whatever it still held. */
  remove(tableId: string): void {
    this.stmts.remove.run(tableId);
    this.stmts.releaseAll.run(tableId);
  }

  /** True when the record waits for a plan of its table (created before the plan, not reached yet). */
  waiting(recordId: string): boolean {
    return this.stmts.waiting.get(recordId) !== undefined;
  }

  held(tableId: string, recordId: string): HeldRecord | undefined {
    const row = this.stmts.held.get(tableId, recordId) as
      { state_json: string; events_json: string } | undefined;
    return (
      row && {
        state: JSON.parse(row.state_json) as RecordState,
        events: JSON.parse(row.events_json) as RecordedEvent[],
      }
    );
  }

  /** Keeps the record as it is before `event` (the first time only), then notes `event`. */
  hold(before: RecordState, event: RecordedEvent): void {
    this.stmts.hold.run(before.table_id, before.id, JSON.stringify(before));
    this.stmts.holdEvent.run(JSON.stringify(event), before.table_id, before.id);
  }

  release(tableId: string, recordId: string): void {
    this.stmts.release.run(tableId, recordId);
  }
}
