import { followUpStreams } from '@crm/events';
import { type Decision, DecisionBuilder } from '../../base/decide-context';
import { invalid } from '../../errors';
import { canonicalTimeZone } from '../../formula/dates/time-zones';
import { type FollowUpSettings } from '../follow-up.derive';

const MAX_DAYS = 3650;

function days(value: unknown, field: string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_DAYS)
    return value;
  throw invalid(`${field}: a whole number of days from 1 to ${MAX_DAYS}`, { field, given: value });
}

/** New thresholds or zone (the fields not sent stay); stale must come after aging. */
export function decideChangeFollowUpSettings(
  input: Partial<Record<keyof FollowUpSettings, unknown>>,
  current: { settings: FollowUpSettings; version: number },
): Decision {
  const from = current.settings;
  const to: FollowUpSettings = {
    aging_days:
      input.aging_days === undefined ? from.aging_days : days(input.aging_days, 'aging_days'),
    stale_days:
      input.stale_days === undefined ? from.stale_days : days(input.stale_days, 'stale_days'),
    time_zone: from.time_zone,
  };
  if (input.time_zone !== undefined) {
    const zone = typeof input.time_zone === 'string' ? canonicalTimeZone(input.time_zone) : null;
    if (!zone)
      throw invalid(
        'time_zone: an IANA time zone such as Europe/Zurich',
        { field: 'time_zone', given: input.time_zone },
        'unknown_time_zone',
      );
    to.time_zone = zone;
  }
  if (to.stale_days <= to.aging_days)
    throw invalid(`stale_days (${to.stale_days}) must be more than aging_days (${to.aging_days})`, {
      field: 'stale_days',
      given: to.stale_days,
    });
  const b = new DecisionBuilder();
  if (JSON.stringify(to) !== JSON.stringify(from))
    b.emit(followUpStreams.settings, current.version, {
      type: 'FollowUpSettingsChanged',
      data: { from, to },
    });
  return b.build();
}
