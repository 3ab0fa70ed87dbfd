import { type AutomationEvent, type RecordedEvent } from '@crm/events';
import { type Projector } from '../../infrastructure/projections/projector';
import { type AutomationsRepository, type RunEnd } from './automations.repository';

/**
 * The rules (`automation_rules`), the run log (`automation_runs`) and the lists
 * (`fundraising_memberships`), inline with the append. Rule writes are conditional on the stream
 * version and runs and memberships are keyed, so applying an event twice is harmless.
 */
export class AutomationsProjector implements Projector {
  readonly name = 'automations';
  readonly tables = [
    'membership_lists',
    'membership_streams',
    'fundraising_memberships',
    'automation_runs',
    'automation_rules',
  ] as const;

  constructor(private readonly repo: AutomationsRepository) {}

  async apply(events: readonly RecordedEvent[]): Promise<void> {
    const ends = endsOf(events);
    for (const e of events) this.project(e, ends);
  }

  /** `ends`: how the runs among the events ended, by run (see `endsOf`), taken as they are used. */
  private project(recorded: RecordedEvent, ends: Map<string, RunEnd>): void {
    const e = recorded as unknown as AutomationEvent;
    const at = recorded.recorded_at;
    const v = recorded.stream_version;
    switch (e.type) {
      case 'AutomationRuleCreated': {
        const { rule_id, enabled, ...definition } = e.data;
        return this.repo.insertRule(rule_id, definition, enabled, at, v);
      }
      case 'AutomationRuleChanged':
        return this.repo.changeRule(e.data.rule_id, e.data.to, e.data.version, at, v);
      case 'AutomationRuleToggled':
        return this.repo.setEnabled(e.data.rule_id, e.data.enabled, null, at, v);
      case 'AutomationRuleDisabled': {
        const why = `turned off after ${e.data.failures} failed runs in a row: ${e.data.error}`;
        return this.repo.setEnabled(e.data.rule_id, false, why, at, v);
      }
      case 'AutomationRuleArchived':
        return this.repo.archiveRule(e.data.rule_id, at, v);
      case 'AutomationRunStarted': {
        const end = ends.get(e.data.run_id);
        // Its end is written with it: the end's own event then changes nothing.
        if (end) ends.set(e.data.run_id, FOLDED);
        return this.repo.runStarted(
          {
            id: e.data.run_id,
            rule_id: e.data.rule_id,
            rule_version: e.data.rule_version,
            started_at: at,
            trigger_position: e.data.trigger_position,
            trigger_event_id: e.data.trigger_event_id,
            record_id: e.data.record_id,
            chain: JSON.stringify(e.data.chain),
          },
          recorded.position,
          end,
        );
      }
      case 'AutomationRunSucceeded':
      case 'AutomationRunFailed':
      case 'AutomationRunSkipped': {
        const end = ends.get(e.data.run_id);
        if (end === FOLDED) return;
        return this.repo.runEnded(e.data.run_id, e.data.rule_id, end ?? endOf(recorded)!);
      }
      case 'MembershipAdded':
        return this.repo.addMembership(
          { ...e.data, since: at, source: recorded.metadata.source },
          v,
        );
      case 'MembershipRemoved':
        return this.repo.removeMembership(e.data.record_id, e.data.list, v);
      case 'AutomationRunRolledBack':
        return this.repo.markRolledBack(e.data.run_id);
      case 'MembershipListAdded':
        return this.repo.addList(e.data.list, e.data.name, at);
      case 'AutomationNoteLogged':
        return;
      default:
        return;
    }
  }

  async reset(): Promise<void> {
    for (const t of this.tables) this.repo.db.prepare(`DELETE FROM ${t}`).run();
  }
}

/** A run whose end was written with its start. */
const FOLDED: RunEnd = { status: 'skipped' };

/** How a run's ending event ends it, or null for another event. */
function endOf(recorded: RecordedEvent): RunEnd | null {
  const e = recorded as unknown as AutomationEvent;
  switch (e.type) {
    case 'AutomationRunSucceeded':
      return { status: 'succeeded', effects: e.data.effects, conflicts: e.data.conflicts };
    case 'AutomationRunFailed':
      return { status: 'failed', error: e.data.error };
    case 'AutomationRunSkipped':
      return { status: 'skipped', error: `${e.data.reason}: ${e.data.detail}` };
    default:
      return null;
  }
}

/** How the runs that end among these events ended, by run. */
function endsOf(events: readonly RecordedEvent[]): Map<string, RunEnd> {
  const ends = new Map<string, RunEnd>();
  for (const e of events) {
    const end = endOf(e);
    if (end) ends.set((e.data as { run_id: string }).run_id, end);
  }
  return ends;
}
