import { type AutomationEvent, type RecordedEvent } from '@crm/events';

const LIST_NAMES: Record<string, string> = {
  main: 'Main',
  follow_up: 'Follow-up',
  graveyard: 'Graveyard',
  longshot: 'Longshot',
  all: 'All',
};
const listName = (list: string) => LIST_NAMES[list] ?? list;

/** A short sentence for a rule, run or membership event; null for other events. */
export function describeAutomationEvent(recorded: RecordedEvent): string | null {
  const e = recorded as unknown as AutomationEvent;
  switch (e.type) {
    case 'AutomationRuleCreated':
      return `created automation "${e.data.name}"`;
    case 'AutomationRuleChanged':
      return `changed automation "${e.data.to.name}" (version ${e.data.version})`;
    case 'AutomationRuleToggled':
      return `turned an automation ${e.data.enabled ? 'on' : 'off'}`;
    case 'AutomationRuleDisabled':
      return `turned an automation off after ${e.data.failures} failed runs in a row: ${e.data.error}`;
    case 'AutomationRuleArchived':
      return 'deleted an automation';
    case 'AutomationRunStarted':
      return 'started an automation run';
    case 'AutomationRunSucceeded':
      return `ran an automation (${e.data.effects.length} ${e.data.effects.length === 1 ? 'change' : 'changes'})`;
    case 'AutomationRunFailed':
      return `automation run failed: ${e.data.error}`;
    case 'AutomationRunSkipped':
      return `skipped an automation run (${e.data.reason.replace(/_/g, ' ')})`;
    case 'AutomationRunRolledBack':
      return `rolled back an automation run (${e.data.changes} changes, ${e.data.kept} later edits kept)`;
    case 'AutomationNoteLogged':
      return `noted "${e.data.text}"`;
    case 'MembershipAdded':
      return `added to ${listName(e.data.list)}`;
    case 'MembershipRemoved':
      return `removed from ${listName(e.data.list)}`;
    default:
      return null;
  }
}
