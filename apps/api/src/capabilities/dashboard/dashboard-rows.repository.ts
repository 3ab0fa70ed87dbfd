import {
  choicesOf,
  type DashboardRows,
  type StageEntry,
  TABLE_ROLES,
  type TableState,
} from '@crm/domain';
import type { Statement } from 'better-sqlite3';
import { type Sqlite } from '../../infrastructure/database/database';

/** Where the stage entries live: the investors table and its stage field, as of some moment. */
export interface StageField {
  table_id: string;
  field_id: string;
}

/**
 * The dashboard's rows from the typed relational read models (live records only), and the stage
 * entries from the log. The relational tables are keyed by the fields' roles, so a renamed table or
 * field reads the same.
 */
export class DashboardRowsRepository {
  private readonly funds: Statement;
  private readonly investors: Statement;
  private readonly commitments: Statement;
  private readonly entries: Statement;
  private readonly last: Statement;

  constructor(db: Sqlite) {
    this.funds = db.prepare(
      "SELECT id, coalesce(name, '') AS name, target_size, currency FROM fundraising_funds WHERE deleted_at IS NULL ORDER BY id",
    );
    this.investors = db.prepare(
      'SELECT id, stage, target_commitment, last_contacted FROM fundraising_investors WHERE deleted_at IS NULL ORDER BY id',
    );
    // An archived investor's commitments no longer count; nor do an archived fund's.
    this.commitments = db.prepare(
      `SELECT c.id, c.investor_id, c.fund_id, c.amount, c.date, c.status
       FROM fundraising_commitments AS c
       JOIN fundraising_funds AS f ON f.id = c.fund_id AND f.deleted_at IS NULL
       LEFT JOIN fundraising_investors AS i ON i.id = c.investor_id
       WHERE c.deleted_at IS NULL AND (c.investor_id IS NULL OR i.deleted_at IS NULL)
       ORDER BY c.id`,
    );
    this.last = db.prepare('SELECT coalesce(MAX(position), 0) FROM events').pluck();
    this.entries = db
      .prepare(
        `SELECT type, data, recorded_at FROM events
         WHERE position > ? AND position <= ? AND recorded_at >= ? AND type IN ('RecordCreated', 'RecordUpdated')
           AND stream_id LIKE 'record-%' AND instr(data, ?) > 0
         ORDER BY position`,
      )
      .raw(true);
  }

  /** The log's last position (every kind of event: the activity feed shows them all). */
  head(): number {
    return this.last.get() as number;
  }

  /** Live rows, with the choices of the stage and status fields of the present schema. */
  live(tables: TableState[]): DashboardRows {
    const role = (r: string) => tables.find((t) => t.role === r);
    const field = (t: TableState | undefined, r: string) => t?.fields.find((f) => f.role === r);
    return {
      funds: this.funds.all() as DashboardRows['funds'],
      investors: this.investors.all() as DashboardRows['investors'],
      commitments: this.commitments.all() as DashboardRows['commitments'],
      stages: choicesOf(field(role(TABLE_ROLES.investors), 'investor.stage')),
      statuses: choicesOf(field(role(TABLE_ROLES.commitments), 'commitment.status')),
    };
  }

  /** Records entering a stage (created in it or moved to it) from `since`, after `after` up to `position`. */
  stageEntries(stage: StageField, position: number, since: string, after = 0): StageEntry[] {
    const out: StageEntry[] = [];
    for (const [type, data, at] of this.entries.iterate(
      after,
      position,
      since,
      stage.field_id,
    ) as Iterable<[string, string, string]>) {
      const d = JSON.parse(data) as {
        record_id: string;
        table_id: string;
        values?: Record<string, unknown>;
        changes?: { field_id: string; to: unknown }[];
      };
      if (d.table_id !== stage.table_id) continue;
      const to =
        type === 'RecordCreated'
          ? d.values?.[stage.field_id]
          : d.changes?.find((c) => c.field_id === stage.field_id)?.to;
      if (typeof to === 'string' && to !== '') out.push({ record_id: d.record_id, stage: to, at });
    }
    return out;
  }
}

/** The investors table's stage field in a schema, if it has one. */
export function stageFieldOf(tables: Iterable<TableState>): StageField | null {
  for (const t of tables)
    if (t.role === TABLE_ROLES.investors) {
      const f = t.fields.find((x) => x.role === 'investor.stage');
      return f ? { table_id: t.id, field_id: f.id } : null;
    }
  return null;
}
