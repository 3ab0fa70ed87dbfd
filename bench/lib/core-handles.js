'use strict';
/** The write side of the built server, opened as the command-line tools open it, with its parts by name. */
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
const dist = (p) => require(path.join(ROOT, 'apps/api/dist', p));

async function openCore(options) {
  const { openStore } = dist('application');
  const { DataSource } = require(path.join(ROOT, 'node_modules/typeorm'));
  const { FormulaBacklog, FundraisingCommands, FundraisingRepository } = dist(
    'capabilities/fundraising',
  );
  const { AccountCommands, UsersRepository } = dist('capabilities/users');
  const { BackupCommands } = dist('capabilities/backups');
  const { CLOCK } = dist('infrastructure/clock');
  const { CommandExecutor } = dist('infrastructure/commands/command-executor');
  const { SQLITE } = dist('infrastructure/database/database');
  const { UnitOfWork } = dist('infrastructure/database/unit-of-work');
  const { SqliteEventStore } = dist('infrastructure/event-store/sqlite-event-store');
  const { ProjectionRunner } = dist('infrastructure/projections/projection-runner');
  const app = await openStore(options);
  return {
    app,
    dataSource: app.get(DataSource),
    db: app.get(SQLITE),
    store: app.get(SqliteEventStore),
    repo: app.get(FundraisingRepository),
    runner: app.get(ProjectionRunner),
    uow: app.get(UnitOfWork),
    executor: app.get(CommandExecutor),
    commands: app.get(FundraisingCommands),
    backlog: app.get(FormulaBacklog),
    users: app.get(UsersRepository),
    accounts: app.get(AccountCommands),
    backupCommands: app.get(BackupCommands),
    clock: app.get(CLOCK),
    close: () => app.close(),
  };
}

module.exports = { openCore };
