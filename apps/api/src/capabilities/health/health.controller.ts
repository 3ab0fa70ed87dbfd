import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  durabilitySettings,
  pendingMigrations,
  ping,
} from '../../infrastructure/database/database';
import { Public } from '../auth/index';
import { backupFreshness } from '../backups';
import { SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import { SQLITE, type Sqlite } from '../../infrastructure/database/database';
import { ProjectionRunner } from '../../infrastructure/projections/projection-runner';
import { CLOCK, type Clock } from '../../infrastructure/clock';
import { BackupCommands } from '../backups';
import { ProcessorRunner, READY_MAX_LAG } from '../../infrastructure/processing/processor-runner';
import { SearchIndexer } from '../search';

@Controller()
@Public()
export class HealthController {
  constructor(
    private readonly store: SqliteEventStore,
    @Inject(SQLITE) private readonly db: Sqlite,
    private readonly runner: ProjectionRunner,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly backupCommands: BackupCommands,
    private readonly processors: ProcessorRunner,
    private readonly search: SearchIndexer,
  ) {}

  /** The process is up. */
  @Get('health')
  health() {
    return { status: 'ok' };
  }

  /**
   * The database is open, every migration is applied, every projection is at the head of the log
   * and no processor has failed or fallen far behind.
   */
  @Get('ready')
  ready(@Res() res: Response): void {
    const checks: { name: string; ok: boolean; warning?: boolean; detail?: unknown }[] = [];
    try {
      ping(this.db);
      checks.push({ name: 'database', ok: true, detail: durabilitySettings(this.db) });
      const pending = pendingMigrations(this.db);
      checks.push({ name: 'migrations', ok: pending === 0, detail: { pending } });
      const head = this.store.lastPosition();
      checks.push({
        name: 'projections',
        ok: this.runner.atHead(),
        detail: {
          head,
          checkpoints: Object.fromEntries(
            this.runner.projectors.map((p) => [p.name, this.runner.checkpoint(p.name)]),
          ),
        },
      });
      checks.push(this.processorsCheck());
      // The search index follows the log after commit: behind, a search finds older text, so it
      // warns (a first start on a large base indexes for a while) but never fails readiness.
      const lag = this.search.lag();
      checks.push({ name: 'search', ok: true, warning: lag > READY_MAX_LAG, detail: { lag } });
      // A stale backup is a warning to act on, not a reason to stop serving: it never fails readiness.
      const backups = backupFreshness(this.backupCommands.repo, this.clock.now());
      checks.push({
        name: 'backups',
        ok: true,
        warning: backups.status === 'warn',
        detail: backups,
      });
    } catch (e) {
      checks.push({ name: 'database', ok: false, detail: (e as Error).message });
    }
    const ok = checks.every((c) => c.ok);
    res
      .status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
      .json({ status: ok ? 'ready' : 'not_ready', checks });
  }

  /** Not ready while a processor has failed or is more than READY_MAX_LAG events behind. */
  private processorsCheck() {
    const behind = this.processors
      .list()
      .filter((p) => p.status === 'failed' || p.lag > READY_MAX_LAG)
      .map((p) => ({
        name: p.name,
        reason: p.status === 'failed' ? 'failed' : 'behind',
        lag: p.lag,
        last_error: p.last_error,
      }));
    return { name: 'processors', ok: behind.length === 0, detail: { not_ready: behind } };
  }
}
