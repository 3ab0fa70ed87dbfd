import { COMMITTED_ROLE, isDerivedType, TABLE_ROLES } from '@crm/domain';
import { type UnitOfWork } from '../../../infrastructure/database/unit-of-work';
import { type Sqlite } from '../../../infrastructure/database/database';
import { type FundraisingRepository } from '../fundraising.repository';

/** Aggregates over the typed relational tables; archived rows (deleted_at set) never count. */
export class RelationalSummaryQuery {
  constructor(
    private readonly db: Sqlite,
    private readonly uow: UnitOfWork,
    private readonly repo: FundraisingRepository,
  ) {}

  run() {
    return this.uow.read(() => {
      const all = <T>(sql: string) => this.db.prepare(sql).all() as T[];
      const one = <T>(sql: string) => this.db.prepare(sql).get() as T;
      return {
        counts: one<Record<string, number>>(`SELECT
          (SELECT COUNT(*) FROM fundraising_investors WHERE deleted_at IS NULL) AS investors,
          (SELECT COUNT(*) FROM fundraising_contacts WHERE deleted_at IS NULL) AS contacts,
          (SELECT COUNT(*) FROM fundraising_funds WHERE deleted_at IS NULL) AS funds,
          (SELECT COUNT(*) FROM fundraising_commitments WHERE deleted_at IS NULL) AS commitments`),
        investors_by_status: all(
          `SELECT status, COUNT(*) AS count FROM fundraising_investors WHERE deleted_at IS NULL GROUP BY status ORDER BY count DESC, status`,
        ),
        investors_by_stage: this.byStage(),
        funds:
          all(`SELECT f.id, f.name, f.target_size, f.currency, COALESCE(SUM(c.amount), 0) AS committed, COUNT(c.id) AS commitments
          FROM fundraising_funds f
          LEFT JOIN (
            SELECT c.id, c.fund_id, c.amount FROM fundraising_commitments c
            LEFT JOIN fundraising_investors i ON i.id = c.investor_id
            WHERE c.deleted_at IS NULL AND (c.status IS NULL OR c.status <> 'Withdrawn') AND (i.id IS NULL OR i.deleted_at IS NULL)
          ) c ON c.fund_id = f.id
          WHERE f.deleted_at IS NULL GROUP BY f.id ORDER BY f.name`),
        contacts_per_investor:
          all(`SELECT i.id, i.name, COUNT(c.id) AS contacts FROM fundraising_investors i
          LEFT JOIN fundraising_contacts c ON c.investor_id = i.id AND c.deleted_at IS NULL
          WHERE i.deleted_at IS NULL GROUP BY i.id ORDER BY contacts DESC, i.name LIMIT 1000`),
      };
    });
  }

  /**
   * Investors by stage with their target and committed sums. The committed amount is the investors'
   * "Committed amount" rollup (a computed value, held with the grid's records, not in a column);
   * a base where it is still typed reads the column.
   */
  private byStage() {
    const investors = this.repo.tableByRole(TABLE_ROLES.investors);
    const field = investors?.fields.find((f) => f.role === COMMITTED_ROLE);
    const select = `SELECT i.stage, COUNT(*) AS count, COALESCE(SUM(i.target_commitment), 0) AS target_commitment`;
    const order = 'WHERE i.deleted_at IS NULL GROUP BY i.stage ORDER BY count DESC, i.stage';
    if (!field || !isDerivedType(field.type))
      return this.db
        .prepare(
          `${select}, COALESCE(SUM(i.committed_amount), 0) AS committed_amount FROM fundraising_investors i ${order}`,
        )
        .all();
    // Only numbers add up: an error ({"error": …}) or a blank counts as nothing.
    const path = `$."${field.id}"`;
    return this.db
      .prepare(
        `${select}, COALESCE(SUM(CASE WHEN json_type(r.formula_json, ?) IN ('integer', 'real') THEN json_extract(r.formula_json, ?) END), 0) AS committed_amount
        FROM fundraising_investors i LEFT JOIN fundraising_records r ON r.id = i.id ${order}`,
      )
      .all(path, path);
  }
}
