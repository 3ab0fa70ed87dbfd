import { Module, type OnModuleInit } from '@nestjs/common';
import { SQLITE, type Sqlite } from '../../infrastructure/database/database';
import { ProjectionRunner } from '../../infrastructure/projections/projection-runner';
import { RemindersProjector } from './reminders.projector';
import { RemindersRepository } from './reminders.repository';

/**
 * Reminders' and interactions' tables and their read model; the server, the rebuild and a backup's
 * replay share it, so each of them rebuilds these tables from the log like every other read model.
 */
@Module({
  providers: [
    {
      provide: RemindersRepository,
      inject: [SQLITE],
      useFactory: (db: Sqlite) => new RemindersRepository(db),
    },
  ],
  exports: [RemindersRepository],
})
export class RemindersStoreModule implements OnModuleInit {
  constructor(
    private readonly runner: ProjectionRunner,
    private readonly repo: RemindersRepository,
  ) {}

  onModuleInit(): void {
    this.runner.register(new RemindersProjector(this.repo));
  }
}
