import { type BackupCheck, type BackupManifest, type BackupPolicy } from '@crm/events';
import { DEFAULT_BACKUP_POLICY } from '@crm/domain';
import {
  at,
  type GivenEvent,
  givenEvents,
  type Projected,
} from '../../../../../test/support/projector-harness';

const manifest = (id: string, createdAt: string): BackupManifest => ({
  format: 1,
  id,
  created_at: createdAt,
  file_name: `crm-${createdAt.slice(0, 10)}-${id}.sqlite`,
  size: 1_204_224,
  sha256: 'a'.repeat(64),
  app_version: '0.1.0',
  schema_version: 1764100000007,
  schema_migration: 'ImportFileGzip1764100000007',
  event_count: 812,
  last_position: 812,
  head_hash: 'b'.repeat(64),
  read_model_hash: 'c'.repeat(64),
  read_model_tables: ['fundraising_records', 'fundraising_tables'],
});

const backupEvent = (id: string, type: string, data: object, when: string, by = 'usr_admin') =>
  ({
    stream_id: `backup-${id}`,
    type,
    data,
    at: when,
    by,
    source: 'system',
  }) satisfies GivenEvent;

const taken = (id: string, when: string, trigger: 'manual' | 'scheduled' = 'manual') =>
  backupEvent(id, 'BackupCreated', { manifest: manifest(id, when), trigger }, when);

const CHECKS: BackupCheck[] = [
  { name: 'checksum', ok: true, detail: 'sha256 matches' },
  { name: 'integrity', ok: true, detail: 'ok' },
];

const verified = (id: string, ok: boolean, when: string, kind: 'verify' | 'drill' = 'verify') =>
  backupEvent(
    id,
    'BackupVerified',
    {
      backup_id: id,
      ok,
      kind,
      checks: ok ? CHECKS : [{ name: 'checksum', ok: false, detail: 'sha256 differs' }],
    },
    when,
  );

const pruned = (id: string, when: string) =>
  backupEvent(
    id,
    'BackupDeleted',
    { backup_id: id, file_name: `crm-${id}.sqlite`, reason: 'retention' },
    when,
    'system',
  );

const policyChanged = (from: BackupPolicy, to: BackupPolicy, when: string): GivenEvent => ({
  stream_id: 'backup-policy',
  type: 'BackupPolicyChanged',
  data: { from, to },
  at: when,
  by: 'usr_admin',
  source: 'api',
});

const backups = (p: Projected) => p.rows('SELECT * FROM backups ORDER BY created_at');
const policy = (p: Projected) => p.rows('SELECT * FROM backup_policy');

describe('BackupsProjector', () => {
  let p: Projected;
  afterEach(async () => {
    await p.close();
  });

  it('catalogues a new backup as unverified, with its manifest', async () => {
    p = await givenEvents('backups', [taken('bkp_1', at(0), 'scheduled')]);
    expect(backups(p)).toEqual([
      {
        id: 'bkp_1',
        created_at: at(0),
        trigger: 'scheduled',
        created_by: 'usr_admin',
        file_name: 'crm-2026-03-02-bkp_1.sqlite',
        manifest: JSON.stringify(manifest('bkp_1', at(0))),
        verification: 'unverified',
        verified_at: null,
        last_check: null,
        deleted_at: null,
        version: 1,
      },
    ]);
  });

  it('keeps the last verification: ok, then a failed drill, with its checks', async () => {
    p = await givenEvents('backups', [
      taken('bkp_1', at(0)),
      verified('bkp_1', true, at(5)),
      verified('bkp_1', false, at(60), 'drill'),
    ]);
    expect(backups(p)).toEqual([
      expect.objectContaining({
        id: 'bkp_1',
        verification: 'failed',
        verified_at: at(60),
        last_check: JSON.stringify({
          at: at(60),
          ok: false,
          kind: 'drill',
          checks: [{ name: 'checksum', ok: false, detail: 'sha256 differs' }],
        }),
        deleted_at: null,
        version: 3,
      }),
    ]);
  });

  it('marks a pruned backup deleted and keeps its row', async () => {
    p = await givenEvents('backups', [
      taken('bkp_1', at(0)),
      verified('bkp_1', true, at(1)),
      taken('bkp_2', at(86_400)),
      pruned('bkp_1', at(86_401)),
    ]);
    expect(
      p.rows('SELECT id, verification, verified_at, deleted_at, version FROM backups ORDER BY id'),
    ).toEqual([
      {
        id: 'bkp_1',
        verification: 'ok',
        verified_at: at(1),
        deleted_at: at(86_401),
        version: 3,
      },
      { id: 'bkp_2', verification: 'unverified', verified_at: null, deleted_at: null, version: 1 },
    ]);
  });

  it('keeps the newest policy, who changed it and when', async () => {
    const nightly: BackupPolicy = { ...DEFAULT_BACKUP_POLICY, time_zone: 'Europe/Zurich' };
    const weekly: BackupPolicy = { ...nightly, keep_daily: 14, drill_weekly: true };
    p = await givenEvents('backups', [
      policyChanged(DEFAULT_BACKUP_POLICY, nightly, at(0)),
      policyChanged(nightly, weekly, at(10)),
    ]);
    expect(policy(p)).toEqual([
      {
        id: 1,
        policy: JSON.stringify(weekly),
        changed_at: at(10),
        changed_by: 'usr_admin',
        version: 2,
      },
    ]);
  });

  it('gives the same rows when rebuilt from the log and when every event is applied again', async () => {
    p = await givenEvents('backups', [
      taken('bkp_1', at(0)),
      verified('bkp_1', true, at(1)),
      taken('bkp_2', at(2)),
      pruned('bkp_1', at(3)),
      policyChanged(DEFAULT_BACKUP_POLICY, { ...DEFAULT_BACKUP_POLICY, keep_weekly: 8 }, at(4)),
    ]);
    const live = { backups: backups(p), policy: policy(p) };
    await p.applyAgain();
    expect({ backups: backups(p), policy: policy(p) }).toEqual(live);
    await p.rebuild();
    expect({ backups: backups(p), policy: policy(p) }).toEqual(live);
  });
});
