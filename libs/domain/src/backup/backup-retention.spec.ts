import { eventsOf } from '../testing/given-when-then';
import { domainErrorOf } from '../testing/domain-error-of';
import { GivenBackups, manifestOf } from '../testing/given-backups';
import { DEFAULT_BACKUP_POLICY } from './backup-policy.rules';
import { planRetention } from './backup-retention';
import { type BackupState } from './backup.state';
import { decidePruneBackups } from './decide/prune-backups.decide';
import { decideRecordBackup } from './decide/record-backup.decide';
import { decideRecordVerification } from './decide/record-verification.decide';

const ok = [{ name: 'checksum', ok: true, detail: 'matches' }];
const bad = [{ name: 'checksum', ok: false, detail: 'differs' }];

/** One backup a night at 02:00 UTC for `nights` nights ending on 2026-03-31, all verified. */
function nightly(nights: number): BackupState[] {
  return Array.from({ length: nights }, (_, i) => {
    const d = new Date(Date.UTC(2026, 2, 31 - i, 2, 0, 0));
    return {
      id: `bkp_${d.toISOString().slice(0, 10)}`,
      created_at: d.toISOString(),
      verification: 'ok' as const,
      deleted: false,
      version: 2,
    };
  });
}

describe('planRetention', () => {
  it('keeps 7 daily, 4 weekly and 6 monthly backups out of 200 nights', () => {
    const plan = planRetention(nightly(200), DEFAULT_BACKUP_POLICY);
    expect(plan.keep).toEqual([
      'bkp_2026-03-31',
      'bkp_2026-03-30',
      'bkp_2026-03-29',
      'bkp_2026-03-28',
      'bkp_2026-03-27',
      'bkp_2026-03-26',
      'bkp_2026-03-25', // daily
      'bkp_2026-03-22',
      'bkp_2026-03-15', // weekly (Sundays, the newest of weeks 13..10; week 14 and 13 are in the dailies)
      'bkp_2026-02-28',
      'bkp_2026-01-31',
      'bkp_2025-12-31',
      'bkp_2025-11-30',
      'bkp_2025-10-31', // monthly
    ]);
    expect(plan.keep.length + plan.prune.length).toBe(200);
    expect(plan.reasons['bkp_2026-03-31']).toEqual([
      'daily 2026-03-31',
      'weekly 2026-W14',
      'monthly 2026-03',
      'newest verified',
    ]);
  });

  it('always keeps the newest verified backup, even past every rule', () => {
    const backups = nightly(3).map((b, i) => ({
      ...b,
      verification: i === 2 ? ('ok' as const) : ('failed' as const),
    }));
    const plan = planRetention(backups, {
      ...DEFAULT_BACKUP_POLICY,
      keep_daily: 1,
      keep_weekly: 0,
      keep_monthly: 0,
    });
    expect(plan.keep).toEqual(['bkp_2026-03-29']);
    expect(plan.prune).toEqual(['bkp_2026-03-31', 'bkp_2026-03-30']);
  });

  it('keeps a new backup that is not verified yet, and ignores deleted ones', () => {
    const backups: BackupState[] = [
      {
        id: 'bkp_new',
        created_at: '2026-04-01T02:00:00.000Z',
        verification: 'unverified',
        deleted: false,
        version: 1,
      },
      {
        id: 'bkp_gone',
        created_at: '2026-03-31T12:00:00.000Z',
        verification: 'ok',
        deleted: true,
        version: 3,
      },
      ...nightly(2),
    ];
    const plan = planRetention(backups, {
      ...DEFAULT_BACKUP_POLICY,
      keep_daily: 1,
      keep_weekly: 0,
      keep_monthly: 0,
    });
    expect(plan.keep).toEqual(['bkp_new', 'bkp_2026-03-31']);
    expect(plan.prune).toEqual(['bkp_2026-03-30']);
  });
});

describe('backup deciders', () => {
  it("records a backup, its verification and its deletion on the backup's own stream", () => {
    const g = new GivenBackups();
    const created = decideRecordBackup(
      { manifest: manifestOf('bkp_1', '2026-03-01T02:00:00.000Z'), trigger: 'scheduled' },
      g.ctx,
    );
    expect(created.appends[0]).toMatchObject({ stream_id: 'backup-bkp_1', expected_version: 0 });
    g.apply(created);
    expect(
      eventsOf(
        decideRecordVerification({ backup_id: 'bkp_1', checks: bad, kind: 'verify' }, g.ctx),
      ),
    ).toEqual([
      {
        type: 'BackupVerified',
        data: { backup_id: 'bkp_1', ok: false, checks: bad, kind: 'verify' },
      },
    ]);
    expect(
      domainErrorOf(() =>
        decideRecordBackup(
          { manifest: manifestOf('bkp_1', '2026-03-02T02:00:00.000Z'), trigger: 'manual' },
          g.ctx,
        ),
      ).code,
    ).toBe('conflict');
    expect(
      domainErrorOf(() =>
        decideRecordVerification({ backup_id: 'bkp_x', checks: ok, kind: 'verify' }, g.ctx),
      ).code,
    ).toBe('not_found');
  });

  it('counts a verification without checks as a failure', () => {
    const g = new GivenBackups();
    g.apply(
      decideRecordBackup(
        { manifest: manifestOf('bkp_1', '2026-03-01T02:00:00.000Z'), trigger: 'manual' },
        g.ctx,
      ),
    );
    expect(
      eventsOf(
        decideRecordVerification({ backup_id: 'bkp_1', checks: [], kind: 'verify' }, g.ctx),
      )[0].data,
    ).toMatchObject({ ok: false });
  });

  it('refuses a manifest that does not describe a whole log', () => {
    const err = domainErrorOf(() =>
      decideRecordBackup(
        {
          manifest: manifestOf('bkp_1', '2026-03-01T02:00:00.000Z', { event_count: 9 }),
          trigger: 'manual',
        },
        new GivenBackups().ctx,
      ),
    );
    expect(err.code).toBe('validation');
  });

  it('prunes by the rules and never the newest verified backup', () => {
    const g = new GivenBackups();
    g.apply(() => ({ appends: [], conflicts: [] }));
    for (const [i, day] of ['2026-03-01', '2026-03-02', '2026-03-03'].entries()) {
      g.apply((ctx) =>
        decideRecordBackup(
          { manifest: manifestOf(`bkp_${i}`, `${day}T02:00:00.000Z`), trigger: 'scheduled' },
          ctx,
        ),
      );
      g.apply((ctx) =>
        decideRecordVerification(
          { backup_id: `bkp_${i}`, checks: i === 0 ? ok : bad, kind: 'verify' },
          ctx,
        ),
      );
    }
    g.apply(() => ({
      appends: [
        {
          stream_id: 'backup-policy',
          expected_version: 0,
          events: [
            {
              type: 'BackupPolicyChanged',
              data: {
                from: DEFAULT_BACKUP_POLICY,
                to: { ...DEFAULT_BACKUP_POLICY, keep_daily: 1, keep_weekly: 0, keep_monthly: 0 },
              },
            },
          ],
        },
      ],
      conflicts: [],
    }));
    const d = decidePruneBackups(g.ctx, (id) => `crm-${id}.sqlite`);
    expect(eventsOf(d)).toEqual([
      {
        type: 'BackupDeleted',
        data: { backup_id: 'bkp_2', file_name: 'crm-bkp_2.sqlite', reason: 'retention' },
      },
      {
        type: 'BackupDeleted',
        data: { backup_id: 'bkp_1', file_name: 'crm-bkp_1.sqlite', reason: 'retention' },
      },
    ]);
    g.apply(d);
    expect(
      g.ctx
        .backups()
        .filter((b) => !b.deleted)
        .map((b) => b.id),
    ).toEqual(['bkp_0']);
    expect(decidePruneBackups(g.ctx, (id) => id).appends).toEqual([]);
  });
});
