import { eventsOf } from '../testing/given-when-then';
import { domainErrorOf } from '../testing/domain-error-of';
import { GivenBackups } from '../testing/given-backups';
import { applyBackupPolicyChange, DEFAULT_BACKUP_POLICY } from './backup-policy.rules';
import { decideChangeBackupPolicy } from './decide/change-backup-policy.decide';

describe('the backup policy', () => {
  it('starts as the default: nightly at 02:00 UTC, verified, 7 daily, 4 weekly, 6 monthly', () => {
    expect(new GivenBackups().ctx.policy()).toEqual({ policy: DEFAULT_BACKUP_POLICY, version: 0 });
  });

  it('records a change with the whole policy before and after', () => {
    const g = new GivenBackups();
    const d = decideChangeBackupPolicy(
      { change: { time_of_day: '23:30', time_zone: 'Europe/Paris', keep_daily: 14 } },
      g.ctx,
    );
    expect(d.appends[0]).toMatchObject({ stream_id: 'backup-policy', expected_version: 0 });
    expect(eventsOf(d)).toEqual([
      {
        type: 'BackupPolicyChanged',
        data: {
          from: DEFAULT_BACKUP_POLICY,
          to: {
            ...DEFAULT_BACKUP_POLICY,
            time_of_day: '23:30',
            time_zone: 'Europe/Paris',
            keep_daily: 14,
          },
        },
      },
    ]);
    g.apply(d);
    expect(g.ctx.policy()).toEqual({
      policy: {
        ...DEFAULT_BACKUP_POLICY,
        time_of_day: '23:30',
        time_zone: 'Europe/Paris',
        keep_daily: 14,
      },
      version: 1,
    });
  });

  it('records nothing when the change changes nothing', () => {
    expect(
      decideChangeBackupPolicy({ change: { enabled: true, keep_daily: 7 } }, new GivenBackups().ctx)
        .appends,
    ).toEqual([]);
  });

  it('lists every problem of a change together, each with its field', () => {
    const err = domainErrorOf(() =>
      applyBackupPolicyChange(DEFAULT_BACKUP_POLICY, {
        time_of_day: '24:00',
        time_zone: 'Mars/Olympus',
        keep_weekly: -1,
        keep_monthly: 1.5,
        enabled: 'yes' as unknown as boolean,
      }),
    );
    expect(err.code).toBe('validation');
    expect(err.details.fields).toEqual([
      'enabled',
      'time_of_day',
      'time_zone',
      'keep_weekly',
      'keep_monthly',
    ]);
  });

  it.each(['2:00', '02:60', '0200', ' 02:00', '02:00:00'])('refuses the time %p', (time) => {
    expect(
      domainErrorOf(() => applyBackupPolicyChange(DEFAULT_BACKUP_POLICY, { time_of_day: time }))
        .details.fields,
    ).toEqual(['time_of_day']);
  });

  it('refuses retention that keeps nothing', () => {
    const err = domainErrorOf(() =>
      applyBackupPolicyChange(DEFAULT_BACKUP_POLICY, {
        keep_daily: 0,
        keep_weekly: 0,
        keep_monthly: 0,
      }),
    );
    expect(err.message).toMatch(/keep at least one backup/);
  });
});
