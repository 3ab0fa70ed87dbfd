import { type FieldDefinition } from '@crm/events';
import { type TableState } from '../table/table.state';
import { type BaseAt } from '../view/view-at';
import {
  type CommitmentGroup,
  type DashboardFund,
  type DashboardRows,
  WITHDRAWN,
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
  for (const r of base.recordsOf?.(table.id) ?? base.records.values()) {
    if (r.table_id !== table.id || r.archived) continue;
    out.push(pick(r.id, (role) => r.values[fieldOf.get(role) ?? '']));
  }
  return out;
}

/** Adds a value into a map of groups by key, made by `make` the first time. */
function into<K, G>(map: Map<K, G>, key: K, make: () => G, add: (g: G) => void): void {
  let g = map.get(key);
  if (!g) map.set(key, (g = make()));
  add(g);
}

interface Investor {
  id: string;
  stage: string | null;
  target: number | null;
  contacted: string | null;
}

interface Commitment {
  investor: string | null;
  fund: string | null;
  amount: number | null;
  date: string | null;
  status: string | null;
}

/** Investors by stage and by "Last contacted" day. */
function investorGroups(investors: Investor[]) {
  const byStage = new Map<string | null, DashboardRows['investors_by_stage'][number]>();
  const byDay = new Map<string | null, DashboardRows['contacted'][number]>();
  for (const i of investors) {
    into(
      byStage,
      i.stage,
      () => ({ stage: i.stage, count: 0, target_amount: 0 }),
      (g) => {
        g.count += 1;
        g.target_amount += i.target ?? 0;
      },
    );
    const day = i.contacted?.slice(0, 10) ?? null;
    into(
      byDay,
      day,
      () => ({ day, count: 0 }),
      (g) => (g.count += 1),
    );
  }
  return { investors_by_stage: [...byStage.values()], contacted: [...byDay.values()] };
}

/** Commitments by fund, status and day; the distinct investors of each fund's counted ones. */
function commitmentGroups(commitments: Commitment[]) {
  const groups = new Map<string, CommitmentGroup>();
  const lps = new Map<string, Set<string>>();
  for (const c of commitments) {
    const fund_id = c.fund!;
    const date = c.date?.slice(0, 10) ?? null;
    into(
      groups,
      JSON.stringify([fund_id, c.status, date]),
      () => ({ fund_id, status: c.status, date, amount: 0, count: 0 }),
      (g) => {
        g.amount += c.amount ?? 0;
        g.count += 1;
      },
    );
    if (c.status !== WITHDRAWN && c.investor)
      into(
        lps,
        fund_id,
        () => new Set<string>(),
        (s) => s.add(c.investor!),
      );
  }
  return {
    commitments: [...groups.values()],
    lps: [...lps].map(([fund_id, s]) => ({ fund_id, count: s.size })),
  };
}

/**
 * The dashboard's rows from a base replayed to some moment: live funds and investors, and the
 * commitments of live funds but for those of archived investors.
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
  const investors = rowsOf<Investor>(base, investorsTable, (id, get) => ({
    id,
    stage: str(get('investor.stage')),
    target: num(get('investor.target_commitment')),
    contacted: str(get('investor.last_contacted')),
  }));
  const archivedInvestors = new Set<string>();
  for (const r of base.records.values())
    if (r.archived && r.table_id === investorsTable?.id) archivedInvestors.add(r.id);
  const liveFunds = new Set(funds.map((f) => f.id));
  const commitments = rowsOf<Commitment>(base, commitmentsTable, (_id, get) => ({
    investor: link(get('commitment.investor')),
    fund: link(get('commitment.fund')),
    amount: num(get('commitment.amount')),
    date: str(get('commitment.date')),
    status: str(get('commitment.status')),
  })).filter(
    (c) =>
      (c.investor === null || !archivedInvestors.has(c.investor)) &&
      c.fund !== null &&
      liveFunds.has(c.fund),
  );
  const field = (t: TableState | undefined, role: string) => t?.fields.find((f) => f.role === role);
  return {
    funds,
    ...commitmentGroups(commitments),
    ...investorGroups(investors),
    stages: choicesOf(field(investorsTable, 'investor.stage')),
    statuses: choicesOf(field(commitmentsTable, 'commitment.status')),
  };
}

/**
 * The parts of the live dashboard rows, each read by its own queries: the funds with their
 * commitments and LPs; the investors by stage; the investors by day of last contact.
 */
export type DashboardPart = 'funds' | 'stages' | 'contacted';
export const DASHBOARD_PARTS: readonly DashboardPart[] = ['funds', 'stages', 'contacted'];

/** A logged event as far as the dashboard's parts depend on it. */
export interface LoggedChange {
  type: string;
  data: { table_id?: string; changes?: readonly { field_id: string }[] };
}

const STAGE_ROLES = new Set(['investor.stage', 'investor.target_commitment']);
const CONTACT_ROLES = new Set(['investor.last_contacted']);

/**
 * The parts of the live dashboard rows that events may have changed, read against the schema the
 * rows are read with. A schema event of a table the dashboard reads changes every part; a record
 * event of the funds or commitments changes the funds' part; an investor created, archived or
 * brought back changes all three (an archived investor's commitments stop counting); an investor's
 * cells change the part that reads their fields, if any. Events of other tables change nothing.
 */
export function dashboardPartsTouched(
  events: Iterable<LoggedChange>,
  tables: readonly TableState[],
): Set<DashboardPart> {
  const touched = new Set<DashboardPart>();
  const roleOf = new Map(tables.map((t) => [t.id, t]));
  const read = new Set<string>([TABLE_ROLES.investors, TABLE_ROLES.commitments, TABLE_ROLES.funds]);
  for (const e of events) {
    const table = e.data.table_id === undefined ? undefined : roleOf.get(e.data.table_id);
    // A table no longer in the schema: whatever it was, read everything again.
    if (!table) return new Set(DASHBOARD_PARTS);
    if (!table.role || !read.has(table.role)) continue;
    if (!e.type.startsWith('Record')) return new Set(DASHBOARD_PARTS);
    if (table.role !== TABLE_ROLES.investors) {
      touched.add('funds');
      continue;
    }
    if (e.type !== 'RecordUpdated') return new Set(DASHBOARD_PARTS);
    const roles = new Map(table.fields.map((f) => [f.id, f.role]));
    for (const c of e.data.changes ?? []) {
      const role = roles.get(c.field_id) ?? '';
      if (STAGE_ROLES.has(role)) touched.add('stages');
      if (CONTACT_ROLES.has(role)) touched.add('contacted');
    }
  }
  return touched;
}
