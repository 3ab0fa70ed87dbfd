/**
 * Automation rules, their runs, and list memberships. A rule lives on its own stream
 * (`automation-<rule_id>`); each run on a stream keyed by the rule and the event that triggered it,
 * so the log itself refuses a second run for the same (rule, event). Memberships live on a stream per
 * record, apart from the record's own, so that a membership never moves a record's version.
 * Written at schema version 1.
 */

export type AutomationTrigger =
  | { type: 'record_created'; table_id: string }
  | {
      type: 'record_updated';
      table_id: string;
      /** Fires only when one of these fields really changed (any field when absent). */
      fields?: string[];
      /** And only when the new value meets this condition (with exactly one field). */
      to?: { operator: string; value: unknown };
    }
  | { type: 'record_matches'; table_id: string }
  | {
      type: 'schedule';
      table_id: string;
      every: 'day' | 'week' | 'hour';
      at: string;
      weekday?: number;
      time_zone: string;
    };

export type MembershipOp = 'add' | 'remove' | 'move';

export type AutomationAction =
  | { type: 'set_membership'; list: string; op: MembershipOp }
  | { type: 'set_field'; field_id: string; value: unknown }
  | { type: 'log_note'; text: string }
  /** A reminder on the record, due `due_in_days` after the run's day; `owner`: the record's Owner. */
  | { type: 'create_reminder'; title: string; due_in_days: number; assignee: string };

/** What a rule is, apart from whether it is on. */
export interface AutomationDefinition {
  name: string;
  trigger: AutomationTrigger;
  /** A view filter group (or null: every record of the table). */
  conditions: Record<string, unknown> | null;
  actions: AutomationAction[];
}

export interface AutomationRuleCreatedData extends AutomationDefinition {
  rule_id: string;
  enabled: boolean;
}
/** A new version of the rule: the whole definition before and after. */
export interface AutomationRuleChangedData {
  rule_id: string;
  version: number;
  from: AutomationDefinition;
  to: AutomationDefinition;
}
export interface AutomationRuleToggledData {
  rule_id: string;
  enabled: boolean;
}
/** Turned off by the system after failing runs in a row, with the last error. */
export interface AutomationRuleDisabledData {
  rule_id: string;
  failures: number;
  error: string;
}
export interface AutomationRuleArchivedData {
  rule_id: string;
}

/** One cell, membership or note a run changed. */
export interface AutomationEffect {
  record_id: string;
  what: string;
  from: unknown;
  to: unknown;
}

export interface AutomationRunStartedData {
  run_id: string;
  rule_id: string;
  rule_version: number;
  /** The log position of the event that triggered the run. */
  trigger_position: number;
  trigger_event_id: string;
  record_id: string | null;
  /** Rules already in the causation chain of the triggering event, oldest first. */
  chain: string[];
}
export interface AutomationRunSucceededData {
  run_id: string;
  rule_id: string;
  effects: AutomationEffect[];
  /** Cells a person changed after the rule read them: the person's value was kept. */
  conflicts: { record_id: string; field_id: string; expected: unknown; current: unknown }[];
}
export interface AutomationRunFailedData {
  run_id: string;
  rule_id: string;
  error: string;
}
export interface AutomationRunSkippedData {
  run_id: string;
  rule_id: string;
  reason: 'loop' | 'chain_too_deep' | 'too_many_effects';
  detail: string;
}
/** An admin took the run back: what was compensated, and the later edits by people that were kept. */
export interface AutomationRunRolledBackData {
  run_id: string;
  rule_id: string;
  /** The batch of compensating events. */
  correlation_id: string;
  changes: number;
  kept: number;
}
export interface AutomationNoteLoggedData {
  run_id: string;
  rule_id: string;
  record_id: string;
  text: string;
}

export interface MembershipChangedData {
  record_id: string;
  table_id: string;
  list: string;
  /** The rule and run that made the change; null for a person's move. */
  rule_id: string | null;
  run_id: string | null;
}

/** A list the fund adds beside the built-in ones; `list` is its key, `name` what people read. */
export interface MembershipListAddedData {
  list: string;
  name: string;
}

export interface AutomationEventMap {
  AutomationRuleCreated: AutomationRuleCreatedData;
  AutomationRuleChanged: AutomationRuleChangedData;
  AutomationRuleToggled: AutomationRuleToggledData;
  AutomationRuleDisabled: AutomationRuleDisabledData;
  AutomationRuleArchived: AutomationRuleArchivedData;
  AutomationRunStarted: AutomationRunStartedData;
  AutomationRunSucceeded: AutomationRunSucceededData;
  AutomationRunFailed: AutomationRunFailedData;
  AutomationRunSkipped: AutomationRunSkippedData;
  AutomationRunRolledBack: AutomationRunRolledBackData;
  AutomationNoteLogged: AutomationNoteLoggedData;
  MembershipAdded: MembershipChangedData;
  MembershipRemoved: MembershipChangedData;
  MembershipListAdded: MembershipListAddedData;
}

export type AutomationEventType = keyof AutomationEventMap;

export type AutomationEvent = {
  [K in AutomationEventType]: { type: K; data: AutomationEventMap[K] };
}[AutomationEventType];

export const AUTOMATION_EVENT_TYPES: readonly AutomationEventType[] = [
  'AutomationRuleCreated',
  'AutomationRuleChanged',
  'AutomationRuleToggled',
  'AutomationRuleDisabled',
  'AutomationRuleArchived',
  'AutomationRunStarted',
  'AutomationRunSucceeded',
  'AutomationRunFailed',
  'AutomationRunSkipped',
  'AutomationRunRolledBack',
  'AutomationNoteLogged',
  'MembershipAdded',
  'MembershipRemoved',
  'MembershipListAdded',
];

export const automationStreams = {
  rule: (ruleId: string) => `automation-${ruleId}`,
  /** One stream per (rule, triggering event): a second run of the same pair cannot be appended. */
  run: (ruleId: string, triggerEventId: string) => `automation-run-${ruleId}-${triggerEventId}`,
  membership: (recordId: string) => `membership-${recordId}`,
  /** The lists the fund added. */
  lists: 'membership-lists',
};
