import { type FieldDefinition } from '@crm/events';
import { type TableState } from '../table/table.state';
import { type BaseAt } from '../view/view-at';
import {
  type DashboardCommitment,
  type DashboardFund,
  type DashboardInvestor,
  type DashboardRows,
} from './dashboard';
import { TABLE_ROLES } from './default-base';

const byRole = (base: BaseAt, role: string) =>
  [...base.tables.values()].find((t) => t.role === role);

/** The choices of a select field, in order. */
export function choicesOf(field: FieldDefinition | undefined): string[] {
  const list = field?.options.choices;
  return Array.isArray(list) ? list.map((c: { name: string }) => c.name) : [];
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
const link = (v: unknown) => (Array.isArray(v) && typeof v[0] === 'string' ? v[0] : null);

/** A table's live records as objects of the role fields' values, read by `pick`. */
function rowsOf<T>(
  base: BaseAt,
  table: TableState | undefined,
  pick: (id: string, get: (role: string) => unknown) => T,
): T[] {
  if (!table) return [];
  const fieldOf = new Map(table.fields.filter((f) => f.role).map((f) => [f.role!, f.id]));
  const out: T[] = [];
  for (const r of base.records.values()) {
    if (r.table_id !== table.id || r.archived) continue;
    out.push(pick(r.id, (role) => r.values[fieldOf.get(role) ?? '']));
  }
  return out;
}

/**
 * The dashboard's rows from a base replayed to some moment: live funds, investors and the
 * commitments of live investors and funds (an archived investor's commitments no longer count).
 */
export function dashboardRowsOf(base: BaseAt): DashboardRows {
  const investorsTable = byRole(base, TABLE_ROLES.investors);
  const commitmentsTable = byRole(base, TABLE_ROLES.commitments);
  const funds = rowsOf<DashboardFund>(base, byRole(base, TABLE_ROLES.funds), (id, get) => ({
    id,
    name: str(get('fund.name')) ?? '',
    target_size: num(get('fund.target_size')),
    currency: str(get('fund.currency')),
  }));
  const investors = rowsOf<DashboardInvestor>(base, investorsTable, (id, get) => ({
    id,
    stage: str(get('investor.stage')),
    target_commitment: num(get('investor.target_commitment')),
    last_contacted: str(get('investor.last_contacted')),
  }));
  const liveInvestors = new Set(investors.map((i) => i.id));
  const liveFunds = new Set(funds.map((f) => f.id));
  const commitments = rowsOf<DashboardCommitment>(base, commitmentsTable, (id, get) => ({
    id,
    investor_id: link(get('commitment.investor')),
    fund_id: link(get('commitment.fund')),
    amount: num(get('commitment.amount')),
    date: str(get('commitment.date')),
    status: str(get('commitment.status')),
  })).filter(
    (c) =>
      (c.investor_id === null || liveInvestors.has(c.investor_id)) &&
      c.fund_id !== null &&
      liveFunds.has(c.fund_id),
  );
  const field = (t: TableState | undefined, role: string) => t?.fields.find((f) => f.role === role);
  return {
    funds,
    investors,
    commitments,
    stages: choicesOf(field(investorsTable, 'investor.stage')),
    statuses: choicesOf(field(commitmentsTable, 'commitment.status')),
  };
}
