import type { AutomationDefinition } from '@crm/events';
import { checkDefinition, dryRun, type DryRunResult, invalid, notFound } from '@crm/domain';
import type { Clock } from '../../infrastructure/clock';
import type { FundraisingRepository } from '../fundraising/index';
import type { AutomationCommands } from './automation.commands';

/** Dry runs: what a rule, saved or not, would change now; nothing is written. */
export class AutomationPreview {
  constructor(
    private readonly commands: AutomationCommands,
    private readonly base: FundraisingRepository,
    private readonly clock: Clock,
  ) {}

  /** The rule a request names: one sent whole (checked as a new rule is), or a saved one. */
  ruleOf(body: { rule?: unknown; rule_id?: unknown }): AutomationDefinition {
    if (body.rule !== undefined) {
      if (body.rule === null || typeof body.rule !== 'object' || Array.isArray(body.rule))
        throw invalid('rule: must be { name, trigger, conditions, actions }', { field: 'rule' });
      const raw = { name: 'Dry run', ...(body.rule as Record<string, unknown>) };
      return asPart(() => checkDefinition(raw, this.commands.ctx));
    }
    if (typeof body.rule_id !== 'string')
      throw invalid('send either rule or rule_id', { field: 'rule_id' });
    const saved = this.commands.repo.rule(body.rule_id);
    if (!saved || saved.archived)
      throw notFound(`no automation rule ${body.rule_id}`, { field: 'rule_id' });
    return saved;
  }

  dryRun(rule: AutomationDefinition): DryRunResult {
    const table = this.base.table(rule.trigger.table_id);
    if (!table)
      throw notFound('the rule names a table that is gone', { field: 'trigger.table_id' });
    return dryRun(
      rule,
      table,
      this.base.recordsOf(table.id),
      {
        membership: (id) => this.commands.repo.membership(id),
        isList: (n) => this.commands.repo.isList(n),
      },
      { now: Date.parse(this.clock.now()) },
    );
  }
}

/** A mistake in a rule sent whole is named under `rule.` */
function asPart<T>(check: () => T): T {
  try {
    return check();
  } catch (e) {
    const d = (e as { details?: Record<string, unknown> }).details;
    if (d && typeof d.field === 'string') d.field = `rule.${d.field}`;
    throw e;
  }
}
