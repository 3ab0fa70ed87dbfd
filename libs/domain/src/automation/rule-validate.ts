import {
  type AutomationAction,
  type AutomationDefinition,
  type AutomationTrigger,
  type FieldDefinition,
} from '@crm/events';
import { DomainError, type DomainErrorReason, invalid } from '../errors';
import { isObj } from '../filter/config-problem';
import { checkFilters } from '../filter/validate-filter';
import { canonicalTimeZone } from '../formula/dates/time-zones';
import { type TableState } from '../table/table.state';
import { LIMITS } from '../values/limits';
import { isComputedType } from '../values/field-types';
import { normalizeCell } from '../values/normalize';
import { MAX_ACTIONS } from './automation.state';

/** Checking a rule as a client sent it: every mistake is a 400 naming its part, and its reason. */

const TRIGGERS = ['record_created', 'record_updated', 'record_matches', 'schedule'] as const;
const ACTIONS = ['set_membership', 'set_field', 'create_reminder', 'log_note'] as const;
const OPS = ['add', 'remove', 'move'] as const;
const EVERY = ['day', 'week', 'hour'] as const;
const NOTE_CHARS = 10_000;

/** What the checks read: the tables, and whether a list exists. */
export interface RuleSchema {
  table(id: string): TableState | undefined;
  tables(): Iterable<TableState>;
  isList(name: string): boolean;
}

function wrong(
  part: string,
  message: string,
  reason: DomainErrorReason = 'invalid_value',
  details: Record<string, unknown> = {},
): never {
  throw invalid(`${part}: ${message}`, { field: part, ...details }, reason);
}

const oneOf = <T extends string>(list: readonly T[], v: unknown): v is T =>
  typeof v === 'string' && (list as readonly string[]).includes(v);

/** A filter mistake, named from the rule's part (`trigger.to`, `conditions.conditions[0]…`). */
function asPart<T>(part: string, check: () => T, rename: (field: string) => string): T {
  try {
    return check();
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    const field = rename(String(e.details.field ?? ''));
    throw invalid(`${part}: ${e.message}`, { ...e.details, field }, e.reason);
  }
}

export function checkRuleName(raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim().length === 0) wrong('name', 'must be a non-empty text');
  if ([...raw].length > LIMITS.nameChars)
    wrong('name', `at most ${LIMITS.nameChars} characters`, 'too_large', {
      limit: LIMITS.nameChars,
    });
  if (raw.includes('\u0000')) wrong('name', 'holds a NUL character', 'nul_character');
  return raw.trim();
}

function fieldOfTable(part: string, table: TableState, id: unknown): FieldDefinition {
  const field = table.fields.find((f) => f.id === id);
  if (field) return field;
  if (typeof id !== 'string') wrong(part, 'must be a field id');
  throw invalid(
    `${part}: field ${JSON.stringify(id)} is not a field of table "${table.name}"`,
    { field: part, given: id, table_id: table.id },
    'field_of_another_table',
  );
}

function checkTo(
  table: TableState,
  fieldId: string,
  raw: unknown,
): { operator: string; value: unknown } {
  if (!isObj(raw)) wrong('trigger.to', 'a condition is { operator, value }');
  const fields = new Map(table.fields.map((f) => [f.id, f]));
  const group = asPart(
    'trigger.to',
    () =>
      checkFilters(
        {
          conjunction: 'and',
          conditions: [{ field_id: fieldId, operator: raw.operator, value: raw.value }],
        },
        fields,
        null,
      ),
    () => 'trigger.to',
  );
  const c = group.conditions[0] as { operator: string; value: unknown };
  const blank = c.value === null || c.value === '' || (Array.isArray(c.value) && !c.value.length);
  if (blank && c.operator !== 'is_empty' && c.operator !== 'is_not_empty')
    wrong('trigger.to', `${c.operator} needs a value`);
  return { operator: c.operator, value: c.value };
}

function checkSchedule(t: Record<string, unknown>, table_id: string): AutomationTrigger {
  if (!oneOf(EVERY, t.every)) wrong('trigger.every', `must be one of ${EVERY.join(', ')}`);
  const at = typeof t.at === 'string' ? /^([01]\d|2[0-3]):([0-5]\d)$/.exec(t.at) : null;
  if (!at)
    wrong('trigger.at', 'must be a time of day as HH:MM (00:00 to 23:59)', 'invalid_value', {
      given: t.at ?? null,
    });
  const zone = typeof t.time_zone === 'string' ? canonicalTimeZone(t.time_zone) : null;
  if (!zone)
    wrong(
      'trigger.time_zone',
      `unknown time zone ${JSON.stringify(t.time_zone ?? null)}`,
      'unknown_time_zone',
    );
  const out: AutomationTrigger = {
    type: 'schedule',
    table_id,
    every: t.every,
    at: t.at as string,
    time_zone: zone,
  };
  if (t.every === 'week') {
    if (!Number.isInteger(t.weekday) || (t.weekday as number) < 1 || (t.weekday as number) > 7)
      wrong('trigger.weekday', 'a weekly rule needs a weekday from 1 (Monday) to 7 (Sunday)');
    out.weekday = t.weekday as number;
  } else if (t.weekday !== undefined) wrong('trigger.weekday', 'only a weekly rule has a weekday');
  return out;
}

export function checkTrigger(raw: unknown, schema: RuleSchema): AutomationTrigger {
  if (!isObj(raw)) wrong('trigger', 'a trigger is { type, table_id, … }');
  if (!oneOf(TRIGGERS, raw.type))
    wrong(
      'trigger.type',
      `unknown trigger ${JSON.stringify(raw.type ?? null)}; use one of ${TRIGGERS.join(', ')}`,
      'unknown_trigger',
    );
  const table = typeof raw.table_id === 'string' ? schema.table(raw.table_id) : undefined;
  if (!table)
    wrong('trigger.table_id', `unknown table ${JSON.stringify(raw.table_id ?? null)}`, 'not_found');
  switch (raw.type) {
    case 'record_created':
    case 'record_matches':
      return { type: raw.type, table_id: table.id };
    case 'schedule':
      return checkSchedule(raw, table.id);
    case 'record_updated': {
      const out: AutomationTrigger = { type: 'record_updated', table_id: table.id };
      if (raw.fields !== undefined) {
        if (!Array.isArray(raw.fields) || raw.fields.length === 0)
          wrong('trigger.fields', 'must be a non-empty list of field ids');
        out.fields = [
          ...new Set(raw.fields.map((id, i) => fieldOfTable(`trigger.fields[${i}]`, table, id).id)),
        ];
      }
      if (raw.to !== undefined) {
        if (out.fields?.length !== 1)
          wrong('trigger.to', 'a `to` condition needs exactly one field in `fields`');
        out.to = checkTo(table, out.fields[0], raw.to);
      }
      return out;
    }
  }
}

export function checkConditions(raw: unknown, table: TableState): Record<string, unknown> | null {
  if (raw === null || raw === undefined) return null;
  const fields = new Map(table.fields.map((f) => [f.id, f]));
  const group = asPart(
    'conditions',
    () => checkFilters(raw, fields, null),
    (f) => f.replace(/^filters/, 'conditions'),
  );
  return group as unknown as Record<string, unknown>;
}

function checkAction(
  raw: unknown,
  i: number,
  table: TableState,
  schema: RuleSchema,
): AutomationAction {
  const part = `actions[${i}]`;
  if (!isObj(raw)) wrong(part, 'an action is { type, … }');
  if (!oneOf(ACTIONS, raw.type))
    wrong(
      `${part}.type`,
      `unknown action ${JSON.stringify(raw.type ?? null)}; use one of ${ACTIONS.join(', ')}`,
      'unknown_action',
    );
  switch (raw.type) {
    case 'set_membership': {
      if (typeof raw.list !== 'string' || !schema.isList(raw.list))
        wrong(`${part}.list`, `unknown list ${JSON.stringify(raw.list ?? null)}`, 'unknown_list');
      if (raw.list === 'all')
        wrong(`${part}.list`, 'every live record is in "all"; nothing moves it');
      if (!oneOf(OPS, raw.op)) wrong(`${part}.op`, `must be one of ${OPS.join(', ')}`);
      return { type: 'set_membership', list: raw.list, op: raw.op };
    }
    case 'set_field': {
      const field = fieldOfTable(`${part}.field_id`, table, raw.field_id);
      if (isComputedType(field.type))
        wrong(`${part}.field_id`, `"${field.name}" is computed; nobody sets it`);
      const value = asPart(
        `${part}.value`,
        () => normalizeCell(field, raw.value),
        () => `${part}.value`,
      );
      return { type: 'set_field', field_id: field.id, value };
    }
    case 'log_note': {
      if (typeof raw.text !== 'string' || !raw.text.trim())
        wrong(`${part}.text`, 'must be a non-empty text');
      if (raw.text.length > NOTE_CHARS)
        wrong(`${part}.text`, `at most ${NOTE_CHARS} characters`, 'too_large');
      if (raw.text.includes('\u0000'))
        wrong(`${part}.text`, 'holds a NUL character', 'nul_character');
      return { type: 'log_note', text: raw.text };
    }
    case 'create_reminder':
      return checkCreateReminder(raw, part, table);
  }
}

const REMINDER_DAYS = 3650;

/** A reminder a run makes: on investors and contacts, a title, days after the run, and for whom. */
function checkCreateReminder(
  raw: Record<string, unknown>,
  part: string,
  table: TableState,
): AutomationAction {
  if (table.role !== 'investors' && table.role !== 'contacts')
    wrong(`${part}.type`, 'reminders are for investors and contacts', 'wrong_table');
  if (typeof raw.title !== 'string' || !raw.title.trim())
    wrong(`${part}.title`, 'must be a non-empty text');
  if ([...raw.title].length > 500) wrong(`${part}.title`, 'at most 500 characters', 'too_large');
  if (raw.title.includes('\u0000'))
    wrong(`${part}.title`, 'holds a NUL character', 'nul_character');
  const days = raw.due_in_days;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 0 || days > REMINDER_DAYS)
    wrong(`${part}.due_in_days`, `a whole number of days from 0 to ${REMINDER_DAYS}`);
  const assignee = raw.assignee ?? 'owner';
  if (
    typeof assignee !== 'string' ||
    (assignee !== 'owner' && !/^usr[_A-Za-z0-9]{1,60}$/.test(assignee))
  )
    wrong(`${part}.assignee`, '"owner" or a user id', 'unknown_user');
  return { type: 'create_reminder', title: raw.title.trim(), due_in_days: days, assignee };
}

export function checkActions(
  raw: unknown,
  table: TableState,
  schema: RuleSchema,
): AutomationAction[] {
  if (!Array.isArray(raw) || raw.length === 0) wrong('actions', 'must be a non-empty list');
  if (raw.length > MAX_ACTIONS)
    wrong('actions', `a rule has at most ${MAX_ACTIONS} actions`, 'too_many_actions', {
      limit: MAX_ACTIONS,
      given: raw.length,
    });
  return raw.map((a, i) => checkAction(a, i, table, schema));
}

/** The whole definition in canonical form, or the first mistake. */
export function checkDefinition(
  raw: Record<string, unknown>,
  schema: RuleSchema,
): AutomationDefinition {
  const name = checkRuleName(raw.name);
  const trigger = checkTrigger(raw.trigger, schema);
  const table = schema.table(trigger.table_id)!;
  return {
    name,
    trigger,
    conditions: checkConditions(raw.conditions, table),
    actions: checkActions(raw.actions, table, schema),
  };
}
