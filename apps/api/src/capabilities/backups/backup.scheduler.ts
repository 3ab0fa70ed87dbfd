import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { isDrillSlot } from '@crm/domain';
import type { BackupCheck } from '@crm/events';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { SYSTEM_ACTOR } from '../../infrastructure/request-context/actor';
import type { DueRun } from '../../infrastructure/scheduling/job-due';
import { type JobResult, JobScheduler } from '../../infrastructure/scheduling/job-scheduler';
import { BackupService } from './backup.service';
import { CLOCK, type Clock } from '../../infrastructure/clock';
import { BackupCommands } from './backup.commands';

/** A failed nightly run is retried within the same night no more often than this. */
const RETRY_MS = 30 * 60_000;
const META = { actor: SYSTEM_ACTOR, source: 'system' as const };
export const NIGHTLY_BACKUP_JOB = 'nightly-backup';

export interface NightlyRun {
  backup_id: string | null;
  verified: boolean | null;
  pruned: string[];
  drill: boolean | null;
  error?: string;
}

/**
 * The nightly job, on the one scheduler: "every day at <time_of_day>" in the policy's zone, read
 * from the policy at every tick. A slot is due when it passed after the policy took effect, has no
 * recorded run and no backup was taken since it; then the job backs up, verifies, prunes, and on
 * the Sunday slot runs the drill when the policy asks. A night the server was off is therefore
 * caught up at the next start, and a run is never repeated for a slot that already has one.
 * `CRM_BACKUP_SCHEDULER=off` leaves the job undeclared.
 */
@Injectable()
export class BackupScheduler implements OnModuleInit {
  private readonly logger = new Logger('Backups');

  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly backupCommands: BackupCommands,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly backups: BackupService,
    private readonly scheduler: JobScheduler,
  ) {}

  onModuleInit(): void {
    if (!this.config.backupScheduler) return;
    const repo = this.backupCommands.repo;
    this.scheduler.declare({
      name: NIGHTLY_BACKUP_JOB,
      schedule: () => {
        const policy = repo.policy().policy;
        if (!policy.enabled) return null;
        return { rule: { every: 'day', at: policy.time_of_day }, zone: policy.time_zone };
      },
      notBefore: () => {
        const since = repo.policySince();
        return since ? Date.parse(since) : Date.parse(this.clock.now());
      },
      satisfied: (slot) => {
        const newest = repo.newestCreatedAt();
        return newest !== null && Date.parse(newest) >= slot;
      },
      retryAfterMs: RETRY_MS,
      run: (due) => this.run(due),
    });
  }

  /** Runs the nightly job if it is due at `now`; resolves to what it did, or null when nothing was due. */
  async tick(now = Date.parse(this.clock.now())): Promise<NightlyRun | null> {
    if (!this.config.backupScheduler) return null;
    return this.scheduler.runDue<NightlyRun>(NIGHTLY_BACKUP_JOB, now);
  }

  private async run(due: DueRun): Promise<JobResult<NightlyRun>> {
    const policy = this.backupCommands.repo.policy().policy;
    const result: NightlyRun = { backup_id: null, verified: null, pruned: [], drill: null };
    try {
      const backup = await this.backups.create('scheduled', META);
      result.backup_id = backup.id;
      if (policy.verify_after_backup) {
        const v = await this.backups.verify(backup.id, META);
        result.verified = v.ok;
        if (!v.ok)
          this.logger.error(
            `the nightly backup ${backup.id} FAILED verification: ${v.checks
              .filter((c) => !c.ok)
              .map((c) => `${c.name}: ${c.detail}`)
              .join('; ')}`,
          );
      }
      result.pruned = await this.backups.prune(META);
      if (isDrillSlot(policy, due.scheduledFor)) {
        const checks = await runDrillProcess(this.backups.settings.dir, backup.id);
        await this.backups.recordDrill(backup.id, checks, META);
        result.drill = checks.every((c) => c.ok);
      }
      this.logger.log(
        `nightly backup ${backup.id}${result.verified === null ? '' : result.verified ? ', verified' : ', verification FAILED'}${result.pruned.length ? `, pruned ${result.pruned.length}` : ''}${result.drill === null ? '' : result.drill ? ', drill passed' : ', drill FAILED'}`,
      );
      return { result };
    } catch (e) {
      result.error = (e as Error).message;
      return { result, error: `the nightly backup failed: ${result.error}` };
    }
  }
}

/**
 * The drill boots a second copy of the app, so it runs as its own process (the built
 * cli/backup-drill.js) and reports its checks as JSON on stdout.
 */
export function runDrillProcess(backupDir: string, backupId: string): Promise<BackupCheck[]> {
  const script = [
    join(__dirname, '..', '..', 'cli', 'backup-drill.js'),
    join(__dirname, '..', '..', '..', 'dist', 'cli', 'backup-drill.js'),
  ].find(existsSync);
  if (!script)
    return Promise.resolve([
      { name: 'drill', ok: false, detail: 'the drill script is not built (npm run build:server)' },
    ]);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [script, '--backup-dir', backupDir, '--backup', backupId, '--json'],
      { timeout: 30 * 60_000, maxBuffer: 8 << 20 },
      (err, stdout) => {
        try {
          const report = JSON.parse(stdout) as { checks: BackupCheck[] };
          resolve(report.checks);
        } catch {
          resolve([
            {
              name: 'drill',
              ok: false,
              detail: `the drill did not report: ${err?.message ?? 'no output'}`,
            },
          ]);
        }
      },
    );
  });
}
