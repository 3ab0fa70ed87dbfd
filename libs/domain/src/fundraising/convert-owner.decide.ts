import { type CellChange, type CellValue, type FieldDefinition, streams } from '@crm/events';
import { type DecideContext, type Decision, DecisionBuilder } from '../base/decide-context';
import { type TableState } from '../table/table.state';
import { normalizeFieldOptions } from '../values/field-options';
import { type TeamMember } from '../values/user-value';
import { TABLE_ROLES } from './default-base';

/**
 * The upgrade of the Investors "Owner" from free text to a people field. An owner text that names
 * one member of the team (their name or email, case and surrounding spaces aside) becomes that
 * member; any other text is kept, word for word, in a new text field "Owner (text)" on the same
 * record, so nothing is lost. One decision: the new field, the kept texts, the retype and the new
 * values, which the caller appends as one batch. Nothing to do (an empty decision) once the Owner
 * is a people field, or when the base has no such field.
 */

export const OWNER_ROLE = 'investor.owner';
export const OWNER_TEXT_NAME = 'Owner (text)';

export interface ConvertOwner {
  /** The id the "Owner (text)" field gets, if some texts name nobody. */
  text_field_id: string;
  /** Everyone with an account, disabled ones too (an old owner may have left). */
  team: readonly TeamMember[];
}

export interface OwnerConversion extends Decision {
  /** Records whose owner became a member. */
  matched: number;
  /** Owner texts that name nobody (or several people), kept in "Owner (text)". */
  unmatched: { record_id: string; value: string }[];
}

/** The member a text names: by name or by email, ignoring case and spaces around; none when several do. */
export function matchOwner(text: string, team: readonly TeamMember[]): TeamMember | undefined {
  const key = text.trim().toLowerCase();
  if (!key) return undefined;
  const hits = team.filter(
    (m) => m.name.trim().toLowerCase() === key || m.email.trim().toLowerCase() === key,
  );
  return hits.length === 1 ? hits[0] : undefined;
}

/** The Owner field of the investors table while it is still text, or null. */
export function textOwnerField(
  ctx: Pick<DecideContext, 'tables'>,
): { table: TableState; field: FieldDefinition } | null {
  const table = ctx.tables().find((t) => t.role === TABLE_ROLES.investors);
  const field = table?.fields.find((f) => f.role === OWNER_ROLE);
  return table && field && field.type === 'text' ? { table, field } : null;
}

/** A field name not yet used in the table: "Owner (text)", else "Owner (text) 2"… */
function freeName(table: TableState): string {
  const used = new Set(table.fields.map((f) => f.name.trim().toLowerCase()));
  let name = OWNER_TEXT_NAME;
  for (let n = 2; used.has(name.toLowerCase()); n++) name = `${OWNER_TEXT_NAME} ${n}`;
  return name;
}

export function decideConvertOwner(cmd: ConvertOwner, ctx: DecideContext): OwnerConversion {
  const b = new DecisionBuilder();
  const found = textOwnerField(ctx);
  if (!found) return { ...b.build(), matched: 0, unmatched: [] };
  const { table, field } = found;
  const plan: { record_id: string; version: number; from: CellValue; to: string[] }[] = [];
  const unmatched: OwnerConversion['unmatched'] = [];
  for (const r of ctx.recordsOf(table.id)) {
    const text = r.values[field.id];
    if (typeof text !== 'string' || text.trim() === '') continue;
    const member = matchOwner(text, cmd.team);
    if (!member) unmatched.push({ record_id: r.id, value: text });
    plan.push({ record_id: r.id, version: r.version, from: text, to: member ? [member.id] : [] });
  }
  const tableStream = streams.table(table.id);
  if (unmatched.length) {
    const kept: FieldDefinition = {
      id: cmd.text_field_id,
      name: freeName(table),
      type: 'text',
      options: {},
      role: null,
    };
    b.emit(tableStream, table.version, {
      type: 'FieldAdded',
      data: { table_id: table.id, field: kept },
    });
    const version = new Map(plan.map((p) => [p.record_id, p.version]));
    for (const u of unmatched)
      b.emit(streams.record(u.record_id), version.get(u.record_id)!, {
        type: 'RecordUpdated',
        data: {
          table_id: table.id,
          record_id: u.record_id,
          changes: [{ field_id: kept.id, from: null, to: u.value }],
        },
      });
  }
  const options = normalizeFieldOptions(
    field.name,
    'user',
    { multiple: false },
    {
      tableExists: (id) => !!ctx.table(id),
    },
  );
  b.emit(tableStream, table.version, {
    type: 'FieldRetyped',
    data: {
      table_id: table.id,
      field_id: field.id,
      from: { type: field.type, options: field.options },
      to: { type: 'user', options },
      unconverted: unmatched,
    },
  });
  for (const p of plan) {
    const change: CellChange = { field_id: field.id, from: p.from, to: p.to };
    b.emit(streams.record(p.record_id), p.version, {
      type: 'RecordUpdated',
      data: { table_id: table.id, record_id: p.record_id, changes: [change] },
    });
  }
  return { ...b.build(), matched: plan.length - unmatched.length, unmatched };
}
