import { type CellValue, type FieldDefinition, streams } from '@crm/events';
import { type DecideContext, type Decision, DecisionBuilder } from '../base/decide-context';
import { type RecordState } from '../record/record.state';
import { decideAddField } from '../table/decide/add-field.decide';
import { type TableState } from '../table/table.state';
import { FOLLOW_UP_VALUES, type FollowUpValue } from '../values/field-types';
import { valuesEqual } from '../values/normalize';
import { addDays } from './follow-up-input';
import {
  effectiveStatus,
  type FollowUpSettings,
  localDate,
  reminderStatusOn,
  startOfDay,
  stalenessOn,
} from './follow-up.derive';
import { FOLLOW_UP_ROLES } from './reminder.state';

/**
 * The follow-up values as fields of investors and contacts (type `follow_up`, read-only): stored in
 * the record like any value, so the grid, views, formulas and automation rules read them as they
 * read any field. The system writes them, by events caused by what changed them (an interaction, a
 * reminder, the settings) and by the fund's day starting (the scheduler's daily run): a record is
 * written only when one of its values differs, so a night rewrites the few records that turned.
 */
export const FOLLOW_UP_FIELDS: readonly { value: FollowUpValue; name: string }[] = [
  { value: 'last_contacted_by', name: 'Last contacted by' },
  { value: 'staleness', name: 'Staleness' },
  { value: 'reminder_status', name: 'Reminder status' },
  { value: 'interactions_90_days', name: 'Interactions (90 days)' },
];

export const followUpRole = (value: FollowUpValue) => `follow_up.${value}`;

/** Days the interactions count covers, today included. */
export const INTERACTION_WINDOW_DAYS = 90;

/** What a record's follow-up values are worked out from (the reminders' read models). */
export interface FollowUpFacts {
  last_contacted_at: string | null;
  last_contacted_by: string | null;
  /** Its reminders still open or snoozed (`due_on`: the due date, or a snoozed one's end of snooze). */
  open_reminders: readonly { status: string; snoozed_until: string | null; due_on: string }[];
  /** When each of its interactions of about the last 90 days happened (as the record or its contact). */
  interactions_at: readonly string[];
}

export const NO_FOLLOW_UP: FollowUpFacts = {
  last_contacted_at: null,
  last_contacted_by: null,
  open_reminders: [],
  interactions_at: [],
};

/** The instant the interactions window of `today` starts (the fund's calendar day 89 days before). */
export const interactionWindowStart = (today: string, s: FollowUpSettings): string =>
  startOfDay(addDays(today, 1 - INTERACTION_WINDOW_DAYS), s);

/**
 * The four values on `today`. A record nothing was ever logged or planned for keeps empty cells
 * (rather than `none` and 0 written into every record of the base); once it has a fact, `none` and
 * 0 are written as values.
 */
export function followUpValues(
  facts: FollowUpFacts,
  today: string,
  s: FollowUpSettings,
  typedOn: string | null = null,
): Record<FollowUpValue, CellValue> {
  const touched =
    typedOn !== null ||
    facts.last_contacted_at !== null ||
    facts.open_reminders.length > 0 ||
    facts.interactions_at.length > 0;
  if (!touched)
    return {
      last_contacted_by: null,
      staleness: null,
      reminder_status: null,
      interactions_90_days: null,
    };
  const since = interactionWindowStart(today, s);
  const loggedOn = facts.last_contacted_at === null ? null : localDate(facts.last_contacted_at, s);
  // A date typed (or imported) into "Last contacted" counts as a contact on that day.
  const lastOn = loggedOn === null || (typedOn !== null && typedOn > loggedOn) ? typedOn : loggedOn;
  return {
    last_contacted_by: facts.last_contacted_by,
    staleness: stalenessOn(lastOn, today, s) || null,
    // A reminder snoozed past today is not pressing until its snooze ends (as the drawer shows it).
    reminder_status: reminderStatusOn(
      facts.open_reminders.filter((r) => effectiveStatus(r, today) === 'open').map((r) => r.due_on),
      today,
    ),
    interactions_90_days: facts.interactions_at.filter((at) => at >= since).length,
  };
}

/** A table's "Last contacted" field: the date people type or import (a role ending so). */
export function lastContactedField(table: TableState): FieldDefinition | undefined {
  return table.fields.find(
    (f) => !!f.role?.endsWith('.last_contacted') && (f.type === 'date' || f.type === 'date_time'),
  );
}

/** The day a record's "Last contacted" cell names, in the fund's zone; null when empty. */
export function typedLastContact(
  record: RecordState,
  table: TableState,
  s: FollowUpSettings,
): string | null {
  const field = lastContactedField(table);
  const v = field ? record.values[field.id] : undefined;
  if (typeof v !== 'string' || v === '') return null;
  return field!.type === 'date' ? v.slice(0, 10) : localDate(v, s);
}

/** A table's follow-up fields by what they hold. */
export function followUpFieldsOf(table: TableState): { field_id: string; value: FollowUpValue }[] {
  return table.fields
    .filter((f) => f.type === 'follow_up')
    .map((f) => ({ field_id: f.id, value: f.options.value as FollowUpValue }))
    .filter((f) => FOLLOW_UP_VALUES.includes(f.value));
}

export interface RefreshFollowUp {
  /** The records to bring up to date, with their facts. */
  records: readonly { record: RecordState; facts: FollowUpFacts }[];
  today: string;
  settings: FollowUpSettings;
}

/**
 * One `RecordUpdated` per record whose follow-up values differ from what it holds (from and to, as
 * every change); archived records and records of tables without the fields are left as they are.
 */
export function decideRefreshFollowUp(cmd: RefreshFollowUp, ctx: DecideContext): Decision {
  const b = new DecisionBuilder();
  for (const { record, facts } of cmd.records) {
    const table = ctx.table(record.table_id);
    if (!table || record.archived) continue;
    const fields = followUpFieldsOf(table);
    if (fields.length === 0) continue;
    const typedOn = typedLastContact(record, table, cmd.settings);
    const values = followUpValues(facts, cmd.today, cmd.settings, typedOn);
    const changes = fields
      .map((f) => ({
        field_id: f.field_id,
        from: record.values[f.field_id] ?? null,
        to: values[f.value],
      }))
      .filter((c) => !valuesEqual(c.from, c.to));
    if (changes.length)
      b.emit(streams.record(record.id), record.version, {
        type: 'RecordUpdated',
        data: { table_id: record.table_id, record_id: record.id, changes },
      });
  }
  return b.build();
}

/** The context with one table as the decision so far leaves it. */
function withTable(ctx: DecideContext, table: TableState): DecideContext {
  return {
    table: (id) => (id === table.id ? table : ctx.table(id)),
    tables: () => ctx.tables().map((t) => (t.id === table.id ? table : t)),
    record: (id) => ctx.record(id),
    recordsOf: (id) => ctx.recordsOf(id),
    recordSample: ctx.recordSample && ((id, size) => ctx.recordSample!(id, size)),
    view: (id) => ctx.view(id),
    viewIds: () => ctx.viewIds(),
    member: ctx.member,
  };
}

/** Ids for the fields an upgrade adds, by table and value. */
export type FollowUpFieldIds = (tableId: string, value: FollowUpValue) => string;

/**
 * The follow-up fields the investors and contacts tables lack, added (the upgrade of a base made
 * before them). `added` lists the roles each table ever had, so a field people removed is not
 * brought back at the next start.
 */
export function decideAddFollowUpFields(
  ids: FollowUpFieldIds,
  everAdded: (tableId: string) => ReadonlySet<string>,
  ctx: DecideContext,
): Decision {
  const appends: Decision['appends'] = [];
  for (const table of ctx.tables()) {
    if (!table.role || !FOLLOW_UP_ROLES.includes(table.role)) continue;
    let current = table;
    for (const { value, name } of FOLLOW_UP_FIELDS) {
      const role = followUpRole(value);
      if (everAdded(table.id).has(role) || current.fields.some((f) => f.role === role)) continue;
      const taken = new Set(current.fields.map((f) => f.name.toLowerCase()));
      let free = name;
      for (let n = 2; taken.has(free.toLowerCase()); n++) free = `${name} ${n}`;
      const decision = decideAddField(
        {
          table_id: table.id,
          field: {
            id: ids(table.id, value),
            name: free,
            type: 'follow_up',
            options: { value },
            role,
          },
        },
        withTable(ctx, current),
      );
      appends.push(...decision.appends);
      const added = decision.appends[0].events[0].data as { field: TableState['fields'][number] };
      current = {
        ...current,
        fields: [...current.fields, added.field],
        version: current.version + 1,
      };
    }
  }
  return { appends, conflicts: [] };
}
