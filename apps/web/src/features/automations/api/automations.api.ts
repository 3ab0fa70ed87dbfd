import type {
  AutomationRule,
  AutomationRuleList,
  AutomationRunList,
  MembershipList,
  MembershipListsAnswer,
  MembershipMoveResult,
  RunRollbackPreview,
  RunRollbackResult,
} from '@crm/contracts';
import type { DryRunResult } from '@crm/domain';
import { get, post } from '../../../app/http';

export type { AutomationRule, AutomationRun } from '@crm/contracts';
export type { DryRunResult } from '@crm/domain';

const rule = (id: string) => `/api/automations/${encodeURIComponent(id)}`;
const run = (id: string) => `/api/automation-runs/${encodeURIComponent(id)}`;

/** A rule as the editor sends it. */
export interface RuleDraft {
  name: string;
  trigger: Record<string, unknown>;
  conditions: Record<string, unknown> | null;
  actions: Record<string, unknown>[];
  enabled?: boolean;
}

export const automationsApi = {
  rules: () => get<AutomationRuleList>('/api/automations'),
  create: (draft: RuleDraft) => post<AutomationRule>('/api/automations', draft),
  toggle: (id: string, enabled: boolean) => post<AutomationRule>(`${rule(id)}/toggle`, { enabled }),
  dryRun: (draft: RuleDraft) => post<DryRunResult>('/api/automations/dry-run', { rule: draft }),
  runs: () => get<AutomationRunList>('/api/automation-runs?limit=100'),
  lists: () => get<MembershipListsAnswer>('/api/fundraising/lists'),
  /** The records of a list, or the lists of a record. */
  memberships: (q: { list?: string; record_id?: string; limit?: string }) =>
    get<MembershipList>(`/api/fundraising/memberships?${new URLSearchParams(q).toString()}`),
  /** A person's move of a record into or out of a list. */
  move: (record_id: string, list: string, op: 'add' | 'remove') =>
    post<MembershipMoveResult>('/api/fundraising/memberships', { record_id, list, op }),
  rollbackPreview: (id: string) => post<RunRollbackPreview>(`${run(id)}/rollback-preview`, {}),
  rollback: (id: string, token: string) =>
    post<RunRollbackResult>(`${run(id)}/rollback`, { token }),
};
