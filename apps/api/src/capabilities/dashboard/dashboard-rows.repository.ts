import {
  type DashboardRows,
  type LoggedChange,
  type StageEntry,
  TABLE_ROLES,
  type TableState,
  WITHDRAWN,
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
  private readonly commitments: Statement;
  private readonly lps: Statement;
  private readonly commitmentsOfArchived: Statement;
  private readonly lpsOfArchived: Statement;
  private readonly byStage: Statement;
  private readonly contacted: Statement;
  private readonly entries: Statement;
  private readonly last: Statement;
  private readonly eventId: Statement;
  private readonly changes: Statement;

  constructor(db: Sqlite) {
    this.funds = db.prepare(
      "SELECT id, coalesce(name, '') AS name, target_size, currency FROM fundraising_funds WHERE deleted_at IS NULL ORDER BY id",
    );
    // An archived fund's commitments no longer count, nor an archived investor's. Those of
    // archived investors (few) are added up apart and taken away: joining every commitment to
    // its investor would cost a lookup per row.
    // Read through the covering index alone, grouped in its order (the day is taken from the date
    // afterwards, see cumulativeLines); the archived investors' part from the investor index.
    const from = (index: string) => `FROM fundraising_commitments AS c INDEXED BY ${index}
       WHERE c.deleted_at IS NULL
         AND c.fund_id IN (SELECT id FROM fundraising_funds WHERE deleted_at IS NULL)`;
    const [all, archived] = [
      from('fundraising_commitments_dashboard'),
      `${from('fundraising_commitments_investor')}
         AND c.investor_id IN (SELECT id FROM fundraising_investors WHERE deleted_at IS NOT NULL)`,
    ];
    const groups = (where: string) =>
      `SELECT c.fund_id, c.status, c.date, coalesce(SUM(c.amount), 0) AS amount, COUNT(*) AS count
       ${where} GROUP BY c.fund_id, c.status, c.date`;
    this.commitments = db.prepare(groups(all));
    this.commitmentsOfArchived = db.prepare(groups(archived));
    const lps = (where: string) =>
      `SELECT c.fund_id, COUNT(DISTINCT c.investor_id) AS count ${where}
         AND c.investor_id IS NOT NULL AND (c.status IS NULL OR c.status <> '${WITHDRAWN}')
       GROUP BY c.fund_id`;
    this.lps = db.prepare(lps(all));
    this.lpsOfArchived = db.prepare(lps(archived));
    this.byStage = db.prepare(
      `SELECT stage, COUNT(*) AS count, coalesce(SUM(target_commitment), 0) AS target_amount
       FROM fundraising_investors WHERE deleted_at IS NULL GROUP BY stage`,
    );
    this.contacted = db.prepare(
      `SELECT substr(last_contacted, 1, 10) AS day, COUNT(*) AS count
       FROM fundraising_investors WHERE deleted_at IS NULL GROUP BY substr(last_contacted, 1, 10)`,
    );
    this.last = db.prepare('SELECT coalesce(MAX(position), 0) FROM events').pluck();
    this.eventId = db.prepare('SELECT event_id FROM events WHERE position = ?').pluck();
    this.changes = db.prepare(
      `SELECT type, data FROM events WHERE position > ? AND position <= ?
         AND (type LIKE 'Record%' OR type LIKE 'Field%' OR type LIKE 'Table%') ORDER BY position`,
    );
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

  /** The live funds, their commitments by status and day, and their LPs. */
  fundsPart(): Pick<DashboardRows, 'funds' | 'commitments' | 'lps'> {
    return {
      funds: this.funds.all() as DashboardRows['funds'],
      commitments: minus(
        this.commitments.all() as DashboardRows['commitments'],
        this.commitmentsOfArchived.all() as DashboardRows['commitments'],
        (g) => JSON.stringify([g.fund_id, g.status, g.date]),
      ),
      lps: minus(
        this.lps.all() as DashboardRows['lps'],
        this.lpsOfArchived.all() as DashboardRows['lps'],
        (g) => g.fund_id,
      ),
    };
  }

  /** Live investors per stage, with their target commitments added up. */
  stagesPart(): DashboardRows['investors_by_stage'] {
    return this.byStage.all() as DashboardRows['investors_by_stage'];
  }

  /** Live investors per day of last contact. */
  contactedPart(): DashboardRows['contacted'] {
    return this.contacted.all() as DashboardRows['contacted'];
  }

  /** The id of the event at a position (null for none): whether the log read before is still this one. */
  eventIdAt(position: number): string | null {
    return (this.eventId.get(position) as string | undefined) ?? null;
  }

  /** The events after `after` up to `position` that can change a table's rows or its schema. */
  changesBetween(after: number, position: number): LoggedChange[] {
    return (this.changes.all(after, position) as { type: string; data: string }[]).map((e) => ({
      type: e.type,
      data: JSON.parse(e.data) as LoggedChange['data'],
    }));
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

/** Groups less the same groups of a part of them (amounts and counts taken away; emptied groups dropped). */
function minus<G extends { count: number; amount?: number }>(
  all: G[],
  part: G[],
  key: (g: G) => string,
): G[] {
  if (part.length === 0) return all;
  const less = new Map(part.map((g) => [key(g), g]));
  return all
    .map((g) => {
      const m = less.get(key(g));
      if (!m) return g;
      const count = g.count - m.count;
      return g.amount === undefined
        ? { ...g, count }
        : { ...g, count, amount: g.amount - m.amount! };
    })
    .filter((g) => g.count > 0);
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
