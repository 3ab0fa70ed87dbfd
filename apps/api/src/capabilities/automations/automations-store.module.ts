import { Module, type OnModuleInit } from '@nestjs/common';
import { SQLITE, type Sqlite } from '../../infrastructure/database/database';
import { ProjectionRunner } from '../../infrastructure/projections/projection-runner';
import { AutomationsProjector } from './automations.projector';
import { AutomationsRepository } from './automations.repository';

/**
 * The rules, the run log and the lists' read model; the server, the rebuild and a backup's replay
 * share it, so each of them rebuilds these tables from the log like every other read model.
 */
@Module({
  providers: [
    {
      provide: AutomationsRepository,
      inject: [SQLITE],
      useFactory: (db: Sqlite) => new AutomationsRepository(db),
    },
  ],
  exports: [AutomationsRepository],
})
export class AutomationsStoreModule implements OnModuleInit {
  constructor(
    private readonly runner: ProjectionRunner,
    private readonly repo: AutomationsRepository,
  ) {}

  onModuleInit(): void {
    this.runner.register(new AutomationsProjector(this.repo));
  }
}
