import type { AutomationTrigger } from '@crm/events';
import type { Schedule } from '../../infrastructure/scheduling/schedule-rule';
import { WEEKDAYS } from '../../infrastructure/scheduling/schedule-rule';

type ScheduleTrigger = Extract<AutomationTrigger, { type: 'schedule' }>;

/**
 * A schedule trigger as the scheduler's rule, in the trigger's zone: `day` and `week` at a wall-clock
 * time (a time skipped by spring-forward runs at the shifted instant, a doubled one once); `hour`
 * once every hour of absolute time, at the minutes of `at` past the hour of the zone's clock.
 */
export function scheduleOf(trigger: ScheduleTrigger): Schedule {
  switch (trigger.every) {
    case 'day':
      return { rule: { every: 'day', at: trigger.at }, zone: trigger.time_zone };
    case 'week':
      return {
        rule: { every: 'week', on: WEEKDAYS[(trigger.weekday ?? 1) - 1], at: trigger.at },
        zone: trigger.time_zone,
      };
    case 'hour':
      return {
        rule: { every: 'hour', minute: Number(trigger.at.slice(3, 5)) },
        zone: trigger.time_zone,
      };
  }
}

/** The scheduler's job name for a rule: lower-case letters, digits and dashes only. */
export const jobNameOf = (ruleId: string) =>
  `automation-${Buffer.from(ruleId, 'utf8').toString('hex')}`;
