import type {
  AutomationRule,
  AutomationRuleList,
  AutomationRunList,
  MembershipListsAnswer,
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
  rollbackPreview: (id: string) => post<RunRollbackPreview>(`${run(id)}/rollback-preview`, {}),
  rollback: (id: string, token: string) =>
    post<RunRollbackResult>(`${run(id)}/rollback`, { token }),
};
