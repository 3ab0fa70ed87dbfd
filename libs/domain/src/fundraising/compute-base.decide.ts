import { type CellChange, type FieldDefinition, streams } from '@crm/events';
import { type DecideContext, type Decision, DecisionBuilder } from '../base/decide-context';
import { type TableState } from '../table/table.state';
import { fieldRefText } from '../formula/printer';
import { normalizeFieldOptions } from '../values/field-options';
import { TABLE_ROLES } from './default-base';

/**
 * The default base computes what it used to ask people to type. Investors: "Committed amount" is a
 * rollup of the linked commitments whose status is Hard, Signed or Funded (SUM of their amounts),
 * the amounts typed before are kept in "Committed (typed)", and a count of the commitments is added.
 * Funds: a "Committed" rollup and a "% of target" formula. Contacts: the investor's stage as a lookup.
 * One decision, appended as one batch: on a fresh base right after its tables, on an older base once
 * by the upgrade at start. Each part is left out when its field is there already or what it reads is
 * not (a table or field removed), so a part never fails the rest.
 */

export const COMMITTED_ROLE = 'investor.committed_amount';
export const COMMITTED_TYPED_NAME = 'Committed (typed)';
/** The statuses a commitment counts with: a soft or withdrawn one is not money committed. */
export const COUNTED_STATUSES = ['Hard', 'Signed', 'Funded'];

export interface ComputeBase {
  /** New field ids: the kept typed amounts, the investors' count, the funds' rollup and share, the contacts' stage. */
  ids: { typed: string; count: string; fund_committed: string; fund_share: string; stage: string };
}

/** An investor whose typed amount is not what its commitments add up to. */
export interface CommittedDifference {
  record_id: string;
  name: string | null;
  typed: number;
  computed: number;
}

export interface BaseComputation extends Decision {
  /** Typed amounts kept in "Committed (typed)". */
  kept: number;
  differences: CommittedDifference[];
}

/** The fields of a base by table role and field role. */
function roles(ctx: DecideContext) {
  const table = (role: string) => ctx.tables().find((t) => t.role === role);
  const field = (t: TableState | undefined, role: string) => t?.fields.find((f) => f.role === role);
  return { table, field };
}

/** A field name not used in the table yet: `name`, else `name 2`… */
function freeName(table: TableState, name: string): string {
  const used = new Set(table.fields.map((f) => f.name.trim().toLowerCase()));
  let out = name;
  for (let n = 2; used.has(out.toLowerCase()); n++) out = `${name} ${n}`;
  return out;
}

/** Commitments whose status counts (of those the Status still has as choices). */
const counted = (status: FieldDefinition) => ({
  conjunction: 'or',
  conditions: COUNTED_STATUSES.filter((value) =>
    ((status.options.choices as { name: string }[] | undefined) ?? []).some(
      (c) => c.name === value,
    ),
  ).map((value) => ({ field_id: status.id, operator: 'is', value })),
});

export function decideComputeBase(cmd: ComputeBase, ctx: DecideContext): BaseComputation {
  const b = new DecisionBuilder();
  const { table, field } = roles(ctx);
  const commitments = table(TABLE_ROLES.commitments);
  const amount = field(commitments, 'commitment.amount');
  const status = field(commitments, 'commitment.status');
  if (!commitments || amount?.type !== 'currency' || status?.type !== 'single_select')
    return { ...b.build(), kept: 0, differences: [] };
  const rollup = (link: FieldDefinition) => ({
    link_field_id: link.id,
    target_field_id: amount.id,
    formula: 'SUM(values)',
    conditions: counted(status),
    // Shown as the amounts are: money in their currency.
    display: 'currency',
    // A commitment's code stands for its symbol (each investor's total is then shown in its funds').
    symbol: amount.options.symbol ?? amount.options.currency,
    precision: amount.options.precision,
  });
  const scope = (t: TableState, extra: FieldDefinition[] = []) => ({
    tableExists: (id: string) => !!ctx.table(id),
    fields: [...t.fields, ...extra],
    tableFields: (id: string) => ctx.table(id)?.fields,
  });
  const add = (t: TableState, f: FieldDefinition) =>
    b.emit(streams.table(t.id), t.version, {
      type: 'FieldAdded',
      data: { table_id: t.id, field: f },
    });
  const tools: PartTools = { rollup, scope, add, amount, status };
  const outcome = investorsPart(cmd, ctx, b, tools);

  fundsPart(cmd, ctx, tools);
  contactsPart(cmd, ctx, tools);
  return { ...b.build(), ...outcome };
}

interface PartTools {
  rollup(link: FieldDefinition): Record<string, unknown>;
  scope(t: TableState, extra?: FieldDefinition[]): Parameters<typeof normalizeFieldOptions>[3];
  add(t: TableState, f: FieldDefinition): void;
  amount: FieldDefinition;
  status: FieldDefinition;
}

/**
 * Investors: the typed amounts kept in a new field, "Committed amount" retyped to the rollup (its
 * stored values cleared in the same record events, so an undo puts them back), and the count.
 */
function investorsPart(
  cmd: ComputeBase,
  ctx: DecideContext,
  b: DecisionBuilder,
  t: PartTools,
): { kept: number; differences: CommittedDifference[] } {
  const investors = ctx.tables().find((x) => x.role === TABLE_ROLES.investors);
  const link = investors?.fields.find((f) => f.role === 'investor.commitments');
  const committed = investors?.fields.find((f) => f.role === COMMITTED_ROLE);
  if (!investors || link?.type !== 'link') return { kept: 0, differences: [] };
  const differences: CommittedDifference[] = [];
  let kept = 0;
  if (committed?.type === 'currency') {
    const typed: FieldDefinition = {
      id: cmd.ids.typed,
      name: freeName(investors, COMMITTED_TYPED_NAME),
      type: 'currency',
      options: committed.options,
      role: 'investor.committed_typed',
    };
    const amounts = [...ctx.recordsOf(investors.id)].filter(
      (r) => typeof r.values[committed.id] === 'number',
    );
    const nameId = investors.primary_field_id;
    for (const r of amounts) {
      const value = r.values[committed.id] as number;
      const computed = committedOf(ctx, r.values[link.id], t);
      const name = r.values[nameId];
      if (computed !== value)
        differences.push({
          record_id: r.id,
          name: typeof name === 'string' ? name : null,
          typed: value,
          computed,
        });
    }
    if (amounts.length) t.add(investors, typed);
    const options = normalizeFieldOptions(
      committed.name,
      'rollup',
      t.rollup(link),
      t.scope(investors),
    );
    b.emit(streams.table(investors.id), investors.version, {
      type: 'FieldRetyped',
      data: {
        table_id: investors.id,
        field_id: committed.id,
        from: { type: committed.type, options: committed.options },
        to: { type: 'rollup', options },
        // The typed amounts the rollup does not agree with (each kept in "Committed (typed)").
        unconverted: differences.map((d) => ({ record_id: d.record_id, value: d.typed })),
      },
    });
    for (const r of amounts) {
      const value = r.values[committed.id] as number;
      const changes: CellChange[] = [
        { field_id: typed.id, from: null, to: value },
        { field_id: committed.id, from: value, to: null },
      ];
      b.emit(streams.record(r.id), r.version, {
        type: 'RecordUpdated',
        data: { table_id: investors.id, record_id: r.id, changes },
      });
      kept++;
    }
  }
  countPart(cmd, investors, link, t);
  return { kept, differences };
}

/** What the rollup gives an investor linking to these commitments (archived ones left out). */
function committedOf(ctx: DecideContext, links: unknown, t: PartTools): number {
  let sum = 0;
  for (const id of Array.isArray(links) ? (links as string[]) : []) {
    const c = ctx.record(id);
    if (!c || c.archived || !COUNTED_STATUSES.includes(String(c.values[t.status.id]))) continue;
    const v = c.values[t.amount.id];
    if (typeof v === 'number') sum += v;
  }
  return sum;
}

/** Funds: what is committed to each (the same rollup as the investors') and its share of the target. */
function fundsPart(cmd: ComputeBase, ctx: DecideContext, t: PartTools): void {
  const { table, field } = roles(ctx);
  const { rollup, scope, add } = t;
  const funds = table(TABLE_ROLES.funds);
  const fundLink = field(funds, 'fund.commitments');
  const target = field(funds, 'fund.target_size');
  if (funds && fundLink?.type === 'link' && !field(funds, 'fund.committed')) {
    const committed: FieldDefinition = {
      id: cmd.ids.fund_committed,
      name: freeName(funds, 'Committed'),
      type: 'rollup',
      options: {},
      role: 'fund.committed',
    };
    committed.options = normalizeFieldOptions(
      committed.name,
      'rollup',
      rollup(fundLink),
      scope(funds),
    );
    add(funds, committed);
    if (target && !field(funds, 'fund.percent_of_target')) {
      const name = freeName({ ...funds, fields: [...funds.fields, committed] }, '% of target');
      const [size, sum] = [fieldRefText(target.id), fieldRefText(committed.id)];
      const formula = `IF(${size}, ${sum} / ${size})`;
      const options = normalizeFieldOptions(
        name,
        'formula',
        { formula, display: 'percent' },
        scope(funds, [committed]),
      );
      add(funds, {
        id: cmd.ids.fund_share,
        name,
        type: 'formula',
        options,
        role: 'fund.percent_of_target',
      });
    }
  }
}

/** Contacts: the stage of their investor, as a lookup. */
function contactsPart(cmd: ComputeBase, ctx: DecideContext, t: PartTools): void {
  const { table, field } = roles(ctx);
  const { scope, add } = t;
  const contacts = table(TABLE_ROLES.contacts);
  const investorLink = field(contacts, 'contact.investor');
  const stage = field(table(TABLE_ROLES.investors), 'investor.stage');
  if (
    contacts &&
    investorLink?.type === 'link' &&
    stage &&
    !field(contacts, 'contact.investor_stage')
  ) {
    const name = freeName(contacts, 'Investor stage');
    const options = normalizeFieldOptions(
      name,
      'lookup',
      { link_field_id: investorLink.id, target_field_id: stage.id },
      scope(contacts),
    );
    add(contacts, {
      id: cmd.ids.stage,
      name,
      type: 'lookup',
      options,
      role: 'contact.investor_stage',
    });
  }
}

/** Investors: how many commitments each has. */
function countPart(cmd: ComputeBase, investors: TableState, link: FieldDefinition, t: PartTools) {
  if (!investors.fields.some((f) => f.role === 'investor.commitments_count')) {
    const options = normalizeFieldOptions(
      'Commitment count',
      'count',
      { link_field_id: link.id },
      t.scope(investors),
    );
    t.add(investors, {
      id: cmd.ids.count,
      name: freeName(investors, 'Commitment count'),
      type: 'count',
      options,
      role: 'investor.commitments_count',
    });
  }
}
