import type { LaterEdit, RollbackPlan } from '@crm/domain';
import type {
  AutomationAction,
  AutomationEffect,
  AutomationTrigger,
  MembershipOp,
} from '@crm/events';

/** A rule as the API shows it (GET/POST/PATCH /api/automations). */
export interface AutomationRule {
  id: string;
  name: string;
  version: number;
  enabled: boolean;
  trigger: AutomationTrigger;
  conditions: Record<string, unknown> | null;
  actions: AutomationAction[];
  last_run_at: string | null;
  runs: number;
  failures: number;
  /** Why the system turned it off (five failed runs in a row), with the last error; null otherwise. */
  disabled_reason: string | null;
}

export interface AutomationRuleList {
  rules: AutomationRule[];
}

export type AutomationRunStatus = 'running' | 'succeeded' | 'failed' | 'skipped' | 'rolled_back';

export interface AutomationRun {
  id: string;
  rule_id: string;
  rule_version: number;
  status: AutomationRunStatus;
  started_at: string;
  trigger: { position: number; event_id: string; record_id: string | null };
  effects: AutomationEffect[];
  conflicts: { record_id: string; field_id: string; expected: unknown; current: unknown }[];
  /** The error of a failed run, or the reason a run was skipped. */
  error: string | null;
}

export interface AutomationRunList {
  runs: AutomationRun[];
}

/** What rolling back a run would do, and the token to do it with (bound to the log head). */
export interface RunRollbackPreview {
  run_id: string;
  effects: AutomationEffect[];
  changes: Omit<RollbackPlan, 'later_edits'>;
  later_edits: LaterEdit[];
  /** Whether later edits by people would be overwritten too (`overwrite_later_edits`). */
  overwrite: boolean;
  token: string;
}

export interface RunRollbackResult {
  run_id: string;
  correlation_id: string;
  changes: number;
  kept: number;
}

export interface Membership {
  record_id: string;
  list: string;
  since: string;
  source: string;
  rule_id: string | null;
  run_id: string | null;
}

export interface MembershipList {
  memberships: Membership[];
}

/** GET /api/fundraising/lists: the built-in lists, then the fund's. */
export interface MembershipListsAnswer {
  lists: { list: string; name: string; built_in: boolean }[];
}

export interface MembershipMove {
  record_id: string;
  list: string;
  op: MembershipOp;
}

/** The record's lists before and after a move. */
export interface MembershipMoveResult {
  record_id: string;
  from: string[];
  to: string[];
}
