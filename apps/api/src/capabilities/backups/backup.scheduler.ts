import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { isBackupDue, isDrillSlot, latestSlot } from '@crm/domain';
import { BackupCheck } from '@crm/events';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { SYSTEM_ACTOR } from '../../infrastructure/request-context/actor';
import { BackupService } from './backup.service';
import { CLOCK, type Clock } from '../../infrastructure/clock';
import { BackupCommands } from './backup.commands';

/** A failed nightly run is retried within the same night no more often than this. */
const RETRY_MS = 30 * 60_000;
const META = { actor: SYSTEM_ACTOR, source: 'system' as const };

export interface NightlyRun {
  backup_id: string | null;
  verified: boolean | null;
  pruned: string[];
  drill: boolean | null;
  error?: string;
}

/**
 * The nightly job. Every minute (and once at start-up) it asks the same question: has the latest slot
 * of the policy passed with no backup since? If so it backs up, verifies, prunes, and on the Sunday
 * slot runs the drill when the policy asks. A night the server was off is therefore caught up at the
 * next start, and a run is never repeated for a slot that already has a backup.
 */
@Injectable()
export class BackupScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Backups');
  private running: Promise<NightlyRun> | null = null;
  private lastFailure: { slot: number; at: number } | null = null;
  private closed = false;

  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly backupCommands: BackupCommands,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly backups: BackupService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.backupScheduler) return;
    // Not awaited: a missed night is caught up in the background without delaying the boot.
    void this.tick();
  }

  /** A run in progress finishes (its copy is either whole or removed); nothing new starts. */
  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    await this.running?.catch(() => undefined);
  }

  @Cron(CronExpression.EVERY_MINUTE, { name: 'nightly-backup' })
  onMinute(): Promise<NightlyRun | null> {
    return this.tick();
  }

  /** Runs the nightly job if it is due at `now`; resolves to what it did, or null when nothing was due. */
  async tick(now = Date.parse(this.clock.now())): Promise<NightlyRun | null> {
    if (!this.config.backupScheduler || this.running || this.closed) return null;
    try {
      return await this.tickDue(now);
    } catch (e) {
      this.logger.error(`the nightly backup check failed: ${(e as Error).message}`);
      return null;
    }
  }

  private async tickDue(now: number): Promise<NightlyRun | null> {
    const repo = this.backupCommands.repo;
    const policy = repo.policy().policy;
    const since = repo.policySince();
    const newest = repo.newestCreatedAt();
    const facts = {
      policy,
      since: since ? Date.parse(since) : now,
      lastBackupAt: newest ? Date.parse(newest) : null,
      now,
    };
    if (!isBackupDue(facts)) return null;
    const slot = latestSlot(policy, now);
    if (this.lastFailure && this.lastFailure.slot === slot && now - this.lastFailure.at < RETRY_MS)
      return null;
    this.running = this.run(slot, now);
    try {
      return await this.running;
    } finally {
      this.running = null;
    }
  }

  private async run(slot: number, now: number): Promise<NightlyRun> {
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
      if (isDrillSlot(policy, slot)) {
        const checks = await runDrillProcess(this.backups.settings.dir, backup.id);
        this.backups.recordDrill(backup.id, checks, META);
        result.drill = checks.every((c) => c.ok);
      }
      this.lastFailure = null;
      this.logger.log(
        `nightly backup ${backup.id}${result.verified === null ? '' : result.verified ? ', verified' : ', verification FAILED'}${result.pruned.length ? `, pruned ${result.pruned.length}` : ''}${result.drill === null ? '' : result.drill ? ', drill passed' : ', drill FAILED'}`,
      );
    } catch (e) {
      this.lastFailure = { slot, at: now };
      result.error = (e as Error).message;
      this.logger.error(`the nightly backup failed: ${(e as Error).message}`);
    }
    return result;
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
