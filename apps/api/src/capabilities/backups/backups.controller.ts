import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import type { BackupList, BackupVerifyResult } from '@crm/contracts';
import { invalid } from '@crm/domain';
import { JobScheduler } from '../../infrastructure/scheduling/job-scheduler';
import { NIGHTLY_BACKUP_JOB } from './backup.scheduler';
import type { Response } from 'express';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Actor, CurrentActor } from '../../infrastructure/request-context/actor';
import { Roles } from '../auth/index';
import { backupFreshness } from './backup-freshness';
import { BackupService } from './backup.service';
import { UpdateBackupPolicyDto } from './dto/backup-policy.dto';
import { CLOCK, type Clock } from '../../infrastructure/clock';
import { BackupCommands } from './backup.commands';
import { errorBody } from '../../infrastructure/http/error-filter';

const BACKUP_ID = /^bkp[0-9A-Za-z]{14}$/;
const idOf = (id: string) => {
  if (!BACKUP_ID.test(id))
    throw invalid('not a backup id', { field: 'id', given: id.slice(0, 40) });
  return id;
};

/** Backups of the whole database, for admins only. */
@Controller('fundraising')
@Roles('admin')
export class BackupsController {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly backupCommands: BackupCommands,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly backups: BackupService,
    private readonly scheduler: JobScheduler,
  ) {}

  @Post('backup')
  backup(@CurrentActor() actor: Actor) {
    return this.backups.create('manual', { actor, source: 'api' });
  }

  @Get('backups')
  list(@Query('include_deleted') includeDeleted?: string): BackupList {
    // The job is declared only when this process runs it, and has no next run while the policy is off.
    const next = this.scheduler.nextRunAt(NIGHTLY_BACKUP_JOB);
    return {
      backups: this.backups.list(includeDeleted === 'true'),
      freshness: backupFreshness(this.backupCommands.repo, this.clock.now()),
      // A process started with CRM_BACKUP_SCHEDULER=off takes no nightly backup, whatever the policy says.
      scheduler_running: this.config.backupScheduler,
      next_scheduled_at: next === null ? null : new Date(next).toISOString(),
    };
  }

  @Get('backups/:id')
  one(@Param('id') id: string) {
    return this.backups.entry(idOf(id));
  }

  @Post('backups/:id/verify')
  @HttpCode(200)
  async verify(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<BackupVerifyResult> {
    const { ok, checks, backup_id } = await this.backups.verify(idOf(id), { actor, source: 'api' });
    return { backup_id, ok, checks };
  }

  /** The copy itself (or, with `?file=manifest`, its manifest), to keep off-site. */
  @Get('backups/:id/download')
  download(
    @Param('id') id: string,
    @Query('file') which: string | undefined,
    @Res() res: Response,
  ): void {
    if (which !== undefined && which !== 'database' && which !== 'manifest')
      throw invalid('file must be database or manifest', { field: 'file', given: which });
    const { file, manifest, entry } = this.backups.filesOf(idOf(id));
    const [path, name, type] =
      which === 'manifest'
        ? [manifest, entry.file_name.replace(/\.sqlite$/, '.manifest.json'), 'application/json']
        : [file, entry.file_name, 'application/vnd.sqlite3'];
    res.setHeader('Content-Type', type);
    res.setHeader('X-Backup-SHA256', entry.manifest.sha256);
    res.download(path, name, { headers: { 'Content-Type': type }, dotfiles: 'deny' }, (err) => {
      if (err && !res.headersSent)
        res.status(404).json(errorBody(404, 'not_found', 'the backup file is missing'));
    });
  }

  @Get('backup-policy')
  policy() {
    return this.backupCommands.repo.policy().policy;
  }

  @Patch('backup-policy')
  changePolicy(@Body() body: UpdateBackupPolicyDto, @CurrentActor() actor: Actor) {
    return this.backupCommands.changePolicy(body, { actor, source: 'api' });
  }
}
