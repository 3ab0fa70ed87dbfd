import { type AutomationDefinition, automationStreams } from '@crm/events';
import { type Decision, DecisionBuilder } from '../../base/decide-context';
import { illegal, invalid, notFound } from '../../errors';
import { type RuleState } from '../automation.state';
import { checkDefinition, type RuleSchema } from '../rule-validate';

/** What the rule deciders read: the rule named, and the schema its parts refer to. */
export interface RulesContext extends RuleSchema {
  rule(id: string): RuleState | undefined;
}

export interface CreateRule {
  rule_id: string;
  /** As the client sent it: `{ name, trigger, conditions, actions, enabled }`. */
  input: Record<string, unknown>;
}

export interface ChangeRule {
  rule_id: string;
  /** Any of name, trigger, conditions, actions (and enabled). */
  input: Record<string, unknown>;
}

function enabledOf(raw: unknown, fallback: boolean): boolean {
  if (raw === undefined) return fallback;
  if (typeof raw !== 'boolean')
    throw invalid('enabled: must be true or false', { field: 'enabled' }, 'not_a_boolean');
  return raw;
}

function liveRule(ctx: RulesContext, id: string): RuleState {
  const rule = ctx.rule(id);
  if (!rule || rule.archived) throw notFound(`no automation rule ${id}`, { field: 'id', id });
  return rule;
}

const definitionOf = (r: RuleState): AutomationDefinition => ({
  name: r.name,
  trigger: r.trigger,
  conditions: r.conditions,
  actions: r.actions,
});

const same = (a: AutomationDefinition, b: AutomationDefinition) =>
  JSON.stringify(a) === JSON.stringify(b);

/** A valid rule becomes AutomationRuleCreated; a rule starts disabled unless it says otherwise. */
export function decideCreateRule(cmd: CreateRule, ctx: RulesContext): Decision {
  if (ctx.rule(cmd.rule_id)) throw illegal(`rule ${cmd.rule_id} exists`, { id: cmd.rule_id });
  const definition = checkDefinition(cmd.input, ctx);
  const enabled = enabledOf(cmd.input.enabled, false);
  const b = new DecisionBuilder();
  b.emit(automationStreams.rule(cmd.rule_id), 0, {
    type: 'AutomationRuleCreated',
    data: { rule_id: cmd.rule_id, ...definition, enabled },
  });
  return b.build();
}

/** A change of the definition is a new version; `enabled` is a toggle. Nothing that changes nothing. */
export function decideChangeRule(cmd: ChangeRule, ctx: RulesContext): Decision {
  const rule = liveRule(ctx, cmd.rule_id);
  const before = definitionOf(rule);
  const after = checkDefinition({ ...before, ...stripUndefined(cmd.input) }, ctx);
  const enabled = enabledOf(cmd.input.enabled, rule.enabled);
  const b = new DecisionBuilder();
  const stream = automationStreams.rule(rule.id);
  if (!same(before, after))
    b.emit(stream, rule.stream_version, {
      type: 'AutomationRuleChanged',
      data: { rule_id: rule.id, version: rule.version + 1, from: before, to: after },
    });
  if (enabled !== rule.enabled)
    b.emit(stream, rule.stream_version, {
      type: 'AutomationRuleToggled',
      data: { rule_id: rule.id, enabled },
    });
  return b.build();
}

export function decideToggleRule(
  cmd: { rule_id: string; enabled: unknown },
  ctx: RulesContext,
): Decision {
  const rule = liveRule(ctx, cmd.rule_id);
  if (cmd.enabled === undefined)
    throw invalid('enabled: is required', { field: 'enabled' }, 'invalid_value');
  const enabled = enabledOf(cmd.enabled, rule.enabled);
  const b = new DecisionBuilder();
  if (enabled !== rule.enabled)
    b.emit(automationStreams.rule(rule.id), rule.stream_version, {
      type: 'AutomationRuleToggled',
      data: { rule_id: rule.id, enabled },
    });
  return b.build();
}

/** Archived, never erased: its runs and history stay. */
export function decideArchiveRule(cmd: { rule_id: string }, ctx: RulesContext): Decision {
  const rule = liveRule(ctx, cmd.rule_id);
  const b = new DecisionBuilder();
  b.emit(automationStreams.rule(rule.id), rule.stream_version, {
    type: 'AutomationRuleArchived',
    data: { rule_id: rule.id },
  });
  return b.build();
}

/** After failing runs in a row the system turns the rule off, saying why. */
export function decideDisableFailingRule(
  cmd: { rule_id: string; failures: number; error: string },
  ctx: RulesContext,
): Decision {
  const rule = ctx.rule(cmd.rule_id);
  const b = new DecisionBuilder();
  if (!rule || !rule.enabled || rule.archived) return b.build();
  b.emit(automationStreams.rule(rule.id), rule.stream_version, {
    type: 'AutomationRuleDisabled',
    data: { rule_id: rule.id, failures: cmd.failures, error: cmd.error },
  });
  return b.build();
}

function stripUndefined(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['name', 'trigger', 'conditions', 'actions'])
    if (input[key] !== undefined) out[key] = input[key];
  return out;
}
