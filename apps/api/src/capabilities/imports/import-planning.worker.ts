import 'reflect-metadata';
import Database from 'better-sqlite3';
import { systemClock } from '../../infrastructure/clock';
import { UnitOfWork } from '../../infrastructure/database/unit-of-work';
import { SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import { serveInWorker } from '../../infrastructure/workers/worker-thread';
import { FundraisingRepository } from '../fundraising';
import { UsersRepository } from '../users';
import { ImportPlanning, type PlanningRequest } from './import-planning';
import { ImportsRepository } from './imports.repository';

/**
 * An import's parsing and planning in a worker thread (see ImportPlanning). The base is read on a
 * read-only connection of its own; each plan reads it in one transaction, so it matches one log
 * position, which it reports with the tables it read.
 */
serveInWorker(({ file }: { file: string }) => {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const base = {
    db,
    store: new SqliteEventStore(db),
    repo: new FundraisingRepository(db),
    users: new UsersRepository(db),
    uow: new UnitOfWork(db),
    clock: systemClock,
  };
  const planning = new ImportPlanning(base, new ImportsRepository(db));
  return (request, progress) => planning.handle(request as PlanningRequest, progress);
}, 'request');
