import { type AutomationDefinition } from '@crm/events';

/** A rule as its deciders see it. */
export interface RuleState extends AutomationDefinition {
  id: string;
  /** 1 when created; every change of its definition makes the next one. */
  version: number;
  enabled: boolean;
  archived: boolean;
  /** The version of the rule's stream (toggles count too). */
  stream_version: number;
}

/** The lists every fund has; `all` holds every live record and is never moved into or out of. */
export const BUILT_IN_LISTS = ['main', 'follow_up', 'graveyard', 'longshot', 'all'] as const;
export const AUTOMATIC_LIST = 'all';
export const BUILT_IN_LIST_NAMES: Record<(typeof BUILT_IN_LISTS)[number], string> = {
  main: 'Main',
  follow_up: 'Follow-up',
  graveyard: 'Graveyard',
  longshot: 'Longshot',
  all: 'All',
};

/** Actions of a rule at most. */
export const MAX_ACTIONS = 20;
/** The loop guard: a causation chain of more rules than this is stopped. */
export const MAX_CHAIN_DEPTH = 3;
/** A run with more effects than this is stopped and recorded as skipped. */
export const MAX_RUN_EFFECTS = 1000;
/** Runs that fail in a row before the system turns a rule off. */
export const MAX_FAILURES_IN_A_ROW = 5;

/** The lists a record is in (besides `all`), and the version of its membership stream. */
export interface MembershipState {
  lists: ReadonlySet<string>;
  version: number;
}
