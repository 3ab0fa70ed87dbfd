import { type AutomationEvent, type RecordedEvent } from '@crm/events';
import { type RuleState } from './automation.state';

/** Folds one rule event into the rule (undefined before its creation); other events pass through. */
export function evolveRule(
  state: RuleState | undefined,
  recorded: RecordedEvent,
): RuleState | undefined {
  const e = recorded as unknown as AutomationEvent;
  const v = recorded.stream_version;
  switch (e.type) {
    case 'AutomationRuleCreated': {
      const { rule_id, enabled, ...definition } = e.data;
      return {
        ...definition,
        id: rule_id,
        enabled,
        version: 1,
        archived: false,
        stream_version: v,
      };
    }
    case 'AutomationRuleChanged':
      return state && { ...state, ...e.data.to, version: e.data.version, stream_version: v };
    case 'AutomationRuleToggled':
      return state && { ...state, enabled: e.data.enabled, stream_version: v };
    case 'AutomationRuleDisabled':
      return state && { ...state, enabled: false, stream_version: v };
    case 'AutomationRuleArchived':
      return state && { ...state, enabled: false, archived: true, stream_version: v };
    default:
      return state;
  }
}

export const replayRule = (events: readonly RecordedEvent[]): RuleState | undefined =>
  events.reduce(evolveRule, undefined);
